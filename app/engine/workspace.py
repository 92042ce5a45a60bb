"""Scratch arrays for inference, shared by every network evaluated in the same thread.

Inference (decision grids, unit maps) needs big temporary arrays but keeps nothing between
calls, so one set per thread serves every session: memory stays bounded and the arrays stay
warm, instead of each network re-allocating them whenever it alternates between training
batches and grids.
"""

import threading

import numpy as np

LIMIT_BYTES = 64 * 2**20  # per thread; past it the cache starts over

_local = threading.local()


def scratch(key, shape, dtype, ones_row=False):
    """A reusable array for (key, shape, dtype). With ``ones_row`` its last row is ones and
    must be left so by the caller (the bias trick's row)."""
    cache = getattr(_local, "cache", None)
    if cache is None:
        cache = _local.cache = {}
    full_key = (key, shape, np.dtype(dtype), ones_row)
    buf = cache.get(full_key)
    if buf is None:
        needed = int(np.prod(shape)) * np.dtype(dtype).itemsize
        if needed + sum(a.nbytes for a in cache.values()) > LIMIT_BYTES:
            cache.clear()
        buf = cache[full_key] = np.empty(shape, dtype)
        if ones_row:
            buf[-1] = 1
    return buf
