"""Stepping a session: counters, history since the last call, grids and unit maps."""

import pytest

from tests.api.helpers import SMALL_NET, cells, create, step

GAUSS = {"dataset": {"name": "gauss", "n_points": 200}, "model": SMALL_NET}


@pytest.fixture
def session(client):
    return create(client, model=SMALL_NET)


def test_step_advances_the_counters_by_steps(client, session):
    result = step(client, session["id"], 13)
    assert result["id"] == session["id"]
    assert result["steps_run"] == 13
    assert result["stopped_early"] is False
    assert result["metrics"]["step"] == 13
    assert result["metrics"]["epoch"] == 13  # full batch: one epoch per step


def test_step_without_a_body_runs_ten_steps(client, session):
    response = client.post(f"/api/sessions/{session['id']}/step")
    assert response.status_code == 200
    assert response.json()["metrics"]["step"] == 10


def test_step_history_holds_exactly_the_new_steps(client, session):
    first = step(client, session["id"], 6)["history"]
    second = step(client, session["id"], 4)["history"]
    assert first["steps"]["step"] == [0, 1, 2, 3, 4, 5]
    assert second["steps"]["step"] == [6, 7, 8, 9]


def test_step_history_columns_have_one_value_per_step(client, session):
    steps = step(client, session["id"], 5)["history"]["steps"]
    assert {key: len(values) for key, values in steps.items()} == {
        "step": 5,
        "data_loss": 5,
        "reg_loss": 5,
        "loss": 5,
        "accuracy": 5,
    }


def test_step_evaluations_are_not_repeated_across_calls(client, session):
    first = step(client, session["id"], 6)["history"]["evaluations"]
    second = step(client, session["id"], 4)["history"]["evaluations"]
    assert first["step"] == [6]
    assert second["step"] == [10]
    whole = client.get(f"/api/sessions/{session['id']}").json()["history"]["evaluations"]
    assert whole["step"] == [0, 6, 10]


def test_step_evaluation_matches_the_metrics(client, session):
    result = step(client, session["id"], 5)
    evaluation = result["history"]["evaluations"]
    assert evaluation["train_loss"] == [result["metrics"]["train"]["data_loss"]]
    assert evaluation["test_accuracy"] == [result["metrics"]["test"]["accuracy"]]


def test_history_tail_keeps_the_last_entries(client, session):
    history = step(client, session["id"], 10, history_tail=3)["history"]
    assert history["steps"]["step"] == [7, 8, 9]


def test_history_tail_zero_sends_no_history(client, session):
    history = step(client, session["id"], 10, history_tail=0)["history"]
    assert history["steps"]["step"] == []
    assert history["evaluations"]["step"] == []


def test_step_grid_is_base64_of_resolution_squared_bytes(client, session):
    grid = step(client, session["id"], 5, grid=True, resolution=40)["grid"]
    assert grid["resolution"] == 40
    assert len(cells(grid)) == 40 * 40


def test_step_grid_cells_hold_a_class_and_a_confidence(client):
    session = create(client, **GAUSS)
    grid = step(client, session["id"], 300, grid=True, resolution=30)["grid"]
    classes = {byte >> 5 for byte in cells(grid)}
    confidence = [byte & 31 for byte in cells(grid)]
    assert classes == {0, 1}  # both classes own part of the plane
    assert all(c < grid["classes"] for c in classes)
    assert max(confidence) == 31  # some cells are certain after training
    assert all(0 <= c <= 31 for c in confidence)


def test_step_without_grid_sends_none(client, session):
    result = step(client, session["id"], 1, grid=False)
    assert result["grid"] is None
    assert result["units"] is None


def test_a_ten_step_response_with_a_100_grid_is_at_most_25_kb(client):
    session = create(client)  # the default network and data
    response = client.post(
        f"/api/sessions/{session['id']}/step", json={"steps": 10, "resolution": 100}
    )
    assert response.status_code == 200
    assert response.json()["grid"]["resolution"] == 100
    assert len(response.content) <= 25_000


def test_step_units_sends_every_hidden_units_map(client):
    session = create(client, model={"hidden": [5, 3]})
    units = step(client, session["id"], 2, units=True, unit_resolution=12)["units"]
    assert units["resolution"] == 12
    assert [layer["units"] for layer in units["layers"]] == [5, 3]
    for layer in units["layers"]:
        assert len(cells(layer)) == layer["units"] * 12 * 12
        assert layer["low"] <= layer["high"]


def test_step_units_of_a_maxout_network_count_units_not_pieces(client):
    session = create(client, model={"hidden": [4], "activation": "maxout", "maxout_pieces": 3})
    units = step(client, session["id"], 1, units=True, unit_resolution=8)["units"]
    assert [layer["units"] for layer in units["layers"]] == [4]
    assert len(cells(units["layers"][0])) == 4 * 8 * 8


def test_step_units_of_a_linear_model_is_an_empty_list(client):
    session = create(client, model={"hidden": []})
    assert step(client, session["id"], 1, units=True)["units"]["layers"] == []


def test_loss_falls_on_an_easy_dataset(client):
    session = create(client, **GAUSS)
    result = step(client, session["id"], 300)
    assert result["metrics"]["loss"] < session["metrics"]["loss"] / 2
    assert result["metrics"]["train"]["accuracy"] >= 0.9


def test_steps_report_gradient_norms_per_layer(client):
    session = create(client, model={"hidden": [6, 4]})
    metrics = step(client, session["id"], 3)["metrics"]
    assert len(metrics["grad_norm"]) == 3
    assert len(metrics["update_ratio"]) == 3
    assert len(metrics["dead"]) == 2
    assert all(norm > 0 for norm in metrics["grad_norm"])


def test_zero_steps_returns_the_current_frame_without_training(client):
    session_id = create(client, model=SMALL_NET)["id"]
    body = client.post(f"/api/sessions/{session_id}/step", json={"steps": 0}).json()
    assert body["steps_run"] == 0 and body["metrics"]["step"] == 0
    assert body["grid"] is not None and body["history"]["steps"]["step"] == []
