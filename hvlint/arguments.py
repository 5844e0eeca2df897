"""argparse as the command line uses it: the parser class, its help layout, and the types of options
whose values are checked. Imported only by a command line that argparse parses (`hvlint --version`
is answered without it)."""

from __future__ import annotations

import argparse
import os
import sys

from hvlint.errors import UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, NoReturn


class _Formatter(argparse.HelpFormatter):
    """argparse's help layout, as wide as the terminal, found without importing shutil (4 ms of a warm
    run: argparse makes a formatter for every option it declares)."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, width=_terminal_width() - 2)


def _terminal_width() -> int:
    """`COLUMNS`, else the width of the terminal on standard output, else 80 (as shutil says)."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns > 0:
        return columns
    try:
        columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):
        columns = 0
    return columns if columns > 0 else 80


class Parser(argparse.ArgumentParser):
    """argparse's parser, with a usage error as UsageError, and no abbreviated options: `--write` must
    not be taken for `--write-baseline` (and overwrite a file)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see `hvlint --help`)")


def codes(text: str) -> tuple[str, ...]:
    """The rule codes or prefixes of a comma-separated option value."""
    import re

    found = tuple(code.strip() for code in text.split(",") if code.strip())
    for code in found:
        if not re.fullmatch(r"[A-Z]+[0-9]*", code):
            raise argparse.ArgumentTypeError(f"{code!r} is not a rule code or prefix (e.g. HV4, HV402)")
    return found


def jobs(text: str) -> int:
    """A number of parallel jobs: a whole number of at least 1."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return int(text)
