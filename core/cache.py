"""A Redis cache that fails soft: while Redis is down it answers like an empty cache.

Every use of the cache in the hub is an optimisation (the API's response cache) or a soft limit
(the throttles), so an outage must leave the pages and the API answering, only uncached. Django's
own Redis backend raises on a lost connection, and django-redis's IGNORE_EXCEPTIONS still tries
Redis (and logs) on every call; this one logs the outage once, then leaves Redis alone for
`retry_after` seconds before trying again.
"""

import logging
import threading
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

CONNECTION_ERRORS = (RedisConnectionError, RedisTimeoutError, OSError)

# One state per Redis location, shared by the threads of a process (Django makes one backend per thread).
_down_until = {}
_lock = threading.Lock()


def _fail_soft(name, fallback):
    """RedisCache.<name>, answering fallback(*args, **kwargs) while Redis is down."""
    original = getattr(RedisCache, name)

    def method(self, *args, **kwargs):
        if self.is_down():
            return fallback(*args, **kwargs)
        try:
            result = original(self, *args, **kwargs)
        except CONNECTION_ERRORS as error:
            self._went_down(error)
            return fallback(*args, **kwargs)
        self._came_back()
        return result

    method.__name__ = name
    method.__doc__ = original.__doc__
    return method


def _nothing(*args, **kwargs):
    return None


def _false(*args, **kwargs):
    return False


def _default(key, default=None, version=None):
    return default


def _no_values(keys, version=None):
    return {}


def _keys_not_set(data, *args, **kwargs):
    return list(data)


class FailSoftRedisCache(RedisCache):
    """django.core.cache.backends.redis.RedisCache that answers like an empty cache while Redis is down."""

    retry_after = 5.0

    def is_down(self):
        until = _down_until.get(self._server_key)
        return until is not None and until > time.monotonic()

    @property
    def _server_key(self):
        return tuple(self._servers)

    def _went_down(self, error):
        with _lock:
            first = self._server_key not in _down_until
            _down_until[self._server_key] = time.monotonic() + self.retry_after
        if first:
            logger.warning(
                "The cache (Redis) is unavailable (%s): answering uncached until it is back.", error.__class__.__name__
            )

    def _came_back(self):
        if self._server_key in _down_until:
            with _lock:
                was_down = _down_until.pop(self._server_key, None) is not None
            if was_down:
                logger.warning("The cache (Redis) is back.")

    get = _fail_soft("get", _default)
    get_many = _fail_soft("get_many", _no_values)
    has_key = _fail_soft("has_key", _false)
    set = _fail_soft("set", _nothing)
    add = _fail_soft("add", _false)
    touch = _fail_soft("touch", _false)
    set_many = _fail_soft("set_many", _keys_not_set)
    delete = _fail_soft("delete", _false)
    delete_many = _fail_soft("delete_many", _nothing)
    clear = _fail_soft("clear", _nothing)
