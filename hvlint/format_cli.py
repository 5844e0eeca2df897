"""`hvlint format` (format.md §1, §2, §6): which files, what is printed, what is written, the exit status."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field

EXIT_CLEAN, EXIT_CHANGES, EXIT_TROUBLE = 0, 1, 2


def add_options(parser: argparse.ArgumentParser) -> None:
    """Declares `format`'s own options (`--config`, `--quiet` and `--verbose` are every command's)."""
    parser.add_argument(
        "paths", nargs="*", metavar="PATH", help="files or directories; `-` reads standard input"
    )
    parser.add_argument(
        "--check", action="store_true", help="write nothing; list the files that would change"
    )
    parser.add_argument("--diff", action="store_true", help="write nothing; print a diff of each change")
    parser.add_argument("--stdin-filename", metavar="NAME", help="the name of standard input in messages")


@dataclass
class _Tally:
    changed: int = 0
    unchanged: int = 0
    failed: int = 0
    messages: list[str] = field(default_factory=list)


def run(args: argparse.Namespace) -> int:
    """Formats the files `args` names, as format.md says; returns the exit status."""
    from hvlint.files import Missing, NoFiles, collect

    paths = args.paths or ["."]
    if "-" in paths and len(paths) > 1:
        from hvlint.cli import UsageError

        raise UsageError("`-` (standard input) must be the only PATH of `hvlint format`")
    from hvlint.pipeline import load_configuration

    first = args.stdin_filename if paths[0] == "-" and args.stdin_filename else paths[0]
    config = load_configuration(args.config, first)
    only_report = args.check or args.diff
    tally = _Tally()
    found = collect(paths, config.exclude, config.directory)
    for item in sorted(found, key=lambda item: item if isinstance(item, str) else item.path):
        if isinstance(item, Missing):
            _fail(tally, f"{item.path}: {item.reason}")
        elif isinstance(item, NoFiles):
            _warning(f"no .hvc files under {item.path}")
        elif item == "-":
            _standard_input(args, tally, only_report)
        else:
            _file(args, tally, os.path.normpath(item), only_report)
    if not args.quiet and paths != ["-"]:
        print(_summary(tally, only_report), file=sys.stderr)
    if tally.failed:
        return EXIT_TROUBLE
    return EXIT_CHANGES if only_report and tally.changed else EXIT_CLEAN


def _warning(message: str) -> None:
    from hvlint.command_support import warning as warn

    warn(message)


def _fail(tally: _Tally, message: str) -> None:
    from hvlint.cli import _error

    tally.failed += 1
    _error(message)


def _formatted(tally: _Tally, name: str, data: bytes) -> bytes | None:
    """The formatted bytes, or None (said on standard error) when the file cannot be formatted."""
    from hvlint.formatting import FormatError, format_bytes

    try:
        return format_bytes(data)
    except FormatError as error:
        _fail(tally, f"{name}:{error}" if error.line is not None else f"{name}: {error}")
        return None


def _report(args: argparse.Namespace, tally: _Tally, name: str, data: bytes, result: bytes) -> None:
    """What `--check` or `--diff` says of one file."""
    if result == data:
        tally.unchanged += 1
        return
    tally.changed += 1
    if args.diff:
        _write_out("".join(unified_diff(data.decode("utf-8"), result.decode("utf-8"), name)).encode("utf-8"))
    else:
        _write_out(f"would reformat: {name}\n".encode())


def _standard_input(args: argparse.Namespace, tally: _Tally, only_report: bool) -> None:
    name = args.stdin_filename or "-"
    data = sys.stdin.buffer.read()
    result = _formatted(tally, name, data)
    if result is None:
        return
    if only_report:
        _report(args, tally, name, data, result)
    else:
        _write_out(result)


def _file(args: argparse.Namespace, tally: _Tally, name: str, only_report: bool) -> None:
    from hvlint.output import write_atomically

    try:
        with open(name, "rb") as handle:
            data = handle.read()
    except OSError as error:
        _fail(tally, f"{name}: cannot read: {error.strerror or error}")
        return
    result = _formatted(tally, name, data)
    if result is None:
        return
    if only_report:
        _report(args, tally, name, data, result)
        return
    if result == data:
        tally.unchanged += 1
        return
    try:
        write_atomically(name, result)
    except OSError as error:
        _fail(tally, f"{name}: cannot write: {error.strerror or error}")
        return
    tally.changed += 1


def _write_out(data: bytes) -> None:
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def _files(count: int) -> str:
    return f"{count} file" if count == 1 else f"{count} files"


def _summary(tally: _Tally, only_report: bool) -> str:
    if not (tally.changed or tally.unchanged or tally.failed):
        return "no .hvc file found"
    if only_report:
        text = f"{_files(tally.changed)} would be reformatted, {_files(tally.unchanged)} already formatted"
    else:
        text = f"{_files(tally.changed)} reformatted, {_files(tally.unchanged)} left unchanged"
    if tally.failed:
        text += f", {_files(tally.failed)} could not be formatted"
    return text


def _lines(text: str) -> list[str]:
    """The lines of `text`, each with its `\\n` (a `\\r` before it kept), the last one maybe without."""
    parts = text.split("\n")
    return [part + "\n" for part in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def unified_diff(before: str, after: str, name: str) -> Iterator[str]:
    """The unified diff from `before` to `after`, as `diff -u` prints it, with `name` in both headers."""
    import difflib

    for line in difflib.unified_diff(_lines(before), _lines(after), name, name, n=3):
        yield line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
