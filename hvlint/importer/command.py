"""`hvlint import` and `hvlint collect-script` (import.md §1, §7-§9): read, map, check the result,
write it whole or not at all, and say what was adjusted."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from hvlint.errors import HvlintError
from hvlint.importer.inventory import Obj, Warnings, read_inventory
from hvlint.importer.jsonread import InventoryError, decode, parse
from hvlint.importer.layout import render
from hvlint.importer.mapping import Mapped, map_inventory

if TYPE_CHECKING:
    from hvlint.language.document import Document

LANGUAGE_ERRORS = ("HV001", "HV002", "HV003", "HV004")
SCRIPT = "Export-HvlintInventory.ps1"


@dataclass(frozen=True)
class Imported:
    """The `.hvc` text of an inventory, its warnings (`PATH: MESSAGE`) and the summary line; and the text
    parsed and resolved, as the import checked it (`hvlint drift` compares its model)."""

    text: str
    warnings: list[str]
    summary: str
    document: Document = field(compare=False, repr=False)
    untold: frozenset[tuple[str, str, str]] = field(default=frozenset(), compare=False, repr=False)
    """(host, VM, attribute), case-folded: VM attributes written as defaults for want of a value."""


def import_inventory(data: bytes, name: str) -> Imported:
    """The import of an inventory file's bytes, named `name` in messages and the header; an HvlintError
    (`NAME: ...`) when nothing can be written."""
    try:
        warnings = Warnings()
        doc = read_inventory(parse(decode(data)), warnings)
        mapped = map_inventory(doc, warnings)
    except InventoryError as error:
        where = f"{name}:{error.position[0]}:{error.position[1]}" if error.position else name
        raise HvlintError(f"{where}: {error.message}") from None
    text = render(header(doc, name), mapped.blocks)
    document = self_check(text, name)
    lines = warnings.lines()
    return Imported(text, lines, summary(mapped, name, len(lines)), document, frozenset(warnings.untold))


def header(doc: Obj, name: str) -> list[str]:
    """The two lines the output starts with (import.md §7)."""
    from hvlint.importer.hosts import shown

    collector = doc["collector"]
    on = f" on {shown(doc['collected_on'])}" if doc["collected_on"] else ""
    return [
        f"Imported by hvlint from {shown(name)}: {doc['schema']}, {shown(collector['name'])} "
        f"{shown(collector['version'])}",
        f"Collected {doc['collected_at']}{on} with PowerShell {shown(doc['powershell_version'])}",
    ]


def self_check(text: str, name: str) -> Document:
    """Parses and resolves the output, and returns it; any language error is an internal error
    (import.md §8.1)."""
    from hvlint.language.document import load

    document = load(text, name)
    for problem in document.problems:
        if problem.code in LANGUAGE_ERRORS:
            raise HvlintError(
                f"internal error: the imported description has {problem.code} at line {problem.span[0]}: "
                f"{problem.message}; please report this with the inventory"
            )
    return document


def _count(number: int, word: str) -> str:
    return f"{number} {word}" if number == 1 else f"{number} {word}s"


def summary(mapped: Mapped, name: str, warnings: int) -> str:
    """`imported 1 cluster, 2 hosts, 40 VMs from NAME (3 skipped, 7 warnings)`."""
    return (
        f"imported {_count(mapped.clusters, 'cluster')}, {_count(mapped.hosts, 'host')}, "
        f"{_count(mapped.vms, 'VM')} from {name} ({mapped.skipped} skipped, {_count(warnings, 'warning')})"
    )


def collect_script() -> bytes:
    """The collector's bytes, exactly as shipped."""
    from importlib.resources import files

    return files("hvlint.collect").joinpath(SCRIPT).read_bytes()


def inventory_schema() -> str:
    """The JSON Schema of the inventory document, as printed by `collect-script --schema`."""
    import json

    from hvlint.importer.jsonschema import schema

    return json.dumps(schema(), indent=2) + "\n"


def run_collect_script(output: str | None, want_schema: bool) -> int:
    """`hvlint collect-script`: the script (or the schema) to standard output or to `output`."""
    data = inventory_schema().encode("utf-8") if want_schema else collect_script()
    if output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return 0
    _write(output, data)
    return 0


def _write(output: str, data: bytes) -> None:
    from hvlint.output import write_atomically

    try:
        write_atomically(output, data)
    except OSError as error:
        raise HvlintError(f"{output}: cannot write: {error.strerror or error}") from None


def read_inventory_file(path: str, stdin_name: str | None) -> tuple[str, bytes]:
    """The name an inventory file goes by in messages (its last path component; `stdin_name`, else `-`,
    for standard input) and its bytes; HvlintError when it cannot be read."""
    if path == "-":
        return stdin_name or "-", sys.stdin.buffer.read()
    name = os.path.basename(os.path.normpath(path))
    try:
        with open(path, "rb") as handle:
            return name, handle.read()
    except OSError as error:
        raise HvlintError(f"{name}: cannot read: {error.strerror or error}") from None


def run_import(path: str, output: str | None, stdin_name: str | None, quiet: bool) -> int:
    """`hvlint import`: exit status 0 when the whole file was written, else an HvlintError."""
    name, data = read_inventory_file(path, stdin_name)
    imported = import_inventory(data, name)
    if output is None:
        sys.stdout.write(imported.text)
        sys.stdout.flush()
    else:
        _write(output, imported.text.encode("utf-8"))
    for line in imported.warnings:
        print(f"hvlint: warning: {name}: {line}", file=sys.stderr)
    if not quiet:
        print(imported.summary, file=sys.stderr)
    return 0
