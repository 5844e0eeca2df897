"""SIGTERM ends hvlint as SIGINT does (issue 20): by an exception, so that a temporary file being written
is removed and `--jobs` workers are stopped, then exit status 128 + the signal's number."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    import signal
    from typing import Any, NoReturn
else:  # the C module the interpreter has loaded already: `signal` wraps it in enums (2 ms a run)
    import _signal as signal


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived (a KeyboardInterrupt, so that whatever cleans up after Ctrl-C cleans up after it)."""

    signal_number = signal.SIGTERM


def _terminated(signum: int, frame: Any) -> NoReturn:
    raise Terminated


def install() -> None:
    """SIGTERM raises Terminated from now on (unless it is ignored, as `nohup` may arrange)."""
    if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _terminated)


def exit_status(interruption: KeyboardInterrupt) -> int:
    """128 + the number of the signal that interrupted the run: 130 for SIGINT, 143 for SIGTERM."""
    return 128 + int(getattr(interruption, "signal_number", signal.SIGINT))
