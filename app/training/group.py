"""A group of runs trained side by side: rows and columns vary one or two settings of a shared
config; every frame advances all of them by the same number of steps."""

import copy
import itertools
import threading
import time

from app.training.session import DivergedError, Session

# axis name -> where it goes in a session config, and how a value becomes the config's value
AXES = {
    "hidden_units": (("model", "hidden"), lambda v: [int(v)]),
    "l2": (("training", "l2"), float),
    "learning_rate": (("training", "learning_rate"), float),
    "activation": (("model", "activation"), str),
    "bias_init": (("model", "bias_init"), float),
    "loss": (("model", "loss"), str),
    "dataset": (("dataset", "name"), str),
    "seed": (("seed",), int),
}


def panel_config(base, settings):
    """base config (dict) with {axis: value} applied -> a new config dict (not validated)."""
    config = copy.deepcopy(base)
    for axis, value in settings.items():
        path, convert = AXES[axis]
        target = config
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = convert(value)
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
        self.steps_per_frame = 5
        self.paused = False

    def advance(self, steps, budget_seconds):
        """Every panel that has not diverged trains ``steps`` steps; the budget is shared."""
        share = budget_seconds / max(len(self.panels), 1)
        for *_, session in self.panels:
            with session.lock:
                try:
                    session.advance(steps, share)
                except DivergedError:
                    pass

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
