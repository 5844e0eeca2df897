"""Which files a check reads: `.hvc` files under the given paths, less hidden directories and `exclude`."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Sequence
from fnmatch import fnmatchcase
from pathlib import Path, PurePath
from stat import S_ISREG
from typing import NamedTuple

SUFFIX = ".hvc"


class Missing(NamedTuple):
    """A path given on the command line that does not exist or cannot be read."""

    path: str
    reason: str


class NoFiles(NamedTuple):
    """A directory given on the command line under which no `.hvc` file was found."""

    path: str


def has_suffix(name: str) -> bool:
    """Whether a file name ends in `.hvc`, in any case (`PROD.HVC`): Windows names compare so."""
    return name[-len(SUFFIX) :].lower() == SUFFIX


def relative_to_root(path: str, root: Path) -> str | None:
    """The path relative to `root` (a relative root is taken from the current directory), with forward
    slashes, or None when it does not lie below it."""
    with contextlib.suppress(ValueError, OSError):
        return Path(path).resolve().relative_to(root if root.is_absolute() else root.resolve()).as_posix()
    return None


def match_names(path: str, root: Path) -> list[str]:
    """The names a configuration's glob is matched against: the path as given (forward slashes) and,
    when it lies below the configuration's directory `root`, the path relative to it."""
    names = [PurePath(path).as_posix()]
    relative = relative_to_root(path, root)
    if relative is not None and relative not in names:
        names.append(relative)
    return names


def excluded(path: str, patterns: Sequence[str], root: Path) -> bool:
    """Whether `exclude` names the path: a pattern ending in `/` names a directory anywhere in the path;
    any other is a glob matched against the path relative to the configuration's directory, and against
    the file's name."""
    if not patterns:
        return False
    candidates = match_names(path, root)
    for pattern in patterns:
        if pattern.endswith("/"):
            directory = pattern.rstrip("/")
            if any(f"/{directory}/" in f"/{candidate}" for candidate in candidates):
                return True
        elif any(fnmatchcase(candidate, pattern) for candidate in candidates) or fnmatchcase(
            PurePath(path).name, pattern
        ):
            return True
    return False


def collect(paths: Sequence[str], patterns: Sequence[str], root: Path) -> Iterator[str | Missing | NoFiles]:
    """Each `.hvc` file to check, in a stable order, each given path that cannot be used, and each given
    directory that holds no `.hvc` file.

    A file named explicitly is checked whatever its suffix, unless `exclude` names it; a directory is
    searched recursively, skipping hidden directories and excluded ones; symbolic-link loops are cut.
    """
    for given in paths:
        if given == "-":
            yield given
            continue
        if os.path.isdir(given):
            found = list(_walk(given, patterns, root))
            yield from found if found else [NoFiles(given)]
        elif os.path.isfile(given):
            if not excluded(given, patterns, root):
                yield given
        elif os.path.lexists(given):
            yield Missing(given, "not a regular file or directory")
        else:
            yield Missing(given, "no such file or directory")


def _walk(top: str, patterns: Sequence[str], root: Path) -> Iterator[str | Missing]:
    visited: set[tuple[int, int]] = set()
    found: list[str | Missing] = []
    for directory, subdirectories, files in os.walk(top, followlinks=True):
        try:
            stat = os.stat(directory)
        except OSError:
            subdirectories[:] = []
            continue
        identity = (stat.st_dev, stat.st_ino)
        if identity in visited:
            subdirectories[:] = []
            continue
        visited.add(identity)
        subdirectories[:] = sorted(
            name
            for name in subdirectories
            if not name.startswith(".") and not excluded(os.path.join(directory, name) + "/", patterns, root)
        )
        for name in files:
            if has_suffix(name):
                path = os.path.join(directory, name)
                if not excluded(path, patterns, root):
                    found.append(_regular(path))
    yield from sorted(found, key=lambda item: item if isinstance(item, str) else item.path)


def _regular(path: str) -> str | Missing:
    """`path` when it is a regular file (or a link to one), else why it cannot be checked: a pipe or a
    link to a device would block or never end, a broken or looping link cannot be read."""
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        return Missing(path, f"cannot read: {error.strerror or error}")
    return path if S_ISREG(mode) else Missing(path, "not a regular file")
