"""Timing that treats every contender alike: interleaved repeats, medians, spread.

Each repeat resets every contender (untimed), then times its work with ``time.perf_counter``.
Contenders take turns within a repeat (A B A B ...) so machine noise hits them alike; the first
repeat only warms caches and buffers and is dropped.
"""

import os
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import numpy as np

THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")


def nothing():
    pass


def repeated(fn, n):
    """A work function that calls fn() n times."""

    def work():
        for _ in range(n):
            fn()

    return work


@dataclass(frozen=True)
class Contender:
    work: Callable[[], object]  # the timed part
    units: int = 1  # steps or calls that one work() performs
    reset: Callable[[], object] = nothing  # untimed, before every work()


def interleaved(contenders, repeats):
    """contenders: {name: Contender}. Returns {name: summary} over `repeats` kept repeats."""
    times = {name: [] for name in contenders}
    for _ in range(repeats + 1):
        for name, c in contenders.items():
            c.reset()
            start = time.perf_counter()
            c.work()
            times[name].append(time.perf_counter() - start)
    return {name: summarize(times[name][1:], c.units) for name, c in contenders.items()}


def summarize(seconds, units):
    """seconds: per repeat, each covering `units` steps or calls -> per-unit median, rate, and
    spread (interquartile range / median) so that a noisy machine shows."""
    median = statistics.median(seconds)
    q1, _, q3 = statistics.quantiles(seconds, n=4)
    spread = (q3 - q1) / median
    return {"median_s": median / units, "per_s": units / median, "spread": spread,
            "times_s": seconds}  # fmt: skip


def add_ratios(results):
    """Give every contender but the baseline its speed-up over the baseline, by median."""
    for name, r in results.items():
        if name != "baseline":
            r["ratio"] = results["baseline"]["median_s"] / r["median_s"]
    return results


def matmul_peak(size, repeats, seed=0):
    """The machine's matmul GFLOP/s (2·n³ / median time) for float32 and float64."""
    a = np.random.default_rng(seed).standard_normal((size, size), dtype=np.float32)
    operands = {"float32": a, "float64": a.astype(np.float64)}
    contenders = {k: Contender(partial(np.matmul, m, m)) for k, m in operands.items()}
    results = interleaved(contenders, repeats)
    return {k: 2 * size**3 / r["median_s"] / 1e9 for k, r in results.items()}


def environment():
    """numpy, its BLAS and the thread settings: what the numbers depend on."""
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        blas = blas.get("openblas configuration") or f"{blas['name']} {blas['version']}"
    except (KeyError, TypeError, ValueError):
        blas = "unknown"
    return {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "blas": blas,
        "cpu_count": os.cpu_count(),
        "threads": {k: os.environ.get(k) for k in THREAD_VARIABLES},
        "load_average_before": load_average(),
    }


def load_average():
    """1-minute load average, or None where unavailable: other busy processes skew timings."""
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return None
