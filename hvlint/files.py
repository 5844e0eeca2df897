"""Which files a check reads: `.hvc` files under the given paths, less hidden directories and `exclude`."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator, Sequence
from stat import S_ISDIR, S_ISREG

from hvlint import pure_paths
from hvlint.lean_typing import NamedTuple

SUFFIX = ".hvc"


class Missing(NamedTuple):
    """A path given on the command line that does not exist or cannot be read (an error, exit status 2),
    or, when `skipped`, a file found by searching that is deliberately not read (a warning): a pipe, a
    device, a socket, or a symbolic link that leads out of the directory searched."""

    path: str
    reason: str
    skipped: bool = False


class NoFiles(NamedTuple):
    """A directory given on the command line under which no `.hvc` file was found."""

    path: str


def has_suffix(name: str) -> bool:
    """Whether a file name ends in `.hvc`, in any case (`PROD.HVC`): Windows names compare so."""
    return name[-len(SUFFIX) :].lower() == SUFFIX


def relative_to_root(path: str, root: str) -> str | None:
    """The path, its links resolved, relative to `root` (a relative root is taken from the current
    directory, its links resolved), with forward slashes, or None when it does not lie below it. A link
    in a loop (a committed `a.hvc -> a.hvc`) keeps its own name below its resolved directory."""
    try:
        base = root if pure_paths.is_absolute(root) else os.path.realpath(root)
        return pure_paths.relative_to(os.path.realpath(path), base)
    except (ValueError, OSError):
        return None


def match_names(path: str, root: str) -> list[str]:
    """The names a configuration's glob is matched against: the path as given (forward slashes) and,
    when it lies below the configuration's directory `root`, the path relative to it."""
    names = [pure_paths.as_posix(path)]
    relative = relative_to_root(path, root)
    if relative is not None and relative not in names:
        names.append(relative)
    return names


def excluded(path: str, patterns: Sequence[str], root: str) -> bool:
    """Whether `exclude` names the path: a pattern ending in `/` names a directory anywhere in the path;
    any other is a glob matched against the path relative to the configuration's directory, and against
    the file's name."""
    if not patterns:
        return False
    from fnmatch import fnmatchcase

    candidates = match_names(path, root)
    for pattern in patterns:
        if pattern.endswith("/"):
            directory = pattern.rstrip("/")
            if any(f"/{directory}/" in f"/{candidate}" for candidate in candidates):
                return True
        elif any(fnmatchcase(candidate, pattern) for candidate in candidates) or fnmatchcase(
            pure_paths.name(path), pattern
        ):
            return True
    return False


def collect(paths: Sequence[str], patterns: Sequence[str], root: str) -> Iterator[str | Missing | NoFiles]:
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
            yield Missing(given, _why_missing(given))


def _why_missing(path: str) -> str:
    """Why a path that is neither a file nor a directory cannot be used (a name too long, a directory
    that may not be entered), or `no such file or directory`."""
    try:
        os.stat(path)
    except FileNotFoundError:
        pass
    except (OSError, ValueError) as error:
        return f"cannot read: {getattr(error, 'strerror', None) or error}"
    return "no such file or directory"


def _walk(top: str, patterns: Sequence[str], root: str) -> Iterator[str | Missing]:
    """The files under `top`, following symbolic links only while they stay inside `top` (a link that
    leads out of the tree is reported and skipped: a checkout may link `x.hvc` to /proc/self/environ)."""
    visited: set[tuple[int, int]] = set()
    found: list[str | Missing] = []
    inside = _Tree(top)
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
        kept = []
        for name in sorted(subdirectories):
            path = os.path.join(directory, name)
            if name.startswith(".") or excluded(path + "/", patterns, root):
                continue
            if inside.contains(path):
                kept.append(name)
            else:
                found.append(Missing(path, _LEAVES, skipped=True))
        subdirectories[:] = kept
        for name in files:
            if has_suffix(name):
                path = os.path.join(directory, name)
                if not excluded(path, patterns, root):
                    found.append(_regular(path) if inside.contains(path) else Missing(path, _LEAVES, True))
    yield from sorted(found, key=lambda item: item if isinstance(item, str) else item.path)


_LEAVES = "a symbolic link that leads out of the directory searched"


class _Tree:
    """Whether a path, its links resolved, lies inside a directory (its links resolved too)."""

    def __init__(self, top: str) -> None:
        self.top = os.path.realpath(top)

    def contains(self, path: str) -> bool:
        """Whether `path` resolves to somewhere inside the tree (checked only for links)."""
        if not os.path.islink(path):
            return True
        real = os.path.realpath(path)
        return real == self.top or real.startswith(self.top.rstrip(os.sep) + os.sep)


def _regular(path: str) -> str | Missing:
    """`path` when it is a regular file (or a link to one), else why it cannot be checked: a pipe or a
    device would block or never end (skipped), a broken or looping link cannot be read (an error)."""
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        return Missing(path, f"cannot read: {error.strerror or error}")
    return path if S_ISREG(mode) else Missing(path, "not a regular file", skipped=True)


class NotRegularFile(OSError):
    """A file the user named for hvlint to read (a baseline, a configuration) that is a pipe, a device or
    a directory: reading it could block or never end."""


READ_LIMIT = 512 * 1024 * 1024
"""The most hvlint reads of a baseline or a configuration."""


def read_regular(path: str | os.PathLike[str], limit: int = READ_LIMIT) -> bytes:
    """The bytes of the regular file `path` (a link to one is followed). NotRegularFile when it is not
    one or holds more than `limit` bytes; OSError when it cannot be read."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(descriptor, "rb") as handle:
        status = os.fstat(descriptor)
        if S_ISDIR(status.st_mode):
            raise IsADirectoryError(errno.EISDIR, "Is a directory", str(path))
        if not S_ISREG(status.st_mode):
            raise NotRegularFile(f"{path}: not a regular file")
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise NotRegularFile(f"{path}: larger than {limit // (1024 * 1024)} MiB")
    return data
