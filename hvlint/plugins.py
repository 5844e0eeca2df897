"""Finding, loading and registering plugins, and collecting the rules they provide (plugins.md)."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import partial
from types import ModuleType

from hvlint import __version__, hookspecs
from hvlint.entrypoints import ENTRY_POINT_GROUP, EntryPoint, entry_points
from hvlint.errors import HvlintError
from hvlint.findings import CODE_PATTERN, SEVERITIES
from hvlint.plugin_output import printed_to_stderr
from hvlint.records import FrozenRecord, Record
from hvlint.rule import Rule

TYPE_CHECKING = False
if TYPE_CHECKING:
    import pluggy

BUILTIN = "hvlint"
BUILTIN_PREFIX = "HV"


class PluginError(HvlintError):
    """A plugin failed to load, register or declare its rules: the run stops with exit status 2."""


class LoadedPlugin(FrozenRecord):
    """A plugin as `--version` and `hvlint rules` show it."""

    __match_args__ = ("name", "version")
    __slots__ = __match_args__
    name: str
    version: str

    def __init__(self, name: str, version: str) -> None:
        self._assign(name, version)


class RuleInfo(FrozenRecord):
    """A rule class and the plugin that provides it."""

    __match_args__ = ("rule", "plugin")
    __slots__ = __match_args__
    rule: type[Rule]
    plugin: str

    def __init__(self, rule: type[Rule], plugin: str) -> None:
        self._assign(rule, plugin)

    @property
    def code(self) -> str:
        """The rule's code."""
        return self.rule.code


class Registry(Record):
    """Every loaded plugin and every rule they provide, by code. `code`: where the code the plugins run
    lies: the file or directories of each top-level module or package that defines a rule or that loading
    the plugins imported (the standard library and hvlint left out)."""

    __match_args__ = ("plugins", "rules", "code")
    __slots__ = __match_args__
    plugins: list[LoadedPlugin]
    rules: dict[str, RuleInfo]
    code: set[str]

    def __init__(
        self,
        plugins: list[LoadedPlugin] | None = None,
        rules: dict[str, RuleInfo] | None = None,
        code: set[str] | None = None,
    ) -> None:
        self.plugins = [] if plugins is None else plugins
        self.rules = {} if rules is None else rules
        self.code = set() if code is None else code

    def known(self, code: str) -> bool:
        """Whether some loaded plugin provides the code."""
        return code in self.rules

    def sorted_rules(self) -> list[RuleInfo]:
        """The rules by code."""
        return [self.rules[code] for code in sorted(self.rules, key=_code_order)]


def _code_order(code: str) -> tuple[str, int]:
    prefix = code.rstrip("0123456789")
    return (prefix, int(code[len(prefix) :] or 0))


def _builtin_modules() -> Iterable[ModuleType]:
    """hvlint's own rule modules: every public module of the `hvlint.rules` package, by name."""
    package = importlib.import_module("hvlint.rules")
    for name in sorted(set(module_names(package.__path__))):
        if not name.startswith("_"):
            yield importlib.import_module(f"hvlint.rules.{name}")


def module_names(path: Iterable[str]) -> Iterator[str]:
    """The names of the modules and packages in the directories of a package's `path`, as
    `pkgutil.iter_modules` gives them, read without pkgutil, which imports `inspect` (7 ms)."""
    import os
    from importlib.machinery import all_suffixes

    suffixes = sorted(all_suffixes(), key=len, reverse=True)
    for directory in path:
        try:
            entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
        except OSError:  # pragma: no cover - a package in a zip file
            import pkgutil

            yield from (info.name for info in pkgutil.iter_modules([directory]))
            continue
        for entry in entries:
            suffix = next((suffix for suffix in suffixes if entry.name.endswith(suffix)), None)
            if suffix is not None and entry.is_file():
                name = entry.name[: -len(suffix)]
            elif entry.is_dir() and os.path.isfile(os.path.join(entry.path, "__init__.py")):
                name = entry.name
            else:
                continue
            if name.isidentifier() and name != "__init__":
                yield name


def _entry_points() -> Iterable[tuple[str, str, EntryPoint]]:
    for entry_point in entry_points(ENTRY_POINT_GROUP):
        yield entry_point.name, entry_point.version, entry_point


def local_plugin_versions(config_plugins: Sequence[str], config_dir: str | None) -> list[tuple[str, str]]:
    """The configuration's plugin modules, imported for their `__version__`, as `hvlint --version` lists
    them after hvlint and the installed plugins (which it reads from their distributions' metadata, so
    that `--version` works even beside a broken plugin)."""
    found = []
    for module_name in config_plugins:
        module = _register(None, module_name, partial(_import_local, module_name, config_dir))
        found.append((module_name, str(getattr(module, "__version__", "local"))))
    return found


def load_plugins(config_plugins: Sequence[str] = (), config_dir: str | None = None) -> Registry:
    """Registers hvlint's own rules, installed plugins and the configuration's plugin modules, then
    collects every rule. Raises PluginError naming the plugin and the reason. hvlint's own hooks are
    called directly; pluggy registers and checks the other plugins' (and is imported only for them)."""
    registry = Registry()
    imported_before = set(sys.modules)
    registry.plugins.append(LoadedPlugin(BUILTIN, __version__))
    hooks: list[tuple[Callable[[], object] | None, str]] = [
        (hookspecs.implementation(module, "hvlint_rules"), BUILTIN) for module in _builtin_modules()
    ]
    installed = list(_entry_points())
    if installed or config_plugins:
        hooks += _load_other_plugins(registry, installed, config_plugins, config_dir)
    for hook, owner in hooks:
        if hook is None:
            if owner == BUILTIN:
                continue
            raise PluginError(
                f"plugin {owner} provides no hvlint_rules hook (is it decorated with @hvlint.hookimpl?)"
            )
        for rule in _call_rules_hook(hook, owner):
            _add_rule(registry, rule, owner)
    identity = (str(config_dir), *registry.plugins)
    imported = _IMPORTED_BY_LOADING.setdefault(
        identity, {name for name in sys.modules if name not in imported_before}
    )
    defining = {info.rule.__module__ for info in registry.rules.values()}
    registry.code = _locations(imported | defining)
    return registry


def _load_other_plugins(
    registry: Registry,
    installed: Sequence[tuple[str, str, EntryPoint]],
    config_plugins: Sequence[str],
    config_dir: str | None,
) -> list[tuple[Callable[[], object] | None, str]]:
    """Loads and registers with pluggy the installed plugins and the configuration's modules, in that
    order; their hvlint_rules hooks (None for a plugin without one), each with its plugin's name."""
    import pluggy

    manager = pluggy.PluginManager(hookspecs.PROJECT)
    manager.add_hookspecs(hookspecs.specifications())
    in_order: list[tuple[object, str]] = []
    for name, version, entry_point in installed:
        plugin = _register(manager, name, entry_point.load)
        registry.plugins.append(LoadedPlugin(name, version))
        in_order.append((plugin, name))
    for module_name in config_plugins:
        local = _register(manager, module_name, partial(_import_local, module_name, config_dir))
        registry.plugins.append(LoadedPlugin(module_name, str(getattr(local, "__version__", "local"))))
        in_order.append((local, module_name))
    implementations = {id(impl.plugin): impl.function for impl in manager.hook.hvlint_rules.get_hookimpls()}
    return [(implementations.get(id(plugin)), owner) for plugin, owner in in_order]


_IMPORTED_BY_LOADING: dict[tuple[object, ...], set[str]] = {}
"""What loading each set of plugins imported, the first time in this process (a second load finds it all
imported already)."""


def _locations(modules: Iterable[str]) -> set[str]:
    """The file or package directories of the top-level modules of `modules`, as imported."""
    found: set[str] = set()
    for top in {name.partition(".")[0] for name in modules}:
        module = sys.modules.get(top)
        if module is None or top == BUILTIN or top in sys.stdlib_module_names:
            continue
        path = getattr(module, "__path__", None)
        if path is not None:
            found.update(str(directory) for directory in path)
        elif isinstance(getattr(module, "__file__", None), str):
            found.add(module.__file__)  # type: ignore[arg-type]
    return found


def _call_rules_hook(hook: Callable[[], object], owner: str) -> list[object]:
    try:
        with printed_to_stderr(owner):
            rules = hook()
    except (Exception, SystemExit) as error:
        raise PluginError(
            f"plugin {owner} failed to declare its rules: {type(error).__name__}: {error}"
        ) from error
    if not isinstance(rules, (list, tuple)):
        raise PluginError(
            f"plugin {owner}: hvlint_rules() must return a list of Rule classes, got {type(rules).__name__}"
        )
    return list(rules)


def _register(manager: pluggy.PluginManager | None, name: str, load: Callable[[], object]) -> object:
    try:
        with printed_to_stderr(name):
            plugin = load()
            if manager is not None:
                manager.register(plugin, name=name)
    except (Exception, SystemExit) as error:
        raise PluginError(f"plugin {name} failed to load: {type(error).__name__}: {error}") from error
    return plugin


def _import_local(name: str, config_dir: str | None) -> ModuleType:
    if config_dir is not None and str(config_dir) not in sys.path:
        sys.path.insert(0, str(config_dir))
    return importlib.import_module(name)


def _add_rule(registry: Registry, rule: object, owner: str) -> None:
    if not (isinstance(rule, type) and issubclass(rule, Rule)):
        raise PluginError(f"plugin {owner}: {rule!r} is not a subclass of hvlint.Rule")
    code = getattr(rule, "code", "")
    if not isinstance(code, str) or not CODE_PATTERN.match(code):
        raise PluginError(
            f"plugin {owner}: rule {rule.__name__} has an invalid code {code!r:.60} (PREFIX + digits)"
        )
    for attribute, kind in (("name", str), ("summary", str), ("severity_note", str), ("settings", Mapping)):
        value = getattr(rule, attribute, None)
        if not isinstance(value, kind):
            raise PluginError(
                f"plugin {owner}: rule {code} has an invalid {attribute} {value!r:.60} "
                f"(a {kind.__name__} is expected)"
            )
    if not isinstance(rule.severity, str) or rule.severity not in SEVERITIES:
        raise PluginError(f"plugin {owner}: rule {code} has an invalid severity {rule.severity!r}")
    if owner != BUILTIN and code.startswith(BUILTIN_PREFIX) and code[len(BUILTIN_PREFIX)].isdigit():
        raise PluginError(
            f"plugin {owner}: rule code {code} uses hvlint's own prefix HV; pick a prefix of your own"
        )
    if code in registry.rules:
        other = registry.rules[code].plugin
        raise PluginError(f"plugin {owner}: rule code {code} is already owned by plugin {other}")
    registry.rules[code] = RuleInfo(rule, owner)
