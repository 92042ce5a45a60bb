"""Export and import: everything out, and back in as a new session that continues exactly."""

import copy
import json

import pytest

from tests.api.helpers import NOISY_TRAINING, SMALL_NET, create, step, strict_json

RUNS = {
    "sgd full batch": {"model": SMALL_NET},
    "adam minibatch dropout noise": {"model": {"hidden": [8, 6]}, "training": NOISY_TRAINING},
    "momentum maxout l1 l2": {
        "dataset": {"name": "circle", "n_classes": 3},
        "model": {"hidden": [5], "activation": "maxout", "maxout_pieces": 3},
        "training": {"optimizer": "momentum", "batch_size": 50, "l1": 0.001, "l2": 0.001},
    },
    "binary loss": {
        "dataset": {"name": "moons"},
        "model": {"hidden": [6], "activation": "tanh", "loss": "binary_logistic"},
    },
    "regression, drawn 1-D curve": {
        "problem": "regression",
        "target": {"name": "drawn", "curve": [[-3, 0], [0, 1.5], [3, -1]], "noise": 0.1},
        "model": {"hidden": [8], "activation": "tanh"},
        "training": NOISY_TRAINING,
    },
    "regression, 2-D bumps": {
        "problem": "regression",
        "target": {"name": "gauss"},
        "model": {"hidden": [6, 4]},
        "training": {"optimizer": "momentum", "batch_size": 16, "l2": 0.001},
    },
}


def export(client, session_id):
    response = client.get(f"/api/sessions/{session_id}/export")
    assert response.status_code == 200
    return strict_json(response.text)


def import_(client, exported):
    return client.post("/api/sessions/import", json=exported)


def without_last_step(metrics):
    """Metrics less the last step's gradient monitor, which an export does not carry."""
    return {k: v for k, v in metrics.items() if k not in ("grad_norm", "update_ratio")}


@pytest.fixture
def exported(client):
    """(session id, its export) for an Adam, minibatch, dropout run 17 steps in (mid-epoch)."""
    session = create(client, **RUNS["adam minibatch dropout noise"])
    step(client, session["id"], 17)
    return session["id"], export(client, session["id"])


def test_export_has_config_layers_data_state_and_history(client, exported):
    session_id, body = exported
    summary = client.get(f"/api/sessions/{session_id}").json()
    assert body["format"] == "boundary-lab/1"
    assert body["config"] == summary["config"]
    assert body["history"] == summary["history"]
    assert body["state"]["step"] == 17
    assert len(body["data"]["train"]) + len(body["data"]["test"]) == 300


@pytest.mark.parametrize("run", list(RUNS))
def test_export_weights_per_layer_match_the_parameter_counts(client, run):
    session = create(client, **RUNS[run])
    layers = export(client, session["id"])["layers"]
    counts = session["parameters"]["layers"]
    assert len(layers) == len(counts)
    for layer, count in zip(layers, counts, strict=True):
        rows = count["pieces"] * count["units"]
        assert layer["pieces"] == count["pieces"]
        assert len(layer["W"]) == rows  # units × inputs
        assert {len(row) for row in layer["W"]} == {count["inputs"]}
        assert len(layer["b"]) == rows
        assert rows * count["inputs"] == count["weights"]
        assert len(layer["b"]) == count["biases"]


def test_import_answers_201_with_a_new_session_where_the_export_stopped(client, exported):
    session_id, body = exported
    response = import_(client, body)
    assert response.status_code == 201
    imported = response.json()
    original = client.get(f"/api/sessions/{session_id}").json()
    assert imported["id"] != session_id
    assert imported["config"] == original["config"]
    assert without_last_step(imported["metrics"]) == without_last_step(original["metrics"])
    assert imported["parameters"] == original["parameters"]


def test_import_keeps_the_whole_history(client, exported):
    session_id, body = exported
    imported_id = import_(client, body).json()["id"]
    history = client.get(f"/api/sessions/{imported_id}").json()["history"]
    assert history == client.get(f"/api/sessions/{session_id}").json()["history"]


@pytest.mark.parametrize("run", list(RUNS))
def test_imported_session_continues_exactly_like_the_original(client, run):
    session = create(client, **RUNS[run])
    step(client, session["id"], 13)
    copy_id = import_(client, export(client, session["id"])).json()["id"]
    for _ in range(2):
        original = step(client, session["id"], 11, grid=True, resolution=25)
        imported = step(client, copy_id, 11, grid=True, resolution=25)
        assert imported["metrics"] == original["metrics"]
        assert imported["history"] == original["history"]
        assert imported["grid"] == original["grid"]


def test_export_of_an_import_equals_the_original_export(client, exported):
    _, body = exported
    imported_id = import_(client, body).json()["id"]
    assert export(client, imported_id) == body


def test_reset_of_an_import_returns_to_the_original_initial_weights(client, exported):
    session_id, body = exported
    imported_id = import_(client, body).json()["id"]
    original = client.post(f"/api/sessions/{session_id}/reset").json()
    imported = client.post(f"/api/sessions/{imported_id}/reset").json()
    assert imported["metrics"] == original["metrics"]
    assert step(client, imported_id, 9)["metrics"] == step(client, session_id, 9)["metrics"]


def test_import_of_custom_points_continues_exactly(client):
    points = [[x / 10, (x % 7) / 10, x % 2] for x in range(-20, 20)]
    session = create(client, dataset={"points": points}, model=SMALL_NET)
    step(client, session["id"], 5)
    copy_id = import_(client, export(client, session["id"])).json()["id"]
    assert step(client, copy_id, 5)["metrics"] == step(client, session["id"], 5)["metrics"]


# --- tampered exports: 422 with a message, never 500 --------------------------------------------


def drop_weight_row(e):
    e["layers"][0]["W"].pop()


def add_weight_column(e):
    e["layers"][0]["W"][0].append(0.5)


def drop_bias(e):
    e["layers"][1]["b"].pop()


def drop_layer(e):
    e["layers"].pop()


def drop_adam_moment(e):
    del e["state"]["optimizer"]["m"]


def empty_optimizer_state(e):
    e["state"]["optimizer"] = {}


def short_optimizer_state(e):
    e["state"]["optimizer"]["v"] = [0.0]


def label_out_of_range(e):
    e["data"]["train"][0][2] = 5  # spiral has 3 classes


def negative_label(e):
    e["data"]["test"][0][2] = -1


def no_training_points(e):
    e["data"]["train"] = []


def order_not_a_permutation(e):
    e["state"]["order"][0] = e["state"]["order"][1]


def cursor_out_of_range(e):
    e["state"]["cursor"] = 10_000


def negative_step(e):
    e["state"]["step"] = -1


def foreign_rng_state(e):
    e["state"]["rng"] = {"bit_generator": "MT19937"}


def short_initial_weights(e):
    e["state"]["initial_theta"] = e["state"]["initial_theta"][:-1]


def ragged_history(e):
    e["history"]["steps"]["loss"].pop()


def wrong_format(e):
    e["format"] = "boundary-lab/0"


def unknown_optimizer(e):
    e["config"]["training"]["optimizer"] = "rmsprop"


def network_bigger_than_its_weights(e):
    e["config"]["model"]["hidden"] = [8, 7]


TAMPERINGS = [
    drop_weight_row,
    add_weight_column,
    drop_bias,
    drop_layer,
    drop_adam_moment,
    empty_optimizer_state,
    short_optimizer_state,
    label_out_of_range,
    negative_label,
    no_training_points,
    order_not_a_permutation,
    cursor_out_of_range,
    negative_step,
    foreign_rng_state,
    short_initial_weights,
    ragged_history,
    wrong_format,
    unknown_optimizer,
    network_bigger_than_its_weights,
]


@pytest.mark.parametrize("tamper", TAMPERINGS, ids=lambda f: f.__name__)
def test_import_of_a_tampered_export_is_422_with_a_message(client, exported, tamper):
    _, body = exported
    tampered = copy.deepcopy(body)
    tamper(tampered)
    response = import_(client, tampered)
    assert response.status_code == 422, response.text
    assert response.json()["detail"]


@pytest.mark.parametrize("tamper", TAMPERINGS[:3], ids=lambda f: f.__name__)
def test_import_of_a_tampered_export_adds_no_session(client, exported, tamper):
    _, body = exported
    tampered = copy.deepcopy(body)
    tamper(tampered)
    import_(client, tampered)
    assert client.get("/api/health").json()["sessions"] == 1


def test_import_of_weights_in_the_wrong_shape_is_422_even_with_the_right_count(client, exported):
    # layer 0 is 8×2 weights + 8 biases = 24 numbers; 6×3 + 6 is 24 numbers too
    _, body = exported
    tampered = copy.deepcopy(body)
    tampered["layers"][0]["W"] = [[0.1, 0.2, 0.3] for _ in range(6)]
    tampered["layers"][0]["b"] = [0.0] * 6
    response = import_(client, tampered)
    assert response.status_code == 422, response.text


@pytest.mark.parametrize("tamper", [drop_weight_row, add_weight_column], ids=lambda f: f.__name__)
def test_import_of_a_misshapen_weight_matrix_says_which_layer(client, exported, tamper):
    _, body = exported
    tampered = copy.deepcopy(body)
    tamper(tampered)
    detail = str(import_(client, tampered).json()["detail"])
    assert "layer" in detail.lower(), detail


def test_a_diverged_run_exports_as_json_and_imports_as_diverged_or_says_why_not(client):
    body = {"model": {"hidden": [8]}, "training": {"learning_rate": 10.0, "l2": 10.0}}
    session_id = client.post("/api/sessions", json=body).json()["id"]
    client.post(f"/api/sessions/{session_id}/step", json={"steps": 200, "grid": False})
    exported = client.get(f"/api/sessions/{session_id}/export")
    assert exported.status_code == 200
    assert "NaN" not in exported.text and "Infinity" not in exported.text
    response = client.post("/api/sessions/import", json=exported.json())
    if "null" in json.dumps(exported.json()["layers"]):  # weights that overflowed
        assert response.status_code == 422 and "diverged" in response.json()["detail"]
    else:
        assert response.status_code == 201 and response.json()["diverged"] is True


def test_an_export_with_null_weights_is_refused_saying_why(client, exported):
    _, body = exported
    tampered = copy.deepcopy(body)
    tampered["layers"][0]["b"][0] = None
    response = client.post("/api/sessions/import", json=tampered)
    assert response.status_code == 422
    assert "layers[0].b" in response.json()["detail"] and "diverged" in response.json()["detail"]
