"""Several uvicorn processes on one Redis, as several workers or containers would be: any of
them serves any session, bit for bit like one process with sessions in memory; a worker
killed mid-stream loses no more than the frame it was making, and a worker killed while it
held a session's lock blocks it only until the lock lapses."""

import json
import time

import httpx
import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from bench.servers import free_port, start_uvicorn, stop
from tests.api.helpers import NOISY_TRAINING, read_sse

LOCK_SECONDS = 3
CONFIG = {"model": {"hidden": [8, 8]}, "training": NOISY_TRAINING, "seed": 3}


@pytest.fixture
def workers(redis_url, tmp_path):
    """workers(n) -> n httpx clients, each on its own uvicorn process on the test Redis."""
    servers, clients = [], []
    env = {"BOUNDARY_REDIS_URL": redis_url, "BOUNDARY_SESSION_LOCK_SECONDS": str(LOCK_SECONDS)}

    def start(n):
        for _ in range(n):
            port = free_port()
            with open(tmp_path / f"worker{len(servers)}.log", "w") as log:
                servers.append(start_uvicorn(port, env, log=log))
            clients.append(httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30))
        return clients[-n:], servers[-n:]

    yield start
    for client in clients:
        client.close()
    for server in servers:
        stop(server)


def run(a, b):
    """The same requests, alternating between clients a and b -> every answer, ids removed
    (a stream's answer: its frames)."""
    answers = []

    def call(client, method, url, **kwargs):
        response = client.request(method, url, **kwargs)
        assert response.status_code < 300, response.text
        if response.status_code == 204:
            return
        if response.headers["content-type"].startswith("text/event-stream"):
            events, _ = read_sse(response.text.splitlines())
            answers.append([data for name, data in events if name == "frame"])
        else:
            answers.append(response.json())

    call(a, "POST", "/api/sessions", json=CONFIG)
    sid = answers[-1]["id"]
    url = f"/api/sessions/{sid}"
    call(b, "POST", f"{url}/step", json={"steps": 37, "resolution": 20})
    call(a, "PATCH", url, json={"learning_rate": 0.003, "steps_per_frame": 4})
    call(b, "POST", f"{url}/step", json={"steps": 11, "grid": False, "units": True})
    call(a, "GET", f"{url}/stream", params={"fps": 60, "max_seconds": 0.2, "resolution": 10})
    call(b, "POST", f"{url}/reset", json={"seed": 9})
    call(a, "POST", f"{url}/step", json={"steps": 25, "grid": False, "weights": True})
    call(b, "GET", f"{url}/boundary", params={"resolution": 30})
    call(a, "GET", f"{url}/export")
    call(b, "GET", url)
    call(a, "DELETE", url)
    for answer in answers:
        for item in answer if isinstance(answer, list) else [answer]:
            if isinstance(item, dict):
                item.pop("id", None)
    return answers


def test_create_on_one_worker_step_on_another_export_on_either_bit_for_bit(workers):
    (a, b), _ = workers(2)
    shared = run(a, b)
    with TestClient(create_app()) as memory:  # one process, sessions in memory
        alone = run(memory, memory)
    stream_at = 4  # the stream's frames depend on timing: compare the ones both sent
    n = min(len(shared[stream_at]), len(alone[stream_at]))
    assert n >= 1
    shared[stream_at], alone[stream_at] = shared[stream_at][:n], alone[stream_at][:n]
    assert [json.dumps(x, sort_keys=True) for x in shared] == [
        json.dumps(x, sort_keys=True) for x in alone
    ]


def test_a_worker_killed_mid_stream_loses_at_most_a_frame_and_another_carries_on(workers):
    (doomed, other), (doomed_server, _) = workers(2)
    sid = other.post("/api/sessions", json=CONFIG).json()["id"]
    params = {"steps_per_frame": 10, "fps": 20, "max_seconds": 60, "resolution": 100}
    seen = []
    with doomed.stream("GET", f"/api/sessions/{sid}/stream", params=params) as stream:
        for line in stream.iter_lines():
            if line.startswith("data: "):
                seen.append(json.loads(line.removeprefix("data: "))["metrics"]["step"])
                if len(seen) == 10:
                    doomed_server.kill()  # SIGKILL, mid-stream: no cleanup runs
                    killed = time.monotonic()
                    break
    doomed_server.wait()
    kept = other.get(f"/api/sessions/{sid}").json()["metrics"]["step"]
    assert kept >= seen[-1]  # every frame sent had been written first
    assert kept - seen[-1] <= 20  # at most the frames in flight (20 steps = 0.1 s here)
    response = other.post(f"/api/sessions/{sid}/step", json={"steps": 5, "grid": False})
    assert response.status_code == 200
    assert response.json()["metrics"]["step"] == kept + 5
    assert time.monotonic() - killed < LOCK_SECONDS  # the lock was not held across frames


def test_a_worker_killed_while_holding_a_session_blocks_it_only_until_the_lock_lapses(workers):
    (doomed, other), (doomed_server, _) = workers(2)
    big = {"dataset": {"n_points": 2000}, "model": {"hidden": [128, 128]}}
    sid = other.post("/api/sessions", json=big).json()["id"]
    other.post(f"/api/sessions/{sid}/step", json={"steps": 3, "grid": False})
    # a long step request (about the 2 s budget) holds the lock; the worker dies during it
    body = {"steps": 5000, "grid": False}
    started = time.monotonic()
    with httpx.Client(base_url=doomed.base_url, timeout=0.5) as impatient:
        with pytest.raises(httpx.TimeoutException):  # it is training, holding the session
            impatient.post(f"/api/sessions/{sid}/step", json=body)
    doomed_server.kill()
    doomed_server.wait()
    response = other.post(f"/api/sessions/{sid}/step", json={"steps": 2, "grid": False})
    waited = time.monotonic() - started
    assert response.status_code == 200, response.text
    assert response.json()["metrics"]["step"] == 5  # the killed request's work is lost, no more
    assert LOCK_SECONDS - 1 < waited < LOCK_SECONDS + 2  # held until the lock lapsed, no longer
