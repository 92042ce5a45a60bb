"""Sessions as response bodies: numpy arrays become lists and base64 here, and only here."""

import base64
import json

import numpy as np
from fastapi import Response

from app import targets
from app.engine import OPTIMIZERS, arithmetic, parameter_counts
from app.training.frames import (
    curve_frame,
    finite_list,
    grid_frame,
    hidden_space,
    rounded,
    unit_frames,
    value_frame,
)
from app.training.session import ConfigError, Session

GRID_ENCODING = "u8 per cell: class = byte >> 5, confidence = (byte & 31) / 31 (0 = chance)"
TARGET_SAMPLES = 250  # the 1-D target's curve as a client draws it
VALUE_ENCODING = "u8 per cell: value = low + byte / 255 · (high - low), clipped to [low, high]"


def raw_json(data, status_code=200):
    """A JSON response written directly: for frames, which are built from finite values only,
    skipping a second validation pass of their (documented) response model."""
    body = json.dumps(data, allow_nan=False, separators=(",", ":"))
    return Response(body, status_code=status_code, media_type="application/json")


def b64(array):
    return base64.b64encode(np.ascontiguousarray(array).tobytes()).decode("ascii")


def parameters(spec):
    counts = parameter_counts(spec)
    return {**counts, "arithmetic": arithmetic(counts)}


def summary(session_id, session):
    return {
        "id": session_id,
        "config": session.config,
        "classes": session.n_classes,
        "bounds": list(session.bounds),
        "parameters": parameters(session.trainer.spec),
        "metrics": session.metrics(),
        "diverged": session.trainer.diverged_at is not None,
        "divergence": session.divergence(),
        "steps_per_frame": session.steps_per_frame,
        "paused": session.paused,
    }


def grid(session, resolution):
    frame = grid_frame(session.trainer, session.bounds, resolution)
    return {**frame, "encoding": GRID_ENCODING, "cells": b64(frame["cells"])}


def curve(session, resolution, contributions):
    return curve_frame(session.trainer.network, session.bounds, resolution, contributions)


def values(session, resolution):
    frame = value_frame(session.trainer.network, session.bounds, resolution, session.value_range)
    return {**frame, "encoding": VALUE_ENCODING, "cells": b64(frame["cells"])}


def pictures(session, options):
    """What a frame shows of the network, by problem: a decision grid (classification), a
    curve (1-D regression) or a value grid (2-D regression), and the units if asked for."""
    shown = {"grid": None, "curve": None, "values": None, "units": None}
    if not session.regression:
        shown["grid"] = grid(session, options.resolution) if options.grid else None
    elif session.inputs == 1:
        shown["curve"] = curve(session, options.resolution, options.units) if options.grid else None
        return shown  # the units of a 1-D fit are the curve's contributions
    else:
        shown["values"] = values(session, options.resolution) if options.grid else None
    shown["units"] = units(session, options.unit_resolution) if options.units else None
    return shown


def units(session, resolution):
    frame = unit_frames(session.trainer, session.bounds, resolution)
    layers = [{**layer, "cells": b64(layer["cells"])} for layer in frame["layers"]]
    return {"resolution": resolution, "layers": layers}


def space(session, layer, units, lines, samples):
    """The hidden space of ``layer`` (None: the last): points as [u, v, label] rows and the
    plane's mesh lines as [u, v] rows. A layer or units the network lacks is a ConfigError."""
    trainer = session.trainer
    if session.inputs != 2:
        raise ConfigError(
            "the hidden space is drawn for inputs in the plane; this target has one input "
            "(its fit shows each last-layer unit's share instead)"
        )
    widths = list(trainer.network.spec.hidden)
    if not widths:
        raise ConfigError("this network has no hidden layer: add one (model.hidden) to see the "
                          "space it maps the plane into")  # fmt: skip
    layer = len(widths) - 1 if layer is None else layer
    if layer >= len(widths):
        raise ConfigError(f"layer {layer} does not exist: this network's hidden layers are "
                          f"numbered 0 to {len(widths) - 1}")  # fmt: skip
    if units is not None:
        if len(set(units)) != 2 or max(units) >= widths[layer]:
            raise ConfigError(f"units must be two different units of layer {layer}, numbered "
                              f"0 to {widths[layer] - 1}; got {list(units)}")  # fmt: skip
        units = list(units)
    frame = hidden_space(trainer.network, trainer.x_train, trainer.x_test, session.bounds, layer,
                         units, lines, samples)  # fmt: skip

    def pairs(coords):  # (2, N) -> [[u, v]] rounded, None where not finite
        return [list(pair) for pair in zip(*(rounded(axis, 4) for axis in coords), strict=True)]

    def rows(coords, labels):  # labels: classes (N,) or regression targets (1, N)
        labels = labels.tolist() if labels.ndim == 1 else labels[0].astype(np.float64).tolist()
        return [[*pair, label] for pair, label in zip(pairs(coords), labels, strict=True)]

    return {
        "layer": layer,
        "width": widths[layer],
        "projection": frame["projection"],
        "units": frame["units"],
        "explained": frame["explained"],
        "train": rows(frame["train"], trainer.y_train),
        "test": rows(frame["test"], trainer.y_test),
        "lines": [pairs(line) for line in frame["lines"]],
    }


def step_result(session_id, session, requested, steps_run, options, since):
    """After ``steps_run`` of ``requested`` steps: metrics, history since ``since``, grids."""
    diverged = session.trainer.diverged_at is not None
    return {
        "id": session_id,
        "steps_run": steps_run,
        "stopped_early": steps_run < requested and not diverged,
        "metrics": session.metrics(),
        "diverged": diverged,
        "divergence": session.divergence(),
        "history": session.history.columns(since=since, tail=options.history_tail),
        **pictures(session, options),
        "weights": weights(session) if options.weights else None,
    }


def weights(session):
    """Every layer's W and b as lists (None where not finite)."""
    return [
        {
            "W": [finite_list(row) for row in layer.W.tolist()],
            "b": finite_list(layer.b.tolist()),
            "pieces": getattr(layer, "pieces", 1),
        }
        for layer in session.trainer.network.layers
    ]


def _rows(X, y):
    """Classification: [x, y, label] rows. Regression: [x, value] or [x1, x2, value] rows."""
    if y.ndim == 1 and y.dtype.kind in "iu":
        return [[float(a), float(b), int(c)] for (a, b), c in zip(X, y, strict=True)]
    return np.column_stack([X, y]).astype(np.float64).tolist()


def data(session):
    """The run's points, split as it trains on them."""
    _, arrays = session.trainer.state()
    rows = {
        "train": _rows(arrays["X_train"], arrays["y_train"]),
        "test": _rows(arrays["X_test"], arrays["y_test"]),
    }
    if session.regression and session.inputs == 1:
        X, y = session.reference
        step = max(1, len(y) // TARGET_SAMPLES)
        rows["target"] = np.column_stack([X[::step, 0], y[::step]]).round(5).tolist()
    return rows


def export(session):
    """The whole session as JSON-ready data. Weights are float32 values written as the
    shortest decimals that read back to the same float32, so an import is exact."""
    meta, arrays = session.trainer.state()
    layers = weights(session)
    state = {
        "step": meta["step"],
        "epoch": meta["epoch"],
        "cursor": meta["cursor"],
        "order": arrays["order"].tolist(),
        "diverged_at": meta["diverged_at"],
        "rng": meta["rng"],
        "initial_rng": meta["initial_rng"],
        "initial_theta": finite_list(arrays["initial_theta"].tolist()),
        "optimizer": {
            k[4:]: finite_list(v.ravel().tolist())
            for k, v in arrays.items()
            if k.startswith("opt_")
        },
    }
    return {
        "format": "boundary-lab/1",
        "config": session.config,
        "layers": layers,
        "data": data(session),
        "state": state,
        "history": session.history.columns(),
    }


def _matrix(name, rows):
    if len({len(row) for row in rows}) > 1:
        raise ConfigError(f"{name}: every row must have the same length")
    return _float32(name, rows)


def _float32(name, values):
    """Numbers from an export as float32; nulls (a diverged run) and overflows are refused."""
    with np.errstate(over="ignore", invalid="ignore"):
        array = np.asarray(values, dtype=np.float32)  # None -> nan
    if not np.all(np.isfinite(array)):
        raise ConfigError(
            f"{name}: every value must be a finite float32; a run that diverged cannot be "
            "imported (reset it first)"
        )
    return array


def _points(name, rows, config):
    """Rows of an export -> X (N, D) and labels (N,) or values (N,), checked for the problem."""
    width = 3
    if config.problem == "regression":
        width = 1 + targets.inputs_of(config.target.name)
    if any(len(row) != width for row in rows):
        raise ConfigError(f"{name}: every row must have {width} numbers for this config")
    array = np.asarray(rows, dtype=np.float64).reshape(-1, width)
    if config.problem == "regression":
        return array[:, :-1], array[:, -1]
    labels = array[:, 2]
    if not np.array_equal(labels, np.round(labels)):
        raise ConfigError(f"{name}: a classification row's label must be an integer")
    return array[:, :2], labels.astype(np.intp)


def restore(export, settings):
    """SessionExport -> a new Session continuing exactly where the export stopped."""
    state = export.state
    X_train, y_train = _points("data.train", export.data.train, export.config)
    X_test, y_test = _points("data.test", export.data.test, export.config)
    arrays = {
        "initial_theta": _float32("state.initial_theta", state.initial_theta),
        "X_train": X_train,
        "y_train": y_train,
        "X_test": X_test,
        "y_test": y_test,
        "order": np.asarray(state.order, np.intp),
        **{"opt_" + k: _float32(f"state.optimizer.{k}", v) for k, v in state.optimizer.items()},
    }
    optimizer = export.config.training.optimizer
    if state.optimizer.keys() != OPTIMIZERS[optimizer](0, np.float32).state.keys():
        raise ConfigError(f"state.optimizer does not hold the state of {optimizer}")
    layers = [
        (_matrix(f"layers[{i}].W", x.W), _float32(f"layers[{i}].b", x.b))
        for i, x in enumerate(export.layers)
    ]
    meta = state.model_dump(
        include={"step", "epoch", "cursor", "diverged_at", "rng", "initial_rng"}
    )
    session = Session.restore(export.config.model_dump(), meta, arrays, layers, settings)
    for key, value in export.history.model_dump().items():
        if len({len(column) for column in value.values()}) > 1:
            raise ConfigError(f"history.{key}: every column must have the same length")
        target = session.history.steps if key == "steps" else session.history.evaluations
        target.clear()
        target.extend(zip(*value.values(), strict=True))
    return session
