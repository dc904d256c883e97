"""Where the per-document work runs: an `Executor` protocol and its implementations.

The audit's unit of work is a pure function over picklable arguments (paths in, plain dicts
out), so it runs unchanged in this process, in a local process pool (the default), or on a Dask
cluster (the optional `[dask]` extra, libraries.md B.8). Every executor keeps at most a small
window of tasks in flight, so memory stays flat however large the corpus is.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any, Protocol, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class Executor(Protocol):
    """Runs `fn` over `items`, yielding results as they finish (order not kept)."""

    def start(self) -> None:
        """Start the workers, if they are started at all (before an audit lists its inputs)."""

    def map_unordered(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]: ...

    def close(self) -> None: ...


class SerialExecutor:
    """In this process: for --jobs 1, debugging, and tests that need no pool."""

    def start(self) -> None:
        return None

    def map_unordered(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        for item in items:
            yield fn(item)

    def close(self) -> None:
        return None


class ProcessExecutor:
    """A stdlib process pool with a bounded window of pending tasks."""

    def __init__(self, jobs: int | None = None, window: int | None = None) -> None:
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        self.window = window or self.jobs * 3
        self._pool: ProcessPoolExecutor | None = None

    def _get_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self.jobs)
            # Fork every worker now, before the first task's arguments are computed. Forked at
            # the first submit, they inherited the parent's heap as the listing of the inputs had
            # grown it (a sorted folder of 100,000 files), so each worker's memory grew with the
            # corpus: 70 MB at 10,000 reports, 94 MB at 100,000 (issue 16). The pool forks all
            # its workers at its first submit; this one is a no-op.
            self._pool.submit(int)
        return self._pool

    def start(self) -> None:
        """The worker processes, started now (fork): `audit` calls this before listing its inputs."""
        self._get_pool()

    def map_unordered(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        pool = self._get_pool()
        pending: set[Future[R]] = set()
        source = iter(items)
        exhausted = False
        while True:
            while not exhausted and len(pending) < self.window:
                try:
                    pending.add(pool.submit(fn, next(source)))
                except StopIteration:
                    exhausted = True
            if not pending:
                return
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for fut in done:
                yield fut.result()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None


class DaskExecutor:
    """Dask distributed: `address` is a scheduler (tcp://host:8786), or None for a local cluster."""

    def __init__(
        self, address: str | None = None, jobs: int | None = None, window: int | None = None
    ) -> None:
        try:
            from distributed import Client
        except ImportError:
            raise RuntimeError("Dask is not installed: pip install 'xxgk[dask]'") from None
        if address:
            self._client: Any = Client(address)
        else:
            self._client = Client(
                n_workers=max(1, jobs or os.cpu_count() or 1), threads_per_worker=1, processes=True
            )
        workers = len(self._client.scheduler_info().get("workers", {})) or 1
        self.window = window or workers * 4

    def start(self) -> None:
        return None  # the cluster's workers are up already (started with the client)

    def map_unordered(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        # The same bounded window as ProcessExecutor, with distributed.wait. (The earlier version
        # filled its window with zip(source, range(window)), which pulls one item too many from
        # `source` and drops it: one batch of every run was lost without a word, issue 11.)
        from distributed import wait as dask_wait

        source = iter(items)
        pending: set[Any] = set()
        exhausted = False
        while True:
            while not exhausted and len(pending) < self.window:
                try:
                    pending.add(self._client.submit(fn, next(source), pure=False))
                except StopIteration:
                    exhausted = True
            if not pending:
                return
            done, not_done = dask_wait(list(pending), return_when="FIRST_COMPLETED")
            pending = set(not_done)
            for fut in done:
                result = fut.result()
                fut.release()
                yield result

    def close(self) -> None:
        self._client.close()


def make_executor(jobs: int | None = None, *, dask: bool = False, scheduler: str | None = None) -> Executor:
    """The executor the CLI flags ask for: Dask when --dask/--scheduler, else processes (or serial for 1 job)."""
    if dask or scheduler:
        return DaskExecutor(scheduler, jobs)
    if jobs == 1:
        return SerialExecutor()
    return ProcessExecutor(jobs)
