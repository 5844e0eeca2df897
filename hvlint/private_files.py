"""Files inside a directory that a checked-out repository may have planted: read and written without ever
following a symbolic link, reading only regular files of a bounded size, writing only new files renamed
into place (issue 20). A cache directory must be the user's own, as git requires of `.git`."""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence

READ_LIMIT = 256 * 1024 * 1024
"""The most a file inside the directory may hold: more is not something hvlint wrote."""
_DIRECTORY_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)


class UnsafeDirectory(OSError):
    """A directory that is a symbolic link, or belongs to another user: it is not used at all."""


def unsafe_reason(directory: str) -> str | None:
    """Why `directory` must not be used (a symbolic link, not a directory, owned by another user), or None
    when it is the user's own directory or does not exist yet."""
    try:
        status = os.lstat(directory)
    except FileNotFoundError:
        return None
    except OSError as error:
        return f"cannot be inspected: {error.strerror or error}"
    return _unsafe_status(status)


def _unsafe_status(status: os.stat_result) -> str | None:
    if stat.S_ISLNK(status.st_mode):
        return "is a symbolic link"
    if not stat.S_ISDIR(status.st_mode):
        return "is not a directory"
    if status.st_uid != os.geteuid():
        return f"is owned by another user (uid {status.st_uid})"
    return None


class _Opened:
    """A descriptor of `directory`/`parts` while the `with` block runs, each step opened without following
    a link (made when `create`); UnsafeDirectory when the top is not the user's own directory. (A class,
    not `contextlib.contextmanager`: importing contextlib is a cost of every warm run.)"""

    def __init__(self, directory: str, parts: Sequence[str], create: bool) -> None:
        self.directory, self.parts, self.create = directory, parts, create

    def __enter__(self) -> int:
        if self.create:
            _made(self.directory)
        descriptor = os.open(self.directory, _DIRECTORY_FLAGS)
        try:
            reason = _unsafe_status(os.fstat(descriptor))
            if reason is not None:
                raise UnsafeDirectory(reason)
            for part in self.parts:
                if self.create:
                    _made(part, descriptor)
                inner = os.open(part, _DIRECTORY_FLAGS, dir_fd=descriptor)
                os.close(descriptor)
                descriptor = inner
        except BaseException:
            os.close(descriptor)
            raise
        self.descriptor = descriptor
        return descriptor

    def __exit__(self, *exception: object) -> None:
        os.close(self.descriptor)


def _made(name: str, folder: int | None = None) -> None:
    """Makes the directory `name` (inside the directory `folder` when given) unless it is there."""
    try:
        os.mkdir(name, 0o755, dir_fd=folder)
    except FileExistsError:
        pass


def read_private(directory: str, *parts: str, limit: int = READ_LIMIT) -> bytes | None:
    """The bytes of the regular file `directory`/`parts`, or None when it is missing, a link, a pipe, a
    device, larger than `limit`, or anywhere on its way is a link (UnsafeDirectory for the top)."""
    *folders, name = parts
    try:
        with _Opened(directory, folders, create=False) as folder:
            descriptor = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=folder)
            with os.fdopen(descriptor, "rb") as handle:
                status = os.fstat(descriptor)
                if not stat.S_ISREG(status.st_mode) or status.st_size > limit:
                    return None
                data = handle.read(limit + 1)
    except UnsafeDirectory:
        raise
    except OSError:
        return None
    return data if len(data) <= limit else None


def write_private(directory: str, *parts: str, data: bytes) -> None:
    """Makes `directory`/`parts` hold `data`: written to a new file (never an existing one, never through
    a link) and renamed over the name, which replaces a link there rather than what it points to. The
    directories on the way are made as needed. OSError (UnsafeDirectory among them) when it cannot be."""
    *folders, name = parts
    with _Opened(directory, folders, create=True) as folder:
        temporary = f".{name}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
        descriptor = os.open(temporary, flags, 0o644, dir_fd=folder)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(data)
            os.rename(temporary, name, src_dir_fd=folder, dst_dir_fd=folder)
        except BaseException:
            try:
                os.unlink(temporary, dir_fd=folder)
            except OSError:
                pass
            raise
