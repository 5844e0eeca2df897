"""File paths written as `pathlib.PurePath` writes them, without importing `pathlib`.

`pathlib` and what it imports (`urllib.parse`, `ipaddress`, `fnmatch`) are about 5% of a check of a small
file, which a pre-commit hook or an editor pays on every run (docs/performance.md), and a check only ever
needs a path's text. On POSIX systems these functions give what `PurePath` gives (tests compare them on
generated paths): repeated slashes and `.` components collapse, `..` stays, and so do exactly two leading
slashes. Elsewhere (Windows: drives, backslashes) they ask `pathlib` itself."""

from __future__ import annotations

import os


def _split(path: str) -> tuple[str, list[str]]:
    """The root (``, `/` or `//`) and the components of a POSIX path, as `PurePosixPath` reads them."""
    if not path.startswith("/"):
        root = ""
    elif path.startswith("//") and not path.startswith("///"):
        root = "//"
    else:
        root = "/"
    return root, [part for part in path.split("/") if part and part != "."]


if os.sep == "/" and os.altsep is None:

    def as_posix(path: str) -> str:
        """`PurePath(path).as_posix()`: the path with forward slashes, collapsed (`.` when empty)."""
        root, parts = _split(path)
        return root + "/".join(parts) or "."

    normal = as_posix
    """`str(PurePath(path))`: on POSIX systems, the same as `as_posix`."""

    def is_absolute(path: str) -> bool:
        """`PurePath(path).is_absolute()`."""
        return path.startswith("/")

    def name(path: str) -> str:
        """`PurePath(path).name`: the last component (empty for a root)."""
        parts = _split(path)[1]
        return parts[-1] if parts else ""

    def parent(path: str) -> str:
        """`str(PurePath(path).parent)`: the path less its last component (a root is its own parent)."""
        root, parts = _split(path)
        return root + "/".join(parts[:-1]) or "."

    def relative_to(path: str, base: str) -> str | None:
        """`PurePath(path).relative_to(base).as_posix()`, or None where `path` does not lie below `base`."""
        root, parts = _split(path)
        base_root, base_parts = _split(base)
        if root != base_root or parts[: len(base_parts)] != base_parts:
            return None
        return "/".join(parts[len(base_parts) :]) or "."

else:  # pragma: no cover - Windows, where a path has a drive and two separators
    from pathlib import PurePath

    def as_posix(path: str) -> str:
        """`PurePath(path).as_posix()`."""
        return PurePath(path).as_posix()

    def normal(path: str) -> str:
        """`str(PurePath(path))`."""
        return str(PurePath(path))

    def is_absolute(path: str) -> bool:
        """`PurePath(path).is_absolute()`."""
        return PurePath(path).is_absolute()

    def name(path: str) -> str:
        """`PurePath(path).name`."""
        return PurePath(path).name

    def parent(path: str) -> str:
        """`str(PurePath(path).parent)`."""
        return str(PurePath(path).parent)

    def relative_to(path: str, base: str) -> str | None:
        """`PurePath(path).relative_to(base).as_posix()`, or None where `path` does not lie below `base`."""
        try:
            return PurePath(path).relative_to(base).as_posix()
        except ValueError:
            return None
