"""What a check changes of the process while a rule or a file runs (the rules' guard and time budget,
standard output of a plugin, the cycle collector) is restored when it ends, also when it ends by an
exception."""

from __future__ import annotations

import gc
import io
import os
import signal
import sys

import pytest

from hvlint import checking
from hvlint.plugin_output import printed_to_stderr
from hvlint.rule_guard import RuleExit, RuleTimeout, budget, rules_guarded


class Raised(Exception):
    """An exception of the block."""


def test_the_guard_restores_exit_and_the_alarm_handler_when_the_block_raises() -> None:
    real_exit, handler = os._exit, signal.getsignal(signal.SIGALRM)
    with pytest.raises(Raised), rules_guarded() as timed:
        assert timed is True
        assert signal.getsignal(signal.SIGALRM) is not handler
        with pytest.raises(RuleExit, match=r"os\._exit\(4\) called"):
            os._exit(4)
        raise Raised
    assert os._exit is real_exit and signal.getsignal(signal.SIGALRM) is handler


def test_a_budget_arms_the_timer_for_the_block_alone() -> None:
    with rules_guarded() as timed:
        with budget(60, timed):
            assert signal.getitimer(signal.ITIMER_REAL)[0] > 0
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
        with pytest.raises(Raised), budget(60, timed):
            raise Raised
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_a_budget_spent_raises_rule_timeout_in_the_block() -> None:
    with rules_guarded() as timed, pytest.raises(RuleTimeout), budget(0.01, timed):
        signal.pause()
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_no_timer_is_armed_without_a_budget_to_enforce() -> None:
    with budget(0.01, timed=False) as given:
        assert given is None
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_plugin_output_goes_back_to_standard_output_when_the_block_raises(
    capsys: pytest.CaptureFixture[str],
) -> None:
    stdout = sys.stdout
    with pytest.raises(Raised), printed_to_stderr("p") as given:
        assert given is None and sys.stdout is not stdout
        print("first")
        print("unfinished", end="")
        raise Raised
    assert sys.stdout is stdout
    print("report")
    captured = capsys.readouterr()
    assert captured.out == "report\n"
    assert captured.err.splitlines() == ["hvlint: plugin p: first", "hvlint: plugin p: unfinished"]


def test_plugin_output_redirections_nest() -> None:
    stdout = sys.stdout
    errors = io.StringIO()
    sys.stderr, real_stderr = errors, sys.stderr
    try:
        with printed_to_stderr("outer"):
            with printed_to_stderr("inner"):
                print("a")
            print("b")
    finally:
        sys.stderr = real_stderr
    assert sys.stdout is stdout
    assert errors.getvalue().splitlines() == ["hvlint: plugin inner: a", "hvlint: plugin outer: b"]


def test_the_collector_is_paused_and_left_as_it_was() -> None:
    with pytest.raises(Raised), checking._CollectorPaused():
        assert not gc.isenabled()
        raise Raised
    assert gc.isenabled()
    gc.disable()
    try:
        with checking._CollectorPaused():
            assert not gc.isenabled()
        assert not gc.isenabled(), "a collector that was off stays off"
    finally:
        gc.enable()
