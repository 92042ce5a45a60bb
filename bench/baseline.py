"""The baseline: CS231n's "neural network" case study written the way the notes write it.

float64, N×D layout (X: (N, D), W: (D, H), b: (1, H)), fresh arrays every step. The only
change from the notes is that randomness comes from a passed-in Generator instead of
np.random, so the bench never touches numpy's global state.
"""

import itertools

import numpy as np


def spiral(n_points, n_classes, rng):
    """The notes' spiral arms (angle jitter 0.2), n_points split as evenly as the classes allow:
    X (N, 2) float64, y (N,) int, class by class."""
    X, y = np.zeros((n_points, 2)), np.zeros(n_points, dtype=np.intp)
    bounds = np.linspace(0, n_points, n_classes + 1).round().astype(int)
    for j, (start, stop) in enumerate(itertools.pairwise(bounds)):
        N = stop - start
        r = np.linspace(0.0, 1, N)
        t = np.linspace(j * 4, (j + 1) * 4, N) + rng.standard_normal(N) * 0.2
        X[start:stop] = np.c_[r * np.sin(t), r * np.cos(t)]
        y[start:stop] = j
    return X, y


def init_params(sizes, rng, std=0.01):
    """sizes (D, H1, ..., C) -> [(W (fan_in, fan_out), b (1, fan_out))], W ~ std * randn."""
    return [
        (std * rng.standard_normal((d, h)), np.zeros((1, h))) for d, h in itertools.pairwise(sizes)
    ]


def two_layer_step(params, X, y, reg, step_size):
    """One full-batch step of the case study's 2-layer net, verbatim. Updates params in place
    and returns the loss before the update. X: (N, D), y: (N,)."""
    (W, b), (W2, b2) = params
    num_examples = X.shape[0]
    hidden_layer = np.maximum(0, np.dot(X, W) + b)
    scores = np.dot(hidden_layer, W2) + b2
    exp_scores = np.exp(scores)
    probs = exp_scores / np.sum(exp_scores, axis=1, keepdims=True)
    correct_logprobs = -np.log(probs[range(num_examples), y])
    data_loss = np.sum(correct_logprobs) / num_examples
    reg_loss = 0.5 * reg * np.sum(W * W) + 0.5 * reg * np.sum(W2 * W2)
    loss = data_loss + reg_loss
    dscores = probs
    dscores[range(num_examples), y] -= 1
    dscores /= num_examples
    dW2 = np.dot(hidden_layer.T, dscores)
    db2 = np.sum(dscores, axis=0, keepdims=True)
    dhidden = np.dot(dscores, W2.T)
    dhidden[hidden_layer <= 0] = 0
    dW = np.dot(X.T, dhidden)
    db = np.sum(dhidden, axis=0, keepdims=True)
    dW2 += reg * W2
    dW += reg * W
    W += -step_size * dW
    b += -step_size * db
    W2 += -step_size * dW2
    b2 += -step_size * db2
    return loss


def deep_step(params, X, y, reg, step_size):
    """two_layer_step generalized to any number of ReLU hidden layers, in the same style."""
    num_examples = X.shape[0]
    hiddens = [X]
    for W, b in params[:-1]:
        hiddens.append(np.maximum(0, np.dot(hiddens[-1], W) + b))
    W_out, b_out = params[-1]
    scores = np.dot(hiddens[-1], W_out) + b_out
    exp_scores = np.exp(scores)
    probs = exp_scores / np.sum(exp_scores, axis=1, keepdims=True)
    correct_logprobs = -np.log(probs[range(num_examples), y])
    data_loss = np.sum(correct_logprobs) / num_examples
    reg_loss = sum(0.5 * reg * np.sum(W * W) for W, _ in params)
    dout = probs
    dout[range(num_examples), y] -= 1
    dout /= num_examples
    for i in range(len(params) - 1, -1, -1):
        W, b = params[i]
        dW = np.dot(hiddens[i].T, dout)
        db = np.sum(dout, axis=0, keepdims=True)
        if i > 0:
            dout = np.dot(dout, W.T)
            dout[hiddens[i] <= 0] = 0
        dW += reg * W
        W += -step_size * dW
        b += -step_size * db
    return data_loss + reg_loss


def grid_probabilities(params, bounds, resolution):
    """The notes' decision-boundary plot, with softmax probabilities instead of argmax.

    Builds the meshgrid on every call, as the notebook does each time it plots.
    Returns probs (R·R, C), row-major from (x_min, y_min).
    """
    (W, b), (W2, b2) = params
    x_min, x_max, y_min, y_max = bounds
    xx, yy = np.meshgrid(
        np.linspace(x_min, x_max, resolution), np.linspace(y_min, y_max, resolution)
    )
    Z = np.dot(np.maximum(0, np.dot(np.c_[xx.ravel(), yy.ravel()], W) + b), W2) + b2
    exp_scores = np.exp(Z)
    return exp_scores / np.sum(exp_scores, axis=1, keepdims=True)
