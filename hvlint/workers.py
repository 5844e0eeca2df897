"""Collecting what `--jobs` worker processes found: a worker that dies without a result is HV000 for each
file it did not answer for (never a success), and an interrupted run stops its workers (issue 20)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING

from hvlint.findings import Finding

if TYPE_CHECKING:
    from hvlint.checking import Checked, Source


def worker_results(
    pool: ProcessPoolExecutor, check: Callable[[Source], Checked], sources: Sequence[Source]
) -> list[Checked]:
    """Each source checked by `check` in the pool, in order. When the run is interrupted (SIGINT,
    SIGTERM), the workers are stopped before the exception goes on."""
    futures = [pool.submit(check, source) for source in sources]
    try:
        return [_result(future, source) for future, source in zip(futures, sources, strict=True)]
    except BaseException:
        stop_workers(pool)
        raise


def _result(future: Future[Checked], source: Source) -> Checked:
    from hvlint.checking import Checked

    try:
        return future.result()
    except BrokenProcessPool:
        message = f"the worker process checking {source.name} ended without a result"
        digest = hashlib.sha256(f"{source.name}\0HV000\0{message}".encode("utf-8", "replace")).hexdigest()
        finding = Finding(
            source.name, 1, 1, 1, 2, "HV000", "internal-error", "error", message, None, digest[:32]
        )
        return Checked(source.name, "", [finding], (message + "\n",))


def stop_workers(pool: ProcessPoolExecutor) -> None:
    """Ends every worker of `pool` at once, and the work not started."""
    processes = getattr(pool, "_processes", None) or {}  # the executor offers no public way
    for process in list(processes.values()):
        process.kill()
    pool.shutdown(wait=False, cancel_futures=True)
