"""A from-scratch numpy neural-network engine for 2-D classification.

Imports only numpy and the standard library. Arrays are features × batch (D, N), as in the
notes' ``np.dot(W1, x)``. Start with ``Trainer`` (a whole run) or ``Network`` (forward and
backward only).
"""

from app.engine.activations import ACTIVATION_NAMES, ACTIVATIONS
from app.engine.grid import decision_grid, grid_points, unit_grids
from app.engine.losses import LOSSES
from app.engine.network import (
    INITS,
    MAX_HIDDEN_LAYERS,
    MAX_MAXOUT_PIECES,
    MAX_UNITS,
    Network,
    NetworkSpec,
    arithmetic,
    parameter_counts,
)
from app.engine.optimizers import OPTIMIZERS
from app.engine.trainer import Diverged, StepStats, TrainConfig, Trainer

__all__ = [
    "ACTIVATIONS",
    "ACTIVATION_NAMES",
    "INITS",
    "LOSSES",
    "MAX_HIDDEN_LAYERS",
    "MAX_MAXOUT_PIECES",
    "MAX_UNITS",
    "OPTIMIZERS",
    "Diverged",
    "Network",
    "NetworkSpec",
    "StepStats",
    "TrainConfig",
    "Trainer",
    "arithmetic",
    "decision_grid",
    "grid_points",
    "parameter_counts",
    "unit_grids",
]
