"""The cache (Redis) for what pages keep between requests (a person's menu and permissions):
read and written so that an outage of it makes pages slower, never breaks them. What could not
be stored or forgotten expires by itself."""

import logging
from typing import Any

from django.core.cache import cache

logger = logging.getLogger(__name__)


def cache_get(key: str) -> Any:
    """The value kept under `key`; None when there is none or the cache cannot be reached."""
    try:
        return cache.get(key)
    except Exception as error:  # Redis down or unreachable: work it out again
        logger.warning("The cache could not be read (%s): %s", key, error)
        return None


def cache_get_many(keys: list[str]) -> dict[str, Any]:
    """The values kept under `keys`, in one round trip (a key with none is left out); none
    when the cache cannot be reached."""
    try:
        return cache.get_many(keys)
    except Exception as error:
        logger.warning("The cache could not be read (%s): %s", ", ".join(keys), error)
        return {}


def cache_set(key: str, value: Any, seconds: int) -> None:
    try:
        cache.set(key, value, seconds)
    except Exception as error:
        logger.warning("The cache could not be written (%s): %s", key, error)


def cache_forget(*keys: str) -> None:
    try:
        cache.delete_many(list(keys))
    except Exception as error:
        logger.warning("The cache could not forget %s: %s", ", ".join(keys), error)
