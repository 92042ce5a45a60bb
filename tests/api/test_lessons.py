"""The lesson endpoints: activation curves agree with the textbook formulas written in numpy,
parameter counts agree with the notes, and bad input is a 422 that names the field."""

import numpy as np
import pytest

from tests.api.helpers import error_locations, strict_json


def curves(client, **params):
    response = client.get("/api/activations", params=params)
    assert response.status_code == 200, response.text
    body = strict_json(response.text)
    return np.array(body["x"]), {c["name"]: c for c in body["curves"]}


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


FORMULAS = {
    "sigmoid": (sigmoid, lambda x: sigmoid(x) * (1 - sigmoid(x))),
    "tanh": (np.tanh, lambda x: 1 - np.tanh(x) ** 2),
    "relu": (lambda x: np.maximum(0, x), lambda x: (x > 0).astype(float)),
}


@pytest.mark.parametrize("name", FORMULAS)
def test_curves_match_the_formulas(client, name):
    x, got = curves(client, x_min=-6, x_max=6, points=121)
    f, df = FORMULAS[name]
    assert np.allclose(got[name]["f"], f(x), rtol=1e-12, atol=1e-15)
    assert np.allclose(got[name]["df"], df(x), rtol=1e-12, atol=1e-15)


def test_x_is_evenly_spaced_between_the_bounds(client):
    x, _ = curves(client, x_min=-2, x_max=3, points=11)
    assert np.array_equal(x, np.linspace(-2, 3, 11))


def test_every_activation_is_there_once(client):
    _, got = curves(client)
    assert list(got) == ["sigmoid", "tanh", "relu", "leaky_relu", "maxout"]
    assert all(len(c["f"]) == len(c["df"]) == 201 for c in got.values())


@pytest.mark.parametrize("slope", [0.01, 0.2])
def test_leaky_relu_uses_the_slope(client, slope):
    x, got = curves(client, leaky_slope=slope, points=101)
    assert np.allclose(got["leaky_relu"]["f"], np.where(x > 0, x, slope * x))
    assert np.allclose(got["leaky_relu"]["df"], np.where(x > 0, 1, slope))


def test_maxout_is_the_max_of_two_lines_and_its_slope_is_the_winners(client):
    w1, b1, w2, b2 = -0.5, 1.0, 2.0, -0.5
    x, got = curves(client, w1=w1, b1=b1, w2=w2, b2=b2, points=101)
    one, two = w1 * x + b1, w2 * x + b2
    maxout = got["maxout"]
    assert np.allclose(maxout["lines"], [one, two])
    assert np.allclose(maxout["f"], np.maximum(one, two))
    assert np.allclose(maxout["df"], np.where(two > one, w2, w1))
    assert all(c["lines"] is None for name, c in got.items() if name != "maxout")


def test_maxout_with_a_flat_line_is_relu(client):
    _, got = curves(client, w1=0, b1=0, w2=1, b2=0)
    assert got["maxout"]["f"] == got["relu"]["f"]


def test_saturated_sigmoid_has_a_vanishing_gradient(client):
    _, got = curves(client, x_min=-50, x_max=50, points=11)
    df = got["sigmoid"]["df"]
    assert df[0] < 1e-20 and df[-1] < 1e-20 and df[5] == 0.25


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"points": 10}, "points"),
        ({"points": 2002}, "points"),
        ({"x_min": -51}, "x_min"),
        ({"x_max": 50.5}, "x_max"),
        ({"x_min": "nan"}, "x_min"),
        ({"x_max": "inf"}, "x_max"),
        ({"leaky_slope": 1}, "leaky_slope"),
        ({"leaky_slope": -0.1}, "leaky_slope"),
        ({"w1": 11}, "w1"),
        ({"b2": "-infinity"}, "b2"),
        ({"w2": "two"}, "w2"),
    ],
)
def test_bad_curve_settings_are_422_naming_the_field(client, params, field):
    response = client.get("/api/activations", params=params)
    assert response.status_code == 422
    assert error_locations(response) == [f"query.{field}"]


# --- parameter counts -------------------------------------------------------------------------


def count(client, **params):
    response = client.get("/api/parameters", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_the_notes_two_layer_net_has_26_parameters(client):
    body = count(client, inputs=3, hidden="4", outputs=2)
    assert (body["weights"], body["biases"], body["total"]) == (20, 6, 26)
    assert body["arithmetic"] == "[3×4] + [4×2] = 20 weights, 4 + 2 = 6 biases, 26 parameters"
    assert [(layer["weights"], layer["biases"]) for layer in body["layers"]] == [(12, 4), (8, 2)]


def test_the_notes_three_layer_net_has_41_parameters(client):
    body = count(client, inputs=3, hidden="4,4", outputs=1)
    assert (body["weights"], body["biases"], body["total"]) == (32, 9, 41)
    assert body["arithmetic"].startswith("[3×4] + [4×4] + [4×1] = 32 weights")


def test_maxout_doubles_every_hidden_layer_but_not_the_output(client):
    plain = count(client, inputs=3, hidden="4,4", outputs=1, activation="relu")
    maxout = count(client, inputs=3, hidden="4,4", outputs=1, activation="maxout")
    for before, after in zip(plain["layers"][:-1], maxout["layers"][:-1], strict=True):
        assert (after["weights"], after["biases"]) == (2 * before["weights"], 2 * before["biases"])
    assert maxout["layers"][-1] == plain["layers"][-1]
    assert maxout["total"] == 77
    three = count(client, inputs=3, hidden="4,4", outputs=1, activation="maxout", maxout_pieces=3)
    assert three["layers"][0]["weights"] == 3 * 12


def test_no_hidden_layer_is_a_linear_classifier(client):
    body = count(client, inputs=2, hidden="", outputs=3)
    assert body["total"] == 2 * 3 + 3 and len(body["layers"]) == 1


def test_the_count_is_the_size_of_a_real_network(client):
    from app.engine import Network, NetworkSpec

    spec = NetworkSpec(n_inputs=5, hidden=(7, 3), n_outputs=4, activation="maxout")
    network = Network(spec, np.random.default_rng(0))
    body = count(client, inputs=5, hidden="7,3", outputs=4, activation="maxout")
    assert body["total"] == network.theta.size


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"inputs": 0}, "inputs"),
        ({"inputs": 1_000_001}, "inputs"),
        ({"outputs": 0}, "outputs"),
        ({"hidden": "0"}, "hidden"),
        ({"hidden": "257"}, "hidden"),
        ({"hidden": "4,,4"}, "hidden"),
        ({"hidden": "4;4"}, "hidden"),
        ({"hidden": ",".join(["4"] * 9)}, "hidden"),
        ({"activation": "softplus"}, "activation"),
        ({"maxout_pieces": 1}, "maxout_pieces"),
        ({"maxout_pieces": 6}, "maxout_pieces"),
    ],
)
def test_bad_sizes_are_422_naming_the_field(client, params, field):
    response = client.get("/api/parameters", params=params)
    assert response.status_code == 422
    assert error_locations(response) == [f"query.{field}"]


def test_a_bad_hidden_list_says_what_to_send(client):
    response = client.get("/api/parameters", params={"hidden": "300"})
    assert "1 to 256" in response.json()["detail"][0]["msg"]


def test_the_schema_documents_every_query_field():
    from app.main import create_app

    paths = create_app().openapi()["paths"]
    for path in ("/api/activations", "/api/parameters"):
        for parameter in paths[path]["get"]["parameters"]:
            assert parameter.get("description"), f"{path} {parameter['name']}"
    points = paths["/api/activations"]["get"]["parameters"]
    schema = next(p["schema"] for p in points if p["name"] == "points")
    assert (schema["minimum"], schema["maximum"]) == (11, 2001)
