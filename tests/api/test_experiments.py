"""The regression experiments as jobs: representational power (best max error of one hidden
layer of N units) and depth (one parameter budget over several hidden layers)."""

import numpy as np
import pytest

from app.config import Settings
from app.engine import NetworkSpec, parameter_counts
from app.training.jobs import width_for_budget
from app.training.session import Session

SINE = {"problem": "regression", "target": {"name": "sine", "n_points": 60, "noise": 0.0,
        "train_fraction": 1.0}, "model": {"activation": "tanh", "init": "xavier"},
        "training": {"optimizer": "adam", "learning_rate": 0.02}}  # fmt: skip


def finished(client, path, body):
    response = client.post(f"/api/jobs/{path}", json=body)
    assert response.status_code == 202, response.text
    job = response.json()
    while job["status"] in ("queued", "running"):
        job = client.get(f"/api/jobs/{job['id']}?wait=10").json()
    assert job["status"] == "done", job
    return job


def test_more_units_fit_the_target_better(client):
    body = {"config": SINE, "sizes": [1, 16], "seeds": 2, "steps": 1500}
    result = finished(client, "representational-power", body)["result"]
    assert result["sizes"] == [1, 16]
    one, sixteen = result["best_max_error"]
    assert one > 0.5  # one tanh unit cannot make a sine's two turns
    assert sixteen < 0.1 < one / 5
    assert len(result["x"]) == 200 and all(len(fit) == 200 for fit in result["fits"])
    assert [len(errors) for errors in result["max_error"]] == [2, 2]
    assert result["best_max_error"] == [min(errors) for errors in result["max_error"]]


def test_the_best_max_error_is_a_real_runs_error(client):
    """The job's numbers are those of an ordinary session with the same config and seed: the
    best of its measurements, never better than its final error and never below zero."""
    body = {"config": SINE, "sizes": [4], "seeds": 1, "steps": 200}
    result = finished(client, "representational-power", body)["result"]
    config = client.post("/api/sessions", json={**SINE, "model": {**SINE["model"],
                                                "hidden": [4]}}).json()["config"]  # fmt: skip
    session = Session.create(config, Settings())
    errors = [session.max_error()]
    for _ in range(20):
        for _ in range(10):
            session.trainer.step()
        errors.append(session.max_error())
    assert result["best_max_error"][0] == pytest.approx(min(errors), rel=1e-6)


def test_the_depth_job_spends_one_budget_on_each_depth(client):
    body = {"config": SINE, "budget": 120, "depths": [1, 2, 3], "seeds": 2, "steps": 100}
    job = finished(client, "depth", body)
    result = job["result"]
    assert job["total"] == 6 and result["depths"] == [1, 2, 3]
    for depth, width, count in zip(result["depths"], result["widths"], result["parameters"],
                                   strict=True):  # fmt: skip
        spec = NetworkSpec(n_inputs=1, hidden=(width,) * depth, n_outputs=1)
        assert parameter_counts(spec)["total"] == count
        assert abs(count - 120) <= 40
    assert all(len(losses) == 2 for losses in result["final_loss"])
    csv = client.get(f"/api/jobs/{job['id']}/result.csv").text.strip().splitlines()
    assert csv[0] == "hidden_layers,width,parameters,seed,final_train_loss,max_error"
    assert len(csv) == 7


def test_width_for_budget_is_the_nearest_count():
    width, count = width_for_budget(2, 500, inputs=2)
    near = [
        abs(parameter_counts(NetworkSpec(n_inputs=2, hidden=(w, w), n_outputs=1))["total"] - 500)
        for w in range(1, 60)
    ]
    assert abs(count - 500) == min(near) and width == int(np.argmin(near)) + 1


@pytest.mark.parametrize(
    ("path", "body", "message"),
    [
        ("depth", {"config": {}}, "must be regression"),
        ("representational-power", {"sizes": [64] * 8, "seeds": 10, "steps": 9999}, "at most"),
        ("depth", {"depths": [0]}, "greater than or equal to 1"),
        ("depth", {"budget": 5}, "budget"),
    ],
)
def test_bad_experiment_requests_say_what_to_fix(client, path, body, message):
    response = client.post(f"/api/jobs/{path}", json=body)
    assert response.status_code == 422
    assert message in response.text


def test_a_fit_job_can_be_cancelled(client):
    body = {"config": SINE, "sizes": [64], "seeds": 10, "steps": 20000}
    job = client.post("/api/jobs/representational-power", json=body).json()
    client.get(f"/api/jobs/{job['id']}?wait=0.3")
    cancelled = client.post(f"/api/jobs/{job['id']}/cancel").json()
    assert cancelled["status"] == "cancelled" and cancelled["done"] < cancelled["total"]


def test_each_fit_shown_is_the_one_that_reached_the_best_max_error(client):
    body = {"config": SINE, "sizes": [3, 8], "seeds": 2, "steps": 400}
    result = finished(client, "representational-power", body)["result"]
    x = np.array(result["x"])
    for best, fit in zip(result["best_max_error"], result["fits"], strict=True):
        # on the 200 points drawn the fit's error can only be at or below the dense-grid one
        assert np.abs(np.array(fit) - np.sin(x)).max() <= best + 1e-5
