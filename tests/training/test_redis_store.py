"""What only the Redis store does: several workers share sessions exactly, the history is kept
row by row, a lock lapses, a failed request writes nothing, and Redis going away is reported
and survived."""

import random
import threading
import time

import numpy as np
import pytest
import redis

from app.api.schemas import SessionConfig
from app.config import Settings
from app.training.redis_store import RedisStore, StoredHistory
from app.training.session import History, Session
from app.training.store import MemoryStore, SessionBusy, SessionNotFound, StoreUnavailable
from bench.servers import RedisServer, free_port

NOISY = {"optimizer": "adam", "learning_rate": 0.01, "batch_size": 16, "keep_prob": 0.8,
         "input_noise": 0.1}  # fmt: skip


@pytest.fixture
def workers(redis_url):
    """workers(n, **settings) -> n RedisStores on the test Redis, as n processes would have."""
    clients = []

    def make(n=2, **settings):
        stores = []
        for _ in range(n):
            clients.append(redis.Redis.from_url(redis_url))
            stores.append(RedisStore(clients[-1], Settings(**settings)))
        return stores

    yield make
    for client in clients:
        client.close()


def new_session(settings=None, **training):
    config = {"model": {"hidden": [8]}, "training": {**NOISY, **training}}
    return Session.create(SessionConfig.model_validate(config).model_dump(), settings or Settings())


def exchange(store, session_id, work):
    """work(session) as a request would: an update (optimistic where the worker holds the
    current object, else under the lock)."""
    return store.update(session_id, work)


def test_sessions_moved_between_workers_train_bit_for_bit_like_one_in_memory(workers):
    memory = MemoryStore(10, 100)
    a, b, c = workers(3)
    ids = {memory: memory.add(new_session())}
    ids[a] = a.add(new_session())
    script = [  # (who serves it in the Redis run, what it does)
        (b, lambda s: s.advance(13, 10)),
        (c, lambda s: s.update({"learning_rate": 0.003})),
        (a, lambda s: s.advance(20, 10)),
        (a, lambda s: s.advance(5, 10)),
        (b, lambda s: s.reset()),
        (c, lambda s: s.advance(31, 10)),
        (b, lambda s: s.advance(1, 10)),
    ]
    for worker, work in script:
        exchange(memory, ids[memory], work)
        exchange(worker, ids[a], work)
    with memory.checkout(ids[memory]) as one, c.checkout(ids[a]) as other:
        assert other.trainer.to_bytes() == one.trainer.to_bytes()
        assert other.metrics() == one.metrics()
        assert other.history.columns() == one.history.columns()
        assert other.config == one.config


def test_a_stream_of_frames_writes_only_new_rows_and_keeps_the_history_exact(workers, redis_url):
    a, b = workers(2, max_history=100)
    plain = new_session(Settings(max_history=100))
    session_id = a.add(new_session(Settings(max_history=100)))
    for i in range(30):  # 30 frames of 7 steps: the 100-row cap is passed twice over
        since = plain.trainer.step_count
        plain.advance(7, 10)
        with (a if i % 5 else b).checkout(session_id) as session:
            assert session.trainer.step_count == since
            session.advance(7, 10)
            frame = session.history.columns(since=since, tail=500)
        assert frame == plain.history.columns(since=since, tail=500)
    with redis.Redis.from_url(redis_url) as client:
        assert client.llen(f"boundary:s:{session_id}:steps") == 100  # trimmed like the deque
    with b.checkout(session_id, save=False) as session:
        assert session.history.columns() == plain.history.columns()
        assert session.history.columns(since=150, tail=20) == plain.history.columns(150, 20)


@pytest.mark.parametrize("since", [None, 0, 4, 5, 6, 9, 10, 11, 30])
@pytest.mark.parametrize("tail", [None, 1, 3, 8])
def test_stored_history_answers_like_the_plain_history(since, tail):
    """Rows 0-5 stored, 6-9 added since: every slice is what History gives for rows 0-9."""

    class Stats:
        def __init__(self, step):
            self.step, self.data_loss, self.reg_loss, self.accuracy = step, 1 / (step + 1), 0, 0.5

    plain, reads = History(8), []
    for step in range(10):
        plain.add_step(Stats(step))
        plain.add_evaluation(step, {"data_loss": step, "accuracy": 1}, None)
    stored_rows = (list(plain.steps)[:4], list(plain.evaluations)[:4])  # rows 2-5 of the 8 kept

    def read():
        reads.append(1)
        return stored_rows

    history = StoredHistory(8, read, [5, 5])
    for step in range(6, 10):
        history.add_step(Stats(step))
        history.add_evaluation(step, {"data_loss": step, "accuracy": 1}, None)
    assert history.columns(since=since, tail=tail) == plain.columns(since=since, tail=tail)
    frame_only = since is not None and since >= 6
    assert bool(reads) == (not frame_only and tail not in (1, 3))


def test_a_request_that_fails_writes_nothing(workers):
    a, b = workers(2)
    session_id = a.add(new_session())
    with pytest.raises(RuntimeError), a.checkout(session_id) as session:
        session.advance(10, 10)
        raise RuntimeError("the request failed half way")
    with b.checkout(session_id, save=False) as session:
        assert session.trainer.step_count == 0
    with a.checkout(session_id, save=False) as session:  # a does not reuse its changed object
        assert session.trainer.step_count == 0


def test_a_lock_held_by_a_dead_worker_lapses(workers):
    dead, alive = workers(2, session_lock_seconds=0.5, step_budget_seconds=0.1)
    session_id = dead.add(new_session())
    dead._acquire(session_id, "a token nobody will release")  # then the worker is killed
    started = time.monotonic()
    with alive.checkout(session_id) as session:
        waited = time.monotonic() - started
        session.advance(3, 10)
    assert 0.3 < waited < 2.5
    assert alive.get(session_id).trainer.step_count == 3


def test_a_request_that_outlives_its_lock_is_refused_if_another_changed_the_session(workers):
    slow, fast = workers(2, session_lock_seconds=0.5, step_budget_seconds=0.1)
    session_id = slow.add(new_session())
    entered = threading.Event()

    def overtake():
        entered.wait(10)
        with fast.checkout(session_id) as session:  # gets in once the slow one's lock lapses
            session.advance(2, 10)

    thread = threading.Thread(target=overtake)
    thread.start()
    with pytest.raises(SessionBusy, match="changes were dropped"), slow.checkout(session_id) as s:
        entered.set()
        thread.join(10)
        s.advance(50, 10)
    assert fast.get(session_id).trainer.step_count == 2


def test_a_lapsed_lock_nobody_took_still_saves(workers):
    (store,) = workers(1, session_lock_seconds=0.3, step_budget_seconds=0.1)
    session_id = store.add(new_session())
    with store.checkout(session_id) as session:
        session.advance(4, 10)
        deadline = time.monotonic() + 0.4
        while time.monotonic() < deadline:  # outlive the lock, with no one else around
            time.sleep(0.05)
    assert store.get(session_id).trainer.step_count == 4


def test_redis_down_means_store_unavailable_and_its_return_means_service():
    port = free_port()
    store = RedisStore.from_url(f"redis://127.0.0.1:{port}/0", Settings())
    calls = [store.ping, store.__len__, lambda: store.add(new_session()),
             lambda: store.get("x"), lambda: store.delete("x")]  # fmt: skip
    for call in calls:
        with pytest.raises(StoreUnavailable, match="onnect"):
            call()
    server = RedisServer(port)
    try:
        store.ping()
        session_id = store.add(new_session())
        with store.checkout(session_id) as session:
            session.advance(2, 10)
        server.stop()
        with pytest.raises(StoreUnavailable), store.checkout(session_id):
            pass
        server = RedisServer(port)  # back, empty (no persistence in the tests)
        assert len(store) == 0
        with pytest.raises(SessionNotFound):
            store.get(session_id)
        assert np.isfinite(store.get(store.add(new_session())).trainer.network.theta).all()
    finally:
        server.stop()


@pytest.mark.parametrize("idle_updates", [0, 2])
def test_an_update_on_the_object_a_worker_holds_takes_one_round_trip(workers, idle_updates):
    """Also after updates that wrote nothing, as a paused stream's frames do."""
    (store,) = workers(1)
    session_id = store.add(new_session())
    store.update(session_id, lambda s: s.advance(2, 10))  # loads it, under the lock
    for _ in range(idle_updates):
        assert store.update(session_id, lambda s: s.trainer.step_count, save=False) == 2
    scripts = []
    original = store._run
    store._run = lambda name, *args: scripts.append(name) or original(name, *args)
    store.update(session_id, lambda s: s.advance(3, 10))
    assert scripts == ["commit"]
    assert store.get(session_id).trainer.step_count == 5


def test_an_update_on_an_object_another_worker_changed_is_done_again_on_the_new_one(workers):
    a, b = workers(2)
    session_id = a.add(new_session())
    a.update(session_id, lambda s: s.advance(2, 10))  # a now holds version 2
    with b.checkout(session_id) as session:
        session.advance(5, 10)
    runs = []

    def work(session):
        runs.append(session.trainer.step_count)
        session.advance(3, 10)
        return session.trainer.step_count

    assert a.update(session_id, work) == 10
    assert runs == [2, 7]  # first on a's stale object (dropped), then on the stored one
    assert b.get(session_id).trainer.step_count == 10


def test_an_update_waits_for_a_request_holding_the_lock_elsewhere(workers):
    a, b = workers(2)
    session_id = a.add(new_session())
    a.update(session_id, lambda s: s.advance(1, 10))
    inside, leave = threading.Event(), threading.Event()

    def hold():
        with b.checkout(session_id) as session:
            inside.set()
            leave.wait(10)
            session.paused = True

    thread = threading.Thread(target=hold)
    thread.start()
    inside.wait(10)
    threading.Timer(0.2, leave.set).start()
    seen = a.update(session_id, lambda s: (s.paused, s.advance(1, 10)))
    thread.join(10)
    assert seen[0] is True  # it ran after b's change, on b's version
    assert a.get(session_id).trainer.step_count == 2


def test_a_request_in_the_same_worker_never_sees_an_optimistic_update_that_was_dropped(
    workers, redis_url
):
    """One worker, two threads: an optimistic update works on the cached object while another
    request of the same worker takes the Redis lock. The update's commit fails and its work is
    done again; the other request must work on the stored state, not on the dropped changes."""
    (store,) = workers(1)
    session_id = store.add(new_session())
    store.update(session_id, lambda s: s.advance(2, 10))  # the worker now holds version 2
    locked = threading.Event()
    probe = redis.Redis.from_url(redis_url)
    seen = []

    def optimistic(session):
        seen.append(("update", session.trainer.step_count))
        session.advance(3, 10)
        if len(seen) == 1:  # the first run: the other request takes the lock meanwhile
            locked.set()
            until = time.monotonic() + 10
            while not probe.exists(f"boundary:s:{session_id}:lock") and time.monotonic() < until:
                time.sleep(0.001)

    def other():
        locked.wait(10)
        with store.checkout(session_id) as session:
            seen.append(("checkout", session.trainer.step_count))
            session.advance(5, 10)

    thread = threading.Thread(target=other)
    thread.start()
    store.update(session_id, optimistic)  # -> its commit fails; done again under the lock
    thread.join(10)
    probe.close()
    assert seen == [("update", 2), ("checkout", 2), ("update", 7)]
    assert store.get(session_id).trainer.step_count == 10


def test_threads_of_two_workers_mixing_updates_and_checkouts_apply_each_step_once(workers):
    """A stress run of the case above: 8 threads, each doing 10 requests of 3 steps through
    either worker, optimistic or under the lock. Each request must see its own starting step,
    and the session must end with every step counted once."""
    stores = workers(2)
    for round_ in range(5):
        session_id = stores[0].add(new_session())
        starts = []
        threads = [
            threading.Thread(target=three_step_requests, args=(stores, session_id, seed, starts))
            for seed in range(8 * round_, 8 * round_ + 8)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert sorted(starts) == list(range(0, 240, 3))
        assert stores[1].get(session_id).trainer.step_count == 240


def three_step_requests(stores, session_id, seed, starts):
    """10 requests of 3 steps, each through a random worker, half of them optimistic updates;
    each appends the step it started from to ``starts``."""

    def three_steps(session):
        start = session.trainer.step_count
        session.advance(3, 10)
        return start

    rng = random.Random(seed)
    for _ in range(10):
        store = stores[rng.randrange(2)]
        if rng.random() < 0.5:
            starts.append(store.update(session_id, three_steps))
        else:
            with store.checkout(session_id) as session:
                starts.append(three_steps(session))
