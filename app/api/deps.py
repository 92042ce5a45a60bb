"""Shared dependencies as Annotated aliases. All are async (none blocks), so FastAPI runs them
on the event loop instead of sending each through the thread pool (about 0.15 ms a request).
Tests give routes other settings by overriding ``settings``."""

from typing import Annotated

from fastapi import Depends, Path, Request

from app.config import Settings, get_settings
from app.training.session import Session
from app.training.store import SessionStore


async def get_store(request: Request) -> SessionStore:
    return request.app.state.store


async def get_session(
    session_id: Annotated[str, Path(description="the id POST /api/sessions returned")],
    store: Annotated[SessionStore, Depends(get_store)],
) -> Session:
    return store.get(session_id)


async def settings() -> Settings:
    return get_settings()


SettingsDep = Annotated[Settings, Depends(settings)]
StoreDep = Annotated[SessionStore, Depends(get_store)]
SessionDep = Annotated[Session, Depends(get_session)]
