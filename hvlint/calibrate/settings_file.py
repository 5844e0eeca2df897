"""Setting the fitted keys in a configuration file (`hvlint calibrate --write`): the `[estimator]` table
of an `hvlint.toml` (or `[tool.hvlint.estimator]` of a `pyproject.toml`), created when missing, and every
other byte of the file kept as it was (tomlkit keeps comments, order and spacing)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.exceptions import TOMLKitError

from hvlint.config import PYPROJECT
from hvlint.errors import HvlintError
from hvlint.output import write_atomically


class SettingsFileError(HvlintError):
    """The configuration file cannot be read, parsed or written: exit status 2, nothing written."""


def table_path(path: Path) -> tuple[str, ...]:
    """Where the estimator's settings live in `path`: `tool.hvlint.estimator` in a pyproject.toml, else
    `estimator`."""
    return ("tool", "hvlint", "estimator") if path.name == PYPROJECT else ("estimator",)


def updated_text(text: str, where: tuple[str, ...], values: Mapping[str, Any], name: str) -> str:
    """`text` (a TOML document) with `values` set in the table at `where`, created when missing."""
    try:
        document = tomlkit.parse(text)
    except TOMLKitError as error:
        raise SettingsFileError(f"{name}: invalid TOML: {error}") from None
    container: Any = document
    created = False
    for depth, key in enumerate(where):
        if key not in container:
            created = True
            container.append(key, tomlkit.table(is_super_table=depth < len(where) - 1))
        container = container[key]
        if not isinstance(container, Mapping):
            dotted = ".".join(where[: depth + 1])
            raise SettingsFileError(f"{name}: `{dotted}` is not a table: not changing it")
    for key, value in values.items():
        container[key] = value
    if not created:
        return tomlkit.dumps(document)
    container.add(tomlkit.nl())
    new = tomlkit.dumps(document)
    return new[:-1] if new.endswith("\n\n") and not text.endswith("\n\n") else new


def settings_text(path: Path, values: Mapping[str, Any]) -> bytes:
    """The configuration file `path` (empty when there is none) with `values` set in the estimator's
    table; raises SettingsFileError when it cannot be read or changed."""
    try:
        text = path.read_bytes().decode("utf-8") if path.exists() else ""
    except OSError as error:
        raise SettingsFileError(f"--write {path}: cannot read: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise SettingsFileError(f"--write {path}: not UTF-8 (byte offset {error.start})") from None
    return updated_text(text, table_path(path), values, f"--write {path}").encode("utf-8")


def write_settings(path: Path, data: bytes) -> None:
    """Replaces the configuration file `path` with `data` (from `settings_text`), whole or not at all."""
    try:
        write_atomically(path, data)
    except OSError as error:
        raise SettingsFileError(f"--write {path}: cannot write: {error.strerror or error}") from None
