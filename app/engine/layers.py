"""Layers with parameters (Dense, Maxout) and inverted dropout.

Every array is features × batch, as in the notes' ``np.dot(W1, x)``. Each layer uses the
CS231n bias trick: its parameters are one block P = [W | b] of shape (H, D+1), and its input
carries a last row of ones, x_aug = [x; 1] of shape (D+1, N), so W x + b = P x_aug is one
matrix product and dP = dz x_augᵀ gives dW and db together. A layer's output h_aug (H+1, N)
carries the ones row for the next layer. P and dP are views into the network's flat buffers.
``forward`` keeps what ``backward`` needs; ``backward`` overwrites dP and returns dx (D, N).
"""

import numpy as np

from app.engine.activations import Activation, _buffer
from app.engine.workspace import scratch


def augment(x):
    """x: (D, N) -> C-contiguous (D+1, N) with a last row of ones."""
    out = np.ones((x.shape[0] + 1, x.shape[1]), x.dtype)
    out[:-1] = x
    return out


def _augmented_buffer(owner, name, rows, n, dtype):
    """A reusable (rows+1, n) scratch array whose last row is ones."""
    buf = getattr(owner, "_" + name, None)
    if buf is None or buf.shape != (rows + 1, n) or buf.dtype != dtype:
        buf = np.empty((rows + 1, n), dtype)
        buf[rows] = 1
        setattr(owner, "_" + name, buf)
    return buf


class Dense:
    """h = f(W x + b) with P = [W | b]: (H, D+1), x_aug: (D+1, N), h_aug: (H+1, N)."""

    def __init__(self, P, dP, activation: Activation):
        self.P, self.dP = P, dP
        self.activation = activation

    @property
    def W(self):
        return self.P[:, :-1]

    @property
    def b(self):
        return self.P[:, -1]

    @property
    def units(self):
        return self.P.shape[0]

    def forward(self, x_aug):
        """x_aug: (D+1, N). Returns h_aug: (H+1, N), a buffer valid until the next forward."""
        self.x_aug = x_aug
        out = _augmented_buffer(self, "out", self.units, x_aug.shape[1], x_aug.dtype)
        z = out[:-1]
        np.matmul(self.P, x_aug, out=z)
        self.activation.forward(z)
        return out

    def predict(self, x_aug, slot):
        """Inference: like forward, into shared scratch ``slot``; keeps nothing."""
        out = scratch(slot, (self.units + 1, x_aug.shape[1]), x_aug.dtype, ones_row=True)
        z = out[:-1]
        np.matmul(self.P, x_aug, out=z)
        self.activation.apply(z)
        return out

    def backward(self, dh, need_dx=True):
        """dh: (H, N), may be overwritten. Writes dP. Returns dx: (D, N) or None."""
        dz = self.activation.backward(dh)
        np.matmul(dz, self.x_aug.T, out=self.dP)
        if not need_dx:
            return None
        dx = _buffer(self, "dx", (self.P.shape[1] - 1, dz.shape[1]), dz.dtype)
        return np.matmul(self.W.T, dz, out=dx)

    def inactive_units(self):
        return self.activation.inactive_units()


class Maxout(Dense):
    """h = max over k pieces of (W_j x + b_j): the notes' max(w1ᵀx + b1, w2ᵀx + b2) at k = 2.

    P: (k·H, D+1) with piece j in rows j·H:(j+1)·H, x_aug: (D+1, N), h_aug: (H+1, N).
    """

    activation = None

    def __init__(self, P, dP, pieces):
        self.P, self.dP = P, dP
        self.pieces = pieces

    @property
    def units(self):
        return self.P.shape[0] // self.pieces

    def forward(self, x_aug):
        self.x_aug = x_aug
        k, h, n = self.pieces, self.units, x_aug.shape[1]
        z = (self.P @ x_aug).reshape(k, h, n)
        self.winner = z.argmax(axis=0)[None]  # (1, H, N): which piece is the max
        out = _augmented_buffer(self, "out", h, n, x_aug.dtype)
        out[:-1] = np.take_along_axis(z, self.winner, axis=0)[0]
        return out

    def predict(self, x_aug, slot):
        k, h, n = self.pieces, self.units, x_aug.shape[1]
        z = scratch(("pieces", slot), (k * h, n), x_aug.dtype)
        np.matmul(self.P, x_aug, out=z)
        out = scratch(slot, (h + 1, n), x_aug.dtype, ones_row=True)
        np.max(z.reshape(k, h, n), axis=0, out=out[:-1])
        return out

    def backward(self, dh, need_dx=True):
        k, h, n = self.pieces, self.units, dh.shape[1]
        dz = np.zeros((k, h, n), dh.dtype)
        np.put_along_axis(dz, self.winner, dh[None], axis=0)
        dz = dz.reshape(k * h, n)
        np.matmul(dz, self.x_aug.T, out=self.dP)
        return self.W.T @ dz if need_dx else None

    def inactive_units(self):
        return None


class Dropout:
    """Inverted dropout: keep each unit's output with probability keep_prob and divide by
    keep_prob, so nothing changes at test time. h_aug: (H+1, N); mask: (H, N)."""

    def forward(self, h_aug, keep_prob, rng=None, mask=None):
        """Pass ``mask`` (entries 0 or 1/keep_prob) to fix it, as the gradient check does."""
        rows, n = h_aug.shape[0] - 1, h_aug.shape[1]
        if mask is None:
            mask = _buffer(self, "mask", (rows, n), h_aug.dtype)
            rng.random(out=mask, dtype=h_aug.dtype)
            np.less(mask, keep_prob, out=mask, casting="unsafe")
            mask *= 1 / keep_prob
        self.mask = mask
        out = _augmented_buffer(self, "out", rows, n, h_aug.dtype)
        np.multiply(h_aug[:-1], mask, out=out[:-1])
        return out

    def backward(self, dout):
        dout *= self.mask
        return dout
