"""Fixtures for the HTTP contract: a client with the lifespan running, and one built on other
settings (an overridden ``get_settings``) where a test needs different limits.

Every client runs each test twice: with the in-memory store and with the Redis store (a test
Redis, emptied per test), so the whole contract holds for both."""

import pytest
from fastapi.testclient import TestClient

from app.api import deps
from app.config import Settings, get_settings
from app.main import create_app


def settings_dependencies():
    """Every callable the routes may take Settings from: the documented seam ``get_settings``
    and, while it exists, the async wrapper in ``deps`` (see test_meta for the seam itself)."""
    wrapper = getattr(deps, "settings", None)
    return [get_settings] + ([wrapper] if callable(wrapper) else [])


@pytest.fixture(params=["memory", "redis"])
def store_kind(request, monkeypatch):
    """The store the app under test uses; with "redis", BOUNDARY_REDIS_URL is set for it."""
    if request.param == "redis":
        monkeypatch.setenv("BOUNDARY_REDIS_URL", request.getfixturevalue("redis_url"))
    get_settings.cache_clear()
    yield request.param
    get_settings.cache_clear()


@pytest.fixture
def client(store_kind):
    # 500s come back as responses, so a test fails on the status it asserts, not on a traceback
    with TestClient(create_app(), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def make_client(store_kind):
    """make_client(**settings) -> a running client whose routes see Settings(**settings)."""
    clients = []

    def make(**settings):
        app = create_app()
        overridden = Settings(**settings)
        for dependency in settings_dependencies():
            app.dependency_overrides[dependency] = lambda: overridden
        return started(TestClient(app, raise_server_exceptions=False), clients)

    yield make
    for client in clients:
        client.__exit__(None, None, None)


def started(client, clients):
    """Enter the client (its lifespan runs) and remember it, to be closed after the test."""
    client.__enter__()
    clients.append(client)
    return client


@pytest.fixture
def env_client(store_kind, monkeypatch):
    """env_client(NAME=value) -> a client of an app built after BOUNDARY_<NAME> is set, for what
    is read when the app is built (the body size cap); the environment is restored after."""
    clients = []

    def make(**env):
        for name, value in env.items():
            monkeypatch.setenv(f"BOUNDARY_{name.upper()}", str(value))
        get_settings.cache_clear()
        return started(TestClient(create_app(), raise_server_exceptions=False), clients)

    yield make
    for client in clients:
        client.__exit__(None, None, None)
    monkeypatch.undo()
    get_settings.cache_clear()
