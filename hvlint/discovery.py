"""Which configuration file applies to a path (cli.md), found with `os` alone: `hvlint --version` asks
this on every run, and importing `pathlib` or a TOML parser would be most of its time."""

from __future__ import annotations

import os
import stat

CONFIG_FILE = "hvlint.toml"
PYPROJECT = "pyproject.toml"


def config_file(start: str) -> str | None:
    """The configuration that applies to `start`: the nearest `hvlint.toml`, else the nearest
    `pyproject.toml` with a `[tool.hvlint]` table, looking upward from `start`'s directory no further
    than the repository's root (the directory holding `.git`) or the user's home, whichever comes
    first: a configuration above them belongs to someone else (another user's `/tmp/hvlint.toml`)."""
    directory = start if _is_kind(start, stat.S_ISDIR) else os.path.dirname(start) or os.curdir
    candidate = os.path.realpath(directory)
    home = _home()
    while True:
        own = os.path.join(candidate, CONFIG_FILE)
        if _is_kind(own, stat.S_ISREG):
            return own
        pyproject = os.path.join(candidate, PYPROJECT)
        if _is_kind(pyproject, stat.S_ISREG) and _has_hvlint_table(pyproject):
            return pyproject
        if candidate == home or os.path.lexists(os.path.join(candidate, ".git")):
            return None
        parent = os.path.dirname(candidate)
        if parent == candidate:
            return None
        candidate = parent


def _is_kind(path: str, kind: object) -> bool:
    """Whether `path` exists and is of `kind` (an `S_IS*` test; False when it cannot be looked at: a
    name too long, a directory the user may not enter)."""
    try:
        return bool(kind(os.stat(path).st_mode))  # type: ignore[operator]
    except (OSError, ValueError):
        return False


def _home() -> str | None:
    home = os.path.expanduser("~")
    if home.startswith("~"):
        return None
    try:
        return os.path.realpath(home)
    except (OSError, ValueError):
        return None


def _has_hvlint_table(pyproject: str) -> bool:
    """Whether a pyproject.toml has a `[tool.hvlint]` table (one that does not parse is taken to have one
    when it mentions hvlint, since it may well be meant for hvlint: loading it reports the error)."""
    try:
        with open(pyproject, "rb") as handle:
            raw = handle.read()
    except OSError:
        return False
    if b"hvlint" not in raw:
        return False
    from hvlint.config import ConfigError, _load_toml

    try:
        data = _load_toml(pyproject)
    except ConfigError:
        return True
    tool = data.get("tool")
    return isinstance(tool, dict) and "hvlint" in tool
