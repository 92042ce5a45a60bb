"""Evaluate a network over an R×R grid of the plane in one vectorized pass (chunked)."""

from functools import lru_cache

import numpy as np

CHUNK = 10_000  # points per forward pass: bounds scratch memory; 100×100 is one chunk


@lru_cache(maxsize=16)
def grid_points(bounds, resolution, dtype=np.float32):
    """bounds (x_min, x_max, y_min, y_max) -> (3, R·R) points with a row of ones (the bias
    trick), row-major from (x_min, y_min): point i sits at column i % R, row i // R.
    Read-only and cached."""
    x_min, x_max, y_min, y_max = bounds
    xs = np.linspace(x_min, x_max, resolution)
    ys = np.linspace(y_min, y_max, resolution)
    gx, gy = np.meshgrid(xs, ys)
    points = np.stack([gx.ravel(), gy.ravel(), np.ones(gx.size)]).astype(dtype)
    points.flags.writeable = False
    return points


def predict_chunked(network, x, transform=None):
    """x: (D+1, N) with a row of ones -> (C, N) network outputs without dropout, CHUNK points
    per forward pass; ``transform`` (scores -> values) is applied to each chunk's scores."""
    out = None
    for start in range(0, x.shape[1], CHUNK):
        chunk = x[:, start : start + CHUNK]
        values = network.predict(chunk)
        if transform is not None:
            values = transform(values)
        if out is None:
            out = np.empty((values.shape[0], x.shape[1]), values.dtype)
        out[:, start : start + chunk.shape[1]] = values
    return out


def class_probabilities(network, loss, x):
    """x: (D+1, N) with a row of ones -> (classes, N) probabilities, without dropout."""
    return predict_chunked(network, x, loss.probabilities)


def decision_grid(network, loss, bounds, resolution):
    """-> (classes, R, R) class probabilities over the grid; [k, row, col], row 0 at y_min."""
    x = grid_points(tuple(bounds), resolution, network.dtype)
    with np.errstate(all="ignore"):
        probs = class_probabilities(network, loss, x)
    return probs.reshape(-1, resolution, resolution)


def unit_grids(network, bounds, resolution):
    """-> [(H, R, R)] every hidden unit's output over the grid, one array per hidden layer."""
    x = grid_points(tuple(bounds), resolution, network.dtype)
    with np.errstate(all="ignore"):
        outputs = network.hidden_outputs(x)
    return [h.reshape(-1, resolution, resolution) for h in outputs]
