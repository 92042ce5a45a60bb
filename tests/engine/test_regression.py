"""Regression: the squared-error loss, real targets in the trainer, and the notes' claim that
one hidden layer with a non-linearity can approximate a continuous function."""

import numpy as np
import pytest

from app import targets
from app.engine import NetworkSpec, TrainConfig, Trainer
from app.engine.gradcheck import numerical_gradient, rel_error, vector_rel_error
from app.engine.losses import make_loss


def test_squared_error_gradient_and_value():
    rng = np.random.default_rng(0)
    scores, y = rng.standard_normal((2, 7)), rng.standard_normal((2, 7))
    loss = make_loss("squared_error")
    value, dscores = loss.loss_and_grad(scores, y)
    assert value == pytest.approx(0.5 * np.sum((scores - y) ** 2) / 7)
    expected = numerical_gradient(lambda: loss.loss_and_grad(scores, y)[0], scores)
    assert rel_error(dscores, expected) < 1e-6


@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid", "maxout"])
def test_whole_regression_network_gradient(activation):
    rng = np.random.default_rng(1)
    X, y = rng.standard_normal((12, 1)), rng.standard_normal((12, 2))
    spec = NetworkSpec(n_inputs=1, hidden=(5,), n_outputs=2, activation=activation,
                       init="xavier", bias_init=0.1)  # fmt: skip
    trainer = Trainer(spec, "squared_error", TrainConfig(l2=0.1), X, y, dtype=np.float64)
    net = trainer.network

    def total():
        out = net.forward(trainer.x_train)
        return trainer.loss.loss_and_grad(out, trainer.y_train)[0] + trainer.reg_loss()

    net.backward(trainer.loss.loss_and_grad(net.forward(trainer.x_train), trainer.y_train)[1])
    net.regularize(0.1)
    analytic = net.grad.copy()
    assert vector_rel_error(analytic, numerical_gradient(total, net.theta)) < 1e-6


def test_one_hidden_layer_of_64_tanh_units_fits_sine_within_0_05():
    X, y = targets.sample("sine", 200, 0.0, np.random.default_rng(0))
    spec = NetworkSpec(n_inputs=1, hidden=(64,), n_outputs=1, activation="tanh", init="xavier")
    trainer = Trainer(spec, "squared_error", TrainConfig(optimizer="adam", learning_rate=0.01),
                      X, y, seed=0)  # fmt: skip
    trainer.monitor = False
    for _ in range(4000):
        trainer.step()
    grid_X, grid_y = targets.dense("sine")
    fitted = trainer.scores(grid_X)[:, 0]
    assert np.abs(fitted - grid_y).max() <= 0.05
    result = trainer.evaluate()
    assert result["accuracy"] is None and result["max_error"] <= 0.05


def test_regression_runs_save_and_restore_bit_for_bit():
    X, y = targets.sample("gauss", 100, 0.05, np.random.default_rng(2))
    spec = NetworkSpec(n_inputs=2, hidden=(8,), n_outputs=1, activation="relu")
    config = TrainConfig(optimizer="adam", learning_rate=0.01, batch_size=16)
    trainer = Trainer(spec, "squared_error", config, X[:80], y[:80], X[80:], y[80:], seed=3)
    for _ in range(7):
        trainer.step()
    copy = Trainer.from_bytes(trainer.to_bytes())
    assert [trainer.step() for _ in range(9)] == [copy.step() for _ in range(9)]
    assert trainer.evaluate("test")["max_error"] == copy.evaluate("test")["max_error"]


@pytest.mark.parametrize("name", sorted(targets.TARGETS))
def test_targets_are_deterministic_and_in_their_domain(name):
    a = targets.sample(name, 50, 0.1, np.random.default_rng(5))
    b = targets.sample(name, 50, 0.1, np.random.default_rng(5))
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    X, y = targets.dense(name)
    assert X.shape[1] == targets.inputs_of(name) and np.all(np.isfinite(y))
    assert np.abs(y).max() <= 1.5


def test_a_drawn_curve_interpolates_its_samples():
    f = targets.from_samples([-1.0, 0.0, 2.0], [0.0, 1.0, -1.0])
    assert np.allclose(f(np.array([[-1.0], [-0.5], [1.0], [5.0]])), [0.0, 0.5, 0.0, -1.0])
    with pytest.raises(ValueError, match="increasing"):
        targets.from_samples([0.0, 0.0], [1.0, 2.0])


def test_regression_inputs_are_checked():
    spec = NetworkSpec(n_inputs=1, hidden=(4,), n_outputs=1)
    with pytest.raises(ValueError, match="finite"):
        Trainer(spec, "squared_error", TrainConfig(), np.zeros((3, 1)), [0.0, np.nan, 1.0])
    with pytest.raises(ValueError, match="targets"):
        Trainer(spec, "squared_error", TrainConfig(), np.zeros((3, 1)), np.zeros((3, 2)))
