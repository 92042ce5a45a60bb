"""Element-wise activation functions, each a small object with forward and backward.

Arrays are laid out features × batch, as in the notes' ``np.dot(W1, x)``: z and h are (H, N).
``forward`` may overwrite z in place and keeps what ``backward`` needs; ``backward`` may
overwrite dh in place. Maxout is not here: it owns weights, so it lives in ``layers``.
"""

import numpy as np

# A unit counts as saturated on a point when its local gradient is below this share of the
# function's peak gradient (sigmoid: output < 0.026 or > 0.974; tanh: |output| > 0.949) ...
SATURATION_GRADIENT = 0.1
# ... and as a saturated unit when that holds on at least this share of the points.
SATURATED_SHARE = 0.9


class Activation:
    name = ""
    saturates = False  # sigmoid and tanh: report saturated units
    can_die = False  # ReLU-like: report dead units (zero for every point)

    def forward(self, z):
        """z: (H, N) pre-activations, may be overwritten. Returns h: (H, N)."""
        raise NotImplementedError

    def backward(self, dh):
        """dh: (H, N) upstream gradient, may be overwritten. Returns dz: (H, N)."""
        raise NotImplementedError

    def apply(self, z):
        """Inference only: f(z) in place, keeping nothing for backward. Returns z."""
        return self.forward(z)

    @staticmethod
    def derivative(z):
        """f'(z) for plotting; z: any shape."""
        raise NotImplementedError

    def inactive_units(self):
        """Bool (H,): units whose output was zero (dead) or flat (saturated) on the last batch."""
        return None


class Linear(Activation):
    name = "linear"

    def forward(self, z):
        return z

    def backward(self, dh):
        return dh

    @staticmethod
    def derivative(z):
        return np.ones_like(z)


class Sigmoid(Activation):
    name = "sigmoid"
    saturates = True

    def forward(self, z):
        # 1 / (1 + e^-z) written through tanh, which cannot overflow.
        z *= 0.5
        np.tanh(z, out=z)
        z += 1
        z *= 0.5
        self.h = z
        return z

    def backward(self, dh):
        h = self.h
        dh *= h
        dh *= 1 - h
        return dh

    @staticmethod
    def derivative(z):
        s = 0.5 * (1 + np.tanh(0.5 * z))
        return s * (1 - s)

    def inactive_units(self):
        local = self.h * (1 - self.h) / 0.25
        return _mostly(local < SATURATION_GRADIENT)


class Tanh(Activation):
    name = "tanh"
    saturates = True

    def forward(self, z):
        self.h = np.tanh(z, out=z)
        return z

    def backward(self, dh):
        h = self.h
        dh *= 1 - h * h
        return dh

    @staticmethod
    def derivative(z):
        return 1 - np.tanh(z) ** 2

    def inactive_units(self):
        local = 1 - self.h * self.h
        return _mostly(local < SATURATION_GRADIENT)


class ReLU(Activation):
    """max(0, z). Keeps a 0/1 float mask of the active entries for backward and dead units."""

    name = "relu"
    can_die = True

    def forward(self, z):
        active = _buffer(self, "active", z.shape, bool)
        self.mask = _buffer(self, "mask", z.shape, z.dtype)
        np.greater(z, 0, out=active)
        np.copyto(self.mask, active)  # z * float mask is faster than np.maximum or z * bool
        z *= self.mask
        return z

    def backward(self, dh):
        dh *= self.mask
        return dh

    def apply(self, z):
        return np.maximum(z, 0, out=z)

    @staticmethod
    def derivative(z):
        return (z > 0).astype(float)

    def inactive_units(self):
        return ~self._active.any(axis=1)


class LeakyReLU(ReLU):
    """max(slope·z, z) with 0 <= slope < 1 (the notes' 0.01 by default). With a slope above 0
    no unit is ever dead: below zero it still passes slope × the gradient."""

    name = "leaky_relu"

    @property
    def can_die(self):
        return self.slope == 0

    def __init__(self, slope=0.01):
        if not 0 <= slope < 1:
            raise ValueError("leaky_slope must be in [0, 1)")
        self.slope = slope

    def forward(self, z):
        active = _buffer(self, "active", z.shape, bool)
        self.mask = _buffer(self, "mask", z.shape, z.dtype)
        np.greater(z, 0, out=active)
        np.copyto(self.mask, self.slope)
        np.copyto(self.mask, 1, where=active)
        z *= self.mask
        return z

    def apply(self, z):
        return np.maximum(z, self.slope * z, out=z)

    def derivative(self, z):
        return np.where(z > 0, 1.0, self.slope)


def _mostly(flags):
    """flags: (H, N) bool. True for rows where at least SATURATED_SHARE of entries are set."""
    return np.count_nonzero(flags, axis=1) >= SATURATED_SHARE * max(flags.shape[1], 1)


def _buffer(owner, name, shape, dtype):
    """A scratch array kept on owner and reused while shape and dtype stay the same."""
    buf = getattr(owner, "_" + name, None)
    if buf is None or buf.shape != shape or buf.dtype != dtype:
        buf = np.empty(shape, dtype)
        setattr(owner, "_" + name, buf)
    return buf


# name -> class; "maxout" is a layer type (see layers.Maxout) but is chosen the same way.
ACTIVATIONS = {cls.name: cls for cls in (Sigmoid, Tanh, ReLU, LeakyReLU, Linear)}
ACTIVATION_NAMES = ("sigmoid", "tanh", "relu", "leaky_relu", "maxout", "linear")


def make_activation(name, leaky_slope=0.01):
    if name == "leaky_relu":
        return LeakyReLU(leaky_slope)
    return ACTIVATIONS[name]()
