"""Local servers for benches and tests, on 127.0.0.1 only: Debian's redis-server and uvicorn.

Each is started on a free port and stopped by its own pid, never by name.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
REDIS_SERVER = "redis-server"
STARTUP_SECONDS = 20


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    """``redis-server`` daemonized on a free loopback port, without persistence; ``stop()``
    ends it by the pid it wrote."""

    def __init__(self, port=None):
        binary = shutil.which(REDIS_SERVER)
        if binary is None:
            raise RuntimeError("redis-server is missing: apt-get install -y redis-server")
        self.port = port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.dir = tempfile.mkdtemp(prefix="boundary-redis-")
        self.pidfile = Path(self.dir) / "redis.pid"
        log = Path(self.dir) / "redis.log"
        command = [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--daemonize", "yes",
                   "--pidfile", str(self.pidfile), "--dir", self.dir, "--save", "",
                   "--appendonly", "no", "--logfile", str(log)]  # fmt: skip
        subprocess.run(command, check=True)
        deadline = time.monotonic() + STARTUP_SECONDS
        while not self._answers():
            if time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not answer on port {self.port}")
            time.sleep(0.02)
        self.pid = int(self.pidfile.read_text())

    def _answers(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self):
        """End it by its pid and remove its folder (once; later calls do nothing)."""
        pid, self.pid = self.pid, None
        if pid:
            self._end(pid)
            shutil.rmtree(self.dir, ignore_errors=True)

    @staticmethod
    def _end(pid):
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.02)
        os.kill(pid, signal.SIGKILL)


def start_uvicorn(port, env=None, workers=1, cpu=None, log=None):
    """uvicorn serving the app on 127.0.0.1:port with one BLAS thread; ``cpu`` pins it to that
    core (taskset). Returns the Popen once /api/health answers."""
    command = [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1",
               "--port", str(port), "--workers", str(workers), "--log-level", "warning",
               "--no-access-log"]  # fmt: skip
    if cpu is not None:
        command = ["taskset", "-c", str(cpu), *command]
    full_env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", **(env or {})}
    return _launch(command, full_env, port, log, "uvicorn")


def start_serve(port, env=None, workers=2, log=None):
    """``python -m app.serve``: ``workers`` pinned worker processes on 127.0.0.1:port (sessions
    in Redis: pass BOUNDARY_REDIS_URL in env). Returns the Popen once /api/health answers."""
    command = [sys.executable, "-m", "app.serve", "--workers", str(workers), "--host",
               "127.0.0.1", "--port", str(port), "--log-level", "warning"]  # fmt: skip
    return _launch(command, {**os.environ, **(env or {})}, port, log, "app.serve")


def _launch(command, env, port, log, name):
    """Start ``command`` and return its Popen once /api/health answers on ``port``."""
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"{name} exited with {server.returncode}")
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1)
            return server
        except httpx.TransportError:
            time.sleep(0.05)
    stop(server)
    raise RuntimeError(f"{name} did not answer on port {port}")


def stop(server):
    """End a Popen by its pid: SIGTERM, then SIGKILL after 10 s."""
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
