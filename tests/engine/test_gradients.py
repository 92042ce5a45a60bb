"""Every backward pass against centered-difference numerical gradients, in float64.

Pieces (activations, layers, losses, regularization) use CS231n's elementwise relative error
and must agree to 1e-6. Points are kept at least 1e-3 away from every kink (ReLU at 0, hinge
margins, Maxout ties, |w| at 0), so no kink is crossed and no looser tolerance is needed.
Whole networks use the norm-based relative error per layer (see ``vector_rel_error``).
"""

import numpy as np
import pytest

from app.engine import ACTIVATION_NAMES, LOSSES, NetworkSpec, TrainConfig, Trainer
from app.engine.activations import make_activation
from app.engine.gradcheck import (
    numerical_gradient,
    numerical_gradient_array,
    rel_error,
    vector_rel_error,
)
from app.engine.layers import Dense, Dropout, Maxout, augment
from app.engine.losses import make_loss

TOL = 1e-6


def away_from_zero(rng, shape, gap=1e-3):
    """Standard normal values pushed at least ``gap`` away from 0 (a kink of ReLU and |x|)."""
    x = rng.standard_normal(shape)
    return np.where(np.abs(x) < gap, np.sign(x + 1e-12) * (gap + np.abs(x)), x)


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "leaky_relu", "linear"])
def test_activation_backward(name):
    rng = np.random.default_rng(0)
    z = away_from_zero(rng, (4, 7))
    dout = rng.standard_normal((4, 7))
    act = make_activation(name, leaky_slope=0.1)
    act.forward(z.copy())
    dz = act.backward(dout.copy())
    expected = numerical_gradient_array(
        lambda: make_activation(name, 0.1).forward(z.copy()), z, dout
    )
    assert rel_error(dz, expected) < TOL


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "leaky_relu", "linear"])
def test_activation_derivative_matches_backward(name):
    z = away_from_zero(np.random.default_rng(1), (3, 5))
    act = make_activation(name, leaky_slope=0.1)
    act.forward(z.copy())
    assert np.allclose(act.backward(np.ones_like(z)), act.derivative(z))


def dense_layer(rng, d, h, activation="tanh"):
    P = rng.standard_normal((h, d + 1))
    return P, Dense(P, np.zeros_like(P), make_activation(activation))


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "linear"])
def test_dense_backward(activation):
    rng = np.random.default_rng(2)
    P, layer = dense_layer(rng, 3, 5, activation)
    x = augment(rng.standard_normal((3, 6)))
    dout = rng.standard_normal((5, 6))
    layer.forward(x)
    dx = layer.backward(dout.copy())

    def forward():
        return layer.forward(x)[:-1].copy()

    assert rel_error(dx, numerical_gradient_array(forward, x, dout)[:-1]) < TOL
    assert rel_error(layer.dP, numerical_gradient_array(forward, P, dout)) < TOL


def test_maxout_backward():
    rng = np.random.default_rng(3)
    P = rng.standard_normal((2 * 4, 3 + 1))
    layer = Maxout(P, np.zeros_like(P), pieces=2)
    x = augment(rng.standard_normal((3, 6)))
    dout = rng.standard_normal((4, 6))
    z = (P @ x).reshape(2, 4, 6)
    assert np.abs(z[0] - z[1]).min() > 1e-3  # no tie: the max does not switch pieces
    layer.forward(x)
    dx = layer.backward(dout.copy())

    def forward():
        return layer.forward(x)[:-1].copy()

    assert rel_error(dx, numerical_gradient_array(forward, x, dout)[:-1]) < TOL
    assert rel_error(layer.dP, numerical_gradient_array(forward, P, dout)) < TOL


def test_dropout_backward_with_fixed_mask():
    rng = np.random.default_rng(4)
    x = augment(rng.standard_normal((5, 8)))
    keep = 0.6
    mask = (rng.random((5, 8)) < keep) / keep
    dout = rng.standard_normal((5, 8))
    layer = Dropout()
    layer.forward(x, keep, mask=mask)
    dx = layer.backward(dout.copy())
    expected = numerical_gradient_array(
        lambda: layer.forward(x, keep, mask=mask)[:-1].copy(), x, dout
    )
    assert rel_error(dx, expected[:-1]) < TOL


def scores_and_labels(rng, loss, n=9, classes=4):
    binary = loss.binary
    y = rng.integers(0, 2 if binary else classes, n)
    scores = rng.standard_normal((1 if binary else classes, n))
    return scores, y


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_loss_gradient(name):
    rng = np.random.default_rng(5)
    loss = make_loss(name)
    scores, y = scores_and_labels(rng, loss)
    _, dscores = loss.loss_and_grad(scores, y)
    expected = numerical_gradient(lambda: loss.loss_and_grad(scores, y)[0], scores)
    assert rel_error(dscores, expected) < TOL


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_loss_is_stable_for_scores_in_the_thousands(name):
    rng = np.random.default_rng(6)
    loss = make_loss(name)
    scores, y = scores_and_labels(rng, loss)
    for dtype in (np.float32, np.float64):
        value, dscores = loss.loss_and_grad((scores * 5000).astype(dtype), y)
        probs = loss.probabilities((scores * 5000).astype(dtype))
        assert np.isfinite(value) and value > 0
        assert np.all(np.isfinite(dscores)) and np.all(np.isfinite(probs))
        assert np.allclose(probs.sum(axis=0), 1)


def test_regularization_gradient_over_weights_only():
    rng = np.random.default_rng(7)
    spec = NetworkSpec(hidden=(4,), n_outputs=3)
    trainer = Trainer(spec, "softmax", TrainConfig(), rng.standard_normal((5, 2)),
                      rng.integers(0, 3, 5), dtype=np.float64)  # fmt: skip
    net = trainer.network
    net.theta[:] = away_from_zero(rng, net.theta.shape)
    net.grad[:] = 0
    net.regularize(l2=0.3, l1=0.2)
    expected = numerical_gradient(lambda: net.regularize(l2=0.3, l1=0.2), net.theta)
    # regularize() adds to grad on every call: start again from zero for the analytic one
    net.grad[:] = 0
    loss = net.regularize(l2=0.3, l1=0.2)
    assert rel_error(net.grad, expected) < TOL
    biases = net.is_weight == 0
    assert np.all(net.grad[biases] == 0)
    w = net.theta[~biases]
    assert loss == pytest.approx(0.5 * 0.3 * np.sum(w * w) + 0.2 * np.sum(np.abs(w)))


@pytest.mark.parametrize("loss", sorted(LOSSES))
@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
def test_whole_network_gradient(activation, loss):
    """Every activation × loss, two hidden layers, L2 and L1 on, biases non-zero."""
    rng = np.random.default_rng(8)
    classes = 2 if make_loss(loss).binary else 3
    X, y = rng.standard_normal((15, 2)), rng.integers(0, classes, 15)
    spec = NetworkSpec(hidden=(5, 4), n_outputs=make_loss(loss).n_outputs(classes),
                       activation=activation, init="xavier", bias_init=0.1)  # fmt: skip
    trainer = Trainer(spec, loss, TrainConfig(l2=0.1, l1=0.05), X, y, seed=1, dtype=np.float64)
    net = trainer.network

    def total_loss():
        scores = net.forward(trainer.x_train)
        return trainer.loss.loss_and_grad(scores, trainer.y_train)[0] + trainer.reg_loss()

    _, dscores = trainer.loss.loss_and_grad(net.forward(trainer.x_train), trainer.y_train)
    net.backward(dscores)
    net.regularize(0.1, 0.05)
    analytic = net.grad.copy()
    numeric = numerical_gradient(total_loss, net.theta)
    for start, end in zip(net.offsets, [*net.offsets[1:], net.theta.size], strict=True):
        assert vector_rel_error(analytic[start:end], numeric[start:end]) < TOL


def test_whole_network_gradient_with_dropout_mask_fixed():
    rng = np.random.default_rng(9)
    X, y = rng.standard_normal((12, 2)), rng.integers(0, 3, 12)
    spec = NetworkSpec(hidden=(6, 5), n_outputs=3, activation="tanh", init="xavier")
    trainer = Trainer(spec, "softmax", TrainConfig(keep_prob=0.5), X, y, dtype=np.float64)
    net = trainer.network
    net.keep_prob = 0.5
    state = np.random.default_rng(10).bit_generator.state

    def total_loss():
        replay = np.random.default_rng()
        replay.bit_generator.state = state  # the same dropout masks on every call
        scores = net.forward(trainer.x_train, train=True, rng=replay)
        return trainer.loss.loss_and_grad(scores, trainer.y_train)[0]

    total_loss()
    scores = net.layers[-1]._out[:-1]
    net.backward(trainer.loss.loss_and_grad(scores, trainer.y_train)[1])
    analytic = net.grad.copy()
    numeric = numerical_gradient(total_loss, net.theta)
    assert vector_rel_error(analytic, numeric) < TOL
