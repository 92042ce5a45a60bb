"""Redis down: every session request is a 503 that says the session store is unavailable, the
health endpoint says so with a 503, a live stream ends saying why, and service comes back
with Redis, without restarting the app."""

import pytest
from fastapi.testclient import TestClient

from app.config import get_settings
from app.main import create_app
from bench.servers import RedisServer, free_port
from tests.api.helpers import create, read_sse

REQUESTS = [
    ("POST", "/api/sessions", {}),
    ("GET", "/api/sessions/abc", None),
    ("POST", "/api/sessions/abc/step", {"steps": 1}),
    ("PATCH", "/api/sessions/abc", {"paused": True}),
    ("GET", "/api/sessions/abc/stream", None),
    ("GET", "/api/sessions/abc/export", None),
    ("DELETE", "/api/sessions/abc", None),
    ("POST", "/api/groups", {"rows": {"axis": "seed", "values": [1, 2]}}),
    ("POST", "/api/groups/abc/step", None),
    ("POST", "/api/jobs/seed-variance", {"sizes": [2], "seeds": 1, "steps": 5}),
    ("GET", "/api/jobs/abc", None),
]


@pytest.fixture
def down(monkeypatch):
    """-> (client, port): an app whose Redis (on port) is not running yet."""
    port = free_port()
    monkeypatch.setenv("BOUNDARY_REDIS_URL", f"redis://127.0.0.1:{port}/0")
    get_settings.cache_clear()
    with TestClient(create_app(), raise_server_exceptions=False) as client:
        yield client, port
    get_settings.cache_clear()


def test_without_redis_session_requests_are_503_saying_the_store_is_unavailable(down):
    client, _ = down
    for method, url, body in REQUESTS:
        response = client.request(method, url, json=body)
        assert response.status_code == 503, (method, url, response.text)
        assert "session store is unavailable" in response.json()["detail"]
        assert int(response.headers["retry-after"]) > 0
    assert client.get("/api/options").status_code == 200  # what needs no session still works


def test_health_says_the_store_is_down_then_up_again_without_a_restart(down):
    client, port = down
    response = client.get("/api/health")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable" and response.json()["store"] == "redis"
    server = RedisServer(port)
    try:
        assert client.get("/api/health").json() == {
            "status": "ok", "version": client.app.version, "store": "redis", "sessions": 0,
        }  # fmt: skip
        session_id = create(client, model={"hidden": [4]})["id"]
        assert client.post(f"/api/sessions/{session_id}/step", json={}).status_code == 200
    finally:
        server.stop()
    assert client.get("/api/health").status_code == 503


def test_a_stream_ends_saying_the_store_failed(down):
    client, port = down
    server = RedisServer(port)
    try:
        session_id = create(client, model={"hidden": [4]})["id"]
        params = {"resolution": 10, "fps": 50, "max_seconds": 30}
        with client.stream("GET", f"/api/sessions/{session_id}/stream", params=params) as stream:
            lines = []
            for line in stream.iter_lines():
                lines.append(line)
                if line.startswith("event: frame"):
                    server.stop()  # after the first frame; later calls do nothing
    finally:
        server.stop()
    events, _ = read_sse(lines)
    assert events[0][0] == "frame"
    assert events[-1][0] == "end" and "session store failed" in events[-1][1]["reason"]
    assert events[-1][1]["kind"] == "store"
