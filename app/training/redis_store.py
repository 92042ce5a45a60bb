"""Sessions in Redis: every worker of every container serves every session.

Per session id, under a prefix (``boundary:``):

    s:<id>               hash: ``v`` (version, +1 per write), ``blob`` (``app.training.codec``
                         bytes), ``newest`` (JSON: the step of the newest stored history row of
                         each kind)
    s:<id>:steps         list of JSON history rows, trimmed to ``max_history`` like the deque;
    s:<id>:evaluations   written only as rows are added, so a frame writes its own rows only
    s:<id>:lock          a random token while a request works on the session, with an expiry
    used, order          sorted sets of ids: by last use (idle expiry), by a use counter (LRU)

Every change is one Lua script, so it is atomic. ``checkout`` takes the lock (SET NX PX: it
lapses after ``session_lock_seconds``, so a killed worker cannot hold a session longer), loads
the session, yields it, writes it back with its new history rows and releases the lock, in two
round trips. Each worker keeps the objects it last wrote, by version, and does not load them
again while the version in Redis is theirs; a request takes such an object out of that cache
while it works on it, so no two requests of a worker ever share one. ``update`` (stream frames,
step requests) goes further where the worker holds the current object, as it does for every
frame of a stream after the first: it works on it without the lock and writes it only if the
version is still the one it worked on and no one holds the lock (compare and set, one round
trip); else it does the work again under the lock, on the stored state. Idle sessions expire
(PEXPIRE, and by score when counted); the oldest go beyond ``max_sessions``. Scripts name their
keys from the prefix, so this wants one Redis server (not a cluster).
"""

import json
import math
import secrets
import threading
import time
from collections import OrderedDict
from contextlib import contextmanager

import redis
from redis.backoff import ExponentialBackoff
from redis.retry import Retry

from app.training import codec
from app.training.session import History, Session
from app.training.store import SessionBusy, SessionNotFound, StoreUnavailable

# ARGV[1..5] of every script: prefix, id, now, cutoff (now - ttl: idle before it = expired),
# ttl in ms.
PRELUDE = """
local P, id, now, cutoff, ttl = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local key = P .. 's:' .. id
local function drop(other)
  local k = P .. 's:' .. other
  redis.call('DEL', k, k .. ':steps', k .. ':evaluations', k .. ':lock')
  redis.call('ZREM', P .. 'used', other)
  redis.call('ZREM', P .. 'order', other)
end
local function alive()
  local used = redis.call('ZSCORE', P .. 'used', id)
  if used and tonumber(used) >= tonumber(cutoff) and redis.call('EXISTS', key) == 1 then
    return true
  end
  if used then drop(id) end
  return false
end
local function purge()
  for _, other in ipairs(redis.call('ZRANGEBYSCORE', P .. 'used', '-inf', '(' .. cutoff)) do
    drop(other)
  end
end
local function touch()
  redis.call('ZADD', P .. 'used', now, id)
  redis.call('ZADD', P .. 'order', redis.call('INCR', P .. 'seq'), id)
  for _, k in ipairs({key, key .. ':steps', key .. ':evaluations'}) do
    redis.call('PEXPIRE', k, ttl)
  end
end
local function push(list, first, last, limit)
  for i = first, last, 1000 do
    redis.call('RPUSH', list, unpack(ARGV, i, math.min(i + 999, last)))
  end
  if last >= first then redis.call('LTRIM', list, -tonumber(limit), -1) end
end
-- ARGV[9..]: blob, newest, limit, cleared, n step rows, step rows..., evaluation rows...
local function write()
  local v = redis.call('HINCRBY', key, 'v', 1)
  redis.call('HSET', key, 'blob', ARGV[9], 'newest', ARGV[10])
  if ARGV[12] == '1' then redis.call('DEL', key .. ':steps', key .. ':evaluations') end
  local n = tonumber(ARGV[13])
  push(key .. ':steps', 14, 13 + n, ARGV[11])
  push(key .. ':evaluations', 14 + n, #ARGV, ARGV[11])
  return v
end
"""

SCRIPTS = {
    # max, blob, newest, limit, n step rows, step rows..., evaluation rows...
    "add": """
purge()
while redis.call('ZCARD', P .. 'order') >= tonumber(ARGV[6]) do
  drop(redis.call('ZPOPMIN', P .. 'order')[1])
end
redis.call('HSET', key, 'v', 1, 'blob', ARGV[7], 'newest', ARGV[8])
local n = tonumber(ARGV[10])
push(key .. ':steps', 11, 10 + n, ARGV[9])
push(key .. ':evaluations', 11 + n, #ARGV, ARGV[9])
touch()
return 1
""",
    # token, lock ms, cached version -> {-1} gone, {0} locked, {1, v} cached is current,
    # {2, v, blob, newest}
    "acquire": """
if not alive() then return {-1} end
if redis.call('GET', key .. ':lock') == ARGV[6] then
  redis.call('PEXPIRE', key .. ':lock', ARGV[7])  -- ours already: load it again
elseif not redis.call('SET', key .. ':lock', ARGV[6], 'NX', 'PX', ARGV[7]) then
  return {0}
end
local v = redis.call('HGET', key, 'v')
if v == ARGV[8] then return {1, v} end
local data = redis.call('HMGET', key, 'blob', 'newest')
return {2, v, data[1], data[2]}
""",
    # token, 'save' or 'touch', version read, then what write() takes
    # -> -1 gone, -2 the lock lapsed and another request changed the session, else the version
    "release": """
local lock = redis.call('GET', key .. ':lock')
if lock == ARGV[6] then redis.call('DEL', key .. ':lock') end
if redis.call('EXISTS', key) == 0 then return -1 end
if lock ~= ARGV[6] and (lock or redis.call('HGET', key, 'v') ~= ARGV[8]) then return -2 end
local v = tonumber(redis.call('HGET', key, 'v'))
if ARGV[7] == 'save' then v = write() end
touch()
return v
""",
    # '', 'save' or 'touch', the version the change was made on, then what write() takes:
    # written only if no one holds the lock and no one wrote since (compare and set)
    # -> -1 gone, -2 changed or locked meanwhile, else the version
    "commit": """
if not alive() then return -1 end
if redis.call('EXISTS', key .. ':lock') == 1 or redis.call('HGET', key, 'v') ~= ARGV[8] then
  return -2
end
local v = tonumber(ARGV[8])
if ARGV[7] == 'save' then v = write() end
touch()
return v
""",
    # -> {} gone, or {blob, step rows, evaluation rows}: a snapshot, without the lock
    "get": """
if not alive() then return {} end
touch()
return {redis.call('HGET', key, 'blob'), redis.call('LRANGE', key .. ':steps', 0, -1),
        redis.call('LRANGE', key .. ':evaluations', 0, -1)}
""",
    "delete": """
if not alive() then return 0 end
drop(id)
return 1
""",
    "count": """
purge()
return redis.call('ZCARD', P .. 'order')
""",
}

# Redis answers that mean "not now" rather than a bug: out of memory, a read-only replica,
# snapshots failing, still loading.
UNAVAILABLE_REPLIES = ("OOM", "READONLY", "MISCONF", "LOADING")


class StoredHistory(History):
    """A session's history whose rows live in Redis lists. It holds the rows added since the
    last write, which the next write appends, and reads the stored rows back only when a
    response reaches past the new ones (a frame needs only its own; GET and export, all)."""

    def __init__(self, limit, read, newest):
        super().__init__(limit)
        self.read = read  # () -> (stored step rows, stored evaluation rows)
        self.newest = newest  # step of the newest stored row of each kind, or None
        self.complete = newest == [None, None]  # the deques hold the whole history
        self.cleared = False
        self.added = [0, 0]

    def add_step(self, stats):
        super().add_step(stats)
        self.added[0] += 1

    def add_evaluation(self, step, train, test):
        super().add_evaluation(step, train, test)
        self.added[1] += 1

    def clear(self):
        super().clear()
        self.cleared, self.complete, self.added = True, True, [0, 0]

    def columns(self, since=None, tail=None):
        if not self.complete and self._reaches_stored(since, tail):
            stored = self.read()
            for rows, old in zip((self.steps, self.evaluations), stored, strict=True):
                new = list(rows)  # not complete: the deques hold only the rows not yet written
                rows.clear()
                rows.extend(old)
                rows.extend(new)
            self.complete = True
        return super().columns(since, tail)

    def _reaches_stored(self, since, tail):
        """Whether History.columns, walking back from the newest row, would go past the rows
        held here into the stored ones."""
        firsts = (None, None) if since is None else (since, since + 1)
        for rows, first, newest in zip((self.steps, self.evaluations), firsts, self.newest,
                                       strict=True):  # fmt: skip
            if newest is None or (tail is not None and len(rows) >= tail):
                continue
            if first is not None and (newest < first or any(row[0] < first for row in rows)):
                continue
            return True
        return False

    def unwritten(self):
        """-> (step rows, evaluation rows) to append, whether to clear first, newest steps."""
        pending = [
            list(rows)[len(rows) - min(n, len(rows)) :]
            for rows, n in zip((self.steps, self.evaluations), self.added, strict=True)
        ]
        newest = [
            rows[-1][0] if rows else (None if self.cleared else old)
            for rows, old in zip((self.steps, self.evaluations), self.newest, strict=True)
        ]
        return pending[0], pending[1], self.cleared, newest

    def written(self, newest):
        """Everything is stored now: keep nothing but what the next write needs."""
        self.steps.clear()
        self.evaluations.clear()
        self.newest, self.added, self.cleared = newest, [0, 0], False
        self.complete = newest == [None, None]


def _unwritten(thing):
    """What a write must append of a thing's history: everything for a plain History (a new
    session), the new rows of a StoredHistory, nothing for a group."""
    history = getattr(thing, "history", None) if isinstance(thing, Session) else None
    if isinstance(history, StoredHistory):
        return history.unwritten()
    if history is None:
        return [], [], False, [None, None]
    steps, evaluations = list(history.steps), list(history.evaluations)
    newest = [rows[-1][0] if rows else None for rows in (steps, evaluations)]
    return steps, evaluations, True, newest


def _row(row):
    return json.dumps(list(row), separators=(",", ":"))


def _rows(data):
    return [tuple(json.loads(row)) for row in data]


class RedisStore:
    kind = "redis"

    def __init__(self, client, settings, clock=time.time, prefix="boundary:"):
        self.redis, self.settings, self.clock, self.prefix = client, settings, clock, prefix
        self.max_sessions, self.ttl = settings.max_sessions, settings.session_ttl_seconds
        self.lock_seconds, self.limit = settings.session_lock_seconds, settings.max_history
        self.scripts = {name: client.register_script(PRELUDE + body)
                        for name, body in SCRIPTS.items()}  # fmt: skip
        self._cache = OrderedDict()  # id -> (version, the object this worker last wrote)
        self._cache_lock = threading.Lock()

    @classmethod
    def from_url(cls, url, settings, **options):
        """A store on the Redis at ``url``. Connections are made when first needed and again
        after Redis comes back; a request fails fast (StoreUnavailable) while it is away."""
        client = redis.Redis.from_url(
            url, socket_timeout=5, socket_connect_timeout=1, health_check_interval=30,
            retry=Retry(ExponentialBackoff(cap=0.2, base=0.02), retries=2),
            retry_on_error=[redis.ConnectionError, redis.TimeoutError],
        )  # fmt: skip
        return cls(client, settings, **options)

    # -- the interface ---------------------------------------------------------------------

    def add(self, thing):
        session_id = secrets.token_urlsafe(16)
        steps, evaluations, _, newest = _unwritten(thing)
        self._run(
            "add", session_id, self.max_sessions, codec.encode(thing), json.dumps(newest),
            self.limit, len(steps), *map(_row, steps), *map(_row, evaluations),
        )  # fmt: skip
        return session_id

    def get(self, session_id):
        """A snapshot of the session, with its whole history: for reading only."""
        reply = self._run("get", session_id)
        if not reply:
            raise SessionNotFound(session_id)
        blob, steps, evaluations = reply
        history = History(self.limit)
        history.steps.extend(_rows(steps))
        history.evaluations.extend(_rows(evaluations))
        return codec.decode(blob, self.settings, history)

    @contextmanager
    def checkout(self, session_id, save=True, kind=Session):
        """The session under its Redis lock; written back at the end (unless ``save`` says
        not), or left as it was if the block raises."""
        token = secrets.token_urlsafe(16)
        version, thing = self._acquire(session_id, token)  # this request's alone
        try:
            if not isinstance(thing, kind):
                raise SessionNotFound(session_id)
            yield thing
        except BaseException:  # the object may be half changed: it is not remembered
            try:
                self._release(session_id, token, version, None)
            except (StoreUnavailable, SessionNotFound, SessionBusy):
                pass  # the lock lapses by itself; the original error says more
            raise
        write = save(thing) if callable(save) else save
        version = self._release(session_id, token, version, thing if write else None)
        self._remember(session_id, version, thing)

    def update(self, session_id, work, save=True, kind=Session):
        """work(thing) with the session to itself, as in ``checkout``; -> what work returns.
        Where this worker holds the current object (a stream's frames), no lock is taken: the
        change is made on that object and written only if no one else wrote or holds the
        session meanwhile (one round trip instead of two). Otherwise, or after a conflict, the
        work is done again under the lock."""
        cached = self._cached(session_id)
        if cached is not None and isinstance(cached[1], kind) and self._claim(session_id, cached):
            version, thing = cached
            result = work(thing)  # if it raises, the object is simply not remembered
            write = save(thing) if callable(save) else save
            if self._commit(session_id, version, thing, write):
                return result
        with self.checkout(session_id, save, kind) as thing:
            return work(thing)

    def delete(self, session_id):
        self._forget(session_id)
        if not self._run("delete", session_id):
            raise SessionNotFound(session_id)

    def ping(self):
        try:
            self.redis.ping()
        except redis.RedisError as error:
            raise StoreUnavailable(_describe(error)) from None

    def __len__(self):
        return self._run("count", "")

    # -- the parts -------------------------------------------------------------------------

    def _run(self, script, session_id, *args):
        now = self.clock()
        argv = [self.prefix, session_id, repr(now), repr(now - self.ttl),
                math.ceil(self.ttl * 1000), *args]  # fmt: skip
        try:
            return self.scripts[script](args=argv)
        except (redis.ConnectionError, redis.TimeoutError) as error:
            raise StoreUnavailable(_describe(error)) from None
        except redis.ResponseError as error:
            if str(error).startswith(UNAVAILABLE_REPLIES):
                raise StoreUnavailable(_describe(error)) from None
            raise

    def _acquire(self, session_id, token):
        """-> (version, object), the lock taken; waits while another request holds it."""
        deadline = time.monotonic() + self.lock_seconds + 1
        lock_ms = math.ceil(self.lock_seconds * 1000)
        pause, use_cache = 0.001, True
        while True:
            cached = self._cached(session_id) if use_cache else None
            status, *rest = self._run("acquire", session_id, token, lock_ms,
                                      cached[0] if cached else "")  # fmt: skip
            if status == -1:
                self._forget(session_id)
                raise SessionNotFound(session_id)
            if status == 1:
                if self._claim(session_id, cached):
                    return int(rest[0]), cached[1]
                # An optimistic update of this worker took the object first (its commit will
                # fail: we hold the lock). Load the stored state instead.
                use_cache = False
                continue
            if status == 2:
                version, blob, newest = rest
                history = StoredHistory(self.limit, lambda: self._read(session_id),
                                        json.loads(newest))  # fmt: skip
                return int(version), codec.decode(blob, self.settings, history)
            if time.monotonic() > deadline:
                raise SessionBusy(f"session {session_id} stayed busy for {self.lock_seconds} s")
            time.sleep(pause)  # another request holds it: usually for a frame, milliseconds
            pause = min(2 * pause, 0.02)

    def _write(self, script, session_id, token, version, thing):
        """Run the release or commit script: write ``thing`` (None: only keep it alive)."""
        if thing is None:
            return self._run(script, session_id, token, "touch", version)
        steps, evaluations, cleared, newest = _unwritten(thing)
        reply = self._run(
            script, session_id, token, "save", version, codec.encode(thing),
            json.dumps(newest), self.limit, int(cleared), len(steps),
            *map(_row, steps), *map(_row, evaluations),
        )  # fmt: skip
        if reply > 0 and isinstance(getattr(thing, "history", None), StoredHistory):
            thing.history.written(newest)
        return reply

    def _commit(self, session_id, version, thing, write):
        """Compare and set, for ``update`` (``write`` False: only keep it alive) -> whether it
        went through; then ``thing`` is remembered as the current object."""
        reply = self._write("commit", session_id, "", version, thing if write else None)
        if reply == -1:
            self._forget(session_id)
            raise SessionNotFound(session_id)
        if reply == -2:
            return False  # changed meanwhile: this object's changes are dropped
        self._remember(session_id, reply, thing)
        return True

    def _release(self, session_id, token, version, thing):
        """Write ``thing`` back (or, None, only keep the session alive) and unlock."""
        reply = self._write("release", session_id, token, version, thing)
        if reply == -1:
            self._forget(session_id)
            raise SessionNotFound(session_id)
        if reply == -2:
            self._forget(session_id)
            raise SessionBusy(
                f"session {session_id} was held longer than its lock ({self.lock_seconds} s) "
                "and changed meanwhile; this request's changes were dropped"
            )
        return reply

    def _read(self, session_id):
        """The stored history rows (called under the session's lock)."""
        key = f"{self.prefix}s:{session_id}"
        try:
            with self.redis.pipeline() as pipe:
                steps, evaluations = (
                    pipe.lrange(f"{key}:steps", 0, -1).lrange(f"{key}:evaluations", 0, -1).execute()
                )
        except (redis.ConnectionError, redis.TimeoutError) as error:
            raise StoreUnavailable(_describe(error)) from None
        return _rows(steps), _rows(evaluations)

    def _cached(self, session_id):
        with self._cache_lock:
            return self._cache.get(session_id)

    def _claim(self, session_id, cached):
        """Take the cached (version, object) out of the cache to work on it -> whether it was
        still there (another request of this worker may have taken it first)."""
        with self._cache_lock:
            if self._cache.get(session_id) is not cached:
                return False
            del self._cache[session_id]
            return True

    def _remember(self, session_id, version, thing):
        with self._cache_lock:
            old = self._cache.get(session_id)
            if old is None or old[0] < version:
                self._cache[session_id] = (version, thing)
                self._cache.move_to_end(session_id)
            while len(self._cache) > self.max_sessions:
                self._cache.popitem(last=False)

    def _forget(self, session_id):
        with self._cache_lock:
            self._cache.pop(session_id, None)


def _describe(error):
    return f"{type(error).__name__}: {error}"
