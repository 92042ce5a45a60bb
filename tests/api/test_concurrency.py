"""Requests from several threads: one session's steps are serialized; the service stays live."""

import threading
import time

from tests.api.helpers import SMALL_NET, create


def run_in_threads(*targets):
    """Start every target at once (a barrier), wait for all; -> their results in order."""
    barrier = threading.Barrier(len(targets))
    results = [None] * len(targets)

    def run(i, target):
        barrier.wait()
        results[i] = target()

    threads = [threading.Thread(target=run, args=(i, t)) for i, t in enumerate(targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def stepper(client, session_id, steps):
    def target():
        body = {"steps": steps, "grid": False}
        return client.post(f"/api/sessions/{session_id}/step", json=body).json()

    return target


def test_two_threads_stepping_one_session_are_serialized(client):
    session_id = create(client, model=SMALL_NET)["id"]
    first, second = run_in_threads(
        stepper(client, session_id, 300), stepper(client, session_id, 200)
    )
    summary = client.get(f"/api/sessions/{session_id}").json()
    assert summary["metrics"]["step"] == 500
    assert summary["history"]["steps"]["step"] == list(range(500))
    ranges = sorted([first["history"]["steps"]["step"], second["history"]["steps"]["step"]])
    assert ranges[0] + ranges[1] == list(range(500))  # each saw only its own, contiguous steps


def test_many_threads_stepping_one_session_lose_no_steps(client):
    session_id = create(client, model=SMALL_NET)["id"]
    results = run_in_threads(*[stepper(client, session_id, 25) for _ in range(6)])
    seen = sorted(s for r in results for s in r["history"]["steps"]["step"])
    assert seen == list(range(150))
    assert sorted(r["metrics"]["step"] for r in results) == [25 * (i + 1) for i in range(6)]


def test_health_stays_responsive_while_sessions_train(make_client):
    client = make_client(step_budget_seconds=1.0)  # each training request runs about 1 s
    big = {"dataset": {"n_points": 2000}, "model": {"hidden": [64, 64]}}
    results = []
    trainers = [stepper(client, create(client, **big)["id"], 5000) for _ in range(8)]
    threads = [threading.Thread(target=lambda t=t: results.append(t())) for t in trainers]
    for thread in threads:
        thread.start()
    latencies = []
    while any(thread.is_alive() for thread in threads):  # probe for as long as they train
        begin = time.perf_counter()
        assert client.get("/api/health").status_code == 200
        latencies.append(time.perf_counter() - begin)
    for thread in threads:
        thread.join()
    assert len(latencies) >= 3
    assert max(latencies) < 1.0
    assert [r["stopped_early"] for r in results] == [True] * 8  # they trained ~1 s each
