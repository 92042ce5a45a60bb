"""Shared dependencies as Annotated aliases. The store and session lookups are async (they
never block), so FastAPI runs them on the event loop instead of through the thread pool.
Tests change settings by overriding ``get_settings``."""

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


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[SessionStore, Depends(get_store)]
SessionDep = Annotated[Session, Depends(get_session)]
