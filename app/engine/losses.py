"""Data losses, averaged over the batch: ``loss_and_grad(scores, y) -> (loss, dscores)``.

scores: (C, N) class scores (one row, C = 1, for the binary single-neuron losses);
y: (N,) integer labels in 0..C-1. Every loss is stable for scores in the thousands.
"""

import numpy as np


def _sigmoid(z):
    return 0.5 * (1 + np.tanh(0.5 * z))  # tanh cannot overflow, unlike exp(-z)


def _flat_index(y, n_classes):
    """Position of each (y[i], i) in a flattened (C, N) array: a fast scores[y, arange(N)]."""
    n = len(y)
    if n not in _COLUMNS:
        _COLUMNS.clear() if len(_COLUMNS) > 16 else None
        _COLUMNS[n] = np.arange(n)
    return y * n + _COLUMNS[n]


_COLUMNS = {}


def _softmax(scores):
    shifted = scores - scores.max(axis=0)
    exp = np.exp(shifted)
    return shifted, exp, exp.sum(axis=0)


class Loss:
    name = ""
    binary = False  # one output neuron, for 2-class data only
    regression = False  # real-valued targets instead of class labels

    def n_outputs(self, n_classes):
        return 1 if self.binary else n_classes

    def loss_and_grad(self, scores, y):
        """Returns the mean loss (float) and dscores: (C, N)."""
        raise NotImplementedError

    def probabilities(self, scores):
        """(C, N) scores -> (classes, N) probabilities, each column summing to 1."""
        _, exp, total = _softmax(scores)
        return exp / total

    def predict(self, scores):
        """(C, N) scores -> (N,) predicted labels."""
        return scores.argmax(axis=0)

    def accuracy(self, scores, y):
        """Share of points whose predicted label is y (None for regression)."""
        return float(np.count_nonzero(self.predict(scores) == y)) / len(y)


class SoftmaxCrossEntropy(Loss):
    """L = -log(e^{s_y} / Σ_j e^{s_j}), computed from max-shifted scores."""

    name = "softmax"

    def loss_and_grad(self, scores, y):
        n = scores.shape[1]
        at = _flat_index(y, len(scores))
        shifted, exp, total = _softmax(scores)
        loss = float(np.log(total).sum() - shifted.take(at).sum()) / n
        total *= n
        exp /= total
        exp.reshape(-1)[at] -= 1 / n
        return loss, exp


class MulticlassSVM(Loss):
    """Weston–Watkins hinge: L = Σ_{j≠y} max(0, s_j - s_y + 1). Its page shading uses the
    softmax of the scores, since the SVM itself defines no probabilities."""

    name = "svm"

    def loss_and_grad(self, scores, y):
        n = scores.shape[1]
        at = _flat_index(y, len(scores))
        margins = np.maximum(0, scores - scores.take(at) + 1)
        margins.reshape(-1)[at] = 0
        dscores = (margins > 0).astype(scores.dtype)
        dscores.reshape(-1)[at] = -dscores.sum(axis=0)
        dscores /= n
        return float(margins.sum()) / n, dscores


class BinaryLogistic(Loss):
    """The notes' binary softmax classifier: one neuron, P(y=1|x) = σ(s),
    L = -y log σ(s) - (1-y) log(1-σ(s)) = softplus(s) - y·s."""

    name = "binary_logistic"
    binary = True

    def loss_and_grad(self, scores, y):
        s = scores[0]
        softplus = np.maximum(s, 0) + np.log1p(np.exp(-np.abs(s)))
        loss = (softplus - y * s).sum() / len(y)
        dscores = ((_sigmoid(s) - y) / len(y))[None].astype(scores.dtype)
        return float(loss), dscores

    def probabilities(self, scores):
        p = _sigmoid(scores[0])
        return np.stack([1 - p, p])

    def predict(self, scores):
        return (scores[0] > 0).astype(np.intp)


class BinaryHinge(BinaryLogistic):
    """The notes' binary SVM: one neuron, labels t = ±1, L = max(0, 1 - t·s).
    Its page shading uses σ(s), since the hinge defines no probabilities."""

    name = "binary_hinge"

    def loss_and_grad(self, scores, y):
        s = scores[0]
        t = 2 * y - 1
        margin = 1 - t * s
        active = margin > 0
        loss = margin[active].sum() / len(y)
        dscores = (np.where(active, -t, 0) / len(y))[None].astype(scores.dtype)
        return float(loss), dscores


class SquaredError(Loss):
    """Regression: L = ½·Σ_k (s_k - y_k)², averaged over the batch; the output layer is linear.
    scores and y: (K, N) real values."""

    name = "squared_error"
    regression = True

    def loss_and_grad(self, scores, y):
        n = scores.shape[1]
        diff = scores - y
        return 0.5 * float(np.dot(diff.ravel(), diff.ravel())) / n, diff / n

    def probabilities(self, scores):
        raise TypeError("a regression loss has no class probabilities")

    def predict(self, scores):
        return scores

    def accuracy(self, scores, y):
        return None


LOSSES = {
    cls.name: cls for cls in (SoftmaxCrossEntropy, MulticlassSVM, BinaryLogistic, BinaryHinge)
}


# Regression losses are kept apart: a config names one only with problem "regression".
REGRESSION_LOSSES = {SquaredError.name: SquaredError}


def make_loss(name):
    return {**LOSSES, **REGRESSION_LOSSES}[name]()
