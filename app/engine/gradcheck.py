"""Centered-difference numerical gradients, as in CS231n's gradient_check.py (use float64)."""

import numpy as np


def numerical_gradient(f, x, h=1e-5):
    """Gradient of the scalar f() with respect to the array x, changed in place and restored.

    x: any shape, float64. Returns an array of x's shape.
    """
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"], op_flags=[["readwrite"]])
    for _ in it:
        i = it.multi_index
        old = x[i]
        x[i] = old + h
        plus = f()
        x[i] = old - h
        minus = f()
        x[i] = old
        grad[i] = (plus - minus) / (2 * h)
    return grad


def numerical_gradient_array(f, x, dout, h=1e-5):
    """Gradient of sum(f() * dout) with respect to x, for array-valued f (backward checks)."""
    return numerical_gradient(lambda: float(np.sum(f() * dout)), x, h)


def rel_error(a, b):
    """Largest elementwise |a - b| / (|a| + |b|), as CS231n (denominators floored at 1e-8)."""
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))


def vector_rel_error(a, b):
    """‖a - b‖ / (‖a‖ + ‖b‖) over a whole block of parameters.

    For whole networks, where some true gradients are exactly 0 (a dead unit's weights) and
    their numerical estimate is rounding noise of about 1e-11, which the elementwise ratio
    would report as a large error."""
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), 1e-300))
