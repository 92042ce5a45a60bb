"""Where sessions live: behind a small interface, so a shared store can replace memory later.

The in-memory store gives each session an unguessable id (128 random bits), expires idle
sessions, and evicts the least recently used beyond a maximum count.
"""

import secrets
import threading
import time
from collections import OrderedDict
from typing import Protocol

from app.training.session import Session


class SessionNotFound(KeyError):
    """No session under that id: never created, deleted, expired or evicted."""


class SessionStore(Protocol):
    def add(self, session: Session) -> str: ...
    def get(self, session_id: str) -> Session: ...
    def delete(self, session_id: str) -> None: ...
    def __len__(self) -> int: ...


class MemoryStore:
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
