"""The live stream: Server-Sent Events, one frame per `steps_per_frame` steps.

SSE rather than WebSocket: frames only flow one way (the page steers with ordinary PATCH
requests: speed, pause, settings), it is plain HTTP that every proxy and `curl -N` handles, the
browser's EventSource reconnects by itself, and it measured cheaper per frame here.
"""

import asyncio
import json
import time
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse

from app.api import views
from app.api.deps import SessionId, SettingsDep, StoreDep
from app.api.errors import NOT_FOUND, STORE_DOWN
from app.api.schemas import LIMITS, GridOptions
from app.training.session import DivergedError
from app.training.store import SessionBusy, SessionNotFound, StoreUnavailable

router = APIRouter(prefix="/api/sessions", tags=["sessions"], responses=STORE_DOWN)
PAUSED_POLL_SECONDS = 0.25


def event(name, data):
    return f"event: {name}\ndata: {json.dumps(data, allow_nan=False, separators=(',', ':'))}\n\n"


@router.get(
    "/{session_id}/stream",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"text/event-stream": {}}, "description": "`frame` events, then `end`"},
        **NOT_FOUND,
    },
    summary="Live training frames (Server-Sent Events) until you disconnect or time runs out",
)
async def stream(
    session_id: SessionId,
    store: StoreDep,
    settings: SettingsDep,
    resolution: Annotated[int, Query(ge=10, le=LIMITS.max_grid_resolution)] = min(
        100, LIMITS.max_grid_resolution
    ),
    steps_per_frame: Annotated[int | None, Query(ge=1, le=LIMITS.max_steps_per_frame)] = None,
    fps: Annotated[float, Query(gt=0, le=LIMITS.max_frames_per_second)] = min(
        30, LIMITS.max_frames_per_second
    ),
    max_seconds: Annotated[float, Query(gt=0, le=LIMITS.max_stream_seconds)] = min(
        60, LIMITS.max_stream_seconds
    ),
    weights: Annotated[bool, Query(description="each frame carries the weights")] = False,
    units: Annotated[bool, Query(description="each frame carries every unit's map")] = False,
    unit_resolution: Annotated[int, Query(ge=8, le=LIMITS.max_unit_resolution)] = min(
        24, LIMITS.max_unit_resolution
    ),
):
    def start():  # a 404 now rather than a stream that ends at once
        with store.checkout(session_id, save=steps_per_frame is not None) as session:
            if steps_per_frame is not None:
                session.steps_per_frame = steps_per_frame

    await run_in_threadpool(start)
    options = GridOptions(
        resolution=resolution, history_tail=LIMITS.max_steps_per_frame, weights=weights,
        units=units, unit_resolution=unit_resolution,
    )  # fmt: skip
    budget = settings.step_budget_seconds

    def work():
        return _frame(session_id, store, options, budget)

    return sse(paced("session", work, 1 / fps, max_seconds))


async def paced(what, make_frame, interval, max_seconds):
    """Server-Sent Events for a session or group: a `frame` event from make_frame() (run in the
    thread pool; None while paused) at most every `interval` seconds, until the time limit, the
    thing is deleted, the store fails, or a frame says it diverged or carries its own end
    (``end``: a reason and a kind); then an `end` event with the reason, in words and as a
    `kind` a page can say in its own language: time_limit, gone, store, diverged, reached or
    replaced.
    Each frame checks the thing out of the store, which keeps it from expiring while it is
    watched and, with Redis, writes it back: a worker that dies loses one frame at most."""
    deadline = time.monotonic() + max_seconds
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            frame = await run_in_threadpool(make_frame)
        except SessionNotFound:
            yield event("end", {"reason": f"{what} deleted or expired", "kind": "gone"})
            return
        except (StoreUnavailable, SessionBusy) as error:
            yield event("end", {"reason": f"the session store failed: {error}", "kind": "store"})
            return
        if frame is None:
            yield ": paused\n\n"
            await asyncio.sleep(PAUSED_POLL_SECONDS)
            continue
        end = frame.pop("end", None)
        if end is None and frame.get("diverged"):
            end = {"reason": "diverged", "kind": "diverged"}
        if frame:  # (a frame may be only an end)
            yield event("frame", frame)
        if end:
            yield event("end", end)
            return
        await asyncio.sleep(max(0.0, interval - (time.monotonic() - started)))
    yield event("end", {"reason": "time limit", "kind": "time_limit"})


def sse(frames):
    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(frames, media_type="text/event-stream", headers=headers)


def _frame(session_id, store, options, budget):
    """One frame, or None while the session is paused (then nothing is written back)."""

    def work(session):
        if session.paused:
            return None
        steps, since = session.steps_per_frame, session.trainer.step_count
        try:
            done = session.advance(steps, budget)
        except DivergedError:
            done = 0
        return views.step_result(session_id, session, steps, done, options, since)

    return store.update(session_id, work, save=lambda session: not session.paused)
