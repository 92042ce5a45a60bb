"""Runs side by side: one request or one stream advances every panel of a group together."""

import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import StreamingResponse
from pydantic import ValidationError

from app.api import views
from app.api.deps import SettingsDep, StoreDep
from app.api.errors import BAD_CONFIG, NOT_FOUND, STORE_DOWN
from app.api.routes.stream import paced, sse
from app.api.schemas import LIMITS, GroupRequest, SessionConfig
from app.training.group import AXES, KIND_EXAMPLES, Group, axis_value, build_group

router = APIRouter(prefix="/api/groups", tags=["groups"], responses=STORE_DOWN)
PANEL_RESOLUTION = 50
MAX_PANEL_RESOLUTION = 100
MAX_UNTIL_STEP = 1_000_000

GroupId = Annotated[str, Path(description="the id POST /api/groups returned")]


def ensure_group(store, group_id):
    """Raise SessionNotFound unless the id is a group's (a session's id is not)."""
    with store.checkout(group_id, save=False, kind=Group):
        pass


Resolution = Annotated[int, Query(ge=10, le=MAX_PANEL_RESOLUTION, description="panel grid R×R")]
Steps = Annotated[int, Query(ge=0, le=LIMITS.max_steps_per_frame, description="steps per panel")]
UNTIL_TEXT = (
    "no panel trains past this step (a preset's figure); a stream ends once every panel is "
    "there or has diverged, with the reason 'reached step N'"
)
UntilStep = Annotated[int | None, Query(ge=1, le=MAX_UNTIL_STEP, examples=[3000],
                                        description=UNTIL_TEXT)]  # fmt: skip


def frame(group_id, group, resolution):
    """Every panel's metrics and decision grid."""
    panels = []
    for row, col, chosen, session in group.panels:
        with session.lock:
            panels.append({
                "row": row, "col": col, "settings": chosen,
                "metrics": session.metrics(),
                "diverged": session.trainer.diverged_at is not None,
                "grid": views.grid(session, resolution),
            })  # fmt: skip
    return {"id": group_id, "panels": panels}


def summary(group_id, group):
    panels = [
        {"row": row, "col": col, "settings": chosen,
         "parameters": views.parameters(session.trainer.spec),
         "points": views.data(session)}
        for row, col, chosen, session in group.panels
    ]  # fmt: skip
    return {"id": group_id, "rows": group.rows, "columns": group.columns, "panels": panels}


@router.post("", status_code=201, responses=BAD_CONFIG,
             summary="Create panels: rows and columns vary a setting each")  # fmt: skip
def create_group(store: StoreDep, settings: SettingsDep, request: GroupRequest) -> dict[str, Any]:
    if errors := list(unusable_values(request)):
        raise RequestValidationError(errors)
    base = request.base.model_dump()
    axes = [a.model_dump() if a else None for a in (request.rows, request.columns)]

    def validate(config, chosen):
        try:
            return SessionConfig.model_validate(config, strict=False).model_dump()
        except ValidationError as error:
            raise RequestValidationError(
                [{**e, "loc": ("body", *where(request, e["loc"], chosen))} for e in error.errors()]
            ) from None

    group = build_group(base, *axes, validate, settings)
    return summary(store.add(group), group)


KIND_ERRORS = {"whole": "int_parsing", "number": "float_parsing", "name": "string_type"}


def unusable_values(request):
    """Row and column values that are not what their axis takes, as 422 items at their place."""
    for which in ("rows", "columns"):
        axis = getattr(request, which)
        kind = AXES[axis.axis].kind if axis else None
        for i, value in enumerate(axis.values if axis else []):
            try:
                axis_value(kind, value)
            except ValueError as error:
                message = f"{error} (such as {KIND_EXAMPLES[kind]})"
                loc = ("body", which, "values", i)
                yield {"type": KIND_ERRORS[kind], "loc": loc, "msg": message, "input": value}


def where(request, loc, chosen):
    """A panel config's error loc -> its place in the request: the row or column value that
    set it, or the shared base."""
    for which in ("rows", "columns"):
        axis = getattr(request, which)
        path = AXES[axis.axis].path if axis else None
        if path and tuple(loc[: len(path)]) == path:
            return (which, "values", axis.values.index(chosen[axis.axis]))
    return ("base", *loc)


@router.post("/{group_id}/step", responses=NOT_FOUND,
             summary="Advance every panel (an open stream of the group ends)")  # fmt: skip
async def step_group(
    group_id: GroupId,
    store: StoreDep,
    settings: SettingsDep,
    steps: Steps = 10,
    resolution: Resolution = PANEL_RESOLUTION,
    until_step: UntilStep = None,
):
    def work(group):
        group.stream = None  # a stream still open ends: a paused page asks where the group is
        group.advance(steps, settings.step_budget_seconds, until_step)
        return views.raw_json(frame(group_id, group, resolution))

    return await run_in_threadpool(store.update, group_id, work, True, Group)


@router.post("/{group_id}/reset", responses=NOT_FOUND, summary="Every panel back to step 0")
async def reset_group(group_id: GroupId, store: StoreDep,
                      resolution: Resolution = PANEL_RESOLUTION):  # fmt: skip
    def work():
        with store.checkout(group_id, kind=Group) as group:
            group.reset()
            return views.raw_json(frame(group_id, group, resolution))

    return await run_in_threadpool(work)


@router.delete("/{group_id}", status_code=204, responses=NOT_FOUND, summary="Delete a group")
def delete_group(group_id: GroupId, store: StoreDep):
    ensure_group(store, group_id)
    store.delete(group_id)
    return Response(status_code=204)


@router.get("/{group_id}/stream", response_class=StreamingResponse,
            responses={200: {"content": {"text/event-stream": {}}}, **NOT_FOUND},
            summary="Live frames of every panel (Server-Sent Events)")  # fmt: skip
async def stream_group(
    group_id: GroupId,
    store: StoreDep,
    settings: SettingsDep,
    steps_per_frame: Steps = 5,
    resolution: Resolution = PANEL_RESOLUTION,
    fps: Annotated[float, Query(gt=0, le=LIMITS.max_frames_per_second)] = min(
        20, LIMITS.max_frames_per_second
    ),
    max_seconds: Annotated[float, Query(gt=0, le=LIMITS.max_stream_seconds)] = min(
        60, LIMITS.max_stream_seconds
    ),
    until_step: UntilStep = None,
):
    await run_in_threadpool(ensure_group, store, group_id)  # a 404 now, not an empty stream
    token, claimed = secrets.token_urlsafe(8), False

    def work(group):
        if not claimed:
            group.stream = token  # an older stream of the group ends at its next frame
        elif group.stream != token:
            return {"end": {"reason": "a step or a newer stream took over the group",
                            "kind": "replaced"}}  # fmt: skip
        group.advance(steps_per_frame, settings.step_budget_seconds, until_step)
        shown = frame(group_id, group, resolution)
        if until_step is not None and group.reached(until_step):
            shown["end"] = {"reason": f"reached step {until_step}", "kind": "reached"}
        return shown

    def make_frame():
        nonlocal claimed
        shown = store.update(group_id, work, kind=Group)
        claimed = True
        return shown

    return sse(paced("group", make_frame, 1 / fps, max_seconds))
