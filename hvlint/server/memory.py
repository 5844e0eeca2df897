"""Freeing what each check leaves behind. A model is a web of reference cycles (a VM refers to its
cluster and back) that only Python's cycle collector frees, and `hvlint` runs with that collector off
(hvlint/cli.py: a collection during a parse walks every object the parse made). A server that never
collected would keep every version of every document it checked: about 75 MB per check of a 2 MB file.
So the server collects itself, where the user does not wait for it: once the checks have been quiet for
a moment, or, when changes never stop, before a check once much garbage has piled up."""

from __future__ import annotations

import asyncio
import gc

QUIET_SECONDS = 0.5
"""How long after a check, with none running, the collection waits."""

MOST_UNCOLLECTED = 1_500_000
"""How many objects may be made without a collection, while changes keep coming, before a check collects
first: about four checks of a 2 MB file (each makes some 330,000 that become garbage with the next), a few
hundred of a 50 KB one."""


class Collector:
    """Runs the cycle collector between checks."""

    def __init__(self, quiet: float = QUIET_SECONDS, most: int = MOST_UNCOLLECTED) -> None:
        self._quiet = quiet
        self._most = most
        self._timer: asyncio.TimerHandle | None = None

    def before_check(self) -> None:
        """A check starts: no collection during it; one first when too much garbage may wait."""
        self._cancel()
        if gc.get_count()[0] >= self._most:
            self.collect()

    def after_check(self, idle: bool) -> None:
        """A check ended; when no other runs (`idle`), collect once things stay quiet."""
        self._cancel()
        if idle:
            self._timer = asyncio.get_running_loop().call_later(self._quiet, self.collect)

    def collect(self) -> None:
        """Frees the unreachable cycles now."""
        self._timer = None
        gc.collect()

    def _cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
