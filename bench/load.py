"""Live users at once: ``python -m bench.load --setup memory|redis [--users 20,40] [--seconds 10]``.

Starts the service on 127.0.0.1 (``memory``: one uvicorn worker pinned to a core, sessions in
its memory; ``redis``: a redis-server and ``--workers`` workers on it, by ``python -m app.serve``
or ``--launcher uvicorn`` for ``uvicorn --workers``), then for each number of
users K: creates K sessions and has each user watch its run live as the playground does (the
Server-Sent Events stream at ``--fps`` frames per second, ``--steps-per-frame`` steps and a
100×100 grid per frame) for ``--seconds`` after a warm-up. Reports frames served per second
(and the share of the K·fps asked for), the time between one user's frames (p50/p95; ideally
1000/fps ms: a frame late by d ms shows as an interval of 1000/fps + d), errors, and the CPU
the server processes used. The users are one asyncio process reading raw sockets (no JSON
parsing) so that the client costs little of the machine it shares with the server.

Bounded: at most MAX_USERS users and MAX_SECONDS seconds per level, MAX_LEVELS levels;
loopback only.
"""

import argparse
import asyncio
import concurrent.futures
import itertools
import math
import os
import statistics
import time
from urllib.parse import urlencode

import httpx

from bench.api import cpu_seconds
from bench.servers import RedisServer, free_port, start_serve, start_uvicorn, stop

HOST = "127.0.0.1"  # never anywhere else
MAX_USERS = 300
MAX_SECONDS = 60
MAX_LEVELS = 8
MAX_WARMUP_SECONDS = 10
FRAME = b"event: frame"
END = b"event: end"


def bounded_levels(text):
    levels = [int(x) for x in text.split(",")]
    if not 1 <= len(levels) <= MAX_LEVELS or not all(1 <= k <= MAX_USERS for k in levels):
        raise argparse.ArgumentTypeError(f"1 to {MAX_LEVELS} levels of 1 to {MAX_USERS} users")
    return levels


def seconds_up_to(limit, least=0.0):
    def parse(text):
        seconds = float(text)
        if not least <= seconds <= limit:
            raise argparse.ArgumentTypeError(f"from {least:g} to {limit} s")
        return seconds

    return parse


async def watch(port, session_id, query, start, stop_at):
    """One user: open the stream, note when each frame arrives, leave at stop_at.
    -> (arrival times, error or None)."""
    arrivals, tail = [], b""
    try:
        reader, writer = await asyncio.open_connection(HOST, port)
    except OSError as error:
        return arrivals, f"connect: {error}"
    try:
        writer.write(f"GET /api/sessions/{session_id}/stream?{query} HTTP/1.1\r\n"
                     f"Host: {HOST}\r\nAccept: text/event-stream\r\n\r\n".encode())  # fmt: skip
        status = await reader.readline()
        if b" 200 " not in status:
            return arrivals, f"status {status.decode(errors='replace').strip()}"
        while time.perf_counter() < stop_at:
            timeout = max(0.01, stop_at - time.perf_counter())
            try:
                chunk = await asyncio.wait_for(reader.read(1 << 16), timeout)
            except TimeoutError:
                break
            if not chunk:
                return arrivals, "the server closed the stream"
            now = time.perf_counter() - start
            data = tail + chunk
            arrivals.extend([now] * (data.count(FRAME) - tail.count(FRAME)))
            if END in data and END not in tail:
                return arrivals, "the stream ended early"
            tail = data[-len(FRAME) :]
        return arrivals, None
    except (OSError, asyncio.IncompleteReadError) as error:
        return arrivals, f"{type(error).__name__}: {error}"
    finally:
        writer.close()


async def level(ports, users, args):
    """K users for warm-up + seconds. -> measurements of the timed window."""
    async with httpx.AsyncClient(timeout=30) as client:
        created = [
            await client.post(f"http://{HOST}:{ports[i % len(ports)]}/api/sessions", json={})
            for i in range(users)
        ]
    ids = [r.json()["id"] for r in created]
    query = urlencode({
        "fps": args.fps, "steps_per_frame": args.steps_per_frame, "resolution": args.resolution,
        "max_seconds": args.warmup + args.seconds + 5,
        "weights": str(args.page_extras).lower(), "units": str(args.page_extras).lower(),
    })  # fmt: skip
    start = time.perf_counter()
    stop_at = start + args.warmup + args.seconds
    results = await asyncio.gather(
        *(watch(ports[i % len(ports)], sid, query, start, stop_at) for i, sid in enumerate(ids))
    )
    async with httpx.AsyncClient(timeout=30) as client:  # leave no sessions behind
        for i, sid in enumerate(ids):
            await client.delete(f"http://{HOST}:{ports[i % len(ports)]}/api/sessions/{sid}")
    return summarize(results, users, args)


def summarize(results, users, args):
    begin, end = args.warmup, args.warmup + args.seconds
    frames, intervals, errors = 0, [], []
    for arrivals, error in results:
        timed = [t for t in arrivals if begin <= t <= end]
        frames += len(timed)
        intervals.extend(b - a for a, b in itertools.pairwise(timed))
        if error:
            errors.append(error)
    per_second = frames / args.seconds
    quantiles = statistics.quantiles(intervals, n=20) if len(intervals) > 1 else [math.nan] * 19
    return {
        "users": users,
        "frames_per_second": per_second,
        "share_of_asked": per_second / (users * args.fps),
        "interval_p50_ms": quantiles[9] * 1e3,
        "interval_p95_ms": quantiles[18] * 1e3,
        "errors": len(errors),
        "first_error": errors[0] if errors else None,
    }


def process_tree(pid):
    """pid and its descendants (uvicorn --workers forks its workers)."""
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        try:
            with open(f"/proc/{current}/task/{current}/children") as f:
                todo.extend(int(x) for x in f.read().split())
        except OSError:
            pass
    return pids


def cpu_of(pids):
    """{pid: CPU seconds so far} (0 for one that is gone)."""
    seconds = {}
    for pid in pids:
        try:
            seconds[pid] = cpu_seconds(pid)
        except OSError:
            seconds[pid] = 0.0
    return seconds


def start_service(args):
    """-> (ports users connect to, pids to watch, things to stop)."""
    env, stops = {}, []
    pids = []
    if args.setup == "redis":
        redis_server = RedisServer()
        stops.append(redis_server.stop)
        pids.append(redis_server.pid)
        env["BOUNDARY_REDIS_URL"] = redis_server.url
    env["BOUNDARY_MAX_SESSIONS"] = str(MAX_USERS + 10)
    port = free_port()
    if args.setup == "memory":  # one worker, pinned to a core as the recipes advise
        server = start_uvicorn(port, env, cpu=0)
    elif args.launcher == "serve":  # pinned workers, connections spread by the kernel
        server = start_serve(port, env, workers=args.workers)
    else:
        server = start_uvicorn(port, env, workers=args.workers)
    stops.append(lambda: stop(server))
    time.sleep(1)  # let every worker finish starting before counting its pid
    pids.extend(process_tree(server.pid))
    return [port], pids, stops


def in_own_thread(work):
    """work() in a thread of its own, so it gets its own event loop even when the caller's
    thread runs one (as Playwright's sync API does in the test session)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(work).result()


def run(args):
    ports, pids, stops = start_service(args)
    rows = []
    try:
        for users in args.users:
            cpu_before, wall_before = cpu_of(pids), time.perf_counter()
            client_before = time.process_time()
            row = in_own_thread(lambda users=users: asyncio.run(level(ports, users, args)))
            wall = time.perf_counter() - wall_before
            row["client_cores"] = (time.process_time() - client_before) / wall
            cores = {p: (c - cpu_before[p]) / wall for p, c in cpu_of(pids).items()}
            row["server_cores"] = sum(cores.values())
            row["cores_per_process"] = sorted((round(c, 2) for c in cores.values() if c >= 0.01),
                                              reverse=True)  # fmt: skip
            rows.append(row)
            print(format_row(row, args), flush=True)
    finally:
        for stop_one in reversed(stops):
            stop_one()
    return rows


def format_row(row, args):
    error = f"  ({row['first_error']})" if row["first_error"] else ""
    split = " = " + " + ".join(f"{c:.2f}" for c in row["cores_per_process"])
    split += f"; client {row['client_cores']:.2f}"
    return (f"{row['users']:6d}{row['frames_per_second']:10.0f}{row['share_of_asked']:8.0%}"
            f"{row['interval_p50_ms']:9.1f}{row['interval_p95_ms']:9.1f}{row['errors']:8d}"
            f"{row['server_cores']:8.2f}{split}{error}")  # fmt: skip


def main(argv=None):
    parser = argparse.ArgumentParser(description="Live users one machine serves")
    parser.add_argument("--setup", choices=["memory", "redis"], default="memory")
    parser.add_argument("--workers", type=int, default=2, help="workers (redis setup)")
    parser.add_argument("--launcher", choices=["serve", "uvicorn"], default="serve",
                        help="redis setup: python -m app.serve, or uvicorn --workers")  # fmt: skip
    parser.add_argument("--users", type=bounded_levels, default=bounded_levels("10,20,40"))
    parser.add_argument("--seconds", type=seconds_up_to(MAX_SECONDS, 0.5), default=10.0)
    parser.add_argument("--warmup", type=seconds_up_to(MAX_WARMUP_SECONDS), default=2.0,
                        help="seconds not counted, at the start of each level")  # fmt: skip
    parser.add_argument("--fps", type=float, default=20, help="per user (the page asks 30)")
    parser.add_argument("--steps-per-frame", type=int, default=10)
    parser.add_argument("--resolution", type=int, default=100)
    extras = "frames carry weights and unit maps, as the playground's do"
    parser.add_argument("--page-extras", action="store_true", help=extras)
    args = parser.parse_args(argv)
    setup = "1 worker, sessions in memory" if args.setup == "memory" else (
        f"{args.workers} workers ({args.launcher}), sessions in Redis")  # fmt: skip
    print(f"{setup}; {os.cpu_count()} CPUs; {args.fps:g} frames/s per user, "
          f"{args.steps_per_frame} steps + {args.resolution}×{args.resolution} grid per frame"
          f"{', weights and unit maps' if args.page_extras else ''}; {args.seconds:g} s after "
          f"{args.warmup:g} s warm-up")  # fmt: skip
    print(f"{'users':>6}{'frames/s':>10}{'asked':>8}{'p50 ms':>9}{'p95 ms':>9}{'errors':>8}"
          f"{'cores':>8} (server processes: workers, Redis; the load client)")  # fmt: skip
    return run(args)


if __name__ == "__main__":
    main()
