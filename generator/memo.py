"""A dict that computes a missing key's value on first use: the per-row caches of the rules and the roll-up."""
from __future__ import annotations

from typing import Callable


class Memo(dict):
    """key -> func(key), computed on first use and kept: after that `memo[key]`
    is a plain dict lookup, a fraction of an lru_cache hit.  Past `maxsize`
    keys it starts over."""

    def __init__(self, func: Callable, maxsize: int = 65536):
        super().__init__()
        self.func, self.maxsize = func, maxsize

    def __missing__(self, key):
        value = self.func(key)
        if len(self) >= self.maxsize:
            self.clear()
        self[key] = value
        return value
