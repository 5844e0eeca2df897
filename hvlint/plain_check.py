"""The command line pre-commit and editors run most, `hvlint [check] [FLAGS] PATH ... [FLAGS]` with only
switches among its options, read without argparse: importing argparse (with gettext and locale) and
declaring `check`'s options was 5-7 ms of every such run. Any other command line, including every one
argparse would refuse, is left to argparse, and tests/test_startup.py checks that both read the lines
this module accepts alike."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from argparse import Namespace as Arguments
    from collections.abc import Collection, Sequence

SWITCHES = {
    "--no-cache": "no_cache",
    "--quiet": "quiet",
    "-q": "quiet",
    "--statistics": "statistics",
    "--verbose": "verbose",
    "-v": "verbose",
}
"""The options of `check` that take no value, and the attribute each sets."""

DEFAULTS = {
    "version": False,
    "command": "check",
    "format": "text",
    "output": None,
    "select": None,
    "ignore": None,
    "fail_on": None,
    "stdin_filename": None,
    "base": None,
    "baseline": None,
    "write_baseline": None,
    "statistics": False,
    "no_cache": False,
    "jobs": None,
    "config": None,
    "quiet": False,
    "verbose": False,
}
"""What argparse gives each of `check`'s options when the command line does not set it."""


if not TYPE_CHECKING:  # what the commands read of argparse's Namespace, without importing argparse

    class Arguments:
        """The parsed command line, with the attributes argparse's namespace would have."""

        def __init__(self, **values: object) -> None:
            self.__dict__.update(values)


def plain_check(arguments: Sequence[str], commands: Collection[str]) -> Arguments | None:
    """The arguments of `check` (named first, or implied by a first path that names no command in
    `commands`) followed by paths and switches only, the paths in one run, as argparse reads them; None
    for any other command line."""
    first = next(
        (argument for argument in arguments if argument == "-" or not argument.startswith("-")), None
    )
    rest = list(arguments)
    if first in commands:
        if first != "check" or rest[0] != "check":
            return None
        rest.pop(0)
    values: dict[str, object] = dict(DEFAULTS)
    paths: list[str] = []
    ended = False
    for argument in rest:
        switch = SWITCHES.get(argument)
        if switch is not None:
            values[switch] = True
            ended = ended or bool(paths)
        elif (argument == "-" or not argument.startswith("-")) and not ended:
            paths.append(argument)
        else:
            return None
    values["paths"] = paths
    return Arguments(**values)
