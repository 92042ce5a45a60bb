"""What a client sees of a run: metrics, history and compact decision grids.

Grids travel as one byte per cell: the winning class in the top 3 bits and its confidence in
the low 5 bits, 0 = chance (1/C) to 31 = certain. Row 0 of the grid is at y_min.
"""

import math

import numpy as np

from app.engine import decision_grid, unit_grids

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
