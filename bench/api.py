"""What HTTP adds to a frame: ``python -m bench.api [--quick]``, run from the repository root.

A frame is 10 training steps plus a 100×100 decision grid on the default session config.
In one run it measures (1) the engine alone doing that work, (2) the same frame built
in-process as the API builds it (metrics, history, encoded grid, JSON), and (3) the frame
served by uvicorn on 127.0.0.1: as back-to-back POST /step requests (one in flight) and as the
Server-Sent Events stream. Over HTTP it reports the server process's own CPU time per frame
(from /proc, so the client's cost does not count) and the wall time per frame the client sees.
"""

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time

import httpx
from threadpoolctl import threadpool_limits

from app.api import views
from app.api.schemas import SessionConfig, StepRequest
from app.config import Settings
from app.engine import decision_grid
from app.training.session import Session

STEPS = 10
RESOLUTION = 100
TARGET = 2.0  # HTTP frame cost / engine-only cost


def median_seconds(fn, calls, repeats):
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        for _ in range(calls):
            fn()
        times.append((time.perf_counter() - started) / calls)
    return statistics.median(times)


def in_process(calls, repeats):
    """(engine-only, API-built) seconds per frame, same session config."""
    session = Session.create(SessionConfig().model_dump(), Settings())
    trainer, options = session.trainer, StepRequest(steps=STEPS, resolution=RESOLUTION)

    def engine_frame():  # what a session does: monitoring read once, after the last step
        trainer.monitor = False
        for _ in range(STEPS):
            trainer.step()
        trainer.monitor_last_step()
        decision_grid(trainer.network, trainer.loss, session.bounds, RESOLUTION)

    def api_frame():
        since = trainer.step_count
        done = session.advance(STEPS, 10.0)
        json.dumps(views.step_result("id", session, STEPS, done, options, since))

    with threadpool_limits(1, "blas"):
        return median_seconds(engine_frame, calls, repeats), median_seconds(
            api_frame, calls, repeats
        )


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid):
    """User + system CPU time of a process, from /proc/<pid>/stat."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


STARTUP_SECONDS = 120  # a ceiling: on a busy machine importing the app alone took 20 s


def start_server(port):
    env = {**os.environ, "BOUNDARY_MAX_FRAMES_PER_SECOND": "10000"}
    command = [sys.executable, "-m", "uvicorn", "app.main:app", "--port", str(port),
               "--log-level", "warning", "--no-access-log"]  # fmt: skip
    server = subprocess.Popen(command, env=env)
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline and server.poll() is None:
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1)
            return server
        except httpx.TransportError:
            time.sleep(0.1)  # polling a real process
    server.kill()
    raise RuntimeError(f"uvicorn did not answer within {STARTUP_SECONDS} s")


def over_http(frames, port, pid):
    """{mode: (server CPU seconds per frame, wall seconds per frame)} for POST and SSE."""
    base = f"http://127.0.0.1:{port}/api"
    results = {}
    with httpx.Client(base_url=base, timeout=30) as client:
        session_id = client.post("/sessions", json={}).json()["id"]
        body = {"steps": STEPS, "resolution": RESOLUTION}
        for _ in range(20):  # warm up
            client.post(f"/sessions/{session_id}/step", json=body)
        cpu, wall = cpu_seconds(pid), time.perf_counter()
        for _ in range(frames):
            client.post(f"/sessions/{session_id}/step", json=body).raise_for_status()
        results["POST /step"] = ((cpu_seconds(pid) - cpu) / frames,
                                 (time.perf_counter() - wall) / frames)  # fmt: skip
        query = {"steps_per_frame": STEPS, "resolution": RESOLUTION, "fps": 10000,
                 "max_seconds": 60}  # fmt: skip
        with client.stream("GET", f"/sessions/{session_id}/stream", params=query) as stream:
            seen, cpu, wall = 0, None, None
            for line in stream.iter_lines():
                if not line.startswith("event: frame"):
                    continue
                seen += 1
                if seen == 20:
                    cpu, wall = cpu_seconds(pid), time.perf_counter()
                if seen == 20 + frames:
                    break
        results["SSE stream"] = ((cpu_seconds(pid) - cpu) / frames,
                                 (time.perf_counter() - wall) / frames)  # fmt: skip
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(description="Cost of a frame over HTTP vs the engine alone")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    calls, repeats, frames = (20, 3, 100) if args.quick else (50, 7, 500)
    engine, api = in_process(calls, repeats)
    port = free_port()
    server = start_server(port)
    try:
        http = over_http(frames, port, server.pid)
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"frame = {STEPS} steps + {RESOLUTION}×{RESOLUTION} grid, default session config")
    print(f"{'':28s}{'ms/frame':>10s}{'× engine':>10s}{'wall ms':>10s}")
    print(f"{'engine only':28s}{engine * 1e3:10.3f}{1:10.2f}")
    print(f"{'API frame, in process':28s}{api * 1e3:10.3f}{api / engine:10.2f}")
    for mode, (cpu, wall) in http.items():
        verdict = "met" if cpu / engine <= TARGET else "MISSED"
        print(f"{'server CPU, ' + mode:28s}{cpu * 1e3:10.3f}{cpu / engine:10.2f}{wall * 1e3:10.3f}"
              f"   target ≤ {TARGET:g}×: {verdict}")  # fmt: skip


if __name__ == "__main__":
    main()
