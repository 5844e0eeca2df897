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
from hvlint.cache import cache_directory, read_signed_json, user_salt, write_signed
from hvlint.hashing import parts_digest
from hvlint.private_files import UnsafeDirectory

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any


def parsed(path: str, raw: bytes, parse: Callable[[str, bytes], dict[str, Any]]) -> dict[str, Any]:
    """The TOML document `raw` (the bytes of the file `path`) as kept parsed, else `parse(path, raw)`,
    then kept for the next run that reads the file."""
    salt = user_salt()
    if salt is None:
        return parse(path, raw)
    secret = salt.encode()
    directory = cache_directory(os.path.realpath(pure_paths.parent(path)))
    digest = parts_digest(os.path.realpath(path).encode("utf-8", "surrogateescape"), raw)
    name = f"configuration-{digest.hexdigest()}.json"
    try:
        kept = read_signed_json(secret, directory, name)
    except UnsafeDirectory:
        return parse(path, raw)
    if isinstance(kept, dict):
        return kept
    data = parse(path, raw)
    try:
        body = json.dumps(data, ensure_ascii=False).encode("utf-8")
        if json.loads(body) == data:  # not a NaN, nor anything else JSON would not give back as it is
            write_signed(secret, directory, name, body=body)
    except (TypeError, ValueError, RecursionError, OSError):
        pass
    return data
