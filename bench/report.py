"""The bench's results (the dict ``bench.engine.run`` returns) as a compact text table."""


def _verdict(value, target):
    return f"target ≥ {target:g}×: {'met' if value >= target else 'MISSED'}"


def _row(label, r, *columns):
    """One line: label, the given cells, the speed-up and the spread of the repeats."""
    cells = "".join(f"{c:>12}" for c in columns)
    return f"  {label:24}{cells}{r.get('ratio', 1.0):>10.2f}×{r['spread']:>8.0%}"


def _header(*columns):
    return f"  {'':24}" + "".join(f"{c:>12}" for c in columns) + f"{'speed-up':>11}{'spread':>8}"


def _w1(w1, target):
    lines = [
        f"W1  spiral 300 points, 2-100-3 ReLU, softmax, λ={w1['l2']:g}, full-batch SGD, "
        f"lr {w1['learning_rate']:g}; {w1['steps_per_repeat']} steps per repeat",
        _header("steps/s", "µs/step"),
    ]
    for label, key in (("baseline", "baseline"), ("engine, monitor off", "engine"),
                       ("engine, monitor on", "engine_monitor"),
                       ("engine, float64", "engine_float64")):  # fmt: skip
        r = w1[key]
        row = _row(label, r, f"{r['per_s']:,.0f}", f"{r['median_s'] * 1e6:.1f}")
        verdict = f"   {_verdict(r['ratio'], target)}" if key == "engine" else ""
        lines.append(row + verdict)
    final = w1["final_loss"]
    lines.append(
        f"  loss after {final['steps']} steps: baseline {final['baseline']:.4f}, "
        f"engine {final['engine']:.4f} (both 0.01·randn, different draws)"
    )
    return lines


def _w3(w3, target):
    lines = [
        f"W3  class probabilities on an R×R grid over [-1.5, 1.5]², W1 net after "
        f"{w3['train_steps']} steps",
        _header("ms/call", ""),
    ]
    for g in w3["grids"]:
        r = g["resolution"]
        for key in ("baseline", "engine"):
            lines.append(_row(f"{r}×{r} {key}", g[key], f"{g[key]['median_s'] * 1e3:.3f}", ""))
        lines[-1] += f"   {_verdict(g['engine']['ratio'], target)}"
    status = "ok" if w3["agree"] else "FAILED"
    lines.append(
        f"  agreement, engine's weights in both: max |Δp| = {w3['max_abs_diff']:.1e} "
        f"(tolerance {w3['tolerance']:g}): {status}"
    )
    return lines


def _w4(w4):
    peak = w4["peak_gflops"]
    lines = [
        f"W4  spiral {w4['points']:,} points, {'-'.join(map(str, w4['sizes']))} ReLU, softmax, "
        f"full-batch SGD",
        f"    {w4['gflop_per_step']:.2f} GFLOP of matmuls per step; "
        f"{w4['steps_per_repeat']} step(s) per repeat",
        _header("steps/s", "GFLOP/s") + f"{'of peak':>9}",
    ]
    for label, key, dtype in (("baseline, float64", "baseline", "float64"),
                              ("engine, float32", "engine", "float32")):  # fmt: skip
        r = w4[key]
        share = r["gflops"] / peak[dtype]
        lines.append(_row(label, r, f"{r['per_s']:.2f}", f"{r['gflops']:.1f}") + f"{share:>9.0%}")
    size = w4["peak_size"]
    lines.append(
        f"  peak, np.matmul {size}×{size}: float32 {peak['float32']:.1f} GFLOP/s, "
        f"float64 {peak['float64']:.1f} GFLOP/s"
    )
    return lines


def _load(value):
    return "n/a" if value is None else f"{value:.2f}"


def format_report(results):
    """results: the dict bench.engine.run returns -> the table as one string."""
    env, targets = results["environment"], results["targets"]
    threads = ", ".join(f"{k}={v or 'unset'}" for k, v in env["threads"].items())
    lines = [
        "Boundary Lab bench. baseline: CS231n numpy, float64, N×D; engine: app.engine, float32",
        f"mode {results['mode']}: median of {results['repeats']} interleaved repeats "
        "after one warm-up; spread = interquartile range / median",
        f"numpy {env['numpy']}, python {env['python']}, {env['cpu_count']} CPUs, {threads}",
        f"BLAS: {env['blas']}; W1 and W3 run with one BLAS thread (as the app does), W4 with all",
        f"load average (1 min): {_load(env['load_average_before'])} before, "
        f"{_load(env['load_average_after'])} after; other busy processes skew the timings",
        "",
        *_w1(results["w1"], targets["w1"]),
        "",
        *_w3(results["w3"], targets["w3"]),
        "",
        *_w4(results["w4"]),
    ]
    return "\n".join(lines)
