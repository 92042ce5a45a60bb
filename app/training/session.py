"""One training session: its config, data, trainer, history and lock.

Configs arrive as plain dicts already checked by the API's schemas (see ``app.api.schemas``);
what only the data can tell (a binary loss on 3 classes, a network over the parameter cap) is
checked here and raised as ``ConfigError``.
"""

import json
import math
import threading
import time
from collections import deque
from dataclasses import asdict

import numpy as np

from app import targets
from app.datasets import make_dataset, train_test_split, validate_points
from app.engine import NetworkSpec, TrainConfig, Trainer, parameter_counts
from app.engine.losses import make_loss
from app.training.frames import finite, finite_list

MIN_BOUND = 1.2  # the plane shown is at least [-1.2, 1.2]² (the datasets fill about [-1, 1]²)


class ConfigError(ValueError):
    """The config cannot make a run; the message says what to change."""


class TooManyParameters(ConfigError):
    """The network is over the server's parameter cap; says by how much."""

    def __init__(self, parameters, limit):
        super().__init__(
            f"the network has {parameters} parameters; the limit is {limit}: use fewer units "
            "or layers"
        )
        self.parameters, self.limit = parameters, limit


class DivergedError(RuntimeError):
    """A step was asked of a diverged run."""


def load_points(dataset):
    """-> (X, y, n_classes) from a dataset config: generated, or the user's own points."""
    if dataset.get("points") is not None:
        X, y = validate_points(dataset["points"])
        return X, y, max(int(y.max()) + 1, 2)
    X, y = make_dataset(
        dataset["name"], dataset["n_points"], dataset["noise"], dataset["n_classes"],
        dataset["seed"],
    )  # fmt: skip
    return X, y, int(y.max()) + 1


def network_spec(model, n_classes, n_inputs=2):
    """n_classes None: regression, one real output."""
    loss = make_loss(model["loss"])
    if loss.binary and n_classes != 2:
        raise ConfigError(
            f"loss {model['loss']} has one output neuron and needs exactly 2 classes, the data "
            f"has {n_classes}: choose softmax or svm, or 2 classes"
        )
    return NetworkSpec(
        n_inputs=n_inputs,
        hidden=tuple(model["hidden"]),
        n_outputs=1 if n_classes is None else loss.n_outputs(n_classes),
        activation=model["activation"],
        init=model["init"],
        bias_init=model["bias_init"],
        maxout_pieces=model["maxout_pieces"],
        leaky_slope=model["leaky_slope"],
    )


def is_regression(config):
    return config.get("problem") == "regression"


def target_of(config):
    """The regression target a config names (a drawn one is made from its curve)."""
    return targets.make(config["target"]["name"], config["target"].get("curve"))


def regression_points(config):
    """-> the split (X_train, y_train, X_test, y_test) of a regression config's data."""
    spec = config["target"]
    rng = np.random.default_rng(spec["seed"])
    X, y = targets.sample(target_of(config), spec["n_points"], spec["noise"], rng)
    return targets.split(X, y, spec["train_fraction"], rng)


def plane_bounds(config, X, y):
    """The plane a client draws: for classification a square around the points; for a 1-D
    target [-π, π] × the values' range with a margin; for a 2-D target its square."""
    if not is_regression(config):
        # rounded up to 0.05: a round axis, and the same plane from an export's rounded points
        extent = max(MIN_BOUND, math.ceil(22 * float(np.abs(X).max())) / 20)
        return (-extent, extent, -extent, extent)
    target = target_of(config)
    if target.inputs == 2:
        return targets.domain(target)
    values = np.concatenate([targets.dense(target)[1], np.ravel(y)])
    low, high = float(values.min()), float(values.max())
    margin = 0.15 * max(high - low, 1.0)
    return (*targets.INTERVAL, low - margin, high + margin)


def checked_spec(config, n_classes, max_parameters):
    n_inputs = target_of(config).inputs if n_classes is None else 2
    spec = network_spec(config["model"], n_classes, n_inputs)
    total = parameter_counts(spec)["total"]
    if total > max_parameters:
        raise TooManyParameters(total, max_parameters)
    return spec


def build_trainer(config, max_parameters):
    """config (the session schema as a dict) -> (Trainer, bounds, n_classes); n_classes is
    None for regression."""
    if is_regression(config):
        split, n_classes = regression_points(config), None
        X, y = np.concatenate([split[0], split[2]]), np.concatenate([split[1], split[3]])
    else:
        dataset = config["dataset"]
        X, y, n_classes = load_points(dataset)
        split = train_test_split(
            X, y, dataset["train_fraction"], np.random.default_rng(dataset["seed"])
        )
    spec = checked_spec(config, n_classes, max_parameters)
    training = TrainConfig(**config["training"])
    trainer = Trainer(spec, config["model"]["loss"], training, *split, seed=config["seed"])
    return trainer, plane_bounds(config, X, y), n_classes


class History:
    """Per-step batch metrics and per-response evaluations, each bounded to ``limit`` entries."""

    STEP_KEYS = ("step", "data_loss", "reg_loss", "loss", "accuracy")
    EVAL_KEYS = ("step", "train_loss", "train_accuracy", "test_loss", "test_accuracy")

    def __init__(self, limit):
        self.steps = deque(maxlen=limit)
        self.evaluations = deque(maxlen=limit)

    def add_step(self, stats):
        loss = stats.data_loss + stats.reg_loss
        self.steps.append((stats.step, stats.data_loss, stats.reg_loss, loss, stats.accuracy))

    def add_evaluation(self, step, train, test):
        test = test or {}
        self.evaluations.append(
            (
                step,
                train["data_loss"],
                train["accuracy"],
                test.get("data_loss"),
                test.get("accuracy"),
            )
        )

    def clear(self):
        self.steps.clear()
        self.evaluations.clear()

    def columns(self, since=None, tail=None):
        """Column-wise history, at most the last ``tail`` entries of each kind. With ``since``
        (the step count a client last saw), only what is new: steps from ``since`` on and
        evaluations after it. A step entry and an evaluation at step S both describe the
        weights after S updates."""
        first_step, first_eval = (None, None) if since is None else (since, since + 1)
        return {
            "steps": _columns(self.steps, self.STEP_KEYS, first_step, tail),
            "evaluations": _columns(self.evaluations, self.EVAL_KEYS, first_eval, tail),
        }


def _columns(rows, keys, first, tail):
    limit = len(rows) if tail is None else tail
    picked = []
    for row in reversed(rows):  # newest first: stop at the first row the client has seen
        if len(picked) == limit or (first is not None and row[0] < first):
            break
        picked.append(row)
    picked.reverse()
    columns = {key: [row[i] for row in picked] for i, key in enumerate(keys)}
    return {k: v if k == "step" else finite_list(v) for k, v in columns.items()}


class Session:
    def __init__(self, config, trainer, bounds, n_classes, settings, clock=time.monotonic):
        self.config = json.loads(json.dumps(config))  # plain JSON (lists, not tuples), as stored
        self.trainer, self.bounds, self.n_classes = trainer, bounds, n_classes
        self.history = History(settings.max_history)
        self.lock = threading.Lock()
        self.clock = clock
        self.last_used = clock()
        self.steps_per_frame = 10
        self.paused = False
        self.last_monitor = {}
        self.derive()
        self.evaluate()

    @classmethod
    def create(cls, config, settings):
        """A new run from a config (the session schema as a dict)."""
        trainer, bounds, n_classes = build_trainer(config, settings.max_parameters)
        return cls(config, trainer, bounds, n_classes, settings)

    @classmethod
    def restore(cls, config, meta, arrays, layers, settings):
        """A run continued from an export: the config, ``Trainer.state()`` parts, and the
        weights as [(W, b)] per layer."""
        dataset = config["dataset"]
        X = np.concatenate([arrays["X_train"], arrays["X_test"]])
        y = np.concatenate([arrays["y_train"], arrays["y_test"]])
        if is_regression(config):
            n_classes = None
        elif dataset.get("points"):
            n_classes = max(int(y.max()) + 1, 2)
        else:
            n_classes = dataset["n_classes"]
        spec = checked_spec(config, n_classes, settings.max_parameters)
        arrays = {**arrays, "theta": _flatten(layers, spec)}
        meta = {
            **meta,
            "spec": asdict(spec),
            "loss": config["model"]["loss"],
            "config": config["training"],
            "dtype": "float32",
            "seed": config["seed"],
        }
        trainer = Trainer.from_state(meta, arrays)
        return cls(config, trainer, plane_bounds(config, X, y), n_classes, settings)

    def reset(self, seed=None):
        self.trainer.reset(seed)
        if seed is not None:
            self.config = {**self.config, "seed": seed}
        self.history.clear()
        self.last_monitor = {}
        self.evaluate()

    def update(self, changes):
        """Change training settings mid-run (validated by the schema) without reset."""
        self.trainer.update(**changes)
        self.config = {**self.config, "training": asdict(self.trainer.config)}

    def advance(self, steps, budget_seconds):
        """Run up to ``steps`` steps within the wall-clock budget. -> steps actually run.
        Raises DivergedError if the run had already diverged before this call."""
        trainer = self.trainer
        if trainer.diverged_at is not None:
            raise DivergedError(trainer.diverged_at)
        deadline = time.perf_counter() + budget_seconds
        done = 0
        trainer.monitor = False  # per-layer monitoring is read once, after the last step
        try:
            while done < steps and trainer.diverged_at is None:
                self.history.add_step(trainer.step())
                done += 1
                if time.perf_counter() > deadline:
                    break
        finally:
            trainer.monitor = True
        if done:
            self.last_monitor = trainer.monitor_last_step()
        self.evaluate()
        return done

    def evaluate(self):
        """Whole-split metrics now; recorded in the history."""
        train, test = self.trainer.evaluate("train"), self.trainer.evaluate("test")
        self.history.add_evaluation(self.trainer.step_count, train, test)
        self.train_metrics, self.test_metrics = train, test

    def derive(self):
        """What follows from the config and the data, so a shared store never keeps it: the
        dense noise-free target a fit's max error is measured on, and the pictures' range."""
        config = self.config
        self.reference = targets.dense(target_of(config)) if is_regression(config) else None
        self.value_range = self._value_range()

    @property
    def regression(self):
        return self.reference is not None

    @property
    def inputs(self):
        return self.trainer.spec.n_inputs

    def _value_range(self):
        """Regression: a fixed, symmetric value range for pictures, from the target and data."""
        if self.reference is None:
            return None
        values = [self.reference[1], self.trainer.y_train.ravel(), self.trainer.y_test.ravel()]
        extent = 1.1 * max(float(np.abs(v).max(initial=0.0)) for v in values)
        return (-max(extent, 0.1), max(extent, 0.1))

    def max_error(self):
        """Regression: the largest |network - target| on a dense grid of the noise-free target
        (None for classification, or where not finite)."""
        if self.reference is None:
            return None
        X, y = self.reference
        return finite(np.abs(self.trainer.scores(X)[:, 0] - y).max())

    def metrics(self):
        trainer, train, test = self.trainer, self.train_metrics, self.test_metrics
        reg = trainer.reg_loss()
        monitor = self.last_monitor
        return {
            "step": trainer.step_count,
            "epoch": trainer.epoch,
            "train": _split_metrics(train),
            "test": None if test is None else _split_metrics(test),
            "max_error": self.max_error(),
            "reg_loss": finite(reg),
            "loss": finite(train["data_loss"] + reg),
            "dead": finite_list(train["dead"]),
            "saturated": finite_list(train["saturated"]),
            "grad_norm": finite_list(monitor.get("grad_norm", [])),
            "update_ratio": finite_list(monitor.get("update_ratio", [])),
        }

    def divergence(self):
        """None, or what happened and what to try."""
        at = self.trainer.diverged_at
        if at is None:
            return None
        return {"step": at, "suggestion": suggestion(self.trainer.config)}

    def touch(self):
        self.last_used = self.clock()


def _split_metrics(result):
    max_error = result.get("max_error")
    return {
        "data_loss": finite(result["data_loss"]),
        "accuracy": result["accuracy"],
        "max_error": None if max_error is None else finite(max_error),
    }


def _flatten(layers, spec):
    """[(W, b)] per layer -> theta, each layer's shape checked against the spec."""
    shapes = spec.layer_shapes()
    if len(layers) != len(shapes):
        raise ConfigError(f"layers: the config describes {len(shapes)} layers, not {len(layers)}")
    blocks = []
    for i, ((inputs, units, pieces), (W, b)) in enumerate(zip(shapes, layers, strict=True)):
        rows = pieces * units
        if W.shape != (rows, inputs) or b.shape != (rows,):
            raise ConfigError(
                f"layers[{i}]: W must be {rows}×{inputs} and b must have {rows} entries"
            )
        blocks.append(np.column_stack([W, b]).ravel())
    return np.concatenate(blocks)


def suggestion(config):
    """Advice for a diverged run, from the settings most likely to blame."""
    tips = []
    if config.optimizer == "adam" and config.learning_rate > 0.01:
        tips.append(f"Adam usually wants a learning rate near 0.001 (now {config.learning_rate:g})")
    elif config.learning_rate >= 1:
        tips.append(f"lower the learning rate (now {config.learning_rate:g}), e.g. ten times")
    if config.l2 >= 1 or config.l1 >= 1:
        tips.append("lower the regularization strength λ")
    if not tips:
        tips.append("lower the learning rate, e.g. ten times")
    return "The loss became infinite or NaN: " + "; ".join(tips) + ", then reset."
