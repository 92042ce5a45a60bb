"""Reset: the same initial weights again, or new ones from a new seed."""

from tests.api.helpers import NOISY_TRAINING, SMALL_NET, create, error_locations, step

NOISY = {"model": SMALL_NET, "training": NOISY_TRAINING}


def reset(client, session_id, body=None):
    response = client.post(f"/api/sessions/{session_id}/reset", json=body)
    assert response.status_code == 200, response.text
    return response.json()


def test_reset_starts_over_at_step_zero_with_the_first_metrics(client):
    session = create(client, **NOISY)
    step(client, session["id"], 15)
    summary = reset(client, session["id"])
    assert summary["metrics"] == session["metrics"]
    history = client.get(f"/api/sessions/{session['id']}").json()["history"]
    assert history["steps"]["step"] == []
    assert history["evaluations"]["step"] == [0]


def test_training_after_reset_repeats_the_first_run(client):
    session = create(client, **NOISY)
    first = step(client, session["id"], 25, grid=True, resolution=20)
    reset(client, session["id"])
    again = step(client, session["id"], 25, grid=True, resolution=20)
    assert again["metrics"] == first["metrics"]
    assert again["history"] == first["history"]
    assert again["grid"] == first["grid"]


def test_reset_restores_the_initial_weights(client):
    session = create(client, **NOISY)
    initial = client.get(f"/api/sessions/{session['id']}/export").json()["layers"]
    step(client, session["id"], 10)
    reset(client, session["id"])
    assert client.get(f"/api/sessions/{session['id']}/export").json()["layers"] == initial


def test_reset_with_a_new_seed_gives_a_different_run(client):
    session = create(client, **NOISY)
    first = step(client, session["id"], 10)
    summary = reset(client, session["id"], {"seed": 7})
    assert summary["config"]["seed"] == 7
    assert summary["metrics"] != session["metrics"]
    assert step(client, session["id"], 10)["metrics"] != first["metrics"]


def test_reset_with_a_seed_equals_a_new_session_with_that_seed(client):
    session = create(client, **NOISY)
    step(client, session["id"], 10)
    reset(client, session["id"], {"seed": 7})
    fresh = create(client, **NOISY, seed=7)
    assert step(client, session["id"], 10)["metrics"] == step(client, fresh["id"], 10)["metrics"]


def test_reset_keeps_patched_settings(client):
    session = create(client, **NOISY)
    client.patch(f"/api/sessions/{session['id']}", json={"learning_rate": 0.002})
    summary = reset(client, session["id"])
    assert summary["config"]["training"]["learning_rate"] == 0.002


def test_reset_with_an_invalid_seed_is_422(client):
    session = create(client, **NOISY)
    response = client.post(f"/api/sessions/{session['id']}/reset", json={"seed": -1})
    assert response.status_code == 422
    assert error_locations(response) == ["body.seed"]
