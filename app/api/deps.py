"""Shared dependencies as Annotated aliases. All are async (none blocks), so FastAPI runs them
on the event loop instead of sending each through the thread pool (about 0.15 ms a request).
Tests give routes other settings by overriding ``settings``. Routes reach a session through
``store.checkout(session_id)``, which holds it for them (across processes with Redis)."""

from typing import Annotated

from fastapi import Depends, Path, Request

from app.config import Settings, get_settings
from app.training.store import SessionStore


async def get_store(request: Request) -> SessionStore:
    return request.app.state.store


async def settings() -> Settings:
    return get_settings()


SettingsDep = Annotated[Settings, Depends(settings)]
StoreDep = Annotated[SessionStore, Depends(get_store)]
SessionId = Annotated[str, Path(description="the id POST /api/sessions returned")]
