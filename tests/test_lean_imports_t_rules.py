"""The rules and the modules they rely on import neither `typing` nor `contextlib` when they run (issue 19):
a check of a small file would pay about 13 million instructions for `typing` and 2.7 million for
`contextlib`. Their `typing` names are imported under `if TYPE_CHECKING:`, for the type checker alone, and
`TYPE_CHECKING` is each module's own `False`."""

from __future__ import annotations

import ast

import pytest

from tests.conftest import ROOT

MODULES = sorted(
    [
        *(ROOT / "rules").glob("*.py"),
        ROOT / "hvlint" / "drift" / "__init__.py",
        *(
            ROOT / "hvlint" / f"{name}.py"
            for name in [
                "checking",
                "failover",
                "move_blockers",
                "rule",
                "run_options",
                "findings",
                "placement",
                "capacity",
                "owner_conditions",
                "suppressions",
                "hashing",
                "diagnostics",
                "rule_guard",
                "selection",
                "hookspecs",
                "entrypoints",
                "plugin_output",
                "shown",
                "command_support",
                "records",
                "signals",
                "plain_check",
                "discovery",
                "errors",
                "estimated",
            ]
        ),
    ]
)
KEPT_OFF = {"typing", "contextlib"}


def _is_type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"


def _run_time_imports(nodes: list[ast.stmt]) -> list[tuple[int, str]]:
    """The modules of KEPT_OFF that `nodes` import when they run (at any depth, not under TYPE_CHECKING)."""
    found: list[tuple[int, str]] = []
    for node in nodes:
        if _is_type_checking(node):
            assert isinstance(node, ast.If)
            found += _run_time_imports(node.orelse)
            continue
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names if alias.name in KEPT_OFF]
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module in KEPT_OFF:
            found.append((node.lineno, node.module))
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.stmt):
                found += _run_time_imports([child])
            elif isinstance(child, ast.excepthandler):
                found += _run_time_imports(child.body)
    return found


@pytest.mark.parametrize("path", MODULES, ids=lambda path: str(path.relative_to(ROOT)))
def test_a_module_imports_neither_typing_nor_contextlib_when_it_runs(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert _run_time_imports(tree.body) == []


@pytest.mark.parametrize("path", MODULES, ids=lambda path: str(path.relative_to(ROOT)))
def test_type_checking_is_the_modules_own_false(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    guarded = [node for node in ast.walk(tree) if _is_type_checking(node)]
    own = [
        node
        for node in tree.body
        if isinstance(node, ast.Assign)
        and [target.id for target in node.targets if isinstance(target, ast.Name)] == ["TYPE_CHECKING"]
        and isinstance(node.value, ast.Constant)
        and node.value.value is False
    ]
    imported = [
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
        if alias.name == "TYPE_CHECKING"
    ]
    assert imported == []
    assert len(own) == (1 if guarded else 0)
    if guarded:
        assert own[0].lineno < min(node.lineno for node in guarded)


def test_the_finder_sees_what_it_looks_for():
    tree = ast.parse(
        "import contextlib\n"
        "TYPE_CHECKING = False\n"
        "if TYPE_CHECKING:\n    from typing import Any\nelse:\n    from typing import cast\n"
        "def f():\n    try:\n        pass\n    except ImportError:\n        import typing\n"
    )
    assert _run_time_imports(tree.body) == [(1, "contextlib"), (6, "typing"), (11, "typing")]
