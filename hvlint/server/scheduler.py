"""When the server checks a document (server.md, Diagnostics): at once when it changes, in one worker
thread, so that requests are answered while a large document is being checked. A document that changes
during its check is checked again when that check ends and the stale result is dropped, so a burst of
changes costs one more check, not one per change, and no change waits on a timer."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from typing import Generic, TypeVar

Result = TypeVar("Result")

Job = Callable[[], Result]


class Scheduler(Generic[Result]):
    """Runs each key's checks one at a time, in order, on one worker thread.

    `prepare(key)` runs on the event loop and returns the work for the key's current state (or None:
    nothing to check); the work runs on the worker; `deliver(key, result)` runs on the event loop with
    what the work returned, unless the key was requested again meanwhile. The work should not raise:
    what it raises is only logged, by asyncio.
    """

    def __init__(
        self,
        prepare: Callable[[str], Job[Result] | None],
        deliver: Callable[[str, Result], None],
        executor: Executor | None = None,
    ) -> None:
        self._prepare = prepare
        self._deliver = deliver
        self._executor = executor or ThreadPoolExecutor(max_workers=1, thread_name_prefix="hvlint-check")
        self._running: set[str] = set()
        self._again: set[str] = set()

    @property
    def busy(self) -> bool:
        """Whether a check is running."""
        return bool(self._running)

    def request(self, key: str) -> None:
        """Checks `key` now, or when its running check ends (whose result is then dropped)."""
        if key in self._running:
            self._again.add(key)
            return
        job = self._prepare(key)
        if job is None:
            return
        self._running.add(key)
        future = asyncio.get_running_loop().run_in_executor(self._executor, job)
        future.add_done_callback(lambda done: self._finished(key, done))

    def in_order(self, work: Callable[[], object]) -> None:
        """Runs `work` on the worker after the checks already started and before those requested next."""
        self._executor.submit(work)

    def _finished(self, key: str, done: asyncio.Future[Result]) -> None:
        self._running.discard(key)
        if key in self._again:
            self._again.discard(key)
            self.request(key)
            return
        self._deliver(key, done.result())
