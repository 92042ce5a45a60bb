"""The in-memory store on a fake clock: idle sessions expire, the least recently used go."""

import string

import pytest

from app.api.schemas import SessionConfig
from app.config import Settings
from app.training.session import Session
from app.training.store import MemoryStore, SessionNotFound

URL_SAFE = set(string.ascii_letters + string.digits + "-_")


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock():
    return FakeClock()


def new_session():
    config = SessionConfig.model_validate({"model": {"hidden": []}}).model_dump()
    return Session.create(config, Settings())


def test_a_session_lives_until_its_ttl(clock):
    store = MemoryStore(10, ttl_seconds=100, clock=clock)
    session_id = store.add(new_session())
    clock.now += 100
    assert len(store) == 1
    assert store.get(session_id) is not None


def test_an_idle_session_expires_after_its_ttl(clock):
    store = MemoryStore(10, ttl_seconds=100, clock=clock)
    session_id = store.add(new_session())
    clock.now += 100.5
    with pytest.raises(SessionNotFound):
        store.get(session_id)
    assert len(store) == 0


def test_using_a_session_restarts_its_ttl(clock):
    store = MemoryStore(10, ttl_seconds=100, clock=clock)
    session_id = store.add(new_session())
    clock.now += 90
    store.get(session_id)
    clock.now += 90
    assert store.get(session_id) is not None


def test_only_the_idle_sessions_expire(clock):
    store = MemoryStore(10, ttl_seconds=100, clock=clock)
    old, busy = store.add(new_session()), store.add(new_session())
    clock.now += 60
    store.get(busy)
    clock.now += 60
    fresh = store.add(new_session())
    assert len(store) == 2
    with pytest.raises(SessionNotFound):
        store.get(old)
    assert store.get(busy) and store.get(fresh)


def test_expired_sessions_free_their_places(clock):
    store = MemoryStore(2, ttl_seconds=100, clock=clock)
    first = store.add(new_session())
    clock.now += 50
    second = store.add(new_session())
    clock.now += 60  # the first is now idle for 110 s
    third = store.add(new_session())
    assert store.get(second) and store.get(third)
    with pytest.raises(SessionNotFound):
        store.get(first)


def test_the_least_recently_used_session_is_evicted(clock):
    store = MemoryStore(2, ttl_seconds=100, clock=clock)
    a, b = store.add(new_session()), store.add(new_session())
    store.get(a)
    c = store.add(new_session())
    assert len(store) == 2
    assert store.get(a) and store.get(c)
    with pytest.raises(SessionNotFound):
        store.get(b)


def test_deleting_an_unknown_id_raises(clock):
    store = MemoryStore(2, ttl_seconds=100, clock=clock)
    with pytest.raises(SessionNotFound):
        store.delete("nope")


def test_ids_are_url_safe_and_128_bits(clock):
    store = MemoryStore(200, ttl_seconds=100, clock=clock)
    session = new_session()
    ids = {store.add(session) for _ in range(100)}
    assert len(ids) == 100
    assert all(len(i) >= 22 and set(i) <= URL_SAFE for i in ids)
