"""Running a rule under a time budget, and without letting it end the process (issue 20): a plugin rule
that never returns is stopped after `rule_timeout` seconds, and one that calls `os._exit()` raises
instead, so both are HV000 for the file rather than a hung run or a silent exit status 0.

The budget is a real-time interval timer (SIGALRM) in the process that runs the rules, armed around each
rule: no process per file, two system calls per rule. It needs the main thread (signals are delivered
there); elsewhere rules run without a budget."""

from __future__ import annotations

import os

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


class rules_guarded:
    """While the block runs, `os._exit` raises RuleExit and SIGALRM raises RuleTimeout; gives whether
    budgets can be enforced (the main thread only). Everything is restored afterwards."""

    __slots__ = ("previous", "real_exit", "timed")

    def __enter__(self) -> bool:
        self.real_exit = os._exit
        os._exit = _no_exit
        self.timed = hasattr(signal, "setitimer")
        self.previous: Any = None
        if self.timed:
            try:
                self.previous = signal.signal(signal.SIGALRM, _alarm)
            except ValueError:  # not the main thread, where alone signals are delivered and handled
                self.timed = False
        return self.timed

    def __exit__(self, *exception: object) -> None:
        os._exit = self.real_exit
        if self.timed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous)


class budget:
    """RuleTimeout is raised in the block once it has run `seconds` (when `timed`)."""

    __slots__ = ("seconds", "timed")

    def __init__(self, seconds: float, timed: bool) -> None:
        self.seconds = seconds
        self.timed = timed

    def __enter__(self) -> None:
        if self.timed:
            signal.setitimer(signal.ITIMER_REAL, self.seconds, _REPEAT)

    def __exit__(self, *exception: object) -> None:
        if self.timed:
            signal.setitimer(signal.ITIMER_REAL, 0)
