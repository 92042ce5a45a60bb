"""Engine vs. baseline: ``python -m bench.engine [--quick]``, run from the repository root.

In one process, a literal CS231n numpy implementation (``bench.baseline``) and ``app.engine`` do
the same work: same data, same network sizes, same number of steps, each training repeat
restarting from the initial weights. ``bench.timing`` interleaves the repeats and takes medians.
Prints a table (``bench.report``) and writes the same numbers to bench/results/engine.json.
Speed is reported here, never asserted by a test.
"""

import argparse
import itertools
import json
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from app.datasets import make_dataset
from app.engine import NetworkSpec, TrainConfig, Trainer, decision_grid
from bench import baseline
from bench.report import format_report
from bench.timing import (
    Contender,
    add_ratios,
    environment,
    interleaved,
    load_average,
    matmul_peak,
    repeated,
)

SEED = 0
LEARNING_RATE = 1.0
REG = 1e-3
W1_SIZES = (2, 100, 3)
W4_SIZES = (2, 256, 256, 256, 256, 3)
BOUNDS = (-1.5, 1.5, -1.5, 1.5)
AGREEMENT_TOLERANCE = 1e-3
TARGETS = {"w1": 5.0, "w3": 4.0}  # engine speed / baseline speed the engine aims for
RESULTS = Path(__file__).parent / "results" / "engine.json"


@dataclass(frozen=True)
class Plan:
    """How much work: the default run (< 2 min on 2 cores) or --quick (< 20 s, for the test)."""

    mode: str
    repeats: int  # timed repeats per contender, after one dropped warm-up repeat
    w1_steps: int  # training steps per repeat
    sanity_steps: int  # steps before comparing the final losses
    grid_train_steps: int  # steps that train the network whose decision grid W3 times
    grid_calls: tuple[tuple[int, int], ...]  # (resolution, calls per repeat)
    w4_points: int
    w4_steps: int  # training steps per repeat
    peak_size: int  # square matmul size for the machine's peak


DEFAULT = Plan("default", 11, 1000, 1000, 300, ((100, 20), (200, 5)), 10_000, 3, 2048)
QUICK = Plan("quick", 3, 50, 200, 100, ((100, 3), (200, 1)), 4_000, 1, 1024)


class BaselineRun:
    """The CS231n loop as a contender: reset() draws 0.01·randn weights, steps(n) trains."""

    def __init__(self, sizes, X, y, step):
        self.sizes, self.X, self.y, self.step = sizes, X, y, step

    def reset(self):
        self.params = baseline.init_params(self.sizes, np.random.default_rng(SEED))

    def steps(self, n):
        """n full-batch steps; returns the last step's loss (measured before its update)."""
        for _ in range(n):
            loss = self.step(self.params, self.X, self.y, REG, LEARNING_RATE)
        return float(loss)


class EngineRun:
    """app.engine's Trainer as a contender, with per-step monitoring on or off."""

    def __init__(self, sizes, X, y, monitor, dtype=np.float32):
        spec = NetworkSpec(hidden=sizes[1:-1], n_outputs=sizes[-1], init="small")
        config = TrainConfig(learning_rate=LEARNING_RATE, l2=REG)
        self.trainer = Trainer(spec, "softmax", config, X, y, seed=SEED, dtype=dtype)
        self.monitor = monitor

    def reset(self):
        self.trainer.reset()
        self.trainer.monitor = self.monitor

    def steps(self, n):
        """n full-batch steps; returns the last step's loss (measured before its update)."""
        for _ in range(n):
            stats = self.trainer.step()
        return stats.loss


def training_contenders(runs, steps):
    return {name: Contender(partial(r.steps, steps), steps, r.reset) for name, r in runs.items()}


def train_steps(plan, X, y):
    """W1: steps per second of the case-study net, baseline vs. engine with monitor off/on."""
    runs = {
        "baseline": BaselineRun(W1_SIZES, X, y, baseline.two_layer_step),
        "engine": EngineRun(W1_SIZES, X, y, monitor=False),
        "engine_monitor": EngineRun(W1_SIZES, X, y, monitor=True),
        "engine_float64": EngineRun(W1_SIZES, X, y, monitor=False, dtype=np.float64),
    }
    out = add_ratios(interleaved(training_contenders(runs, plan.w1_steps), plan.repeats))
    final = {}
    for name in ("baseline", "engine"):
        runs[name].reset()
        final[name] = runs[name].steps(plan.sanity_steps)
    return {"steps_per_repeat": plan.w1_steps, "learning_rate": LEARNING_RATE, "l2": REG, **out,
            "final_loss": {"steps": plan.sanity_steps, **final}}  # fmt: skip


def baseline_params(network):
    """The engine's trained weights in the baseline's float64 N×D layout: [(W (D, H), b (1, H))]."""
    return [
        (np.array(layer.W.T, np.float64, order="C"), np.array(layer.b[None], np.float64))
        for layer in network.layers
    ]


def grid_agreement(params, trainer, resolution):
    """Largest |baseline - engine| class probability on the grid, both using the same weights."""
    expected = baseline.grid_probabilities(params, BOUNDS, resolution)
    probs = decision_grid(trainer.network, trainer.loss, BOUNDS, resolution)
    expected = expected.T.reshape(probs.shape)  # (R·R, C) -> (C, R, R), same row-major order
    return float(np.abs(expected - probs).max())


def grid_contenders(params, trainer, resolution, calls):
    """`calls` back-to-back grid calls per repeat, for the baseline and the engine."""
    engine = partial(decision_grid, trainer.network, trainer.loss, BOUNDS, resolution)
    base = partial(baseline.grid_probabilities, params, BOUNDS, resolution)
    return {
        "baseline": Contender(repeated(base, calls), calls),
        "engine": Contender(repeated(engine, calls), calls),
    }


def grid_probabilities(plan, X, y):
    """W3: per-call time of the class-probability grid for a trained W1 network."""
    trainer = trained(X, y, plan.grid_train_steps)
    params = baseline_params(trainer.network)
    grids, max_diff = [], 0.0
    for resolution, calls in plan.grid_calls:
        max_diff = max(max_diff, grid_agreement(params, trainer, resolution))
        contenders = grid_contenders(params, trainer, resolution, calls)
        out = add_ratios(interleaved(contenders, plan.repeats))
        grids.append({"resolution": resolution, "calls_per_repeat": calls, **out})
    agree = max_diff <= AGREEMENT_TOLERANCE
    return {"train_steps": plan.grid_train_steps, "max_abs_diff": max_diff, "agree": agree,
            "tolerance": AGREEMENT_TOLERANCE, "grids": grids}  # fmt: skip


def trained(X, y, steps):
    """A W1 engine Trainer after `steps` steps."""
    run = EngineRun(W1_SIZES, X, y, monitor=False)
    run.reset()
    run.steps(steps)
    return run.trainer


def matmul_flops(n, sizes):
    """FLOPs (2 per multiply-add) of one training step's matrix products, biases not counted:
    forward N·fan_in·fan_out per layer, backward the same for dW and again for dX, except that
    the first layer needs no dX."""
    products = [d * h for d, h in itertools.pairwise(sizes)]
    return 2 * n * (3 * sum(products) - products[0])


def deep_training(plan):
    """W4: a 4×256 ReLU net on a big spiral (10,000 points by default): steps/s and GFLOP/s."""
    X, y = baseline.spiral(plan.w4_points, W4_SIZES[-1], np.random.default_rng(SEED))
    runs = {
        "baseline": BaselineRun(W4_SIZES, X, y, baseline.deep_step),
        "engine": EngineRun(W4_SIZES, X, y, monitor=False),
    }
    out = add_ratios(interleaved(training_contenders(runs, plan.w4_steps), plan.repeats))
    flops = matmul_flops(plan.w4_points, W4_SIZES)
    for r in out.values():
        r["gflops"] = flops * r["per_s"] / 1e9
    return {"points": plan.w4_points, "sizes": list(W4_SIZES), "steps_per_repeat": plan.w4_steps,
            "gflop_per_step": flops / 1e9, **out, "peak_size": plan.peak_size,
            "peak_gflops": matmul_peak(plan.peak_size, plan.repeats, SEED)}  # fmt: skip


def run(quick=False):
    """Every workload once; returns the results as a JSON-ready dict."""
    plan = QUICK if quick else DEFAULT
    X, y = make_dataset("spiral", n_points=300, n_classes=3, seed=SEED)
    results = {"mode": plan.mode, "repeats": plan.repeats, "targets": TARGETS,
               "environment": environment()}  # fmt: skip
    with threadpool_limits(1, "blas"):  # as the app runs: one BLAS thread per process
        results["w1"] = train_steps(plan, X, y)
        results["w3"] = grid_probabilities(plan, X, y)
    results["w4"] = deep_training(plan)  # big products: every core, like the peak it is held to
    results["environment"]["load_average_after"] = load_average()
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(description="Time app.engine against a CS231n baseline.")
    parser.add_argument("--quick", action="store_true", help="fewer repeats and steps (< 20 s)")
    args = parser.parse_args(argv)
    results = run(quick=args.quick)
    print(format_report(results))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nwrote {RESULTS}")
    if not results["w3"]["agree"]:
        raise SystemExit("W3: baseline and engine probabilities disagree")


if __name__ == "__main__":
    main()
