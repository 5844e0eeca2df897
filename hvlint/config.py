"""Configuration (cli.md): discovery of `hvlint.toml` or `[tool.hvlint]`, validation of every key, and the
effective settings once the command line is applied."""

from __future__ import annotations

import math
import os
import stat
import sys
from collections.abc import Mapping

from hvlint import pure_paths
from hvlint.discovery import CONFIG_FILE, PYPROJECT
from hvlint.errors import HvlintError
from hvlint.findings import FAIL_ON, SEVERITIES
from hvlint.language import units
from hvlint.lean_typing import NamedTuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any, NoReturn

ESTIMATOR_KEYS: dict[str, tuple[str, Any]] = {
    "default_dirty_rate": (units.RATE, None),
    "link_efficiency": ("fraction", 0.9),
    "compression_ratio": ("factor", 2.0),
    "max_rounds": ("count", None),
    "stop_copy_target": (units.DURATION, 0.05),
    "switchover": (units.DURATION, 0.05),
    "setup": (units.DURATION, 2.5),
    "max_downtime": (units.DURATION, 0.5),
    "max_migration_time": (units.DURATION, None),
    "drain_window": (units.DURATION, None),
    "memory_aware_drain": ("boolean", True),
}
"""Every `[estimator]` key (estimator.md): its kind and its default (None: no default)."""


COUNT_LIMIT = 1000
"""The largest whole-number setting (`max_rounds`): Hyper-V runs a handful of passes, not thousands."""
FACTOR_LIMIT = 100.0
"""The largest factor setting (`compression_ratio`)."""
LARGEST = 1e18
"""The largest quantity a setting may have, in base units, as in the language."""


class ConfigError(HvlintError):
    """An unusable configuration: exit status 2 with this message."""


class Config(NamedTuple):
    """The effective configuration of one run."""

    file: str | None = None
    """The configuration file read (written as `pathlib` writes it), or None: the defaults."""
    directory: str = "."
    """The directory that paths in the configuration are relative to: the configuration file's, or the
    current directory when there is none (`load` makes it absolute)."""
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    fail_on: str = "warning"
    exclude: tuple[str, ...] = ()
    plugins: tuple[str, ...] = ()
    severity: Mapping[str, str] = {}
    """Read only, like every mapping here; plain dicts, so that a configuration pickles (to `--jobs`
    workers started with `spawn`)."""
    per_file_ignores: Mapping[str, tuple[str, ...]] = {}
    rules: Mapping[str, Mapping[str, Any]] = {}
    estimator: Mapping[str, Any] = {}
    rule_timeout: float = 60.0  # DEFAULT_RULE_TIMEOUT
    """Seconds a rule may spend on one file before it is stopped (HV000)."""

    @property
    def path(self) -> Path | None:
        """`file` as a `pathlib.Path` (a check reads `file`: importing `pathlib` is 5% of a small one)."""
        from pathlib import Path

        return None if self.file is None else Path(self.file)

    @property
    def root(self) -> Path:
        """`directory` as a `pathlib.Path`."""
        from pathlib import Path

        return Path(self.directory)

    @property
    def plugin_directory(self) -> str | None:
        """The directory the configuration's `plugins` modules are imported from: the configuration file's
        (as written, not resolved), or None without one."""
        return None if self.file is None else pure_paths.parent(self.file)

    def estimator_value(self, key: str) -> Any:
        """An `[estimator]` setting in base units, or its default."""
        return self.estimator.get(key, ESTIMATOR_KEYS[key][1])

    def with_command_line(
        self,
        select: tuple[str, ...] | None = None,
        ignore: tuple[str, ...] | None = None,
        fail_on: str | None = None,
    ) -> Config:
        """This configuration with the command line's options applied: each replaces the file's key of the
        same name, and a `--select` starts the selection afresh (the file's `ignore` no longer applies
        either, only the command line's `--ignore`)."""
        updated = self
        if select is not None:
            updated = updated._replace(select=select, ignore=())
        if ignore is not None:
            updated = updated._replace(ignore=ignore)
        if fail_on is not None:
            updated = updated._replace(fail_on=fail_on)
        return updated


def _load_toml(path: str, cached: bool = False) -> dict[str, Any]:
    """The TOML document in the file `path`; when `cached`, as the result cache keeps it parsed
    (hvlint.config_cache), which spares a check importing tomllib."""
    from hvlint.files import NotRegularFile, read_regular

    try:
        raw = read_regular(path)
    except NotRegularFile:
        raise ConfigError(f"{path}: not a regular file, not a configuration") from None
    except OSError as error:
        raise ConfigError(f"{path}: cannot read the configuration: {error.strerror or error}") from None
    if not cached:
        return _parsed_toml(path, raw)
    from hvlint import config_cache

    return config_cache.parsed(path, raw, _parsed_toml)


def _parsed_toml(path: str, raw: bytes) -> dict[str, Any]:
    """The TOML document `raw`, read from `path`; ConfigError naming the file and what is wrong."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib

    text = ""
    try:
        text = raw.decode("utf-8")
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from None
    except UnicodeDecodeError as error:
        raise ConfigError(
            f"{path}: invalid TOML: not UTF-8 "
            f"(byte 0x{error.object[error.start]:02x} at offset {error.start})"
        ) from None
    except RecursionError:
        where = _key_at_fault(text, r"[\[{]{100,}")
        raise ConfigError(f"{path}: {where}arrays or tables nested too deeply") from None
    except ValueError:  # an integer of more digits than Python converts
        where = _key_at_fault(text, r"[-+]?[0-9][0-9_]{1000,}")
        raise ConfigError(f"{path}: {where}a number with too many digits") from None


def _key_at_fault(text: str, value: str) -> str:
    """`KEY`: for the first line whose key is given a value that matches `value` (tomllib names no
    position for a number too long to convert or nesting too deep), else `invalid TOML: `."""
    import re

    match = re.search(rf"(?m)^[ \t]*([^=\n#]{{1,200}}?)[ \t]*=[ \t]*{value}", text)
    return f"`{match.group(1).strip()}`: " if match else "invalid TOML: "


def discover(start: str | os.PathLike[str]) -> str | None:
    """The configuration file that applies to `start` (see `hvlint.discovery.config_file`)."""
    from hvlint.discovery import config_file

    return config_file(os.fspath(start))


def _check_trusted(path: str, checker: _Checker) -> None:
    """A configuration may list plugins (code that runs) only if the invoking user or root owns it, and
    no other user may write it or the directory its plugins are imported from."""
    folder_name = pure_paths.parent(path)
    try:
        status, folder = os.stat(path), os.stat(folder_name)
    except OSError as error:
        checker.fail("plugins", f"not loaded: cannot check who owns the file: {error.strerror or error}")
    if status.st_uid not in (0, os.geteuid()):
        checker.fail(
            "plugins",
            f"not loaded: the file belongs to uid {status.st_uid}, not to you or root, and plugins run "
            "code (docs/plugins.md)",
        )
    for what, mode in (("the file", status.st_mode), (f"its directory {folder_name}", folder.st_mode)):
        if mode & stat.S_IWOTH:
            checker.fail(
                "plugins",
                f"not loaded: {what} may be written by any user, and plugins run code (docs/plugins.md)",
            )


def load(given: str | os.PathLike[str] | None, cached: bool = False) -> Config:
    """The configuration in the file `given` (defaults when None), validated; when `cached`, its TOML as
    the result cache keeps it parsed."""
    if given is None:
        return Config(directory=os.getcwd())
    path = pure_paths.normal(os.fspath(given))
    data = _load_toml(path, cached)
    if pure_paths.name(path) == PYPROJECT:
        checker = _Checker(path, "")
        data = checker.table(checker.table(data, "tool"), "hvlint", "tool.hvlint")
        prefix = "tool.hvlint."
    else:
        prefix = ""
    return _validate(data, path, prefix)


def _validate(data: Mapping[str, Any], path: str, prefix: str) -> Config:
    checker = _Checker(path, prefix)
    known = {
        "select",
        "ignore",
        "fail_on",
        "exclude",
        "plugins",
        "severity",
        "per-file-ignores",
        "rules",
        "estimator",
        "rule_timeout",
    }
    for key in data:
        if key not in known:
            checker.fail(key, f"unknown key (expected one of {', '.join(sorted(known))})")
    select = checker.codes(data, "select") if "select" in data else None
    fail_on = checker.choice(data, "fail_on", FAIL_ON, "warning")
    severity = checker.table(data, "severity")
    for code, level in severity.items():
        if level not in SEVERITIES:
            checker.fail(f"severity.{code}", f"must be one of {', '.join(SEVERITIES)}, found {level!r}")
    per_file = checker.table(data, "per-file-ignores")
    per_file_ignores = {
        pattern: checker.codes(per_file, pattern, f"per-file-ignores.{pattern}") for pattern in per_file
    }
    plugins = checker.strings(data, "plugins")
    if plugins:
        _check_trusted(path, checker)
    rules = checker.table(data, "rules")
    for code, settings in rules.items():
        if not isinstance(settings, dict):
            checker.fail(f"rules.{code}", "must be a table of the rule's settings")
    return Config(
        file=path,
        directory=os.path.realpath(pure_paths.parent(path)),
        select=select,
        ignore=checker.codes(data, "ignore"),
        fail_on=fail_on,
        exclude=checker.strings(data, "exclude"),
        plugins=plugins,
        severity=severity,
        per_file_ignores=per_file_ignores,
        rules=rules,
        estimator=estimator_settings(checker.table(data, "estimator"), checker),
        rule_timeout=_rule_timeout(data, checker),
    )


DEFAULT_RULE_TIMEOUT = 60.0
"""Seconds a rule may spend on one file unless `rule_timeout` says otherwise."""
RULE_TIMEOUT_LIMIT = 86_400.0
"""The longest `rule_timeout`: a day."""


def _rule_timeout(data: Mapping[str, Any], checker: _Checker) -> float:
    """`rule_timeout`, a duration such as "60s" (default 60 s), above 0 and at most a day."""
    if "rule_timeout" not in data:
        return DEFAULT_RULE_TIMEOUT
    seconds = float(checker.setting("rule_timeout", data["rule_timeout"], units.DURATION))
    if not 0 < seconds <= RULE_TIMEOUT_LIMIT:
        checker.fail("rule_timeout", f"must be above 0s and at most 86400s, found {data['rule_timeout']!r}")
    return seconds


def estimator_settings(table: Mapping[str, Any], checker: _Checker) -> dict[str, Any]:
    """The `[estimator]` table in base units, every key and value checked."""
    settings: dict[str, Any] = {}
    for key, value in table.items():
        if key not in ESTIMATOR_KEYS:
            checker.fail(f"estimator.{key}", f"unknown key (expected one of {', '.join(ESTIMATOR_KEYS)})")
        kind = ESTIMATOR_KEYS[key][0]
        settings[key] = checker.setting(f"estimator.{key}", value, kind)
    return settings


class _Checker:
    """Type checks for configuration values, each failure naming the file and the key."""

    def __init__(self, path: str, prefix: str) -> None:
        self.path = path
        self.prefix = prefix

    def fail(self, key: str, reason: str) -> NoReturn:
        """Raises ConfigError for `key`."""
        raise ConfigError(f"{self.path}: `{self.prefix}{key}`: {reason}")

    def strings(self, data: Mapping[str, Any], key: str, label: str | None = None) -> tuple[str, ...]:
        """A list of strings (empty when absent)."""
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.fail(label or key, f"must be a list of strings, found {_describe(value)}")
        return tuple(value)

    def codes(self, data: Mapping[str, Any], key: str, label: str | None = None) -> tuple[str, ...]:
        """A list of rule codes or prefixes (upper-case letters, then digits)."""
        import re

        value = self.strings(data, key, label)
        for code in value:
            if not re.fullmatch(r"[A-Z]+[0-9]*", code):
                self.fail(label or key, f'{code!r} is not a rule code or prefix (e.g. "HV4", "HV402")')
        return value

    def choice(self, data: Mapping[str, Any], key: str, choices: tuple[str, ...], default: str) -> str:
        """One of `choices`."""
        value = data.get(key, default)
        if value not in choices:
            self.fail(key, f"must be one of {', '.join(choices)}, found {_describe(value)}")
        return str(value)

    def table(self, data: Mapping[str, Any], key: str, label: str | None = None) -> dict[str, Any]:
        """A TOML table (empty when absent)."""
        value = data.get(key, {})
        if not isinstance(value, dict):
            self.fail(label or key, f"must be a table, found {_describe(value)}")
        return dict(value)

    def setting(self, key: str, value: Any, kind: Any) -> Any:
        """A setting of `kind`: a quantity kind (given as a string in the language's notation), `fraction`
        (0 < x <= 1), `factor` (a number >= 1), `count` (a whole number >= 1), or the type of a default."""
        if kind in (units.SIZE, units.RATE, units.DURATION, units.RATIO):
            quantity = units.parse_quantity(value) if isinstance(value, str) and len(value) <= 40 else None
            if quantity is not None and not 0 <= quantity.value <= LARGEST:
                self.fail(key, f"is out of range: {value!r}")
            if quantity is None or quantity.kind != kind:
                example = units.KIND_EXAMPLES[kind].replace("`", '"')
                self.fail(
                    key, f"must be a {kind} written as a string such as {example}, found {_describe(value)}"
                )
            return quantity.value
        if kind in ("fraction", "factor"):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                self.fail(key, f"must be a number, found {_describe(value)}")
            if kind == "factor" and value > FACTOR_LIMIT:
                self.fail(key, f"must be at most {FACTOR_LIMIT}, found {value}")
            if kind == "fraction" and not 0 < value <= 1:
                self.fail(key, f"must be above 0 and at most 1, found {value}")
            if kind == "factor" and value < 1:
                self.fail(key, f"must be at least 1, found {value}")
            return float(value)
        if kind == "boolean":
            if not isinstance(value, bool):
                self.fail(key, f"must be true or false, found {_describe(value)}")
            return value
        if kind == "count":
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= COUNT_LIMIT:
                self.fail(key, f"must be a whole number from 1 to {COUNT_LIMIT}, found {_describe(value)}")
            return value
        if isinstance(value, float) and not math.isfinite(value):
            self.fail(key, f"must be a finite number, found {_describe(value)}")
        if isinstance(kind, float) and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        if not isinstance(value, type(kind)) or isinstance(value, bool) != isinstance(kind, bool):
            expected = {bool: "boolean", int: "whole number", float: "number", str: "string"}.get(type(kind))
            self.fail(key, f"must be a {expected or type(kind).__name__}, found {_describe(value)}")
        return value


def rule_settings(config: Config, code: str, declared: Mapping[str, Any]) -> dict[str, Any]:
    """A rule's settings: its declared defaults, with `[rules.CODE]` applied and checked against them.
    A default written in the language's notation (`"1Gbps"`) makes the setting a quantity of that kind."""
    checker = _Checker(config.file or CONFIG_FILE, "")
    settings: dict[str, Any] = {}
    for name, default in declared.items():
        quantity = units.parse_quantity(default) if isinstance(default, str) else None
        settings[name] = quantity.value if quantity else default
    for name, value in config.rules.get(code, {}).items():
        if name not in declared:
            known = ", ".join(declared) or "none"
            checker.fail(f"rules.{code}.{name}", f"unknown setting of {code} (its settings: {known})")
        default = declared[name]
        quantity = units.parse_quantity(default) if isinstance(default, str) else None
        settings[name] = checker.setting(
            f"rules.{code}.{name}", value, quantity.kind if quantity else default
        )
    return settings


def _describe(value: Any) -> str:
    """A value's type and its text, cut short (a list of 100,000 items, a string of a megabyte)."""
    from hvlint.shown import shown

    try:
        text = repr(value)
    except (ValueError, RecursionError):
        text = "..."
    return f"{type(value).__name__} {shown(text, 80)}"
