"""Where sessions live, behind one interface: this process's memory (the default), or Redis,
shared by every worker (``app.training.redis_store``, chosen by ``BOUNDARY_REDIS_URL``).

Either store gives each session (or group of sessions) an unguessable id (128 random bits),
expires idle sessions, and evicts the least recently used beyond a maximum count. Work on a
session happens inside ``checkout``: one at a time per session, across threads and, for Redis,
across processes.
"""

import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any, Protocol

from app.training.session import Session


class SessionNotFound(KeyError):
    """No session under that id: never created, deleted, expired or evicted."""


class StoreUnavailable(RuntimeError):
    """The shared store cannot be reached (Redis down); nothing was changed."""


class SessionBusy(RuntimeError):
    """The session stayed locked by another request for longer than a lock may live."""


# save: whether the checkout writes the session back; a callable decides at the end, on the
# session (a stream frame of a paused session changes nothing).
Save = bool | Callable[[Any], bool]


class SessionStore(Protocol):
    kind: str  # "memory" or "redis"

    def add(self, session: Any) -> str: ...
    def get(self, session_id: str) -> Any: ...
    def checkout(
        self, session_id: str, save: Save = True, kind: type = Session
    ) -> AbstractContextManager[Any]: ...
    def update(
        self, session_id: str, work: Callable[[Any], Any], save: Save = True, kind: type = Session
    ) -> Any: ...
    def delete(self, session_id: str) -> None: ...
    def ping(self) -> None: ...
    def __len__(self) -> int: ...


def make_store(settings):
    """The store the settings ask for: Redis with ``redis_url``, else this process's memory."""
    if settings.redis_url:
        from app.training.redis_store import RedisStore  # the redis client only when used

        return RedisStore.from_url(settings.redis_url, settings)
    return MemoryStore(settings.max_sessions, settings.session_ttl_seconds)


class MemoryStore:
    """Sessions in this process. ``checkout`` holds the session's own lock; nothing is copied."""

    kind = "memory"

    def __init__(self, max_sessions, ttl_seconds, clock=time.monotonic):
        self.max_sessions, self.ttl = max_sessions, ttl_seconds
        self.clock = clock
        self._sessions: OrderedDict[str, Session] = OrderedDict()
        self._lock = threading.Lock()

    def add(self, session):
        session_id = secrets.token_urlsafe(16)
        with self._lock:
            self._expire()
            while len(self._sessions) >= self.max_sessions:
                self._sessions.popitem(last=False)
            self._sessions[session_id] = session
            session.last_used = self.clock()
        return session_id

    def get(self, session_id):
        with self._lock:
            self._expire()
            session = self._sessions.get(session_id)
            if session is None:
                raise SessionNotFound(session_id)
            self._sessions.move_to_end(session_id)
            session.last_used = self.clock()
            return session

    @contextmanager
    def checkout(self, session_id, save=True, kind=Session) -> Iterator[Any]:
        """The session (or group: ``kind``) itself, under its lock; changes are made in place."""
        thing = self.get(session_id)
        if not isinstance(thing, kind):
            raise SessionNotFound(session_id)
        with thing.lock:
            yield thing

    def update(self, session_id, work, save=True, kind=Session):
        """work(session) in a checkout; -> what work returns. (Redis may run work twice.)"""
        with self.checkout(session_id, save, kind) as thing:
            return work(thing)

    def ping(self):
        """Memory is always there."""

    def delete(self, session_id):
        with self._lock:
            if self._sessions.pop(session_id, None) is None:
                raise SessionNotFound(session_id)

    def __len__(self):
        with self._lock:
            self._expire()
            return len(self._sessions)

    def _expire(self):
        """Drop sessions idle longer than the TTL (oldest first, so stop at the first fresh)."""
        now = self.clock()
        while self._sessions:
            session_id, session = next(iter(self._sessions.items()))
            if now - session.last_used <= self.ttl:
                break
            del self._sessions[session_id]
