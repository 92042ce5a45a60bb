"""A group of runs trained side by side: rows and columns vary one or two settings of a shared
config; every frame advances all of them by the same number of steps."""

import copy
import itertools
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from app.training.session import DivergedError, Session


def _as_is(value):
    return value


@dataclass(frozen=True)
class Axis:
    """A setting rows or columns can vary: where it goes in a session config and what its
    values are ("whole" numbers, any "number", or a "name" the config's schema checks)."""

    path: tuple[str, ...]
    kind: str
    wrap: Callable = _as_is  # the value -> as the config holds it


AXES = {
    "hidden_units": Axis(("model", "hidden"), "whole", lambda units: [units]),
    "l2": Axis(("training", "l2"), "number"),
    "learning_rate": Axis(("training", "learning_rate"), "number"),
    "activation": Axis(("model", "activation"), "name"),
    "bias_init": Axis(("model", "bias_init"), "number"),
    "loss": Axis(("model", "loss"), "name"),
    "dataset": Axis(("dataset", "name"), "name"),
    "seed": Axis(("seed",), "whole"),
}
KIND_WORDS = {"whole": "a whole number", "number": "a number", "name": "a name"}
KIND_EXAMPLES = {"whole": "3, 6, 20", "number": "0.001, 0.01, 0.1", "name": "relu, tanh"}


def axis_value(kind, value):
    """value (a number, or text of one) as an axis of this kind takes it; ValueError if it is
    not one, whose message says what it is not."""
    if kind == "name":
        if isinstance(value, str):
            return value
    elif not isinstance(value, bool):
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if math.isfinite(number) and (kind == "number" or number.is_integer()):
            return int(number) if kind == "whole" else number
    raise ValueError(f"{value!r} is not {KIND_WORDS[kind]}")


def panel_config(base, settings):
    """base config (dict) with {axis: value} applied -> a new config dict (not validated)."""
    config = copy.deepcopy(base)
    for name, value in settings.items():
        axis = AXES[name]
        target = config
        for key in axis.path[:-1]:
            target = target[key]
        target[axis.path[-1]] = axis.wrap(axis_value(axis.kind, value))
    return config


def panel_settings(rows, columns):
    """rows, columns: {"axis": name, "values": [...]} or None -> [(row, col, {axis: value})]."""
    row_values = (
        [(i, {rows["axis"]: v}) for i, v in enumerate(rows["values"])] if rows else [(0, {})]
    )
    col_values = (
        [(j, {columns["axis"]: v}) for j, v in enumerate(columns["values"])]
        if columns
        else [(0, {})]
    )
    return [(i, j, {**r, **c}) for (i, r), (j, c) in itertools.product(row_values, col_values)]


class Group:
    def __init__(self, base, rows, columns, panels):
        self.base, self.rows, self.columns = base, rows, columns
        self.panels = panels  # [(row, col, settings, Session)]
        self.lock = threading.Lock()
        self.last_used = time.monotonic()
        self.stream = None  # the stream that may advance the group; a step request takes over

    def advance(self, steps, budget_seconds, until=None):
        """Every panel that has not diverged trains ``steps`` steps, or up to step ``until``
        if that comes first; the budget is shared."""
        share = budget_seconds / max(len(self.panels), 1)
        for *_, session in self.panels:
            todo = steps if until is None else min(steps, until - session.trainer.step_count)
            if todo <= 0:
                continue
            with session.lock:
                try:
                    session.advance(todo, share)
                except DivergedError:
                    pass

    def reached(self, step):
        """True once every panel is at ``step`` or has diverged (and will go no further)."""
        return all(session.trainer.step_count >= step or session.trainer.diverged_at is not None
                   for *_, session in self.panels)  # fmt: skip

    def reset(self):
        for *_, session in self.panels:
            with session.lock:
                session.reset()


def build_group(base, rows, columns, validate, settings):
    """validate(config dict, its settings) -> normalized config dict (raises on a bad one)."""
    panels = []
    for i, j, chosen in panel_settings(rows, columns):
        config = validate(panel_config(base, chosen), chosen)
        panels.append((i, j, chosen, Session.create(config, settings)))
    return Group(base, rows, columns, panels)
