"""Training sessions: create, step, change, reset, inspect, export/import, delete."""

from typing import Annotated

from fastapi import APIRouter, Query, Response
from fastapi.concurrency import run_in_threadpool

from app.api import views
from app.api.deps import SessionId, SettingsDep, StoreDep
from app.api.errors import BAD_CONFIG, BODY_ERRORS, DIVERGED, NOT_FOUND, STORE_DOWN
from app.api.responses import (
    ExportData,
    Grid,
    HiddenSpace,
    SessionDetail,
    SessionExport,
    SessionSummary,
    StepResult,
)
from app.api.schemas import LIMITS, PatchRequest, ResetRequest, SessionConfig, StepRequest
from app.training.session import ConfigError, Session

router = APIRouter(prefix="/api/sessions", tags=["sessions"], responses=STORE_DOWN)
WITH_BODY = {**NOT_FOUND, **BODY_ERRORS}
MAX_MESH_LINES, MAX_MESH_SAMPLES = 21, 101
LAYER_TEXT = "hidden layer, 0 = the first; default: the last"
X_UNIT_TEXT = (
    "the unit on the horizontal axis (with y_unit); default: the layer's own two units, or the "
    "top two principal directions of a wider layer"
)


@router.post("", status_code=201, response_model=SessionSummary, responses=BAD_CONFIG,
             summary="Create a training session")  # fmt: skip
def create_session(store: StoreDep, settings: SettingsDep, config: SessionConfig | None = None):
    config = config or SessionConfig()
    session = Session.create(config.model_dump(), settings)
    return views.summary(store.add(session), session)


@router.get("/{session_id}", response_model=SessionDetail, responses=NOT_FOUND,
            summary="A session's summary and its whole history")  # fmt: skip
def get_session(session_id: SessionId, store: StoreDep):
    with store.checkout(session_id, save=False) as session:
        return {**views.summary(session_id, session), "history": session.history.columns()}


@router.post("/{session_id}/step", response_model=StepResult,
             responses={**WITH_BODY, **DIVERGED},
             summary="Train some steps and return metrics, history and the grid")  # fmt: skip
async def step_session(session_id: SessionId, store: StoreDep, settings: SettingsDep,
                       request: StepRequest | None = None):  # fmt: skip
    request = request or StepRequest()
    return await run_in_threadpool(_step, session_id, store, settings, request)


def _step(session_id, store, settings, request):
    def work(session):
        since = session.trainer.step_count
        done = session.advance(request.steps, settings.step_budget_seconds)
        result = views.step_result(session_id, session, request.steps, done, request, since)
        return views.raw_json(result)

    return store.update(session_id, work)


@router.patch("/{session_id}", response_model=SessionSummary, responses=WITH_BODY,
              summary="Change training settings or stream speed without reset")  # fmt: skip
def patch_session(session_id: SessionId, store: StoreDep, changes: PatchRequest):
    fields = changes.model_dump(exclude_none=True)
    with store.checkout(session_id) as session:
        if "steps_per_frame" in fields:
            session.steps_per_frame = fields.pop("steps_per_frame")
        if "paused" in fields:
            session.paused = fields.pop("paused")
        if fields.pop("full_batch", False):
            fields["batch_size"] = None
        if fields or changes.full_batch:
            session.update(fields)
        return views.summary(session_id, session)


@router.post("/{session_id}/reset", response_model=SessionSummary, responses=WITH_BODY,
             summary="Start over from the same initial weights, or from a new seed")  # fmt: skip
def reset_session(session_id: SessionId, store: StoreDep, request: ResetRequest | None = None):
    with store.checkout(session_id) as session:
        session.reset((request or ResetRequest()).seed)
        return views.summary(session_id, session)


@router.get("/{session_id}/boundary", response_model=Grid,
            responses={**NOT_FOUND, **BAD_CONFIG}, summary="The decision grid now")  # fmt: skip
def boundary(
    session_id: SessionId,
    store: StoreDep,
    resolution: Annotated[int, Query(ge=10, le=LIMITS.max_grid_resolution)] = 100,
):
    with store.checkout(session_id, save=False) as session:
        if session.regression:
            raise ConfigError(
                "a regression run has no decision regions: its fit comes with each step "
                "(POST .../step with grid: true gives the curve or the value grid)"
            )
        return views.grid(session, resolution)


@router.get("/{session_id}/hidden-space", response_model=HiddenSpace,
            responses={**NOT_FOUND, **BAD_CONFIG},
            summary="Where a hidden layer puts the points and the plane's grid lines")  # fmt: skip
def hidden_space(
    session_id: SessionId,
    store: StoreDep,
    layer: Annotated[int | None, Query(ge=0, description=LAYER_TEXT)] = None,
    x_unit: Annotated[int | None, Query(ge=0, description=X_UNIT_TEXT)] = None,
    y_unit: Annotated[int | None, Query(ge=0, description="the unit on the vertical axis")] = None,
    lines: Annotated[int, Query(ge=2, le=MAX_MESH_LINES, description="mesh lines each way")] = 11,
    samples: Annotated[int, Query(ge=2, le=MAX_MESH_SAMPLES, description="points per line")] = 41,
):
    """The network maps every point of the plane into each hidden layer's space; the output
    layer then draws straight boundaries there. This shows a layer's space in two dimensions
    (two chosen units, or the principal directions of the training points) with the points
    and a mesh of the plane's lines, bent the way the layers bend it."""
    if (x_unit is None) != (y_unit is None):
        raise ConfigError("give both x_unit and y_unit, or neither")
    units = None if x_unit is None else (x_unit, y_unit)
    with store.checkout(session_id, save=False) as session:
        return views.space(session, layer, units, lines, samples)


@router.get("/{session_id}/data", response_model=ExportData, responses=NOT_FOUND,
            summary="The session's training and test points")  # fmt: skip
def session_data(session_id: SessionId, store: StoreDep):
    with store.checkout(session_id, save=False) as session:
        return views.data(session)


@router.get("/{session_id}/export", response_model=SessionExport, responses=NOT_FOUND,
            summary="Everything: config, data, weights per layer, state, history")  # fmt: skip
def export_session(session_id: SessionId, store: StoreDep):
    with store.checkout(session_id, save=False) as session:
        return views.export(session)


@router.post("/import", status_code=201, response_model=SessionSummary, responses=BAD_CONFIG,
             summary="Restore an export exactly, as a new session")  # fmt: skip
def import_session(store: StoreDep, settings: SettingsDep, export: SessionExport):
    session = views.restore(export, settings)
    return views.summary(store.add(session), session)


@router.delete("/{session_id}", status_code=204, responses=NOT_FOUND, summary="Delete a session")
def delete_session(session_id: SessionId, store: StoreDep):
    store.delete(session_id)
    return Response(status_code=204)
