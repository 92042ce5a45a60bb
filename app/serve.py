"""Serve on one port with several worker processes, one per core:
``python -m app.serve --workers 2 [--host 0.0.0.0] [--port 8000]``.

Each worker is its own process, pinned to one core (worker i on the i-th allowed core, round
robin), with one BLAS thread, listening on its own socket bound to the same port with
SO_REUSEPORT, so the kernel spreads connections evenly across workers. Measured here, plain
``uvicorn --workers 2`` (one shared socket) often handed most connections to one worker, and an
unpinned worker lost throughput to its threads hopping between cores. The parent only watches:
a worker that dies is started again within a second; SIGTERM or Ctrl-C stops them all.

More than one worker needs the sessions in Redis (``BOUNDARY_REDIS_URL``): a session made by one
worker would be unknown to the others.
"""

import argparse
import multiprocessing
import os
import signal
import socket
import sys
import time

RESTART_PAUSE_SECONDS = 1.0


def listening_socket(host, port):
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(2048)
    return sock


def worker(host, port, cpu, log_level):
    """One worker process: pinned, one BLAS thread (set before numpy loads), its own socket."""
    if cpu is not None:
        os.sched_setaffinity(0, {cpu})
    os.environ["OPENBLAS_NUM_THREADS"] = "1"
    import uvicorn  # here, after the environment is set, in the fresh (spawned) process

    config = uvicorn.Config("app.main:app", log_level=log_level, timeout_graceful_shutdown=5)
    uvicorn.Server(config).run(sockets=[listening_socket(host, port)])


def say(text):
    print(f"app.serve: {text}", file=sys.stderr, flush=True)


def cpu_for(index, cpus):
    return cpus[index % len(cpus)] if cpus else None


def serve(workers, host, port, log_level="info", pin=True):
    """Start the workers and keep them running until SIGTERM or SIGINT."""
    context = multiprocessing.get_context("spawn")
    cpus = sorted(os.sched_getaffinity(0)) if pin else []
    stopping = False

    def start(index):
        args = (host, port, cpu_for(index, cpus), log_level)
        process = context.Process(target=worker, args=args, name=f"worker-{index}")
        process.start()
        return process

    def stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    processes = [start(i) for i in range(workers)]
    pids = ", ".join(str(p.pid) for p in processes)
    say(f"{workers} workers on http://{host}:{port} (pids {pids})")
    while not stopping:
        time.sleep(0.2)
        for i, process in enumerate(processes):
            if not process.is_alive() and not stopping:
                say(
                    f"worker {i} (pid {process.pid}) exited with {process.exitcode}; starting "
                    "it again"
                )
                time.sleep(RESTART_PAUSE_SECONDS)
                processes[i] = start(i)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=10)
        if process.is_alive():
            process.kill()


def main(argv=None):
    parser = argparse.ArgumentParser(description="Boundary Lab on several worker processes")
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 1)))
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--log-level", default="info")
    parser.add_argument("--no-pin", action="store_true", help="do not pin workers to cores")
    args = parser.parse_args(argv)
    if args.workers < 1:
        parser.error("--workers must be at least 1")
    if args.workers > 1 and not os.environ.get("BOUNDARY_REDIS_URL"):
        parser.error(
            "several workers need the sessions in Redis: set BOUNDARY_REDIS_URL "
            "(e.g. redis://127.0.0.1:6379/0), or run one worker"
        )
    serve(args.workers, args.host, args.port, args.log_level, pin=not args.no_pin)


if __name__ == "__main__":
    sys.exit(main())
