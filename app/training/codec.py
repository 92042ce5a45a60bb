"""Sessions and groups as bytes, for a store that several processes share.

The format is explicit: ``BLS1``, the header's length (4 bytes, big-endian), a JSON header, then
each trainer's state: the engine's exact save/restore (``Trainer.state()`` and ``from_state``,
what ``Trainer.to_bytes`` wraps in an .npz), written as its own JSON header (the meta and each
array's name, dtype and shape) and the arrays' raw bytes, 3× faster than the .npz. Nothing is
unpickled, so what a shared store holds cannot make a worker run code.

A session's header holds every attribute of the object except those rebuilt on load (LOCAL),
so a new attribute that is plain JSON (numbers, strings, lists, dicts) travels with no change
here; one that is not fails loudly in ``encode``. The history is not in the bytes: a shared
store keeps it row by row (see ``app.training.redis_store``).
"""

import json
import threading
import time

import numpy as np

from app.engine import Trainer
from app.training.group import Group
from app.training.session import History, Session

MAGIC = b"BLS1"
# Rebuilt on load, never stored: the trainer (its own bytes), the history, what belongs to one
# process, and what Session.derive() computes from the config and the data. Group panels are
# sessions of their own in the same bytes.
SESSION_LOCAL = frozenset(
    {"trainer", "history", "lock", "clock", "last_used", "reference", "value_range"}
)
GROUP_LOCAL = frozenset({"panels", "lock", "last_used"})
TUPLES = frozenset({"bounds"})  # JSON has no tuples


class CodecError(ValueError):
    """Bytes that are not a session or group of this format."""


def encode(thing):
    """A Session or Group -> bytes (a session's history left out)."""
    if isinstance(thing, Session):
        header = {"kind": "session", "attributes": _plain(thing, SESSION_LOCAL)}
        trainers = [thing.trainer]
    elif isinstance(thing, Group):
        panels = [
            {"row": row, "col": col, "settings": chosen,
             "attributes": _plain(session, SESSION_LOCAL)}
            for row, col, chosen, session in thing.panels
        ]  # fmt: skip
        header = {"kind": "group", "attributes": _plain(thing, GROUP_LOCAL), "panels": panels}
        trainers = [session.trainer for *_, session in thing.panels]
    else:
        raise TypeError(f"cannot store a {type(thing).__name__}")
    blobs = [trainer_bytes(trainer) for trainer in trainers]
    header["trainers"] = [len(blob) for blob in blobs]
    try:
        text = json.dumps(header, separators=(",", ":")).encode()
    except TypeError as error:
        raise TypeError(
            f"a {type(thing).__name__} attribute is not plain JSON ({error}): make it plain, "
            "or rebuild it on load (app.training.codec)"
        ) from None
    return b"".join([MAGIC, len(text).to_bytes(4, "big"), text, *blobs])


def decode(data, settings, history=None):
    """Bytes from ``encode`` -> a Session (with ``history``, or an empty one) or a Group."""
    if data[:4] != MAGIC:
        raise CodecError("not a Boundary Lab session")
    size = int.from_bytes(data[4:8], "big")
    header = json.loads(data[8 : 8 + size])
    trainers, offset = [], 8 + size
    for length in header["trainers"]:
        trainers.append(trainer_from_bytes(data[offset : offset + length]))
        offset += length
    if header["kind"] == "session":
        return _session(header["attributes"], trainers[0], settings, history)
    group = object.__new__(Group)
    group.__dict__.update(header["attributes"])
    group.panels = [
        (p["row"], p["col"], p["settings"], _session(p["attributes"], trainer, settings, None))
        for p, trainer in zip(header["panels"], trainers, strict=True)
    ]
    group.lock, group.last_used = threading.Lock(), time.monotonic()
    return group


def trainer_bytes(trainer):
    """Trainer.state() as bytes: header length, JSON (meta, [name, dtype, shape] per array),
    then each array's bytes in that order."""
    meta, arrays = trainer.state()
    arrays = {name: np.ascontiguousarray(a) for name, a in arrays.items()}
    manifest = [[name, a.dtype.str, list(a.shape)] for name, a in arrays.items()]
    header = json.dumps({"meta": meta, "arrays": manifest}, separators=(",", ":")).encode()
    return b"".join(
        [len(header).to_bytes(4, "big"), header, *(a.tobytes() for a in arrays.values())]
    )


def trainer_from_bytes(data):
    size = int.from_bytes(data[:4], "big")
    header = json.loads(data[4 : 4 + size])
    arrays, offset = {}, 4 + size
    for name, dtype, shape in header["arrays"]:
        dtype = np.dtype(dtype)
        if dtype.kind not in "biuf":
            raise CodecError(f"array {name} has dtype {dtype}: numbers only")
        count = int(np.prod(shape))
        arrays[name] = np.frombuffer(data, dtype, count, offset).reshape(shape).copy()
        offset += count * dtype.itemsize
    return Trainer.from_state(header["meta"], arrays)


def _plain(thing, local):
    return {k: v for k, v in vars(thing).items() if k not in local}


def _session(attributes, trainer, settings, history):
    session = object.__new__(Session)
    session.__dict__.update(attributes)
    for name in TUPLES & attributes.keys():
        setattr(session, name, tuple(attributes[name]))
    session.trainer = trainer
    session.history = History(settings.max_history) if history is None else history
    session.lock, session.clock = threading.Lock(), time.monotonic
    session.last_used = session.clock()
    session.derive()
    return session
