"""The typed options of a run and of its report, and its configuration (hvlint.pipeline's records)."""

from __future__ import annotations

from hvlint.config import Config
from hvlint.lean_typing import NamedTuple


class Options(NamedTuple):
    """What a run checks and how: the command line's options of `check` and `estimate`, typed and
    immutable."""

    paths: tuple[str, ...] = ()
    """Files and directories; `-` is standard input; none means the current directory."""
    stdin_filename: str | None = None
    """The name standard input is reported under, and whose configuration and base revision it gets."""
    config_file: str | None = None
    """A configuration file to use instead of discovering one."""
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] | None = None
    fail_on: str | None = None
    base: str | None = None
    """The git revision the change-aware rules compare with."""
    baseline: str | None = None
    write_baseline: str | None = None
    jobs: int | None = None
    """Files checked in parallel; None: one per CPU."""
    cache: bool = True
    output: str | None = None
    """The file the report is written to; None: standard output."""

    @property
    def given_paths(self) -> tuple[str, ...]:
        """The paths to check: the current directory when none was given."""
        return self.paths or (".",)


class Configured(NamedTuple):
    """A run's configuration: as its file says, and with the command line applied (what runs)."""

    file: Config
    effective: Config


class ReportOptions(NamedTuple):
    """How a report is written."""

    format: str = "text"
    color: bool = False
    quiet: bool = False
