"""What the drift tests share: `hvlint drift`'s findings for texts held in memory, and the inverse of the
importer's mapping (a model written back as the inventory document that imports to it)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from hvlint.drift import DIFFERENCES
from hvlint.drift.command import import_estate
from hvlint.drift.compare import compare
from hvlint.engine import Linter
from hvlint.findings import Finding
from hvlint.language.document import load
from hvlint.plugins import load_plugins
from tests.conftest import make_config


def drift_lint(
    inventory: bytes,
    text: str | bytes,
    select: Sequence[str] | None = None,
    settings: Mapping[str, Any] | None = None,
    path: str = "test.hvc",
) -> list[Finding]:
    """The findings `hvlint drift` gives for one described file against an inventory's bytes."""
    config = make_config(settings, select)
    linter = Linter(load_plugins(config.plugins), config, command="drift")
    document = load(text, path)
    found = compare(import_estate(inventory, "inventory.json").model, [document.model])
    return linter.check(document, None, {DIFFERENCES: found.get(path, {})}).findings
