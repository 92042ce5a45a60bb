"""The store contract, run against both stores on a fake clock: ids, idle expiry, the least
recently used going first, and checkout (one request at a time, changes kept)."""

import string
import threading

import pytest
import redis

from app.api.schemas import SessionConfig
from app.config import Settings
from app.training.redis_store import RedisStore
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


@pytest.fixture(params=["memory", "redis"])
def make_store(request, clock):
    """make_store(max_sessions, ttl_seconds) -> a store of each kind on the fake clock."""
    clients = []

    def make(max_sessions, ttl_seconds):
        if request.param == "memory":
            return MemoryStore(max_sessions, ttl_seconds, clock=clock)
        client = redis.Redis.from_url(request.getfixturevalue("redis_url"))
        clients.append(client)
        settings = Settings(max_sessions=max_sessions, session_ttl_seconds=ttl_seconds)
        return RedisStore(client, settings, clock=clock)

    yield make
    for client in clients:
        client.close()


def new_session(**config):
    config = SessionConfig.model_validate({"model": {"hidden": []}, **config}).model_dump()
    return Session.create(config, Settings())


def test_a_session_lives_until_its_ttl(make_store, clock):
    store = make_store(10, ttl_seconds=100)
    session_id = store.add(new_session())
    clock.now += 100
    assert len(store) == 1
    assert store.get(session_id) is not None


def test_an_idle_session_expires_after_its_ttl(make_store, clock):
    store = make_store(10, ttl_seconds=100)
    session_id = store.add(new_session())
    clock.now += 100.5
    with pytest.raises(SessionNotFound):
        store.get(session_id)
    assert len(store) == 0


def test_using_a_session_restarts_its_ttl(make_store, clock):
    store = make_store(10, ttl_seconds=100)
    session_id = store.add(new_session())
    clock.now += 90
    store.get(session_id)
    clock.now += 90
    assert store.get(session_id) is not None


def test_a_checkout_counts_as_using_a_session(make_store, clock):
    store = make_store(10, ttl_seconds=100)
    session_id = store.add(new_session())
    clock.now += 90
    with store.checkout(session_id, save=False):
        pass
    clock.now += 90
    with store.checkout(session_id) as session:
        assert session.trainer.step_count == 0


def test_only_the_idle_sessions_expire(make_store, clock):
    store = make_store(10, ttl_seconds=100)
    old, busy = store.add(new_session()), store.add(new_session())
    clock.now += 60
    store.get(busy)
    clock.now += 60
    fresh = store.add(new_session())
    assert len(store) == 2
    with pytest.raises(SessionNotFound):
        store.get(old)
    assert store.get(busy) and store.get(fresh)


def test_expired_sessions_free_their_places(make_store, clock):
    store = make_store(2, ttl_seconds=100)
    first = store.add(new_session())
    clock.now += 50
    second = store.add(new_session())
    clock.now += 60  # the first is now idle for 110 s
    third = store.add(new_session())
    assert store.get(second) and store.get(third)
    with pytest.raises(SessionNotFound):
        store.get(first)


def test_the_least_recently_used_session_is_evicted(make_store):
    store = make_store(2, ttl_seconds=100)
    a, b = store.add(new_session()), store.add(new_session())
    store.get(a)
    c = store.add(new_session())
    assert len(store) == 2
    assert store.get(a) and store.get(c)
    with pytest.raises(SessionNotFound):
        store.get(b)


def test_deleting_removes_and_deleting_an_unknown_id_raises(make_store):
    store = make_store(2, ttl_seconds=100)
    session_id = store.add(new_session())
    store.delete(session_id)
    assert len(store) == 0
    for call in (store.get, store.delete):
        with pytest.raises(SessionNotFound):
            call(session_id)
    with pytest.raises(SessionNotFound), store.checkout(session_id):
        pass


def test_ids_are_url_safe_and_128_bits(make_store):
    store = make_store(200, ttl_seconds=100)
    session = new_session()
    ids = {store.add(session) for _ in range(100)}
    assert len(ids) == 100
    assert all(len(i) >= 22 and set(i) <= URL_SAFE for i in ids)


def test_changes_made_in_a_checkout_are_kept(make_store):
    store = make_store(10, ttl_seconds=100)
    session_id = store.add(new_session())
    with store.checkout(session_id) as session:
        session.advance(7, 10)
        session.paused = True
    with store.checkout(session_id, save=False) as session:
        assert (session.trainer.step_count, session.paused) == (7, True)
        assert session.history.columns()["steps"]["step"] == list(range(7))
    assert store.get(session_id).trainer.step_count == 7


def test_a_checkout_of_another_kind_is_not_found(make_store):
    store = make_store(10, ttl_seconds=100)
    session_id = store.add(new_session())
    with pytest.raises(SessionNotFound), store.checkout(session_id, kind=int):
        pass


def test_checkouts_of_one_session_take_turns(make_store):
    store = make_store(10, ttl_seconds=100)
    session_id = store.add(new_session())
    inside, leave, second_in = threading.Event(), threading.Event(), threading.Event()

    def first():
        with store.checkout(session_id) as session:
            inside.set()
            leave.wait(10)
            session.advance(3, 10)

    def second():
        with store.checkout(session_id) as session:
            second_in.set()
            assert session.trainer.step_count == 3  # it sees what the first one wrote
            session.advance(2, 10)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    threads[0].start()
    assert inside.wait(10)
    threads[1].start()
    assert not second_in.wait(0.3)  # still waiting for the first to finish
    leave.set()
    for thread in threads:
        thread.join(10)
    assert second_in.is_set()
    assert store.get(session_id).trainer.step_count == 5
