import numpy as np
import pytest

from app.engine import (
    MAX_HIDDEN_LAYERS,
    MAX_UNITS,
    Network,
    NetworkSpec,
    arithmetic,
    decision_grid,
    grid_points,
    parameter_counts,
    unit_grids,
)
from app.engine.losses import make_loss


def test_notes_parameter_counts():
    """The notes' two examples: [3-4-2] has 26 parameters, [3-4-4-1] has 41."""
    small = parameter_counts(NetworkSpec(n_inputs=3, hidden=(4,), n_outputs=2))
    assert (small["weights"], small["biases"], small["total"]) == (20, 6, 26)
    assert arithmetic(small) == "[3×4] + [4×2] = 20 weights, 4 + 2 = 6 biases, 26 parameters"
    deeper = parameter_counts(NetworkSpec(n_inputs=3, hidden=(4, 4), n_outputs=1))
    assert (deeper["weights"], deeper["biases"], deeper["total"]) == (32, 9, 41)
    assert [layer["weights"] for layer in deeper["layers"]] == [12, 16, 4]
    assert [layer["biases"] for layer in deeper["layers"]] == [4, 4, 1]


def test_maxout_doubles_hidden_parameters_at_two_pieces():
    plain = parameter_counts(NetworkSpec(n_inputs=3, hidden=(4,), n_outputs=2))
    maxout = parameter_counts(
        NetworkSpec(n_inputs=3, hidden=(4,), n_outputs=2, activation="maxout")
    )
    assert maxout["layers"][0]["weights"] == 2 * plain["layers"][0]["weights"]
    assert maxout["layers"][0]["biases"] == 2 * plain["layers"][0]["biases"]
    assert maxout["layers"][1] == plain["layers"][1]  # the output layer has no activation
    assert arithmetic(maxout).startswith("2·[3×4] + [4×2] = 32 weights, 2·4 + 2 = 10 biases")
    three = parameter_counts(NetworkSpec(hidden=(4,), activation="maxout", maxout_pieces=3))
    assert three["layers"][0]["weights"] == 3 * 2 * 4


def test_theta_holds_exactly_the_counted_parameters():
    spec = NetworkSpec(hidden=(7, 5), n_outputs=4, activation="maxout")
    net = Network(spec, np.random.default_rng(0))
    assert net.theta.size == parameter_counts(spec)["total"]
    assert int(net.is_weight.sum()) == parameter_counts(spec)["weights"]


def test_zero_hidden_layers_is_a_linear_classifier():
    net = Network(NetworkSpec(hidden=(), n_outputs=3), np.random.default_rng(0), np.float64)
    x = np.random.default_rng(1).standard_normal((2, 10))
    layer = net.layers[0]
    assert len(net.layers) == 1
    assert np.allclose(net.forward(net.augment(x)), layer.W @ x + layer.b[:, None])


@pytest.mark.parametrize(
    "changes",
    [
        {"hidden": (4,) * (MAX_HIDDEN_LAYERS + 1)},
        {"hidden": (0,)},
        {"hidden": (MAX_UNITS + 1,)},
        {"activation": "softsign"},
        {"init": "zeros"},
        {"maxout_pieces": 1},
    ],
)
def test_spec_rejects_what_is_out_of_bounds(changes):
    with pytest.raises(ValueError, match=next(iter(changes))):
        NetworkSpec(**changes)


def test_limits_are_accepted():
    Network(NetworkSpec(hidden=(MAX_UNITS,) * MAX_HIDDEN_LAYERS), np.random.default_rng(0))
    Network(NetworkSpec(hidden=(1,)), np.random.default_rng(0))


@pytest.mark.parametrize(
    ("init", "std"), [("small", 0.01), ("xavier", 1 / 10), ("he", 0.1 * 2**0.5)]
)
def test_initialization_scales(init, std):
    net = Network(NetworkSpec(n_inputs=100, hidden=(200,), init=init), np.random.default_rng(0))
    assert net.layers[0].W.std() == pytest.approx(std, rel=0.05)


def test_bias_init_applies_to_hidden_layers_only():
    net = Network(NetworkSpec(hidden=(5, 5), bias_init=0.01), np.random.default_rng(0))
    assert np.allclose(net.layers[0].b, 0.01) and np.allclose(net.layers[1].b, 0.01)
    assert np.all(net.layers[-1].b == 0)


def test_same_rng_seed_gives_same_weights_and_float32_matches_float64():
    spec = NetworkSpec(hidden=(6,))
    a = Network(spec, np.random.default_rng(3))
    b = Network(spec, np.random.default_rng(3))
    c = Network(spec, np.random.default_rng(3), np.float64)
    assert np.array_equal(a.theta, b.theta)
    assert a.theta.dtype == np.float32 and c.theta.dtype == np.float64
    assert np.allclose(a.theta, c.theta, atol=1e-6)


def test_decision_grid_matches_pointwise_probabilities():
    net = Network(NetworkSpec(hidden=(10,), n_outputs=3), np.random.default_rng(0))
    loss = make_loss("softmax")
    bounds = (-1.5, 1.5, -1.0, 2.0)
    probs = decision_grid(net, loss, bounds, 20)
    assert probs.shape == (3, 20, 20)
    assert np.allclose(probs.sum(axis=0), 1, atol=1e-5)
    # row r, column c is the point (x = xs[c], y = ys[r])
    xs, ys = np.linspace(-1.5, 1.5, 20), np.linspace(-1.0, 2.0, 20)
    point = net.augment(np.array([[xs[3]], [ys[17]]], np.float32))
    assert np.allclose(probs[:, 17, 3], loss.probabilities(net.forward(point))[:, 0], atol=1e-6)


def test_grid_larger_than_one_chunk_is_stitched_correctly():
    net = Network(NetworkSpec(hidden=(8,), n_outputs=1), np.random.default_rng(1))
    loss = make_loss("binary_logistic")
    probs = decision_grid(net, loss, (-1, 1, -1, 1), 150)  # 22 500 points: two chunks
    direct = loss.probabilities(net.forward(grid_points((-1, 1, -1, 1), 150)))
    assert probs.shape == (2, 150, 150)
    assert np.allclose(probs, direct.reshape(2, 150, 150), atol=1e-6)


def test_grid_points_are_read_only():
    points = grid_points((-1, 1, -1, 1), 5)
    with pytest.raises(ValueError):
        points[0, 0] = 3


def test_unit_grids_give_every_hidden_unit():
    net = Network(NetworkSpec(hidden=(4, 3), activation="tanh"), np.random.default_rng(0))
    grids = unit_grids(net, (-1, 1, -1, 1), 12)
    assert [g.shape for g in grids] == [(4, 12, 12), (3, 12, 12)]
    assert np.all(np.abs(grids[0]) <= 1)


@pytest.mark.parametrize(
    "activation", ["sigmoid", "tanh", "relu", "leaky_relu", "maxout", "linear"]
)
def test_inference_path_matches_training_forward(activation):
    spec = NetworkSpec(hidden=(6, 5), n_outputs=3, activation=activation, maxout_pieces=3)
    net = Network(spec, np.random.default_rng(0), np.float64)
    x = net.augment(np.random.default_rng(1).standard_normal((2, 40)))
    assert np.allclose(net.predict(x), net.forward(x), atol=1e-12)
    forward_hidden = [layer.forward(h)[:-1].copy() for layer, h in _inputs(net, x)]
    for a, b in zip(net.hidden_outputs(x), forward_hidden, strict=True):
        assert np.allclose(a, b, atol=1e-12)


def _inputs(net, x):
    """(layer, its input) pairs along a training-mode forward pass."""
    h, pairs = x, []
    for layer in net.hidden_layers:
        pairs.append((layer, h))
        h = layer.forward(h)
    return pairs
