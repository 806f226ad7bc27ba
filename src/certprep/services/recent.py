"""``Recent``: a small per-process memory of recently used values, least recently used out.

What a worker keeps between requests (parsed forms, attempt states it committed, sessions it read)
is only ever a shortcut: every use of it is either of a value that never changes or is checked by
the write that relies on it, so a second worker, or a restart, changes nothing but speed.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, Generic, TypeVar

__all__ = ["Recent"]

T = TypeVar("T")


class Recent(Generic[T]):
    """Values by key, at most ``size`` of them, least recently used out (thread-safe)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._values: OrderedDict[str, T] = OrderedDict()
        self._lock = threading.Lock()

    @classmethod
    def kept_in(cls, cache: dict[Any, Any], name: str, size: int) -> Recent[Any]:
        """The ``Recent`` called ``name`` in ``cache`` (an app's ``cache``), made on first use."""
        found: Recent[Any] | None = cache.get(name)
        if found is None:
            found = cache.setdefault(name, cls(size))
        return found

    def get(self, key: str) -> T | None:
        with self._lock:
            value = self._values.get(key)
            if value is not None:
                self._values.move_to_end(key)
            return value

    def put(self, key: str, value: T) -> None:
        with self._lock:
            self._values[key] = value
            self._values.move_to_end(key)
            while len(self._values) > self.size:
                self._values.popitem(last=False)

    def drop(self, key: str) -> None:
        with self._lock:
            self._values.pop(key, None)
