"""hvlint.language and hvlint.estimator import no `typing` at run time (issue 19): each keeps its typing
names under its own `TYPE_CHECKING = False` guard and takes what runs from hvlint.lean_typing."""

from __future__ import annotations

import ast
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from hvlint.language.model import ClusterContents, Later
from tests.conftest import ROOT

OWNED = sorted((ROOT / "hvlint" / "language").glob("*.py")) + sorted(
    (ROOT / "hvlint" / "estimator").glob("*.py")
)

MODULES = [".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__") for path in OWNED]


def _guarded(test: ast.expr) -> bool:
    return isinstance(test, ast.Name) and test.id == "TYPE_CHECKING"


def _typing_imports_at_run_time(tree: ast.Module) -> list[int]:
    """The lines of the `import typing` and `from typing import` statements outside `if TYPE_CHECKING:`."""
    found: list[int] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _guarded(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import) and any(alias.name.split(".")[0] == "typing" for alias in node.names):
            found.append(node.lineno)
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "typing":
            found.append(node.lineno)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def _own_type_checking(tree: ast.Module) -> bool:
    """Whether the module sets `TYPE_CHECKING = False` at top level before any `if TYPE_CHECKING:`."""
    for node in tree.body:
        if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == [
            "TYPE_CHECKING"
        ]:
            return isinstance(node.value, ast.Constant) and node.value.value is False
        if isinstance(node, ast.If) and _guarded(node.test):
            return False
    return not any(isinstance(node, ast.If) and _guarded(node.test) for node in ast.walk(tree))


@pytest.mark.parametrize("path", OWNED, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_no_module_imports_typing_outside_its_type_checking_guard(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert _typing_imports_at_run_time(tree) == []
    assert _own_type_checking(tree), "TYPE_CHECKING must be the module's own `TYPE_CHECKING = False`"


def test_the_ast_check_sees_a_typing_import_in_a_function_and_spares_a_guarded_one() -> None:
    source = (
        "TYPE_CHECKING = False\n"
        "if TYPE_CHECKING:\n    from typing import Any\nelse:\n    import typing\n"
        "def f():\n    from typing import cast\n"
    )
    assert _typing_imports_at_run_time(ast.parse(source)) == [5, 7]
    assert not _own_type_checking(
        ast.parse("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    pass\n")
    )


def test_no_module_of_these_packages_asks_for_typing_when_imported() -> None:
    """Every `import` statement run while the modules are imported is watched: none of hvlint.language's
    or hvlint.estimator's asks for `typing` (others' modules may, until they are lean)."""
    code = (
        "import builtins, importlib\n"
        "asked = []\n"
        "real = builtins.__import__\n"
        "def watch(name, globals=None, locals=None, fromlist=(), level=0):\n"
        "    if name.split('.')[0] == 'typing':\n"
        "        asked.append((globals or {}).get('__name__'))\n"
        "    return real(name, globals, locals, fromlist, level)\n"
        "builtins.__import__ = watch\n"
        f"for module in {MODULES!r}:\n"
        "    importlib.import_module(module)\n"
        "print(' '.join(sorted({str(name) for name in asked})))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    askers = done.stdout.split()
    assert [name for name in askers if name.startswith(("hvlint.language", "hvlint.estimator"))] == []


def test_later_is_generic_for_mypy_and_a_plain_class_at_run_time() -> None:
    later: Later[int] = Later[int](1)
    assert later.get() == 1
    later.give(2)
    assert later.get() == 2
    with pytest.raises(RuntimeError, match="given twice"):
        later.give(3)
    with pytest.raises(AttributeError):
        later.other = 1  # type: ignore[attr-defined]
    assert pickle.loads(pickle.dumps(later)).get() == 2


def test_cluster_contents_stays_a_named_tuple_that_pickles() -> None:
    contents = ClusterContents()
    assert contents == ((), (), (), (), ()) and contents._fields[0] == "processors"
    assert pickle.loads(pickle.dumps(contents._replace(hosts=()))) == contents
