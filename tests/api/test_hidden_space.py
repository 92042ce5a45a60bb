"""GET /api/sessions/{id}/hidden-space: where a hidden layer puts the points and the plane's
mesh, checked against the network's own weights computed here with numpy."""

import numpy as np
import pytest

from tests.api.helpers import create, detail_text, step, strict_json

TANH = {"hidden": [3, 2], "activation": "tanh"}


def space(client, session_id, **params):
    response = client.get(f"/api/sessions/{session_id}/hidden-space", params=params)
    assert response.status_code == 200, response.text
    return strict_json(response.text)


def layer_outputs(client, session_id, X):
    """Every hidden layer's output for the rows of X, from the exported weights (tanh)."""
    layers = client.get(f"/api/sessions/{session_id}/export").json()["layers"]
    h, outputs = np.asarray(X, float).T, []
    for layer in layers[:-1]:
        h = np.tanh(np.asarray(layer["W"]) @ h + np.asarray(layer["b"])[:, None])
        outputs.append(h)
    return outputs


@pytest.fixture
def trained(client):
    session = create(client, dataset={"name": "circle", "n_points": 200}, model=TANH,
                     training={"optimizer": "adam", "learning_rate": 0.01})  # fmt: skip
    step(client, session["id"], 100)
    return session


def test_a_two_unit_layer_is_shown_in_its_own_units(client, trained):
    result = space(client, trained["id"])
    assert (result["layer"], result["width"], result["projection"]) == (1, 2, "units")
    assert result["units"] == [0, 1] and result["explained"] is None
    data = client.get(f"/api/sessions/{trained['id']}/data").json()
    train = np.array(data["train"])
    expected = layer_outputs(client, trained["id"], train[:, :2])[1]
    shown = np.array(result["train"])
    np.testing.assert_allclose(shown[:, :2].T, expected, atol=2e-4)
    assert shown[:, 2].tolist() == train[:, 2].tolist()  # each point keeps its class
    assert len(result["test"]) == len(data["test"])


def test_the_mesh_is_the_planes_lines_mapped_the_same_way(client, trained):
    result = space(client, trained["id"], lines=3, samples=5)
    x0, x1, y0, y1 = trained["bounds"]
    assert len(result["lines"]) == 6 and all(len(line) == 5 for line in result["lines"])
    left = [[x0, y] for y in np.linspace(y0, y1, 5)]  # the first vertical line, x = x_min
    top = [[x, y1] for x in np.linspace(x0, x1, 5)]  # the last horizontal line, y = y_max
    for line, points in [(result["lines"][0], left), (result["lines"][5], top)]:
        expected = layer_outputs(client, trained["id"], points)[1]
        np.testing.assert_allclose(np.array(line).T, expected, atol=2e-4)


def test_two_chosen_units_of_a_layer_are_its_axes(client, trained):
    result = space(client, trained["id"], layer=0, x_unit=2, y_unit=0)
    assert result["projection"] == "units" and result["units"] == [2, 0]
    train = np.array(client.get(f"/api/sessions/{trained['id']}/data").json()["train"])
    expected = layer_outputs(client, trained["id"], train[:, :2])[0][[2, 0]]
    np.testing.assert_allclose(np.array(result["train"])[:, :2].T, expected, atol=2e-4)


def test_a_wider_layer_is_shown_along_its_principal_directions(client):
    session = create(client, model={"hidden": [12], "activation": "tanh"})
    result = space(client, session["id"])
    assert result["projection"] == "pca" and result["units"] is None
    first, second = result["explained"]
    assert 0 < second <= first and first + second <= 1 + 1e-9
    coords = np.array(result["train"])[:, :2]
    np.testing.assert_allclose(coords.mean(axis=0), 0, atol=1e-3)  # centred on the points
    assert coords[:, 0].var() >= coords[:, 1].var()
    assert abs(np.corrcoef(coords.T)[0, 1]) < 1e-2  # the directions are uncorrelated
    ratio = coords[:, 0].var() / coords[:, 1].var()
    assert ratio == pytest.approx(first / second, rel=1e-2)


def test_a_2d_regression_has_values_as_labels(client):
    session = create(client, problem="regression", target={"name": "gauss"},
                     model={"hidden": [2]})  # fmt: skip
    result = space(client, session["id"])
    data = client.get(f"/api/sessions/{session['id']}/data").json()
    labels = [row[2] for row in result["train"]]
    assert labels == pytest.approx([row[2] for row in data["train"]])


def test_a_diverged_run_answers_without_non_finite_numbers(client):
    session = create(client, training={"learning_rate": 10, "l2": 10})
    client.post(f"/api/sessions/{session['id']}/step", json={"steps": 50})
    result = space(client, session["id"])  # strict_json refuses NaN and Infinity
    assert result["train"]


@pytest.mark.parametrize(
    ("config", "params", "words"),
    [
        ({"problem": "regression"}, {}, "one input"),
        ({"model": {"hidden": []}}, {}, "no hidden layer"),
        ({"model": TANH}, {"layer": 2}, "numbered 0 to 1"),
        ({"model": TANH}, {"layer": 0, "x_unit": 0, "y_unit": 3}, "numbered 0 to 2"),
        ({"model": TANH}, {"x_unit": 1, "y_unit": 1}, "two different units"),
        ({"model": TANH}, {"x_unit": 1}, "both x_unit and y_unit"),
        ({"model": TANH}, {"lines": 22}, "lines"),
        ({"model": TANH}, {"samples": 1}, "samples"),
    ],
)
def test_what_cannot_be_drawn_is_a_422_that_says_why(client, config, params, words):
    session = create(client, **config)
    response = client.get(f"/api/sessions/{session['id']}/hidden-space", params=params)
    assert response.status_code == 422
    assert words in detail_text(response)


def test_an_unknown_session_is_a_404(client):
    assert client.get("/api/sessions/nope/hidden-space").status_code == 404
