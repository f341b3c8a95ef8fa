"""Many files, both cores: a function mapped over items in order, in a process pool when it pays.

The first item is done here before the pool starts, so the workers (forked on
Linux) begin with the templates, taxonomy and rules this process has loaded;
those objects are frozen (gc.freeze) meanwhile, so that no garbage collection
walks them again, and the forked pages stay shared.
Results come back in the items' order whatever the pool does, so the output is
the same for the same input.
"""
from __future__ import annotations

import gc
import os
from concurrent.futures import ProcessPoolExecutor
from typing import Callable, Iterable, Iterator

POOL_ABOVE = 20                 # more items than this: a process pool
CHUNKS = 32                     # chunks per worker: small enough that both cores finish together
WORKER_GC = (50_000, 20, 10)    # a worker's gc thresholds: its short-lived cell lists would set off
                                # a collection every 700 allocations (Python's default), ~10% of its time


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:          # not on Linux
        return os.cpu_count() or 1


def ordered_map(func: Callable, items: list, jobs: int | None = None) -> Iterator:
    """func(item) for each item, in order; `func` must be a module-level function."""
    jobs = jobs or cores()
    if jobs < 2 or len(items) <= POOL_ABOVE:
        yield from map(func, items)
        return
    yield func(items[0])
    gc.freeze()                         # what is loaded now stays untouched by the workers' collections
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=gc.set_threshold, initargs=WORKER_GC)
    try:
        yield from pool.map(func, items[1:], chunksize=max(1, len(items) // (jobs * CHUNKS)))
    finally:                            # on an error, the items not started are dropped, not waited for
        pool.shutdown(wait=True, cancel_futures=True)
        gc.unfreeze()


def consume(results: Iterable, total: int, on_result: Callable | None = None) -> list:
    """The results as a list, `on_result(result, total)` after each (a progress bar)."""
    out = []
    for result in results:
        out.append(result)
        if on_result:
            on_result(result, total)
    return out
