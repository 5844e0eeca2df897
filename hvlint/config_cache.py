"""The configuration file's TOML, kept parsed in the result cache (`.hvlint_cache/configuration-*.json`
beside it). A check reads its `hvlint.toml` on every run, and importing `tomllib` (with the `typing` it
imports) costs about 44 M instructions, half as much again as the rest of a warm re-run
(docs/performance.md).

An entry is keyed by the file's path and bytes and signed with the user's secret, as a result entry is:
one that someone committed to a repository is never read, and an edited file is parsed anew. What it gives
is validated as what `tomllib` gives is. A document that JSON cannot hold as it is (a date, a NaN) is not
kept; a cache directory that cannot be used keeps nothing and answers nothing."""

from __future__ import annotations

import json
import os

from hvlint import pure_paths
from hvlint.cache import cache_directory, open_signed, prepare_directory, sign, user_salt
from hvlint.hashing import blake2b
from hvlint.private_files import UnsafeDirectory, read_private, write_private

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def remembered(path: str, raw: bytes) -> dict[str, Any] | None:
    """The TOML document `raw` (the bytes of the file `path`) as kept parsed, or None when it is not."""
    place = _place(path, raw)
    if place is None:
        return None
    directory, name, secret = place
    try:
        body = open_signed(secret, read_private(directory, name))
        data = json.loads(body) if body is not None else None
    except (UnsafeDirectory, ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def remember(path: str, raw: bytes, data: dict[str, Any]) -> None:
    """Keeps `data`, the TOML document `raw` parsed, for the next run that reads the file `path`."""
    place = _place(path, raw)
    if place is None:
        return
    directory, name, secret = place
    try:
        body = json.dumps(data, ensure_ascii=False).encode("utf-8")
        if json.loads(body) != data:
            return  # a NaN, or anything else JSON would not give back as it is
        prepare_directory(directory)
        write_private(directory, name, data=sign(secret, body))
    except (TypeError, ValueError, RecursionError, OSError):
        return


def _place(path: str, raw: bytes) -> tuple[str, str, bytes] | None:
    """The cache directory beside the file, the entry's name, and the user's secret; None without one."""
    salt = user_salt()
    if salt is None:
        return None
    digest = blake2b(digest_size=32)
    for part in (os.path.realpath(path).encode("utf-8", "surrogateescape"), raw):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    directory = cache_directory(os.path.realpath(pure_paths.parent(path)))
    return directory, f"configuration-{digest.hexdigest()}.json", salt.encode()
