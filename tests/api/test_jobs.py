"""Jobs: the seed-variance experiment runs in the background, reports progress, can be
cancelled, and its numbers are those of ordinary runs with the same seeds."""

import numpy as np

from app.config import Settings
from app.training.session import build_trainer

SMALL = {"sizes": [2, 6], "seeds": 3, "steps": 60,
         "config": {"dataset": {"name": "gauss", "n_points": 60}}}  # fmt: skip


def start(client, body=SMALL):
    response = client.post("/api/jobs/seed-variance", json=body)
    assert response.status_code == 202, response.text
    return response.json()


def test_a_job_finishes_with_one_loss_per_size_and_seed(client):
    job = start(client)
    assert job["status"] in ("queued", "running") and job["total"] == 6
    done = client.get(f"/api/jobs/{job['id']}?wait=10").json()
    assert done["status"] == "done" and done["progress"] == 1.0
    assert [len(losses) for losses in done["result"]["final_loss"]] == [3, 3]
    assert done["result"]["summary"][0]["min"] <= done["result"]["summary"][0]["max"]


def test_progress_rises_until_the_end(client):
    job = start(client, {**SMALL, "seeds": 20, "steps": 600})
    seen = []
    while not seen or seen[-1]["status"] not in ("done", "failed"):
        seen.append(client.get(f"/api/jobs/{job['id']}?wait=0.02").json())
    progress = [s["progress"] for s in seen]
    assert progress == sorted(progress) and progress[-1] == 1.0 and len(set(progress)) > 2


def test_results_match_a_direct_run_with_the_same_seed(client):
    job = start(client)
    result = client.get(f"/api/jobs/{job['id']}?wait=10").json()["result"]
    config = client.get("/api/options").json()["defaults"]
    config["dataset"] = {**config["dataset"], "name": "gauss", "n_points": 60,
                         "n_classes": 2, "noise": 0.2}  # fmt: skip
    config["model"]["hidden"] = [6]
    config["seed"] = 2
    trainer, _, _ = build_trainer(config, Settings().max_parameters)
    for _ in range(60):
        trainer.step()
    assert np.isclose(result["final_loss"][1][2], trainer.evaluate("train")["data_loss"])


def test_cancel_stops_a_job_and_keeps_what_it_did(client):
    job = start(client, {**SMALL, "sizes": [64], "seeds": 20, "steps": 5000})
    client.get(f"/api/jobs/{job['id']}?wait=0.2")
    cancelled = client.post(f"/api/jobs/{job['id']}/cancel").json()
    assert cancelled["status"] == "cancelled" and cancelled["done"] < cancelled["total"]
    later = client.get(f"/api/jobs/{job['id']}").json()
    assert later["done"] == cancelled["done"]  # nothing ran after the cancel


def test_the_result_downloads_as_csv(client):
    job = start(client)
    client.get(f"/api/jobs/{job['id']}?wait=10")
    lines = client.get(f"/api/jobs/{job['id']}/result.csv").text.strip().splitlines()
    assert lines[0] == "hidden_units,seed,final_train_loss,train_accuracy" and len(lines) == 7


def test_limits_and_unknown_jobs(client):
    too_big = client.post("/api/jobs/seed-variance", json={"sizes": [8] * 8, "seeds": 20,
                                                           "steps": 5000})  # fmt: skip
    assert too_big.status_code == 422 and "at most" in too_big.text
    assert client.post("/api/jobs/seed-variance", json={"seeds": 0}).status_code == 422
    missing = client.get("/api/jobs/nope")
    assert missing.status_code == 404 and "start one" in missing.json()["detail"]


def test_health_answers_while_a_job_runs(client):
    job = start(client, {**SMALL, "sizes": [64], "seeds": 20, "steps": 2000})
    for _ in range(5):
        assert client.get("/api/health").status_code == 200
    client.post(f"/api/jobs/{job['id']}/cancel")
