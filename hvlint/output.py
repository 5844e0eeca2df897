"""Writing reports and caches whole or not at all: to a temporary file beside the target, then renamed."""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterable, Mapping
from pathlib import Path

from hvlint.errors import HvlintError


class UnsafeTarget(HvlintError):
    """An output that must not be written: exit status 2, nothing changed."""


def check_targets(targets: Mapping[str, str | None], inputs: Iterable[str | Path | None]) -> None:
    """Refuses (UnsafeTarget, naming the option) before anything is written: an empty file name, a
    target that is one of the `inputs` (the files checked, the configuration, a baseline read), and an
    existing file that the user may not write (a shell redirection would be refused too)."""
    given = {option: target for option, target in targets.items() if target is not None}
    if not given:
        return
    identities = {_identity(path) for path in inputs if path is not None} - {None}
    for option, target in given.items():
        if not target:
            raise UnsafeTarget(f"{option}: an empty file name")
        identity = _identity(target)
        if identity is None:
            continue
        if identity in identities:
            raise UnsafeTarget(f"{option} {target}: is one of the files read; refusing to replace it")
        if not os.access(target, os.W_OK):
            raise UnsafeTarget(f"{option} {target}: is not writable (Permission denied)")


def _identity(path: str | Path) -> tuple[int, int] | None:
    """The device and inode of an existing regular file (links followed), else None."""
    try:
        status = os.stat(path)
    except (OSError, ValueError):
        return None
    return (status.st_dev, status.st_ino) if stat.S_ISREG(status.st_mode) else None


def write_atomically(path: str | Path, data: bytes) -> None:
    """Replaces `path` with `data` in one step; on any failure the old file is left as it was.

    A path that names a device or a pipe (`/dev/stdout`, `/dev/full`) is written in place, as a shell
    redirection would: it has no content to keep, and renaming a file over it would replace the device.
    A symbolic link to a file is kept: the file it points to is replaced."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        mode = 0
    if mode and not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        with open(path, "wb") as handle:
            handle.write(data)
        return
    import tempfile

    target = Path(os.path.realpath(path)) if mode and os.path.islink(path) else Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if target.exists():
            os.chmod(temporary, target.stat().st_mode & 0o7777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
