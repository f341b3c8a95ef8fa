"""A dict that computes a missing key's value on first use: the per-row caches of the rules and the roll-up."""
from __future__ import annotations

from collections.abc import Callable


class Memo(dict):
    """key -> func(key), computed on first use and kept: after that `memo[key]`
    is a plain dict lookup, a fraction of an lru_cache hit.  Past `maxsize`
    keys it starts over."""

    def __init__(self, func: Callable, maxsize: int = 65536):
        super().__init__()
        self.func, self.maxsize = func, maxsize

    def __missing__(self, key):
        value = self.func(key)
        self._room(1)
        self[key] = value
        return value

    def _room(self, count: int) -> None:
        if len(self) + count > self.maxsize:
            self.clear()

    def many(self, keys: list, batch: Callable[[list], list]) -> list:
        """self[key] for each key, the missing ones computed together: `batch(missing keys)`
        gives their values in order (cheaper than a call per key when most are new).
        A value is never None: None is what marks a key as missing here."""
        found = list(map(self.get, keys))
        if None not in found:
            return found
        new = list(dict.fromkeys(k for k, v in zip(keys, found) if v is None))
        self._room(len(new))
        self.update(zip(new, batch(new)))
        return list(map(self.__getitem__, keys))
