"""Jobs with Redis: a job started on one worker is seen, waited for, downloaded and cancelled
through any other; a job whose worker died is reported failed."""

import json

import pytest
import redis
from fastapi.testclient import TestClient

from app.config import get_settings
from app.main import create_app
from app.training.shared_jobs import STALE_SECONDS, RemoteJob, SharedJobs
from tests.api.test_jobs import SMALL, start


@pytest.fixture
def two_workers(redis_url, monkeypatch):
    """Two apps on the test Redis, as two worker processes would be."""
    monkeypatch.setenv("BOUNDARY_REDIS_URL", redis_url)
    get_settings.cache_clear()
    with TestClient(create_app()) as a, TestClient(create_app()) as b:
        yield a, b
    get_settings.cache_clear()


def test_a_job_started_on_one_worker_is_followed_and_downloaded_on_another(two_workers):
    a, b = two_workers
    job = start(a)
    done = b.get(f"/api/jobs/{job['id']}?wait=10").json()
    assert done["status"] == "done" and done["progress"] == 1.0
    assert done == a.get(f"/api/jobs/{job['id']}").json()
    assert b.get(f"/api/jobs/{job['id']}/result.csv").text == (
        a.get(f"/api/jobs/{job['id']}/result.csv").text
    )


def test_a_job_is_cancelled_from_another_worker(two_workers):
    a, b = two_workers
    job = start(a, {**SMALL, "sizes": [64], "seeds": 20, "steps": 5000})
    b.get(f"/api/jobs/{job['id']}?wait=0.3")
    cancelled = b.post(f"/api/jobs/{job['id']}/cancel").json()
    assert cancelled["status"] == "cancelled" and cancelled["done"] < cancelled["total"]
    assert a.get(f"/api/jobs/{job['id']}").json()["status"] == "cancelled"


def test_an_unknown_job_is_404_on_every_worker(two_workers):
    for client in two_workers:
        assert client.get("/api/jobs/nothing-here").status_code == 404


def test_a_job_whose_worker_stopped_publishing_is_reported_failed(redis_url):
    client = redis.Redis.from_url(redis_url)
    view = {"id": "j", "status": "running", "done": 1, "total": 4, "result": None,
            "error": None, "published": 1000.0}  # fmt: skip
    client.set("boundary:job:j", json.dumps(view))
    jobs = SharedJobs.__new__(SharedJobs)  # only the reading side, on a fake clock
    jobs.redis, jobs.prefix = client, "boundary:"
    jobs.clock = lambda: 1000.0 + STALE_SECONDS - 1
    assert RemoteJob(jobs, "j", view).view()["status"] == "running"
    jobs.clock = lambda: 1000.0 + STALE_SECONDS + 1
    stale = RemoteJob(jobs, "j", view).view()
    assert stale["status"] == "failed" and "worker running this job stopped" in stale["error"]
    client.close()
