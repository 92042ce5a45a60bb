"""A fully-connected network: 0 to 8 hidden layers, one activation, an output layer without one.

Layout is features × batch throughout: inputs x (D, N) travel with a last row of ones,
x_aug (D+1, N) (the bias trick, see ``layers``), scores are (C, N). All parameters live in one
flat buffer ``theta``, layer by layer, each layer a block [W | b] of shape (H, D+1), with
gradients in ``grad`` at the same offsets: optimizers and regularization are a few vectorized
calls whatever the depth. ``is_weight`` marks the weights (regularized) apart from the biases.
"""

from dataclasses import dataclass

import numpy as np

from app.engine.activations import ACTIVATION_NAMES, Linear, make_activation
from app.engine.layers import Dense, Dropout, Maxout, augment

MAX_HIDDEN_LAYERS = 8
MAX_UNITS = 256
MAX_MAXOUT_PIECES = 5

# name -> standard deviation of the initial weights for a layer with fan_in inputs
INITS = {
    "small": lambda fan_in: 0.01,  # CS231n's 0.01 * randn
    "xavier": lambda fan_in: 1 / np.sqrt(fan_in),  # randn / sqrt(n)
    "he": lambda fan_in: np.sqrt(2 / fan_in),  # randn * sqrt(2 / n), for ReLUs
}


@dataclass(frozen=True)
class NetworkSpec:
    """What a network is. ``bias_init`` applies to hidden layers; output biases start at 0."""

    n_inputs: int = 2
    hidden: tuple[int, ...] = (8,)
    n_outputs: int = 2
    activation: str = "relu"
    init: str = "he"
    bias_init: float = 0.0
    maxout_pieces: int = 2
    leaky_slope: float = 0.01

    def __post_init__(self):
        object.__setattr__(self, "hidden", tuple(int(h) for h in self.hidden))
        if len(self.hidden) > MAX_HIDDEN_LAYERS:
            raise ValueError(f"hidden: at most {MAX_HIDDEN_LAYERS} hidden layers")
        if any(not 1 <= h <= MAX_UNITS for h in self.hidden):
            raise ValueError(f"hidden: every layer needs 1 to {MAX_UNITS} units")
        if self.activation not in ACTIVATION_NAMES:
            raise ValueError(f"activation: choose one of {', '.join(ACTIVATION_NAMES)}")
        if self.init not in INITS:
            raise ValueError(f"init: choose one of {', '.join(INITS)}")
        if not 2 <= self.maxout_pieces <= MAX_MAXOUT_PIECES:
            raise ValueError(f"maxout_pieces: must be 2 to {MAX_MAXOUT_PIECES}")
        if self.n_inputs < 1 or self.n_outputs < 1:
            raise ValueError("n_inputs and n_outputs must be at least 1")

    @property
    def pieces(self):
        """Affine pieces per hidden unit: maxout_pieces for Maxout, else 1."""
        return self.maxout_pieces if self.activation == "maxout" else 1

    def layer_shapes(self):
        """[(fan_in, units, pieces)] for every layer, output layer last."""
        sizes = (self.n_inputs, *self.hidden)
        shapes = [(d, h, self.pieces) for d, h in zip(sizes, self.hidden, strict=False)]
        return [*shapes, (sizes[-1], self.n_outputs, 1)]


def parameter_counts(spec):
    """The notes' arithmetic as data: weights and biases per layer and in total.

    [3-4-2] gives weights 3·4 + 4·2 = 20, biases 4 + 2 = 6, total 26.
    """
    layers = [
        {"inputs": d, "units": h, "pieces": k, "weights": k * d * h, "biases": k * h}
        for d, h, k in spec.layer_shapes()
    ]
    weights = sum(layer["weights"] for layer in layers)
    biases = sum(layer["biases"] for layer in layers)
    return {"layers": layers, "weights": weights, "biases": biases, "total": weights + biases}


def arithmetic(counts):
    """'[3×4] + [4×2] = 20 weights, 4 + 2 = 6 biases, 26 parameters' (Maxout: '2·[3×4]')."""

    def piece(layer, text):
        return f"{layer['pieces']}·{text}" if layer["pieces"] > 1 else text

    layers = counts["layers"]
    w = " + ".join(piece(x, f"[{x['inputs']}×{x['units']}]") for x in layers)
    b = " + ".join(piece(x, str(x["units"])) for x in layers)
    return (
        f"{w} = {counts['weights']} weights, {b} = {counts['biases']} biases, "
        f"{counts['total']} parameters"
    )


class Network:
    def __init__(self, spec: NetworkSpec, rng: np.random.Generator, dtype=np.float32):
        self.spec = spec
        self.dtype = np.dtype(dtype)
        self.counts = parameter_counts(spec)
        self.theta = np.zeros(self.counts["total"], self.dtype)
        self.grad = np.zeros_like(self.theta)
        self.is_weight = np.ones(self.theta.size, self.dtype)
        self.layers, self.offsets = self._build_layers()
        self.dropouts = [Dropout() for _ in spec.hidden]
        self.keep_prob = 1.0
        self.initialize(rng)

    def _build_layers(self):
        layers, offsets, at = [], [], 0
        shapes = self.spec.layer_shapes()
        for i, (d, h, k) in enumerate(shapes):
            rows = k * h
            P, dP, mask = (a[at : at + rows * (d + 1)].reshape(rows, d + 1) for a in
                           (self.theta, self.grad, self.is_weight))  # fmt: skip
            mask[:, -1] = 0
            offsets.append(at)
            at += rows * (d + 1)
            if i == len(shapes) - 1:
                layers.append(Dense(P, dP, Linear()))
            elif k > 1:
                layers.append(Maxout(P, dP, k))
            else:
                activation = make_activation(self.spec.activation, self.spec.leaky_slope)
                layers.append(Dense(P, dP, activation))
        return layers, np.array(offsets)

    def initialize(self, rng):
        """Draw every weight from N(0, std²) by the spec's init; set the biases."""
        std = INITS[self.spec.init]
        for i, layer in enumerate(self.layers):
            fan_in = layer.W.shape[1]
            layer.W[...] = std(fan_in) * rng.standard_normal(layer.W.shape)
            layer.b[...] = self.spec.bias_init if i < len(self.layers) - 1 else 0.0

    @property
    def hidden_layers(self):
        return self.layers[:-1]

    augment = staticmethod(augment)

    def forward(self, x_aug, train=False, rng=None):
        """x_aug: (D+1, N) -> scores: (C, N). In training, applies dropout when keep_prob < 1."""
        self._dropped = train and self.keep_prob < 1
        h = x_aug
        for i, layer in enumerate(self.hidden_layers):
            h = layer.forward(h)
            if self._dropped:
                h = self.dropouts[i].forward(h, self.keep_prob, rng)
        return self.layers[-1].forward(h)[:-1]

    def predict(self, x_aug):
        """Inference: x_aug (D+1, N) -> scores (C, N) without dropout, in shared scratch
        (valid until the thread's next predict; copy to keep). Training state is untouched."""
        h = x_aug
        for i, layer in enumerate(self.layers):
            h = layer.predict(h, slot=i % 2)  # alternate, so a layer never overwrites its input
        return h[:-1]

    def backward(self, dscores):
        """dscores: (C, N). Writes every parameter gradient into ``grad``."""
        dh = dscores
        for i in range(len(self.layers) - 1, -1, -1):
            if i < len(self.layers) - 1 and self._dropped:
                dh = self.dropouts[i].backward(dh)
            dh = self.layers[i].backward(dh, need_dx=i > 0)

    def regularize(self, l2=0.0, l1=0.0):
        """Add ½·l2·ΣW² + l1·Σ|W| over weights only (biases excluded) to the loss; call after
        ``backward``. Adds l2·W + l1·sign(W) to the weight gradients. Returns the reg loss."""
        if not (l2 or l1):
            return 0.0
        w = self.theta * self.is_weight
        loss = 0.0
        if l2:
            loss += 0.5 * l2 * float(np.dot(w, w))
            self.grad += self.dtype.type(l2) * w
        if l1:
            np.sign(w, out=w)
            loss += l1 * float(np.dot(w, self.theta))
            self.grad += self.dtype.type(l1) * w
        return loss

    def hidden_outputs(self, x_aug):
        """x_aug: (D+1, N) -> [(H, N)] copies of every hidden layer's output (no dropout)."""
        outputs, h = [], x_aug
        for i, layer in enumerate(self.hidden_layers):
            h = layer.predict(h, slot=i % 2)
            outputs.append(h[:-1].copy())
        return outputs

    def layer_norms(self, v):
        """v: a flat vector laid out like theta -> (layers,) Euclidean norm per layer."""
        return np.sqrt(np.add.reduceat(v * v, self.offsets))
