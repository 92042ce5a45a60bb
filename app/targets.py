"""Regression targets y = f(x): 1-D curves on [-π, π] and 2-D surfaces on [-1.5, 1.5]².

Each target is a plain function f(X (N, D)) -> (N,), so the same f gives noisy training data
and the dense grid that a fit's max error is measured on. Pure numpy; randomness only through
the passed-in Generator, so the same seed gives the same data.
"""

from dataclasses import dataclass

import numpy as np

INTERVAL = (-np.pi, np.pi)  # 1-D targets
PLANE = (-1.5, 1.5)  # 2-D targets, on both axes
MIN_POINTS, MAX_POINTS = 5, 2000
MAX_VALUE = 3.0  # |y| of a drawn curve


def _bumps(x):
    return np.exp(-4 * (x - 1.5) ** 2) - 0.8 * np.exp(-6 * (x + 1) ** 2) + 0.5 * np.exp(-10 * x**2)


def _gauss2d(X):
    """Signed Gaussian bumps, as in TensorFlow Playground's regression data."""
    x, y = X[:, 0], X[:, 1]
    return np.exp(-4 * ((x - 0.6) ** 2 + (y - 0.6) ** 2)) - np.exp(
        -4 * ((x + 0.6) ** 2 + (y + 0.6) ** 2)
    )


@dataclass(frozen=True)
class Target:
    name: str
    inputs: int
    f: object  # X (N, inputs) -> (N,)
    description: str


TARGETS = {
    t.name: t
    for t in (
        Target("sine", 1, lambda X: np.sin(X[:, 0]), "sin x"),
        Target("step", 1, lambda X: np.where(X[:, 0] >= 0, 1.0, -1.0), "a step at 0"),
        Target("abs", 1, lambda X: np.abs(X[:, 0]) / np.pi * 2 - 1, "|x|, scaled to [-1, 1]"),
        Target("poly", 1, lambda X: (X[:, 0] ** 3 - 6 * X[:, 0]) / 12, "a cubic"),
        Target("bumps", 1, lambda X: _bumps(X[:, 0]), "a sum of Gaussian bumps"),
        Target("plane", 2, lambda X: 0.5 * X[:, 0] - 0.3 * X[:, 1], "a tilted plane"),
        Target("gauss", 2, _gauss2d, "a positive and a negative Gaussian bump"),
    )
}


DRAWN = "drawn"  # a 1-D curve the user draws: its samples come with the config
NAMES = (*TARGETS, DRAWN)
MAX_CURVE_POINTS = 400


def make(name, curve=None):
    """A Target by name; "drawn" makes one from the curve's [x, y] samples."""
    if name != DRAWN:
        return TARGETS[name]
    if not curve:
        raise ValueError("target drawn needs its curve: [x, y] samples with increasing x")
    xs, ys = zip(*curve, strict=True)
    return Target(DRAWN, 1, from_samples(xs, ys), "a curve drawn by hand")


def _target(target):
    return TARGETS[target] if isinstance(target, str) else target


def inputs_of(name):
    return 1 if name == DRAWN else _target(name).inputs


def domain(target):
    """-> (x_min, x_max, y_min, y_max): [-π, π] for 1-D targets (y left to the caller's data),
    [-1.5, 1.5]² for 2-D ones."""
    return (*INTERVAL, *PLANE) if _target(target).inputs == 1 else (*PLANE, *PLANE)


def sample(name, n_points, noise, rng):
    """-> X (N, D) uniform over the domain, y (N,) = f(X) + noise·N(0, 1)."""
    target = _target(name)
    if not MIN_POINTS <= n_points <= MAX_POINTS:
        raise ValueError(f"n_points must be {MIN_POINTS} to {MAX_POINTS}")
    if not 0 <= noise <= 1:
        raise ValueError("noise must be in [0, 1]")
    low, high = INTERVAL if target.inputs == 1 else PLANE
    X = rng.uniform(low, high, size=(n_points, target.inputs))
    return X, target.f(X) + noise * rng.standard_normal(n_points)


def dense(name, resolution=1000):
    """The target on a dense grid: X (M, D) and y (M,), for a fit's max error."""
    target = _target(name)
    if target.inputs == 1:
        X = np.linspace(*INTERVAL, resolution)[:, None]
    else:
        side = int(np.sqrt(resolution))
        gx, gy = np.meshgrid(np.linspace(*PLANE, side), np.linspace(*PLANE, side))
        X = np.column_stack([gx.ravel(), gy.ravel()])
    return X, target.f(X)


def from_samples(xs, ys):
    """A curve a user drew, as samples: -> f(X (N, 1)) by linear interpolation (flat beyond
    the ends). xs must be increasing."""
    xs, ys = np.asarray(xs, float), np.asarray(ys, float)
    if xs.ndim != 1 or xs.shape != ys.shape or len(xs) < 2 or np.any(np.diff(xs) <= 0):
        raise ValueError("a drawn curve needs 2 or more points with increasing x")
    return lambda X: np.interp(X[:, 0], xs, ys)


def split(X, y, train_fraction, rng):
    """A random split (no classes to stratify): -> X_train, y_train, X_test, y_test, each part
    in input order, at least one training point."""
    n_train = max(1, round(train_fraction * len(X)))
    is_train = np.zeros(len(X), bool)
    is_train[rng.permutation(len(X))[:n_train]] = True
    return X[is_train], y[is_train], X[~is_train], y[~is_train]
