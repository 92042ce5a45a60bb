"""What a client sees of a run: metrics, history and compact pictures of the network.

Classification grids travel as one byte per cell: the winning class in the top 3 bits and its
confidence in the low 5 bits, 0 = chance (1/C) to 31 = certain. Row 0 of the grid is at y_min.
Regression: a 1-D fit is a curve of values (and each last-layer unit's contribution to it); a
2-D fit is a grid of bytes over a fixed value range.
"""

import math

import numpy as np

from app.engine import decision_grid, unit_grids
from app.engine.grid import grid_points, predict_chunked
from app.engine.layers import augment

CONFIDENCE_LEVELS = 31


def finite(value):
    """A float, or None where it is NaN or infinite: JSON never carries those."""
    value = float(value)
    return value if math.isfinite(value) else None


def finite_list(values):
    return [None if v is None else finite(v) for v in values]


def encode_grid(probs):
    """probs: (C, R, R) probabilities -> (R·R,) uint8 cells, class << 5 | confidence."""
    chance = 1.0 / probs.shape[0]
    level = probs.max(axis=0)
    level -= chance
    level *= CONFIDENCE_LEVELS / (1 - chance)
    np.rint(level, out=level)
    np.clip(np.nan_to_num(level, copy=False), 0, CONFIDENCE_LEVELS, out=level)
    cells = level.astype(np.uint8)
    cells |= probs.argmax(axis=0).astype(np.uint8) << 5
    return cells.ravel()


def grid_frame(trainer, bounds, resolution):
    """The decision grid as {resolution, bounds, classes, cells (uint8 array)}."""
    probs = decision_grid(trainer.network, trainer.loss, bounds, resolution)
    return {
        "resolution": resolution,
        "bounds": list(bounds),
        "classes": int(probs.shape[0]),
        "cells": encode_grid(probs),
    }


def unit_frames(trainer, bounds, resolution):
    """Every hidden unit's output over the grid, per layer, as uint8 scaled to [low, high]."""
    layers = []
    for outputs in unit_grids(trainer.network, bounds, resolution):
        values = np.nan_to_num(outputs, nan=0.0, posinf=0.0, neginf=0.0)
        low, high = float(values.min()), float(values.max())
        scale = 255 / (high - low) if high > low else 0.0
        cells = np.rint((values - low) * scale).astype(np.uint8)
        layers.append({"units": int(values.shape[0]), "low": low, "high": high, "cells": cells})
    return {"resolution": resolution, "layers": layers}


def rounded(values, digits=5):
    """values -> a flat list rounded to ``digits``, None where not finite."""
    return finite_list(np.round(np.asarray(values, np.float64), digits).ravel().tolist())


def curve_frame(network, bounds, resolution, contributions=False):
    """A 1-D fit: the network's value at R points over [x_min, x_max]. With contributions, the
    last hidden layer's units one by one: unit j adds w_j·h_j(x) to the output, so the curve
    is the output bias plus their sum (for ReLU, each unit's kink is where it switches on)."""
    xs = np.linspace(bounds[0], bounds[1], resolution)
    x = augment(xs[None, :].astype(network.dtype))
    with np.errstate(all="ignore"):
        frame = {"x": rounded(xs), "y": rounded(network.predict(x)[0])}
        if contributions:
            hidden = network.hidden_outputs(x)
            out = network.layers[-1]
            frame["bias"] = finite(out.b[0])
            frame["contributions"] = (
                [rounded(row) for row in out.W[0][:, None] * hidden[-1]] if hidden else []
            )
    return frame


def value_frame(network, bounds, resolution, value_range):
    """A 2-D fit: the network's value over an R×R grid as bytes, 0 = low … 255 = high (values
    beyond are clipped), row 0 at y_min."""
    low, high = value_range
    x = grid_points(tuple(bounds), resolution, network.dtype)
    with np.errstate(all="ignore"):
        values = predict_chunked(network, x)[0].astype(np.float64)
    scaled = (np.nan_to_num(values, nan=0.0, posinf=high, neginf=low) - low) * (255 / (high - low))
    cells = np.rint(np.clip(scaled, 0, 255)).astype(np.uint8)
    return {"resolution": resolution, "bounds": list(bounds), "low": low, "high": high,
            "cells": cells}  # fmt: skip


def hidden_space(network, x_train, x_test, bounds, layer, units=None, lines=11, samples=41):
    """Where a hidden layer puts the plane: the points (augmented columns x_train, x_test) and
    a mesh of the plane's lines (``lines`` at each of x and y, ``samples`` points each), mapped
    through the network to ``layer``'s output and shown in two coordinates: the two units
    ``units``; else, with two units or one, the layer's own; else the training points' top two
    principal directions. The output layer draws straight boundaries in this space, so the
    mesh shows how the layers bend the plane to make the classes separable there.
    -> {projection, units, explained, train, test, lines} with (2, N) coordinate arrays."""
    x0, x1, y0, y1 = bounds
    along = np.linspace(0.0, 1.0, samples)
    at = np.linspace(0.0, 1.0, lines)
    mesh = np.concatenate([
        np.stack([np.full(samples, x0 + a * (x1 - x0)), y0 + along * (y1 - y0)]) for a in at
    ] + [
        np.stack([x0 + along * (x1 - x0), np.full(samples, y0 + a * (y1 - y0))]) for a in at
    ], axis=1)  # fmt: skip
    x = np.concatenate([x_train, x_test, augment(mesh.astype(network.dtype))], axis=1)
    with np.errstate(all="ignore"):
        h = network.hidden_outputs(x)[layer].astype(np.float64)
    n_train, n_test, width = x_train.shape[1], x_test.shape[1], h.shape[0]
    explained = None
    if units is not None:
        coords, projection = h[list(units)], "units"
    elif width <= 2:
        coords, projection = np.vstack([h, np.zeros((2 - width, h.shape[1]))]), "units"
        units = list(range(width))
    else:
        basis, explained = _principal_directions(h[:, :n_train])
        center = h[:, :n_train].mean(axis=1, keepdims=True)
        coords, projection = basis @ (h - center), "pca"
    split = [n_train, n_train + n_test]
    train, test, mesh_coords = np.split(coords, split, axis=1)
    return {"projection": projection, "units": units, "explained": explained,
            "train": train, "test": test,
            "lines": np.split(mesh_coords, 2 * lines, axis=1)}  # fmt: skip


def _principal_directions(h):
    """h: (U, N) -> ((2, U) the top two principal directions, each signed so its largest
    component is positive (a frame-to-frame flip would look like a jump), [their shares of
    the variance])."""
    centered = np.nan_to_num(h - h.mean(axis=1, keepdims=True), nan=0.0, posinf=0.0, neginf=0.0)
    u, s, _ = np.linalg.svd(centered, full_matrices=False)
    k = min(2, u.shape[1])  # fewer than two points have fewer directions
    basis = np.zeros((2, h.shape[0]))
    basis[:k] = u[:, :k].T
    signs = np.sign(basis[np.arange(2), np.abs(basis).argmax(axis=1)])
    signs[signs == 0] = 1
    basis *= signs[:, None]
    variance = np.zeros(2)
    variance[:k] = s[:k] ** 2
    total = float(np.sum(s**2))
    return basis, [float(v / total) if total > 0 else 0.0 for v in variance]
