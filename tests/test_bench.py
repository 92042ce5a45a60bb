"""The benches run end to end and report sane numbers; their speed is reported, never tested."""

import json
import math
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from bench import baseline, load
from bench.engine import W4_SIZES, matmul_flops, run
from bench.report import format_report


def _timings(results):
    """Every timed contender's summary in the results."""
    w1, w3, w4 = results["w1"], results["w3"], results["w4"]
    yield from (w1[k] for k in ("baseline", "engine", "engine_monitor"))
    yield from (g[k] for g in w3["grids"] for k in ("baseline", "engine"))
    yield from (w4[k] for k in ("baseline", "engine"))


def test_quick_run_reports_finite_positive_numbers_and_grids_agree():
    results = run(quick=True)

    assert results["mode"] == "quick"
    assert results["w3"]["agree"] and results["w3"]["max_abs_diff"] <= 1e-3
    assert [g["resolution"] for g in results["w3"]["grids"]] == [100, 200]
    for r in _timings(results):
        values = [r["median_s"], r["per_s"], r.get("ratio", 1.0), *r["times_s"]]
        assert all(math.isfinite(v) and v > 0 for v in values)
        assert len(r["times_s"]) == results["repeats"]
    assert all(math.isfinite(v) and v > 0 for v in results["w1"]["final_loss"].values())
    w4 = results["w4"]
    assert all(w4[k]["gflops"] > 0 for k in ("baseline", "engine"))
    assert all(math.isfinite(v) and v > 0 for v in w4["peak_gflops"].values())
    json.dumps(results, allow_nan=False)  # the results file never holds NaN or infinity
    assert "W1" in format_report(results) and "W4" in format_report(results)


def test_deep_step_with_one_hidden_layer_is_the_case_study_step():
    X, y = baseline.spiral(60, 3, np.random.default_rng(0))
    two = baseline.init_params((2, 10, 3), np.random.default_rng(1))
    deep = baseline.init_params((2, 10, 3), np.random.default_rng(1))

    for _ in range(3):
        loss_two = baseline.two_layer_step(two, X, y, 1e-3, 1.0)
        loss_deep = baseline.deep_step(deep, X, y, 1e-3, 1.0)

    assert abs(loss_two - loss_deep) < 1e-12
    for (W, b), (W_deep, b_deep) in zip(two, deep, strict=True):
        assert np.allclose(W, W_deep, rtol=0, atol=1e-12)
        assert np.allclose(b, b_deep, rtol=0, atol=1e-12)


def test_matmul_flops_counts_forward_dW_and_dX_but_no_input_dX():
    # 2-4-3 net, N = 5: forward 2·5·(2·4 + 4·3) = 200, dW 200, dX only for 4·3: 120.
    assert matmul_flops(5, (2, 4, 3)) == 520
    assert matmul_flops(10_000, W4_SIZES) == 2 * 10_000 * (3 * (512 + 3 * 65536 + 768) - 512)


def test_the_fit_experiments_bench_prints_both_tables():
    from bench import fit

    results = fit.run(quick=True)
    assert results["power"]["sizes"] == [1, 4] and results["depth"]["depths"] == [1, 2]
    assert all(e is not None and e > 0 for e in results["power"]["best_max_error"])
    text = fit.report(results, "bumps", "tanh")
    assert "N =   4" in text and "2 ×" in text


def test_the_figures_bench_times_a_preset_on_the_page_and_through_the_api():
    from bench import figures

    # a thread of its own: Playwright's sync API refuses a thread whose asyncio loop runs (the
    # browser tests' fixtures leave one running in this thread)
    with ThreadPoolExecutor(1) as pool:
        (row,) = pool.submit(figures.main, ["--preset", "dead", "--repeat", "1"]).result()
    assert row["preset"] == "dead"
    assert all(math.isfinite(row[k]) and row[k] > 0 for k in ("page_s", "api_s"))


def test_the_load_bench_serves_a_few_live_users_from_one_worker_and_from_two_on_redis():
    common = ["--users", "2", "--seconds", "1", "--warmup", "0.5", "--fps", "10"]
    for setup in (["--setup", "memory"], ["--setup", "redis", "--workers", "2"]):
        (row,) = load.main([*setup, *common])
        assert row["users"] == 2 and row["errors"] == 0, row
        assert 5 <= row["frames_per_second"] <= 25  # 2 users asking 10 frames/s each
        assert 50 <= row["interval_p50_ms"] <= row["interval_p95_ms"] < 1000
        assert row["server_cores"] > 0


def test_the_load_bench_refuses_unbounded_runs():
    for argv in (["--users", "100000"], ["--seconds", "3600"], ["--users", ",".join(["1"] * 20)]):
        with pytest.raises(SystemExit):
            load.main(argv)
