"""The result cache (cli.md): a file's findings, kept so that checking it again unchanged costs no parse.

An entry is keyed by everything its findings depend on: the file's path and content, its base revision's
content, the effective configuration, hvlint's version, the loaded plugins with their versions, and a
stamp of the code that produced them (the size and modification time of every module of hvlint and of
its plugins, so that an edited rule never serves stale findings). Entries are JSON, written to a
temporary file and renamed, so two runs sharing the cache never see half an entry; an entry that does
not parse, or does not hold what an entry holds, is ignored (and rewritten). A cache directory that
cannot be created or written turns the cache off for the run: it is an optimisation, never a failure.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hvlint import __version__

try:
    from _blake2 import (
        blake2b,
    )  # hashlib's own BLAKE2, without the 5 ms of loading OpenSSL that a warm run pays
except ImportError:  # pragma: no cover - a Python built without it
    from hashlib import blake2b
from hvlint.findings import Finding

if TYPE_CHECKING:
    from hvlint.config import Config
    from hvlint.plugins import Registry

DIRECTORY = ".hvlint_cache"
FORMAT = 1
_FIELDS = Finding._fields
_README = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This directory is hvlint's result cache (a cache directory tag: backup tools skip it).\n"
)


def code_stamp(
    plugin_modules: Iterable[str], config_dir: Path | None = None, locations: Iterable[str] = ()
) -> str:
    """A digest of the size and modification time of every source file of hvlint (its rules, grammar and
    catalogue included), of the packages that `plugin_modules` belong to (found without importing them,
    a configuration's local plugins first in `config_dir`), and of the modules and packages at
    `locations`: it changes when any of that code changes, an edited rule of an editable install
    included. An installed package (under `site-packages`) counts by its directory, which a reinstall
    makes anew, rather than by each of its files: a plugin that imports NumPy need not stat 6,000 files."""
    from importlib.util import find_spec

    from hvlint.entrypoints import package_files, plugin_files

    paths = package_files(
        location
        for package in ("hvlint", "hvlint.rules", "hvlint.grammars")
        for location in getattr(find_spec(package), "submodule_search_locations", None) or ()
    )
    paths |= plugin_files(plugin_modules, config_dir)
    for location in locations:
        if not os.path.isdir(location) or _installed(location):
            paths.add(location)
        else:
            paths |= package_files([location])
    stamps = []
    for path in sorted(paths):
        try:
            stat = os.stat(path)
        except OSError:
            continue
        stamps.append(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\0{stat.st_ino}")
    return blake2b("\n".join(stamps).encode(), digest_size=32).hexdigest()


def _installed(location: str) -> bool:
    """Whether a package lies in an installation directory (`site-packages`, Debian's `dist-packages`)."""
    return any(part in ("site-packages", "dist-packages") for part in Path(location).parts)


def settings_digest(parts: dict[str, Any]) -> str:
    """A digest of what every entry of this run depends on besides the file itself."""
    text = json.dumps({"hvlint": __version__, "format": FORMAT, **parts}, sort_keys=True, default=repr)
    return blake2b(text.encode(), digest_size=32).hexdigest()


class ResultCache:
    """Entries under one directory, all keyed with one run's settings digest."""

    def __init__(self, directory: Path, settings: str) -> None:
        self.directory = directory
        self.settings = settings
        self.enabled = True
        self.hits = 0
        self.misses = 0

    def key(self, path: str, data: bytes, base: bytes | None) -> str:
        """The key of a file's entry."""
        digest = blake2b(digest_size=32)
        for part in (self.settings.encode(), path.encode("utf-8", "surrogateescape"), data):
            digest.update(len(part).to_bytes(8, "big"))
            digest.update(part)
        digest.update(b"\1" + base if base is not None else b"\0")
        return digest.hexdigest()

    def _entry(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> list[Finding] | None:
        """The findings stored under `key`, or None when there is no usable entry."""
        if not self.enabled:
            return None
        try:
            entry = json.loads(self._entry(key).read_bytes())
            findings = [Finding(**{name: item[name] for name in _FIELDS}) for item in entry["findings"]]
            if entry["key"] != key:
                raise ValueError("an entry for another key")
        except (OSError, ValueError, KeyError, TypeError, RecursionError):
            self.misses += 1
            return None
        self.hits += 1
        return findings

    def put(self, key: str, findings: Sequence[Finding]) -> None:
        """Stores findings under `key`; turns the cache off if the directory cannot be written."""
        if not self.enabled:
            return
        from hvlint.output import write_atomically

        entry = {"key": key, "findings": [finding._asdict() for finding in findings]}
        try:
            _prepare(self.directory)
            target = self._entry(key)
            target.parent.mkdir(exist_ok=True)
            write_atomically(target, json.dumps(entry, ensure_ascii=False).encode("utf-8"))
        except OSError:
            self.enabled = False


def _prepare(directory: Path) -> None:
    """Makes the cache directory, with its `.gitignore` and cache directory tag, if it is not there."""
    tag = directory / "CACHEDIR.TAG"
    if tag.exists():
        return
    directory.mkdir(parents=True, exist_ok=True)
    from hvlint.output import write_atomically

    write_atomically(directory / ".gitignore", b"*\n")
    write_atomically(tag, _README.encode())


def user_salt() -> str | None:
    """A random secret of this user's, kept outside any checkout (`$XDG_CACHE_HOME/hvlint/salt`, else
    `~/.cache/hvlint/salt`, readable by the user alone) and part of every key: entries that someone
    committed to a repository can never be looked up. None when it cannot be read or made (no cache)."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    path = base / "hvlint" / "salt"
    try:
        return path.read_text(encoding="ascii").strip() or None
    except FileNotFoundError:
        pass
    except (OSError, ValueError):
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(os.urandom(32).hex())
    except FileExistsError:
        pass
    except OSError:
        return None
    try:
        return path.read_text(encoding="ascii").strip() or None
    except (OSError, ValueError):
        return None


def cache_directory(config_root: Path | None) -> Path:
    """`.hvlint_cache/` beside the configuration, or in the current directory when there is none."""
    return (config_root or Path.cwd()) / DIRECTORY


def for_run(config: Config, registry: Registry | None = None) -> ResultCache | None:
    """The cache of this run, keyed with its configuration, the installed and configured plugins, and the
    code their rules run, all without importing a plugin: which packages that code lies in is what the
    last run that loaded these plugins recorded (`registry`, when this run has loaded them, records it
    anew). None when there is no such record yet, or no user salt to key the cache with."""
    from hvlint.entrypoints import ENTRY_POINT_GROUP, entry_points

    salt = user_salt()
    if salt is None:
        return None
    config_dir = config.path.parent if config.path else None
    directory = cache_directory(config.root if config.path else None)
    installed = entry_points(ENTRY_POINT_GROUP)
    plugins = {
        "salt": salt,
        "plugins": [(point.name, point.value, point.version) for point in installed],
        "configured_plugins": list(config.plugins),
        "configuration_directory": str(config_dir),
    }
    record = directory / f"plugins-{settings_digest(plugins)}.json"
    if registry is None:
        code = _read_record(record)
        if code is None:
            return None
    else:
        code = sorted(registry.code)
        _write_record(directory, record, code)
    modules = [point.module for point in installed] + list(config.plugins)
    parts = {
        **plugins,
        "code": code_stamp(modules, config_dir, code),
        "select": config.select,
        "ignore": config.ignore,
        "severity": dict(config.severity),
        "per_file_ignores": dict(config.per_file_ignores),
        "rules": config.rules,
        "estimator": dict(config.estimator),
        "root": str(config.root),
    }
    return ResultCache(directory, settings_digest(parts))


def _read_record(record: Path) -> list[str] | None:
    """The locations a record lists, or None when there is no usable record."""
    try:
        code = json.loads(record.read_bytes())["code"]
    except (OSError, ValueError, KeyError, TypeError, RecursionError):
        return None
    if not isinstance(code, list) or not all(isinstance(name, str) for name in code):
        return None
    return code


def _write_record(directory: Path, record: Path, code: list[str]) -> None:
    """Records where the code the plugins run lies (a cache that cannot be written records nothing)."""
    if _read_record(record) == code:
        return
    from hvlint.output import write_atomically

    try:
        _prepare(directory)
        write_atomically(record, json.dumps({"code": code}).encode("utf-8"))
    except OSError:
        pass
