"""Stateless training for scripts and notebooks: a config in, a trained run's results out."""

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool

from app.api import views
from app.api.deps import SettingsDep
from app.api.errors import BAD_CONFIG
from app.api.responses import StepResult
from app.api.schemas import TrainRequest
from app.training.session import Session

router = APIRouter(prefix="/api", tags=["train"])


@router.post("/train", response_model=StepResult,
             responses=BAD_CONFIG,
             summary="Train a fresh run and return its results; nothing is kept")  # fmt: skip
async def train(settings: SettingsDep, request: TrainRequest | None = None):
    request = request or TrainRequest()
    return await run_in_threadpool(_train, settings, request)


def _train(settings, request):
    session = Session.create(request.config.model_dump(), settings)
    done = session.advance(request.steps, settings.step_budget_seconds)
    return views.raw_json(views.step_result(None, session, request.steps, done, request, None))
