"""Running a rule under a time budget, and without letting it end the process (issue 20): a plugin rule
that never returns is stopped after `rule_timeout` seconds, and one that calls `os._exit()` raises
instead, so both are HV000 for the file rather than a hung run or a silent exit status 0.

The budget is a real-time interval timer (SIGALRM) in the process that runs the rules, armed around each
rule: no process per file, two system calls per rule. It needs the main thread (signals are delivered
there); elsewhere rules run without a budget."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

TYPE_CHECKING = False
if TYPE_CHECKING:
    import signal
    from typing import Any, NoReturn
else:  # the C module the interpreter has loaded already, as in hvlint.signals: `signal` imports enum
    import _signal as signal

_REPEAT = 1.0
"""Seconds between further alarms, should the rule catch the first."""


class RuleTimeout(BaseException):
    """A rule ran past its budget (a BaseException, so that a rule's `except Exception` cannot hide it)."""


class RuleExit(BaseException):
    """A rule called `os._exit()`."""


def _alarm(signum: int, frame: Any) -> NoReturn:
    raise RuleTimeout


def _no_exit(status: int = 0) -> NoReturn:
    raise RuleExit(f"os._exit({status}) called")


@contextlib.contextmanager
def rules_guarded() -> Iterator[bool]:
    """While the block runs, `os._exit` raises RuleExit and SIGALRM raises RuleTimeout; gives whether
    budgets can be enforced (the main thread only). Everything is restored afterwards."""
    real_exit = os._exit
    os._exit = _no_exit
    timed = hasattr(signal, "setitimer")
    previous = None
    if timed:
        try:
            previous = signal.signal(signal.SIGALRM, _alarm)
        except ValueError:  # not the main thread, where alone signals are delivered and handled
            timed = False
    try:
        yield timed
    finally:
        os._exit = real_exit
        if timed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def budget(seconds: float, timed: bool) -> Iterator[None]:
    """RuleTimeout is raised in the block once it has run `seconds` (when `timed`)."""
    if not timed:
        yield
        return
    signal.setitimer(signal.ITIMER_REAL, seconds, _REPEAT)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
