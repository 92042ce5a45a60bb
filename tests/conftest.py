"""A Redis server for the tests that need one: Debian's redis-server, started once on a free
loopback port and stopped by its pid at the end. Missing, the tests fail (never skip):
`make test` installs it."""

import pytest
import redis

from bench.servers import RedisServer


@pytest.fixture(scope="session")
def redis_server():
    try:
        server = RedisServer()
    except RuntimeError as error:
        pytest.fail(f"{error} (`make test` installs it)")
    yield server
    server.stop()


@pytest.fixture
def redis_url(redis_server):
    """The test Redis, emptied for each test."""
    client = redis.Redis.from_url(redis_server.url)
    client.flushdb()
    client.close()
    return redis_server.url
