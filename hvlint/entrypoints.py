"""The installed plugins: the entry points of one group, read straight from the distributions' metadata
files on `sys.path`, and the source files of every plugin, all found without importing any of them.

This is what `importlib.metadata.entry_points(group=...)` answers for distributions installed in
directories (wheels' `*.dist-info`, and `*.egg-info`), the first distribution of a name on the path
hiding any later one, without the 30 ms that importing `importlib.metadata` costs every run (a warm
re-run of hvlint takes about a hundred). Distributions inside zip files or `.egg` directories on
`sys.path` are not seen, and within one directory distributions are taken by name (importlib.metadata
takes them in the order the file system lists them).
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # neither typing, pathlib nor re: `hvlint --version` lists the plugins with os alone
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence
    from importlib.machinery import ModuleSpec
    from typing import NamedTuple

    class _Fields(NamedTuple):
        name: str
        value: str
        version: str

else:
    from collections import namedtuple

    _Fields = namedtuple("_Fields", "name value version")

ENTRY_POINT_GROUP = "hvlint"
"""The group under which installed distributions declare hvlint plugins (plugins.md)."""
_METADATA_SUFFIXES = (".dist-info", ".egg-info")
_EXTRAS = r"\s*\[[^\]]*\]\s*\Z"
_SOURCE_SUFFIXES = (".py", ".lark", ".hvc")


class EntryPoint(_Fields):
    """One entry point: its name, its `module:attribute` value, and its distribution's version."""

    __slots__ = ()

    @property
    def module(self) -> str:
        """The dotted name of the module the entry point names."""
        return self._target().partition(":")[0].strip()

    def _target(self) -> str:
        """The value less its extras (`[extra]`)."""
        import re

        return re.sub(_EXTRAS, "", self.value)

    def load(self) -> object:
        """The object the entry point names, its module imported."""
        from importlib import import_module

        target = import_module(self.module)
        attributes = self._target().partition(":")[2].strip()
        for attribute in filter(None, attributes.split(".")):
            target = getattr(target, attribute)
        return target


def entry_points(group: str, path: Sequence[str] | None = None) -> list[EntryPoint]:
    """The entry points of `group` in the distributions on `path` (default `sys.path`): in the order of
    the path, by name within one directory, and as each distribution lists them."""
    seen: set[str] = set()
    found: list[EntryPoint] = []
    for directory in sys.path if path is None else path:
        for metadata in _metadata_directories(directory or os.curdir):
            name, version_in_name = _name_and_version_in_name(metadata)
            normalized = _normalized(name)
            if normalized in seen:
                continue
            seen.add(normalized)
            text = _read(os.path.join(metadata, "entry_points.txt"))
            if text is not None and f"[{group}]" in text:
                version = _version(metadata) or version_in_name or "unknown"
                found.extend(EntryPoint(key, value, version) for key, value in _section(text, group))
    return found


def _metadata_directories(directory: str) -> Iterator[str]:
    try:
        with os.scandir(directory) as entries:
            names = sorted(entry.name for entry in entries if entry.name.lower().endswith(_METADATA_SUFFIXES))
    except OSError:
        return
    for name in names:
        yield os.path.join(directory, name)


def _normalized(name: str) -> str:
    """A distribution's name as importlib.metadata compares them: lower case, each run of `-`, `_` and
    `.` one `-` (PEP 503)."""
    return "-".join(part for part in name.lower().replace("_", "-").replace(".", "-").split("-") if part)


def _name_and_version_in_name(metadata: str) -> tuple[str, str]:
    """The distribution's name, and the version its directory's name carries (`name-version.dist-info`;
    empty for `name.egg-info`)."""
    stem = os.path.basename(metadata).rsplit(".", 1)[0]
    name, _, rest = stem.partition("-")
    return name, rest.split("-")[0]


def _version(metadata: str) -> str | None:
    """The `Version:` header of the distribution's metadata file, as importlib.metadata reads it."""
    import re

    for file in ("METADATA", "PKG-INFO"):
        text = _read(os.path.join(metadata, file))
        if text is None:
            continue
        match = re.search(r"^Version:[ \t]*(\S+)", text.split("\n\n", 1)[0], re.MULTILINE)
        if match:
            return match.group(1)
    return None


def _read(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read()
    except OSError:
        return None


def _section(text: str, group: str) -> Iterator[tuple[str, str]]:
    """The `name = value` lines of the INI section `[group]`."""
    inside = False
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            inside = line[1:-1].strip() == group
        elif inside and "=" in line:
            key, _, value = line.partition("=")
            yield key.strip(), value.strip()


def plugin_files(modules: Iterable[str], first_directory: str | None = None) -> set[str]:
    """The source files of the top-level packages or modules that `modules` (dotted names) belong to,
    looked for first in `first_directory` (a configuration's local plugins) and then on the import path;
    names that cannot be found give nothing."""
    files: set[str] = set()
    for top in sorted({name.partition(".")[0] for name in modules if name}):
        spec = _find_top_level(top, first_directory)
        if spec is None:
            continue
        if spec.submodule_search_locations:
            files.update(package_files(spec.submodule_search_locations))
        elif spec.origin and os.path.isfile(spec.origin):
            files.add(spec.origin)
    return files


def _find_top_level(name: str, first_directory: str | None) -> ModuleSpec | None:
    """The module spec of a top-level name, without importing it."""
    from importlib.machinery import PathFinder

    if first_directory is not None:
        spec = PathFinder.find_spec(name, [str(first_directory)])
        if spec is not None:
            return spec
    try:
        return module_spec(name)
    except (ImportError, ValueError):
        return None


def module_spec(name: str) -> ModuleSpec | None:
    """What `importlib.util.find_spec(name)` gives for a top-level module or one whose package is
    imported, without importing the module itself, nor `importlib.util` (and `contextlib` with it, a
    cost of every warm run): the spec of the module when it is imported (None for an import blocked with
    None, ValueError without a spec, as `find_spec` says), else the first that the import system's
    finders give."""
    if name in sys.modules:
        module = sys.modules[name]
        if module is None:  # an import blocked on purpose
            return None
        spec: ModuleSpec | None = getattr(module, "__spec__", None)
        if spec is None:
            raise ValueError(f"{name}.__spec__ is not set")
        return spec
    package = name.rpartition(".")[0]
    path = sys.modules[package].__path__ if package else None
    for finder in sys.meta_path:
        find = getattr(finder, "find_spec", None)
        spec = find(name, path) if find is not None else None
        if spec is not None:
            return spec
    return None


def package_files(directories: Iterable[str]) -> set[str]:
    """Every source file (Python, grammar, catalogue) under the directories of a package."""
    files: set[str] = set()
    for directory in directories:
        for root, subdirectories, names in os.walk(directory):
            subdirectories[:] = [name for name in subdirectories if name != "__pycache__"]
            files.update(os.path.join(root, name) for name in names if name.endswith(_SOURCE_SUFFIXES))
    return files
