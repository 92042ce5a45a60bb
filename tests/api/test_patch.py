"""PATCH: training settings and stream controls change mid-run, without a reset."""

import pytest

from tests.api.helpers import SMALL_NET, create, error_locations, step

TRAINING_CHANGES = [
    {"learning_rate": 0.5},
    {"l2": 0.01},
    {"l1": 0.001},
    {"keep_prob": 0.7},
    {"input_noise": 0.2},
    {"optimizer": "adam"},
    {"optimizer": "momentum", "momentum": 0.5},
    {"batch_size": 16},
    {"beta1": 0.8, "beta2": 0.99},
]


@pytest.fixture
def trained(client):
    """A session after 20 steps, with its export (weights) at that point."""
    session = create(client, model=SMALL_NET)
    step(client, session["id"], 20)
    return session["id"], client.get(f"/api/sessions/{session['id']}/export").json()


def patch(client, session_id, changes):
    response = client.patch(f"/api/sessions/{session_id}", json=changes)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize("changes", TRAINING_CHANGES)
def test_patch_changes_the_training_settings(client, trained, changes):
    session_id, _ = trained
    training = patch(client, session_id, changes)["config"]["training"]
    assert {key: training[key] for key in changes} == changes


@pytest.mark.parametrize("changes", TRAINING_CHANGES)
def test_patch_keeps_the_step_counter_and_the_weights(client, trained, changes):
    session_id, before = trained
    summary = patch(client, session_id, changes)
    after = client.get(f"/api/sessions/{session_id}/export").json()
    assert summary["metrics"]["step"] == 20
    assert after["layers"] == before["layers"]
    assert after["history"] == before["history"]


@pytest.mark.parametrize("changes", TRAINING_CHANGES)
def test_training_continues_after_patch(client, trained, changes):
    session_id, _ = trained
    patch(client, session_id, changes)
    result = step(client, session_id, 3)
    assert result["history"]["steps"]["step"] == [20, 21, 22]
    assert result["diverged"] is False


def test_patch_is_remembered_by_get(client, trained):
    session_id, _ = trained
    patch(client, session_id, {"learning_rate": 0.05})
    config = client.get(f"/api/sessions/{session_id}").json()["config"]
    assert config["training"]["learning_rate"] == 0.05


def test_patch_leaves_the_other_settings_alone(client, trained):
    session_id, before = trained
    training = patch(client, session_id, {"l2": 0.5})["config"]["training"]
    assert training == {**before["config"]["training"], "l2": 0.5}


def test_patch_learning_rate_changes_the_next_update(client):
    fast, slow = (create(client, model=SMALL_NET)["id"] for _ in range(2))
    patch(client, fast, {"learning_rate": 1.0})
    assert step(client, fast, 1)["metrics"] != step(client, slow, 1)["metrics"]


def test_patch_l2_adds_regularization_loss_at_once(client, trained):
    session_id, _ = trained
    metrics = patch(client, session_id, {"l2": 1.0})["metrics"]
    assert metrics["reg_loss"] > 0
    assert metrics["loss"] == pytest.approx(metrics["train"]["data_loss"] + metrics["reg_loss"])


def test_patch_optimizer_brings_its_state(client, trained):
    session_id, _ = trained
    patch(client, session_id, {"optimizer": "adam"})
    step(client, session_id, 1)
    state = client.get(f"/api/sessions/{session_id}/export").json()["state"]
    assert set(state["optimizer"]) == {"m", "v", "t"}


def test_patch_batch_size_makes_minibatch_epochs(client, trained):
    session_id, _ = trained  # 240 training points
    patch(client, session_id, {"batch_size": 48})
    assert step(client, session_id, 5)["metrics"]["epoch"] == 20 + 1


def test_patch_full_batch_switches_back(client, trained):
    session_id, _ = trained
    patch(client, session_id, {"batch_size": 48})
    summary = patch(client, session_id, {"full_batch": True})
    assert summary["config"]["training"]["batch_size"] is None
    assert step(client, session_id, 3)["metrics"]["epoch"] == 20 + 3


def test_patch_stream_controls(client, trained):
    session_id, before = trained
    summary = patch(client, session_id, {"steps_per_frame": 25, "paused": True})
    assert (summary["steps_per_frame"], summary["paused"]) == (25, True)
    assert summary["config"]["training"] == before["config"]["training"]
    assert summary["metrics"]["step"] == 20
    assert patch(client, session_id, {"paused": False})["paused"] is False


def test_an_empty_patch_changes_nothing(client, trained):
    session_id, before = trained
    summary = patch(client, session_id, {})
    assert summary["config"] == before["config"]
    assert summary["metrics"]["step"] == 20


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"learning_rate": 0}, "learning_rate"),
        ({"learning_rate": 11}, "learning_rate"),
        ({"learning_rate": "0.1"}, "learning_rate"),
        ({"l2": -1}, "l2"),
        ({"l1": 10.5}, "l1"),
        ({"keep_prob": 0}, "keep_prob"),
        ({"keep_prob": 1.5}, "keep_prob"),
        ({"input_noise": 3}, "input_noise"),
        ({"momentum": 1}, "momentum"),
        ({"optimizer": "rmsprop"}, "optimizer"),
        ({"batch_size": 0}, "batch_size"),
        ({"batch_size": 2.5}, "batch_size"),
        ({"steps_per_frame": 0}, "steps_per_frame"),
        ({"steps_per_frame": 10_000}, "steps_per_frame"),
        ({"paused": "yes"}, "paused"),
        ({"hidden": [4]}, "hidden"),
    ],
)
def test_invalid_patch_is_422_naming_the_field(client, trained, changes, field):
    session_id, before = trained
    response = client.patch(f"/api/sessions/{session_id}", json=changes)
    assert response.status_code == 422
    assert any(location.startswith(f"body.{field}") for location in error_locations(response))
    config = client.get(f"/api/sessions/{session_id}").json()["config"]
    assert config == before["config"]  # nothing changed
