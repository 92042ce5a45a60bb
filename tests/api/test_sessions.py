"""Creating, reading, drawing and deleting sessions."""

import math

import pytest

from app.datasets import DATASETS
from tests.api.helpers import SMALL_NET, cells, create, error_locations, step, strict_json

# --- create --------------------------------------------------------------------------------------


def test_create_answers_201_with_the_session(client):
    response = client.post("/api/sessions", json={"model": SMALL_NET})
    assert response.status_code == 201
    assert response.json()["diverged"] is False
    assert response.json()["divergence"] is None


def test_create_without_a_body_uses_the_defaults(client):
    response = client.post("/api/sessions")
    assert response.status_code == 201
    defaults = client.get("/api/options").json()["defaults"]
    assert response.json()["config"] == defaults


def test_session_ids_are_unguessable_and_unique(client):
    ids = [create(client, model={"hidden": []})["id"] for _ in range(100)]
    assert all(len(session_id) >= 22 for session_id in ids)  # token_urlsafe(16): 128 bits
    assert len(set(ids)) == 100


@pytest.mark.parametrize("name", list(DATASETS))
def test_create_fills_classes_and_noise_from_the_dataset_registry(client, name):
    config = create(client, dataset={"name": name}, model=SMALL_NET)["config"]
    spec = DATASETS[name]
    assert config["dataset"]["n_classes"] == spec.default_classes
    assert config["dataset"]["noise"] == spec.default_noise


def test_create_returns_the_whole_normalized_config(client):
    config = create(client, dataset={"name": "gauss", "n_classes": 4}, model={"hidden": [5]})[
        "config"
    ]
    assert config["dataset"]["n_classes"] == 4
    assert config["model"]["hidden"] == [5]
    assert config["model"]["activation"] == "relu"
    assert config["training"]["optimizer"] == "sgd"
    assert config["training"]["batch_size"] is None
    assert config["seed"] == 0


def test_parameter_count_follows_the_notes_arithmetic(client):
    # the notes' [2-4-2]: 2·4 + 4·2 = 16 weights, 4 + 2 = 6 biases, 22 parameters
    parameters = create(client, dataset={"name": "xor"}, model={"hidden": [4]})["parameters"]
    assert parameters["weights"] == 16
    assert parameters["biases"] == 6
    assert parameters["total"] == 22
    assert parameters["arithmetic"] == (
        "[2×4] + [4×2] = 16 weights, 4 + 2 = 6 biases, 22 parameters"
    )
    assert [(x["inputs"], x["units"]) for x in parameters["layers"]] == [(2, 4), (4, 2)]


def test_parameter_count_of_a_deeper_network_adds_up(client):
    parameters = create(client, model={"hidden": [16, 8]})["parameters"]  # spiral: 3 classes
    assert parameters["weights"] == 2 * 16 + 16 * 8 + 8 * 3
    assert parameters["biases"] == 16 + 8 + 3
    assert parameters["total"] == parameters["weights"] + parameters["biases"]


def test_step_zero_metrics_are_finite_and_positive(client):
    metrics = create(client, model=SMALL_NET)["metrics"]
    assert (metrics["step"], metrics["epoch"]) == (0, 0)
    assert math.isfinite(metrics["loss"]) and metrics["loss"] > 0
    assert 0 <= metrics["train"]["accuracy"] <= 1
    assert metrics["test"] is not None


def test_small_init_starts_near_log_of_the_class_count(client):
    metrics = create(client, model={"hidden": [8], "init": "small"})["metrics"]  # 3 classes
    assert metrics["loss"] == pytest.approx(math.log(3), abs=0.02)


def test_all_training_data_leaves_no_test_metrics(client):
    metrics = create(client, dataset={"train_fraction": 1.0}, model=SMALL_NET)["metrics"]
    assert metrics["test"] is None


def test_custom_points_make_a_session_with_their_own_classes(client):
    points = [[0.5, 0.5, 0], [0.6, 0.4, 0], [-0.5, -0.5, 1], [-0.4, -0.6, 1], [3.0, 0.0, 2]] * 4
    session = create(client, dataset={"points": points, "train_fraction": 1.0}, model=SMALL_NET)
    assert session["classes"] == 3
    assert session["bounds"][1] >= 3.0  # the plane widens to show every point
    result = step(client, session["id"], 20)
    assert result["metrics"]["step"] == 20


# --- read ------------------------------------------------------------------------------------


def test_get_session_returns_its_summary_and_whole_history(client):
    session = create(client, model=SMALL_NET)
    step(client, session["id"], 7)
    step(client, session["id"], 5)
    body = client.get(f"/api/sessions/{session['id']}").json()
    assert body["id"] == session["id"]
    assert body["config"] == session["config"]
    assert body["metrics"]["step"] == 12
    assert body["history"]["steps"]["step"] == list(range(12))
    assert body["history"]["evaluations"]["step"] == [0, 7, 12]


def test_get_session_does_not_train(client):
    session = create(client, model=SMALL_NET)
    client.get(f"/api/sessions/{session['id']}")
    assert client.get(f"/api/sessions/{session['id']}").json()["metrics"] == session["metrics"]


# --- boundary --------------------------------------------------------------------------------


def test_boundary_is_a_grid_of_resolution_squared_cells(client):
    session = create(client, model=SMALL_NET)
    grid = client.get(f"/api/sessions/{session['id']}/boundary", params={"resolution": 37}).json()
    assert grid["resolution"] == 37
    assert grid["classes"] == 3
    assert grid["bounds"] == session["bounds"]
    assert len(cells(grid)) == 37 * 37


@pytest.mark.parametrize("resolution", [10, 200])
def test_boundary_accepts_the_resolution_bounds(client, resolution):
    session = create(client, model=SMALL_NET)
    url = f"/api/sessions/{session['id']}/boundary"
    assert client.get(url, params={"resolution": resolution}).status_code == 200


@pytest.mark.parametrize("resolution", [9, 201])
def test_boundary_outside_the_resolution_bounds_is_422(client, resolution):
    session = create(client, model=SMALL_NET)
    url = f"/api/sessions/{session['id']}/boundary"
    response = client.get(url, params={"resolution": resolution})
    assert response.status_code == 422
    assert error_locations(response) == ["query.resolution"]


def test_boundary_matches_the_grid_of_a_step(client):
    session = create(client, model=SMALL_NET)
    grid = step(client, session["id"], 5, grid=True, resolution=50)["grid"]
    boundary = client.get(f"/api/sessions/{session['id']}/boundary", params={"resolution": 50})
    assert strict_json(boundary.text) == grid


# --- delete and unknown ids ------------------------------------------------------------------


def test_delete_answers_204_and_the_session_is_gone(client):
    session_id = create(client, model=SMALL_NET)["id"]
    response = client.delete(f"/api/sessions/{session_id}")
    assert response.status_code == 204
    assert response.content == b""
    gone = client.get(f"/api/sessions/{session_id}")
    assert gone.status_code == 404
    assert "POST /api/sessions" in gone.json()["detail"]  # says what to do


def test_deleting_twice_is_404(client):
    session_id = create(client, model=SMALL_NET)["id"]
    client.delete(f"/api/sessions/{session_id}")
    assert client.delete(f"/api/sessions/{session_id}").status_code == 404


def test_delete_lowers_the_session_count(client):
    session_id = create(client, model=SMALL_NET)["id"]
    client.delete(f"/api/sessions/{session_id}")
    assert client.get("/api/health").json()["sessions"] == 0


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "", None),
        ("PATCH", "", {"learning_rate": 0.5}),
        ("DELETE", "", None),
        ("POST", "/step", {"steps": 1}),
        ("POST", "/reset", None),
        ("GET", "/boundary", None),
        ("GET", "/export", None),
        ("GET", "/stream", None),
    ],
)
def test_an_unknown_id_is_404_with_a_message(client, method, path, body):
    response = client.request(method, f"/api/sessions/no-such-session{path}", json=body)
    assert response.status_code == 404
    assert "no-such-session" in response.json()["detail"]
    assert "POST /api/sessions" in response.json()["detail"]


def test_data_gives_the_split_points_the_run_trains_on(client):
    body = {"dataset": {"name": "gauss", "n_points": 50, "train_fraction": 0.6}}
    session_id = client.post("/api/sessions", json=body).json()["id"]
    data = client.get(f"/api/sessions/{session_id}/data").json()
    assert (len(data["train"]), len(data["test"])) == (30, 20)
    assert all(len(row) == 3 and row[2] in (0, 1) for row in data["train"] + data["test"])
