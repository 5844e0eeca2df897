"""The result cache (cli.md): a file's findings, kept so that checking it again unchanged costs no parse.

An entry is keyed by everything its findings depend on: the file's path and content, its base revision's
content, the effective configuration, hvlint's version, the loaded plugins with their versions, and a
stamp of the code that produced them (the size and modification time of every module of hvlint and of
its plugins, so that an edited rule never serves stale findings). Entries are JSON, written to a
temporary file and renamed, so two runs sharing the cache never see half an entry; an entry that does
not parse, or does not hold what an entry holds, is ignored (and rewritten). A cache directory that
cannot be created or written turns the cache off for the run: it is an optimisation, never a failure.

A checked-out repository may hold a `.hvlint_cache` of its own making, so the cache trusts nothing it finds
there (docs/robustness.md, threat model): the directory must be the user's own and not a symbolic link
(else one warning and no cache), nothing inside it is followed through a link, only regular files of a
bounded size are read, and an entry counts only if it carries a MAC keyed with the user's secret and
holds well-formed findings that lie inside the file.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Sequence

from hvlint import __version__
from hvlint.findings import CODE_PATTERN, Finding
from hvlint.hashing import blake2b, compare_digest, hmac_blake2b, parts_digest
from hvlint.private_files import UnsafeDirectory, read_private, unsafe_reason, write_private

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

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
    plugin_modules: Iterable[str], config_dir: str | None = None, locations: Iterable[str] = ()
) -> str:
    """A digest of the size and modification time of every source file of hvlint (its rules, grammar and
    catalogue included), of the packages that `plugin_modules` belong to (found without importing them,
    a configuration's local plugins first in `config_dir`), and of the modules and packages at
    `locations`: it changes when any of that code changes, an edited rule of an editable install
    included. An installed package (under `site-packages`) counts by its directory, which a reinstall
    makes anew, rather than by each of its files: a plugin that imports NumPy need not stat 6,000 files."""
    from hvlint.entrypoints import module_spec, package_files, plugin_files

    paths = package_files(
        location
        for package in ("hvlint", "hvlint.rules", "hvlint.grammars")
        for location in getattr(module_spec(package), "submodule_search_locations", None) or ()
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
    parts = location.replace(os.sep, "/").split("/")
    return "site-packages" in parts or "dist-packages" in parts


def settings_digest(parts: dict[str, Any]) -> str:
    """A digest of what every entry of this run depends on besides the file itself."""
    text = json.dumps({"hvlint": __version__, "format": FORMAT, **parts}, sort_keys=True, default=repr)
    return blake2b(text.encode(), digest_size=32).hexdigest()


class ResultCache:
    """Entries under one directory, all keyed with one run's settings digest and signed with the user's
    secret."""

    def __init__(self, directory: str, settings: str, secret: str) -> None:
        self.directory = directory
        self.settings = settings
        self.secret = secret.encode()
        self.enabled = True
        self.hits = 0
        self.misses = 0

    def key(self, path: str, data: bytes, base: bytes | None) -> str:
        """The key of a file's entry."""
        digest = parts_digest(self.settings.encode(), path.encode("utf-8", "surrogateescape"), data)
        digest.update(b"\1" + base if base is not None else b"\0")
        return digest.hexdigest()

    def get(self, key: str, text: str | None = None) -> list[Finding] | None:
        """The findings stored under `key` (each lying inside `text`, the file's text, when given), or None
        when there is no entry that this user's hvlint wrote and that holds well-formed findings."""
        if not self.enabled:
            return None
        try:
            entry = read_signed_json(self.secret, self.directory, key[:2], f"{key}.json")
            findings = _findings(entry, key, text)
        except UnsafeDirectory:
            self.enabled = False
            findings = None
        if findings is None:
            self.misses += 1
            return None
        self.hits += 1
        return findings

    def put(self, key: str, findings: Sequence[Finding]) -> None:
        """Stores findings under `key`; turns the cache off if the directory cannot be written."""
        if not self.enabled:
            return
        entry = {"key": key, "findings": [finding._asdict() for finding in findings]}
        body = json.dumps(entry, ensure_ascii=False).encode("utf-8")
        try:
            write_signed(self.secret, self.directory, key[:2], f"{key}.json", body=body)
        except OSError:
            self.enabled = False


_new_tuple = tuple.__new__


def _findings(entry: object, key: str, text: str | None) -> list[Finding] | None:
    """The findings of a parsed entry for `key`, or None unless every one is well-formed: each field of
    its type, a code and a severity hvlint could have written, a position inside `text` (when given)."""
    from hvlint.findings import SEVERITIES

    if not isinstance(entry, dict) or entry.get("key") != key or not isinstance(entry.get("findings"), list):
        return None
    lines = text.count("\n") + 1 if text is not None else None
    codes: set[str] = set()
    findings = []
    for item in entry["findings"]:
        if not isinstance(item, dict) or tuple(item) != _FIELDS:
            return None  # hvlint writes every field, in their order
        finding = _new_tuple(Finding, item.values())
        path, line, column, end_line, end_column, code, name, severity, message, thing, fingerprint = finding
        if not (type(line) is type(column) is type(end_line) is type(end_column) is int):
            return None
        if line < 1 or column < 1 or end_line < 1 or end_column < 1:
            return None
        if (end_line, end_column) < (line, column):
            return None
        if lines is not None and (line > lines or end_line > lines + 1):
            return None
        if not (type(path) is type(code) is type(name) is type(severity) is type(message) is str):
            return None
        if type(fingerprint) is not str or (thing is not None and type(thing) is not str):
            return None
        if severity not in SEVERITIES:
            return None
        if code not in codes:
            if CODE_PATTERN.match(code) is None:
                return None
            codes.add(code)
        findings.append(finding)
    return findings


def sign(secret: bytes, body: bytes) -> bytes:
    """`body` preceded by its MAC keyed with `secret` (HMAC with BLAKE2b, as the standard library's `hmac`
    computes it: `hmac` itself would load OpenSSL, a few milliseconds of every warm run)."""
    return hmac_blake2b(secret, body).encode("ascii") + b"\n" + body


def read_signed_json(secret: bytes, directory: str, *parts: str) -> object:
    """The JSON document in the file `directory`/`parts` that `write_signed` wrote with this `secret`, or
    None when there is none, or it was not so written or is not JSON (UnsafeDirectory for the top)."""
    body = open_signed(secret, read_private(directory, *parts))
    if body is None:
        return None
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        return None


def write_signed(secret: bytes, directory: str, *parts: str, body: bytes) -> None:
    """Makes the file `directory`/`parts` hold `body` signed with `secret`, the cache directory made and
    tagged as needed. OSError (UnsafeDirectory among them) when it cannot be written."""
    prepare_directory(directory)
    write_private(directory, *parts, data=sign(secret, body))


def open_signed(secret: bytes, data: bytes | None) -> bytes | None:
    """The body of `data` written by `sign` with this `secret`, or None when it was not (edited, planted,
    or signed with another user's secret)."""
    if data is None:
        return None
    mac, newline, body = data.partition(b"\n")
    if not newline or not compare_digest(mac, hmac_blake2b(secret, body).encode()):
        return None
    return body


def prepare_directory(directory: str) -> None:
    """Makes the cache directory, with its `.gitignore` and cache directory tag, if it is not there. A
    `.gitignore` that is a link is replaced, never written through."""
    if read_private(directory, "CACHEDIR.TAG") == _README.encode():
        return
    write_private(directory, ".gitignore", data=b"*\n")
    write_private(directory, "CACHEDIR.TAG", data=_README.encode())


def user_salt() -> str | None:
    """A random secret of this user's, kept outside any checkout (`$XDG_CACHE_HOME/hvlint/salt`, else
    `~/.cache/hvlint/salt`, readable by the user alone; a relative `XDG_CACHE_HOME` is ignored, as the XDG
    specification says) and part of every key: entries that someone committed to a repository can never
    be looked up. None when it cannot be read or made, or there is no home directory (no cache)."""
    given = os.environ.get("XDG_CACHE_HOME", "")
    base = given if os.path.isabs(given) else os.path.join(os.path.expanduser("~"), ".cache")
    if not os.path.isabs(base):
        return None  # no home directory to keep the salt in
    folder = os.path.join(base, "hvlint")
    path = os.path.join(folder, "salt")
    try:
        return _read_salt(path)
    except FileNotFoundError:
        pass
    except (OSError, ValueError):
        return None
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(os.urandom(32).hex())
    except FileExistsError:
        pass
    except OSError:
        return None
    try:
        return _read_salt(path)
    except (OSError, ValueError):
        return None


def _read_salt(path: str) -> str | None:
    with open(path, encoding="ascii") as handle:
        return handle.read().strip() or None


def cache_directory(config_root: str | None) -> str:
    """`.hvlint_cache/` beside the configuration, or in the current directory when there is none."""
    return os.path.join(config_root or os.getcwd(), DIRECTORY)


def for_run(config: Config, registry: Registry | None = None) -> ResultCache | None:
    """The cache of this run, keyed with its configuration, the installed and configured plugins, and the
    code their rules run, all without importing a plugin: which packages that code lies in is what the
    last run that loaded these plugins recorded (`registry`, when this run has loaded them, records it
    anew). None when there is no such record yet, or no user salt to key the cache with."""
    from hvlint.entrypoints import ENTRY_POINT_GROUP, entry_points

    salt = user_salt()
    if salt is None:
        return None
    config_dir = config.plugin_directory
    directory = cache_directory(config.directory if config.file else None)
    installed = entry_points(ENTRY_POINT_GROUP)
    plugins = {
        "salt": salt,
        "plugins": [(point.name, point.value, point.version) for point in installed],
        "configured_plugins": list(config.plugins),
        "configuration_directory": str(config_dir),
    }
    reason = unsafe_reason(directory)
    if reason is not None:
        _warn_once(directory, reason)
        return None
    record = f"plugins-{settings_digest(plugins)}.json"
    secret = salt.encode()
    try:
        if registry is None:
            code = _read_record(directory, record, secret)
            if code is None:
                return None
        else:
            code = sorted(registry.code)
            _write_record(directory, record, code, secret)
    except UnsafeDirectory as error:
        _warn_once(directory, str(error))
        return None
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
        "root": config.directory,
    }
    return ResultCache(directory, settings_digest(parts), salt)


_WARNED: set[str] = set()


def _warn_once(directory: str, reason: str) -> None:
    """Says once per run that the cache directory is not used, and why."""
    from hvlint.shown import escaped

    if directory not in _WARNED:
        _WARNED.add(directory)
        print(
            f"hvlint: warning: {escaped(directory)}: {reason}; running without the result cache",
            file=sys.stderr,
        )


def _read_record(directory: str, record: str, secret: bytes) -> list[str] | None:
    """The locations a record lists, or None when there is no usable record."""
    data = read_signed_json(secret, directory, record)
    code = data.get("code") if isinstance(data, dict) else None
    if not isinstance(code, list) or not all(isinstance(name, str) for name in code):
        return None
    return code


def _write_record(directory: str, record: str, code: list[str], secret: bytes) -> None:
    """Records where the code the plugins run lies (a cache that cannot be written records nothing)."""
    if _read_record(directory, record, secret) == code:
        return
    try:
        write_signed(secret, directory, record, body=json.dumps({"code": code}).encode("utf-8"))
    except UnsafeDirectory:
        raise
    except OSError:
        pass
