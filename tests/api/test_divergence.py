"""A run that blows up: reported, never as NaN in JSON, and refused until changed or reset."""

import pytest

from tests.api.helpers import create, step, strict_json

EXPLOSIVE = {"training": {"learning_rate": 10, "l2": 10}}  # on the default [16, 16] network


@pytest.fixture
def diverged(client):
    """(session id, the step response in which it diverged)."""
    session = create(client, **EXPLOSIVE)
    return session["id"], step(client, session["id"], 50, grid=True, resolution=20)


def test_divergence_answers_200_with_diverged_and_the_step(diverged):
    _, result = diverged
    assert result["diverged"] is True
    assert 0 <= result["divergence"]["step"] < 50
    assert result["steps_run"] == result["divergence"]["step"] + 1
    assert result["stopped_early"] is False  # divergence, not the time budget, stopped it


def test_divergence_suggests_what_to_change(diverged):
    _, result = diverged
    suggestion = result["divergence"]["suggestion"]
    assert "learning rate" in suggestion
    assert "regularization" in suggestion


def test_divergence_never_puts_nan_or_infinity_in_json(client):
    session_id = create(client, **EXPLOSIVE)["id"]
    response = client.post(
        f"/api/sessions/{session_id}/step", json={"steps": 50, "units": True, "resolution": 20}
    )
    body = strict_json(response.text)  # fails on a bare NaN / Infinity token
    assert body["diverged"] is True
    assert body["metrics"]["loss"] is None
    assert None in body["history"]["steps"]["data_loss"]


@pytest.mark.parametrize("path", ["", "/export", "/boundary"])
def test_a_diverged_session_reads_back_as_strict_json(client, diverged, path):
    session_id, _ = diverged
    response = client.get(f"/api/sessions/{session_id}{path}")
    assert response.status_code == 200
    strict_json(response.text)


def test_stepping_a_diverged_run_is_409_with_what_to_do(client, diverged):
    session_id, result = diverged
    response = client.post(f"/api/sessions/{session_id}/step", json={"steps": 5})
    assert response.status_code == 409
    detail = response.json()["detail"]
    assert f"step {result['divergence']['step']}" in detail
    assert "reset" in detail and "PATCH" in detail


def test_a_refused_step_does_not_move_the_counter(client, diverged):
    session_id, result = diverged
    client.post(f"/api/sessions/{session_id}/step", json={"steps": 5})
    assert (
        client.get(f"/api/sessions/{session_id}").json()["metrics"]["step"]
        == (result["metrics"]["step"])
    )


def test_get_reports_the_divergence(client, diverged):
    session_id, result = diverged
    summary = client.get(f"/api/sessions/{session_id}").json()
    assert summary["diverged"] is True
    assert summary["divergence"] == result["divergence"]


def test_patching_a_setting_lets_a_diverged_run_step_again(client, diverged):
    session_id, _ = diverged
    summary = client.patch(f"/api/sessions/{session_id}", json={"learning_rate": 0.01}).json()
    assert summary["diverged"] is False
    response = client.post(f"/api/sessions/{session_id}/step", json={"steps": 1, "grid": False})
    assert response.status_code == 200


def test_patching_only_stream_controls_keeps_the_divergence(client, diverged):
    session_id, _ = diverged
    client.patch(f"/api/sessions/{session_id}", json={"paused": True, "steps_per_frame": 5})
    assert client.post(f"/api/sessions/{session_id}/step", json={"steps": 1}).status_code == 409


def test_reset_lets_a_diverged_run_train_again(client, diverged):
    session_id, _ = diverged
    client.patch(f"/api/sessions/{session_id}", json={"learning_rate": 0.1, "l2": 0})
    summary = client.post(f"/api/sessions/{session_id}/reset").json()
    assert (summary["diverged"], summary["divergence"], summary["metrics"]["step"]) == (
        False,
        None,
        0,
    )
    result = step(client, session_id, 20)
    assert result["diverged"] is False
    assert result["metrics"]["step"] == 20


@pytest.mark.parametrize("hidden", [[8], []])
def test_a_run_diverging_through_huge_finite_weights_still_answers_200(client, hidden):
    # weights ~1e19 are finite in float32 but their squares overflow in the L2 term
    session = create(client, model={"hidden": hidden}, training={"learning_rate": 10, "l2": 10})
    response = client.post(f"/api/sessions/{session['id']}/step", json={"steps": 50})
    assert response.status_code == 200, response.text
    body = strict_json(response.text)
    assert body["diverged"] is True
    assert body["metrics"]["reg_loss"] is None
