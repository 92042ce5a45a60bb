"""Shared dependencies as Annotated aliases."""

from typing import Annotated

from fastapi import Depends, Path, Request

from app.config import Settings, get_settings
from app.training.session import Session
from app.training.store import SessionStore


def get_store(request: Request) -> SessionStore:
    return request.app.state.store


def get_session(
    session_id: Annotated[str, Path(description="the id POST /api/sessions returned")],
    store: Annotated[SessionStore, Depends(get_store)],
) -> Session:
    return store.get(session_id)


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[SessionStore, Depends(get_store)]
SessionDep = Annotated[Session, Depends(get_session)]
