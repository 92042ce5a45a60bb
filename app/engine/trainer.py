"""One training run: data, network, loss, optimizer, regularization, its RNG and counters.

Points come in as the datasets make them, (N, 2); the trainer keeps them features × batch.
All randomness (initial weights, shuffling, dropout masks, input noise) comes from the run's
own ``numpy.random.Generator``, so the same seed and config give identical runs, and
``to_bytes``/``from_bytes`` continue a run bit for bit.
"""

import io
import json
import math
from dataclasses import asdict, dataclass, field, replace

import numpy as np

from app.engine.grid import class_probabilities
from app.engine.layers import augment
from app.engine.losses import LOSSES, REGRESSION_LOSSES, make_loss
from app.engine.network import Network, NetworkSpec
from app.engine.optimizers import OPTIMIZERS, make_optimizer

MAX_LEARNING_RATE = 10.0
MAX_REGULARIZATION = 10.0
MAX_INPUT_NOISE = 2.0


@dataclass(frozen=True)
class TrainConfig:
    """How to train. Regularization: ½·l2·ΣW² + l1·Σ|W| over weights only (biases excluded),
    added to the mean data loss; gradient l2·W + l1·sign(W). batch_size None = full batch."""

    optimizer: str = "sgd"
    learning_rate: float = 0.1
    momentum: float = 0.9
    beta1: float = 0.9
    beta2: float = 0.999
    batch_size: int | None = None
    l2: float = 0.0
    l1: float = 0.0
    keep_prob: float = 1.0
    input_noise: float = 0.0

    def __post_init__(self):
        checks = [
            (self.optimizer in OPTIMIZERS, f"optimizer: choose one of {', '.join(OPTIMIZERS)}"),
            (0 < self.learning_rate <= MAX_LEARNING_RATE, "learning_rate: must be in (0, 10]"),
            (0 <= self.momentum < 1, "momentum: must be in [0, 1)"),
            (0 <= self.beta1 < 1 and 0 <= self.beta2 < 1, "beta1, beta2: must be in [0, 1)"),
            (self.batch_size is None or self.batch_size >= 1, "batch_size: at least 1, or null"),
            (0 <= self.l2 <= MAX_REGULARIZATION, "l2: must be in [0, 10]"),
            (0 <= self.l1 <= MAX_REGULARIZATION, "l1: must be in [0, 10]"),
            (0 < self.keep_prob <= 1, "keep_prob: must be in (0, 1]"),
            (0 <= self.input_noise <= MAX_INPUT_NOISE, "input_noise: must be in [0, 2]"),
        ]
        for ok, message in checks:
            if not ok:
                raise ValueError(message)


@dataclass(slots=True)
class StepStats:
    """What one step measured on its batch, before its update."""

    step: int
    epoch: int
    data_loss: float
    reg_loss: float
    accuracy: float | None  # None for regression
    monitor: dict = field(default_factory=dict)

    @property
    def loss(self):
        return self.data_loss + self.reg_loss


class Diverged(RuntimeError):
    """Raised by ``step`` once a run has produced a non-finite loss or weights."""


class Trainer:
    def __init__(
        self, spec, loss, config, X_train, y_train, X_test=None, y_test=None, seed=0,
        dtype=np.float32,
    ):  # fmt: skip
        if loss not in LOSSES and loss not in REGRESSION_LOSSES:
            raise ValueError(f"loss: choose one of {', '.join([*LOSSES, *REGRESSION_LOSSES])}")
        self.loss = make_loss(loss)
        self.dtype = np.dtype(dtype)
        columns = _as_targets if self.loss.regression else _as_columns
        self.x_train, self.y_train = columns(X_train, y_train, self.dtype, spec)
        self.x_test, self.y_test = columns(X_test, y_test, self.dtype, spec)
        if self.x_train.shape[1] == 0:
            raise ValueError("the training set is empty")
        if not self.loss.regression:
            _check_labels(self.y_train, self.y_test, self.loss, spec)
        self.spec = spec
        self.seed = seed
        self.rng = np.random.default_rng(seed)
        self.network = Network(spec, self.rng, self.dtype)
        self._initial = (self.network.theta.copy(), self.rng.bit_generator.state)
        self.monitor = True
        self.configure(config)
        self._restart()

    # -- configuration -------------------------------------------------------------------

    def configure(self, config: TrainConfig):
        """Apply a new config mid-run. Optimizer state survives unless the optimizer changes."""
        old = getattr(self, "config", None)
        self.config = config
        hyper = {k: getattr(config, k) for k in ("learning_rate", "momentum", "beta1", "beta2")}
        if old is None or old.optimizer != config.optimizer:
            size = self.network.theta.size
            self.optimizer = make_optimizer(config.optimizer, size, self.dtype, **hyper)
        else:
            for key, value in hyper.items():
                setattr(self.optimizer, key, value)
        self.network.keep_prob = config.keep_prob
        if old is not None and old.batch_size != config.batch_size:
            self._order, self._cursor = None, 0
        self.diverged_at = None

    def update(self, **changes):
        self.configure(replace(self.config, **changes))

    def reset(self, seed=None):
        """Start over: from the same initial weights and RNG state, or from a new seed."""
        if seed is not None:
            self.seed = seed
            self.rng = np.random.default_rng(seed)
            self.network.initialize(self.rng)
            self._initial = (self.network.theta.copy(), self.rng.bit_generator.state)
        self.optimizer = make_optimizer(
            self.config.optimizer, self.network.theta.size, self.dtype,
            **{k: getattr(self.config, k) for k in ("learning_rate", "momentum", "beta1", "beta2")},
        )  # fmt: skip
        self._restart()

    def _restart(self):
        theta, rng_state = self._initial
        self.network.theta[...] = theta
        self.rng.bit_generator.state = rng_state
        self.step_count, self.epoch = 0, 0
        self._order, self._cursor = None, 0
        self.diverged_at = None

    # -- training ------------------------------------------------------------------------

    def step(self) -> StepStats:
        """One update on the next batch. Raises Diverged once the run has diverged."""
        if self.diverged_at is not None:
            raise Diverged(f"the run diverged at step {self.diverged_at}")
        net, config = self.network, self.config
        x, y = self._next_batch()
        with np.errstate(all="ignore"):  # a diverging run is detected below, not warned about
            scores = net.forward(x, train=True, rng=self.rng)
            accuracy = self.loss.accuracy(scores, y)
            data_loss, dscores = self.loss.loss_and_grad(scores, y)
            net.backward(dscores)
            reg_loss = net.regularize(config.l2, config.l1)
            delta = self.optimizer.step(net.grad)
            monitor = self._monitor(delta) if self.monitor else {}
            net.theta += delta
            weight_norm2 = float(np.dot(net.theta, net.theta))
        stats = StepStats(self.step_count, self.epoch, data_loss, reg_loss, accuracy, monitor)
        self.step_count += 1
        if self._cursor == 0:
            self.epoch += 1
        if not (
            math.isfinite(data_loss) and math.isfinite(reg_loss) and math.isfinite(weight_norm2)
        ):
            self.diverged_at = stats.step
        return stats

    def _next_batch(self):
        n, size = self.x_train.shape[1], self.config.batch_size
        if size is None or size >= n:
            x, y = self.x_train, self.y_train
        else:
            if self._order is None or self._cursor == 0:
                self._order = self.rng.permutation(n)
            take = self._order[self._cursor : self._cursor + size]
            self._cursor = (self._cursor + size) % n if self._cursor + size < n else 0
            x, y = self.x_train[:, take], self.y_train[..., take]  # labels (N,) or targets (K, N)
        if self.config.input_noise > 0:
            noise = self.rng.standard_normal((x.shape[0] - 1, x.shape[1]), self.dtype)
            x = x.copy()
            x[:-1] += self.dtype.type(self.config.input_noise) * noise
        return x, y

    def monitor_last_step(self):
        """The per-layer monitor of the last step, read after it (weights already updated):
        for runs that step with ``monitor`` off and look only now and then."""
        with np.errstate(all="ignore"):
            return self._monitor(self.optimizer.delta)

    def _monitor(self, delta):
        """Per layer: gradient norm, update/weight ratio, dead or saturated unit fractions."""
        net = self.network
        weights = np.stack((net.grad, delta, net.theta))
        weights *= net.is_weight
        weights *= weights
        grad, update, weight = np.sqrt(np.add.reduceat(weights, net.offsets, axis=1))
        return {
            "grad_norm": grad.tolist(),
            "update_ratio": (update / np.maximum(weight, 1e-30)).tolist(),
            **inactive_fractions(net),
        }

    # -- evaluation ----------------------------------------------------------------------

    def evaluate(self, split="train"):
        """Data loss, accuracy and (train) dead/saturated fractions on a whole split, without
        dropout or input noise. Returns None for an empty split."""
        x, y = (self.x_train, self.y_train) if split == "train" else (self.x_test, self.y_test)
        if x.shape[1] == 0:
            return None
        with np.errstate(all="ignore"):
            scores = self.network.forward(x)
            data_loss, _ = self.loss.loss_and_grad(scores, y)
            result = {"data_loss": data_loss, "accuracy": self.loss.accuracy(scores, y)}
            if self.loss.regression:
                result["max_error"] = float(np.abs(scores - y).max())
        return {**result, **inactive_fractions(self.network)}

    def scores(self, points):
        """points: (N, D) -> (N, C) class scores of the current network."""
        x = augment(np.asarray(points, self.dtype).T)
        with np.errstate(all="ignore"):
            return self.network.forward(x).T.copy()

    def probabilities(self, points):
        """points: (N, D) -> (N, classes) class probabilities (see each loss's shading rule)."""
        x = augment(np.asarray(points, self.dtype).T)
        with np.errstate(all="ignore"):
            return class_probabilities(self.network, self.loss, x).T.copy()

    def reg_loss(self):
        with np.errstate(all="ignore"):  # huge weights: an infinite loss, reported as such
            w = self.network.theta * self.network.is_weight
            return 0.5 * self.config.l2 * float(np.dot(w, w)) + self.config.l1 * float(
                np.abs(w).sum()
            )

    # -- save and restore ----------------------------------------------------------------

    def state(self):
        """(meta, arrays): the whole run as JSON-ready values and named numpy arrays.
        Points are (N, D) with labels (N,); parameter vectors are laid out like ``theta``."""
        meta = {
            "spec": asdict(self.spec),
            "loss": self.loss.name,
            "config": asdict(self.config),
            "dtype": self.dtype.name,
            "seed": self.seed,
            "rng": self.rng.bit_generator.state,
            "initial_rng": self._initial[1],
            "step": self.step_count,
            "epoch": self.epoch,
            "cursor": self._cursor,
            "diverged_at": self.diverged_at,
        }
        arrays = {
            "theta": self.network.theta,
            "initial_theta": self._initial[0],
            "X_train": self.x_train[:-1].T,
            "y_train": self.y_train.T if self.loss.regression else self.y_train,
            "X_test": self.x_test[:-1].T,
            "y_test": self.y_test.T if self.loss.regression else self.y_test,
            "order": self._order if self._order is not None else np.zeros(0, np.intp),
            **{"opt_" + k: v for k, v in self.optimizer.state.items()},
        }
        return meta, arrays

    @classmethod
    def from_state(cls, meta, arrays) -> "Trainer":
        """Rebuild a run from ``state()``. Raises ValueError when the parts do not fit."""
        try:
            spec = NetworkSpec(**{**meta["spec"], "hidden": tuple(meta["spec"]["hidden"])})
            trainer = cls(
                spec, meta["loss"], TrainConfig(**meta["config"]), arrays["X_train"],
                arrays["y_train"], arrays["X_test"], arrays["y_test"], seed=meta["seed"],
                dtype=np.dtype(meta["dtype"]),
            )  # fmt: skip
            trainer._load(meta, arrays)
        except (KeyError, TypeError, AttributeError, OverflowError) as error:
            raise ValueError(f"the saved state is incomplete or malformed: {error!r}") from None
        return trainer

    def _load(self, meta, arrays):
        n, size = self.x_train.shape[1], self.network.theta.size
        order = np.asarray(arrays["order"], np.intp)
        state_sizes = [np.size(arrays["opt_" + k]) for k, v in self.optimizer.state.items()]
        if np.size(arrays["theta"]) != size or np.size(arrays["initial_theta"]) != size:
            raise ValueError(f"theta must hold {size} parameters for this network")
        if state_sizes != [v.size for v in self.optimizer.state.values()]:
            raise ValueError("the optimizer state does not fit this network")
        if order.size and not np.array_equal(np.sort(order), np.arange(n)):
            raise ValueError("order must be a permutation of the training points")
        if (
            not 0 <= int(meta["cursor"]) < max(n, 1)
            or min(int(meta["step"]), int(meta["epoch"])) < 0
        ):
            raise ValueError("cursor, step and epoch counters are out of range")
        self.network.theta[...] = np.asarray(arrays["theta"], self.dtype)
        self._initial = (
            np.asarray(arrays["initial_theta"], self.dtype).copy(),
            meta["initial_rng"],
        )
        for key, value in self.optimizer.state.items():
            value[...] = np.asarray(arrays["opt_" + key]).reshape(value.shape)
        self.rng.bit_generator.state = meta["rng"]
        np.random.default_rng().bit_generator.state = meta["initial_rng"]  # validates it
        self.step_count, self.epoch = int(meta["step"]), int(meta["epoch"])
        self._cursor = int(meta["cursor"])
        self._order = order if order.size else None
        self.diverged_at = meta["diverged_at"]

    def to_bytes(self) -> bytes:
        """Everything needed to continue this run exactly: an .npz with no pickled objects."""
        meta, arrays = self.state()
        buffer = io.BytesIO()
        np.savez(buffer, meta=np.frombuffer(json.dumps(meta).encode(), np.uint8), **arrays)
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> "Trainer":
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in npz.files}
        return cls.from_state(json.loads(arrays.pop("meta").tobytes()), arrays)


def inactive_fractions(net):
    """Share of dead units (ReLU-like: zero for every point of the last forward pass) and of
    saturated units (sigmoid/tanh) per hidden layer; None where it does not apply."""
    dead, saturated = [], []
    for layer in net.hidden_layers:
        act = getattr(layer, "activation", None)
        flags = layer.inactive_units()
        share = None if flags is None else float(np.count_nonzero(flags)) / len(flags)
        dead.append(share if act is not None and act.can_die else None)
        saturated.append(share if act is not None and act.saturates else None)
    return {"dead": dead, "saturated": saturated}


def _as_columns(X, y, dtype, spec):
    """(N, D) points and (N,) labels -> (D+1, N) features × batch with a row of ones, (N,)."""
    n_inputs = spec.n_inputs
    if X is None:
        X, y = np.zeros((0, n_inputs)), np.zeros(0)
    X, y = np.asarray(X), np.asarray(y, dtype=np.intp)
    if X.ndim != 2 or X.shape[1] != n_inputs or y.shape != (len(X),):
        raise ValueError(f"points must be (N, {n_inputs}) with N labels")
    return augment(X.T.astype(dtype)), y


def _as_targets(X, y, dtype, spec):
    """(N, D) points and (N,) or (N, K) real targets -> (D+1, N) and (K, N), K = n_outputs."""
    k = spec.n_outputs
    if X is None:
        X, y = np.zeros((0, spec.n_inputs)), np.zeros((0, k))
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    y = y.reshape(len(X), -1 if y.size else k)
    if X.ndim != 2 or X.shape[1] != spec.n_inputs or y.shape[1] != k:
        raise ValueError(f"points must be (N, {spec.n_inputs}) with N targets of {k} values")
    if not (np.isfinite(X).all() and np.isfinite(y).all()):
        raise ValueError("points and targets must be finite")
    return augment(X.T.astype(dtype)), np.ascontiguousarray(y.T, dtype=dtype)


def _check_labels(y_train, y_test, loss, spec):
    n_classes = 2 if loss.binary else spec.n_outputs
    labels = np.concatenate([y_train, y_test])
    if labels.min() < 0 or labels.max() >= n_classes:
        raise ValueError(f"labels must be 0 to {n_classes - 1} for this network and loss")
