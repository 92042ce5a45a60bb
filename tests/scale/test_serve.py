"""python -m app.serve: one process per worker, each pinned to its own core, all on one port;
connections reach every worker; a worker that dies is started again; several workers without
Redis are refused."""

import os
import signal
import time

import httpx
import pytest

from app import serve
from bench.api import cpu_seconds
from bench.servers import free_port, start_serve, stop


def children(pid):
    with open(f"/proc/{pid}/task/{pid}/children") as f:
        return [int(x) for x in f.read().split()]


def cmdline(pid):
    with open(f"/proc/{pid}/cmdline", "rb") as f:
        return f.read()


def pinned(pid):
    """The CPUs a process may run on, as a set."""
    return os.sched_getaffinity(pid)


@pytest.fixture
def served(redis_url, tmp_path):
    port = free_port()
    with open(tmp_path / "serve.log", "w") as log:
        server = start_serve(port, {"BOUNDARY_REDIS_URL": redis_url}, workers=2, log=log)
    yield server, f"http://127.0.0.1:{port}"
    stop(server)


def uvicorn_workers(pid):
    """The worker processes (spawn also starts a resource tracker: not a worker)."""
    return [p for p in children(pid) if b"multiprocessing.spawn" in cmdline(p)
            and b"resource_tracker" not in cmdline(p)]  # fmt: skip


def test_each_worker_is_pinned_to_its_own_core_and_all_serve(served):
    server, url = served
    workers = uvicorn_workers(server.pid)
    assert len(workers) == 2
    cores = [pinned(p) for p in workers]
    assert all(len(c) == 1 for c in cores)
    if len(os.sched_getaffinity(0)) > 1:
        assert cores[0] != cores[1]
    before = [cpu_seconds(p) for p in workers]
    for _ in range(60):  # a new connection each time: the kernel spreads them
        with httpx.Client(base_url=url) as client:
            sid = client.post("/api/sessions", json={"model": {"hidden": [32]}}).json()["id"]
            client.post(f"/api/sessions/{sid}/step", json={"steps": 50})
    assert all(cpu_seconds(p) > b for p, b in zip(workers, before, strict=True))


def test_a_worker_that_dies_is_started_again_and_the_others_keep_serving(served):
    server, url = served
    first, second = uvicorn_workers(server.pid)
    os.kill(first, signal.SIGKILL)
    for _ in range(10):
        assert httpx.get(f"{url}/api/health", timeout=5).status_code == 200
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        workers = uvicorn_workers(server.pid)
        if len(workers) == 2 and first not in workers:
            break
        time.sleep(0.1)
    assert second in workers and first not in workers and len(workers) == 2


def test_several_workers_without_redis_are_refused(monkeypatch, capsys):
    monkeypatch.delenv("BOUNDARY_REDIS_URL", raising=False)
    with pytest.raises(SystemExit):
        serve.main(["--workers", "2"])
    assert "several workers need the sessions in Redis" in capsys.readouterr().err
