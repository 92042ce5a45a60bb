"""The representational-power experiments as the page runs them, printed as tables:
``python -m bench.fit [--target bumps] [--activation tanh] [--quick]`` from the repository root.

A: one hidden layer of N units, the best max error |net - target| on the dense target (best
of 20 checkpoints and of the seeds). B: one parameter budget over 1…5 hidden layers, the final
training loss per depth over seeds. Same defaults as /experiments/power; the numbers in the
README come from this command.
"""

import argparse
import statistics
import threading
from types import SimpleNamespace

from app.api.schemas import DepthRequest, RepresentationalPowerRequest
from app.config import Settings
from app.targets import inputs_of
from app.training.jobs import depth, representational_power


def _running():
    """What a job's work function reads: a cancel flag and a progress counter."""
    return SimpleNamespace(done=0, cancelled=threading.Event())


def experiment_config(target, activation):
    config = RepresentationalPowerRequest().config.model_dump()
    config["target"]["name"] = target
    init = "he" if activation in ("relu", "leaky_relu") else "xavier"
    config["model"].update(activation=activation, init=init)
    return config


def run(target="bumps", activation="tanh", quick=False):
    config = experiment_config(target, activation)
    power = RepresentationalPowerRequest(
        config=config, seeds=1 if quick else 2, steps=200 if quick else 3000,
        sizes=[1, 4] if quick else [1, 2, 4, 8, 16, 64],
    ).model_dump()  # fmt: skip
    layers = DepthRequest(
        config=config, seeds=1 if quick else 3, steps=100 if quick else 2000,
        depths=[1, 2] if quick else [1, 2, 3, 4, 5],
    ).model_dump()  # fmt: skip
    layers["inputs"] = inputs_of(target)
    settings = Settings()
    return {
        "power": representational_power(power, settings).work(_running()),
        "depth": depth(layers, settings).work(_running()),
    }


def _number(value):
    return "–" if value is None else f"{value:.3g}"


def report(results, target, activation):
    power, layers = results["power"], results["depth"]
    lines = [f"A. one hidden layer of N {activation} units on {target}: best max error"]
    lines += [f"  N = {n:>3}: {_number(e)}" for n, e in zip(power["sizes"],
              power["best_max_error"], strict=True)]  # fmt: skip
    lines.append("B. one parameter budget over depths: median final training loss over the seeds")
    for d, w, p, losses in zip(layers["depths"], layers["widths"], layers["parameters"],
                               layers["final_loss"], strict=True):  # fmt: skip
        finite = [v for v in losses if v is not None]
        median = statistics.median(finite) if finite else None
        lines.append(f"  {d} × {w:>3} units ({p} parameters): {_number(median)}")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", default="bumps")
    parser.add_argument("--activation", default="tanh")
    parser.add_argument("--quick", action="store_true", help="tiny sizes, for a smoke test")
    args = parser.parse_args(argv)
    results = run(args.target, args.activation, args.quick)
    print(report(results, args.target, args.activation))


if __name__ == "__main__":
    main()
