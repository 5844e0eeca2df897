"""Windows paths as language.md §3 compares them: case-insensitive, either slash, no trailing separator."""

from __future__ import annotations

from collections.abc import Iterable

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TypeVar

    T = TypeVar("T")


def normalize(path: str) -> str:
    """The comparison key of a path: lower-case, backslashes only, no trailing separator."""
    key = path.replace("/", "\\").casefold()
    stripped = key.rstrip("\\")
    return stripped if stripped else key


def lies_on(path: str, root: str) -> bool:
    """Whether `path` equals `root` or lies below it (`...\\Volume10` does not lie on `...\\Volume1`)."""
    path_key, root_key = normalize(path), normalize(root)
    return path_key == root_key or path_key.startswith(root_key + "\\")


def containing(path: str, roots: Iterable[tuple[str, T]]) -> T | None:
    """Of `(root, item)` pairs, the item whose root `path` lies on, the longest root winning; else None."""
    best: T | None = None
    best_length = -1
    for root, item in roots:
        if lies_on(path, root) and len(normalize(root)) > best_length:
            best, best_length = item, len(normalize(root))
    return best
