"""`schemathesis run --checks all` over /openapi.json, against a live server.

The run's settings (seed, examples, phases, allowances) live in schemathesis.toml; its extra check
in tests/schema/hooks.py. The server runs in its own process so the limits in SERVER_ENV reach the
schema, whose bounds are read when the app is imported.
"""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SERVER_ENV = {
    "BOUNDARY_MAX_STREAM_SECONDS": "1",  # a stream ends within a second
    "BOUNDARY_STEP_BUDGET_SECONDS": "0.2",  # a step request ends within 0.2 s
    "OPENBLAS_NUM_THREADS": "1",  # leave the other core to schemathesis
}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """Base URL of a uvicorn serving the app, and the path of its log."""
    port, log = free_port(), tmp_path_factory.mktemp("server") / "uvicorn.log"
    command = [BIN / "uvicorn", "app.main:app", "--host", "127.0.0.1", "--port", str(port),
               "--no-access-log"]  # fmt: skip
    env = {**os.environ, **SERVER_ENV}
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, process)
        yield url, log
    finally:
        process.terminate()
        process.wait(timeout=10)


def wait_until_up(url, process, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server exited on start"
        try:
            if httpx.get(f"{url}/api/health").status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise TimeoutError(f"no answer from {url} after {timeout} s")


def test_api_conforms_to_its_openapi_schema(server, tmp_path):
    url, log = server
    command = [BIN / "schemathesis", "run", f"{url}/openapi.json", "--checks", "all", "--no-color"]
    # Hypothesis keeps its caches out of the repo, and starts cold on every run.
    env = {**os.environ, "HYPOTHESIS_STORAGE_DIRECTORY": str(tmp_path)}
    run = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    print(run.stdout, run.stderr, "--- server log ---", log.read_text(), sep="\n")
    assert run.returncode == 0, "schemathesis found failures: see the captured stdout"
