"""A check imports neither `typing`, `pathlib` nor `contextlib` (issue 19): together with what they import
they were a tenth of a check of a small file. Every hvlint module a check imports keeps its `typing` names
under its own `TYPE_CHECKING = False` guard and takes what runs from `hvlint.lean_typing`; a function that
needs `pathlib` (off a check's path) imports it when called. The run-time proof, by `sys.modules`, is in
tests/test_startup.py and tests/test_warm_imports.py; this module names the line at fault."""

from __future__ import annotations

import ast
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from hvlint.language.model import ClusterContents, Later
from tests.conftest import ROOT

KEPT_OFF = {"typing", "pathlib", "contextlib"}
"""The modules a check must not import."""
ALLOWED = {("pure_paths.py", "pathlib")}
"""Where a module may import one of them when loaded: hvlint.pure_paths asks pathlib on Windows."""


def _check_path_modules(*options: str) -> list[str]:
    """The files of hvlint's modules that a check of the examples with these options imports (in a fresh
    interpreter)."""
    arguments = ["check", "--no-cache", *options, str(ROOT / "examples")]
    code = (
        "import sys\n"
        "from hvlint import cli\n"
        f"status = cli.main({arguments!r})\n"
        "print('\\nFILES', ' '.join(sorted(getattr(module, '__file__', None) or '' for name, module\n"
        "    in list(sys.modules.items()) if name.split('.')[0] == 'hvlint')))\n"
        "sys.exit(status)\n"
    )
    outside = tempfile.gettempdir()  # not the checkout, whose hvlint/ `-c` would import
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=outside
    )
    assert done.returncode in (0, 1), done.stderr
    return [name for name in done.stdout.rpartition("\nFILES")[2].split() if name.endswith(".py")]


CHECKED = sorted({*_check_path_modules("-q"), *_check_path_modules("--format", "json", "--select", "HV")})
"""A plain check's modules, and those of one whose options argparse reads."""


def _is_type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"


def _imports_when_loaded(nodes: list[ast.stmt]) -> list[tuple[int, str]]:
    """The modules of KEPT_OFF that `nodes` import when the module is loaded: at the top level, in `if`,
    `try` and `with` blocks and class bodies, not under `if TYPE_CHECKING:` nor inside functions."""
    found: list[tuple[int, str]] = []
    for node in nodes:
        if _is_type_checking(node):
            assert isinstance(node, ast.If)
            found += _imports_when_loaded(node.orelse)
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names if alias.name in KEPT_OFF]
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module in KEPT_OFF:
            found.append((node.lineno, node.module))
        elif not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for field in ("body", "orelse", "finalbody"):
                found += _imports_when_loaded(getattr(node, field, []))
            for handler in getattr(node, "handlers", []):
                found += _imports_when_loaded(handler.body)
    return found


def _type_checking_is_own(tree: ast.Module) -> bool:
    """Whether the module's `TYPE_CHECKING` (when it uses one) is its own `TYPE_CHECKING = False`, set
    before its first `if TYPE_CHECKING:`, and never imported from `typing`."""
    guarded = [node.lineno for node in ast.walk(tree) if _is_type_checking(node)]
    own = [
        node.lineno
        for node in tree.body
        if isinstance(node, ast.Assign)
        and [getattr(target, "id", None) for target in node.targets] == ["TYPE_CHECKING"]
        and isinstance(node.value, ast.Constant)
        and node.value.value is False
    ]
    imported = any(
        alias.name == "TYPE_CHECKING"
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    )
    return not imported and (not guarded or (len(own) == 1 and own[0] < min(guarded)))


def test_the_modules_of_a_check_are_found() -> None:
    names = {Path(file).name for file in CHECKED}
    assert {"engine.py", "resolve.py", "lean_typing.py", "processors.py", "arguments.py"} <= names, sorted(
        names
    )
    assert "json_format.py" in names


@pytest.mark.parametrize("file", CHECKED, ids=lambda file: "/".join(Path(file).parts[-2:]))
def test_a_module_of_a_check_imports_no_kept_off_module_when_loaded(file: str) -> None:
    tree = ast.parse(Path(file).read_text(encoding="utf-8"))
    found = [
        (line, module)
        for line, module in _imports_when_loaded(tree.body)
        if (Path(file).name, module) not in ALLOWED
    ]
    assert found == []
    assert _type_checking_is_own(tree), "TYPE_CHECKING must be the module's own `TYPE_CHECKING = False`"


def test_the_finder_sees_what_it_looks_for() -> None:
    tree = ast.parse(
        "import contextlib\n"
        "TYPE_CHECKING = False\n"
        "if TYPE_CHECKING:\n    from typing import Any\nelse:\n    from typing import cast\n"
        "try:\n    pass\nexcept ImportError:\n    import pathlib\n"
        "class C:\n    import typing\n"
        "def f():\n    import pathlib\n"
    )
    assert _imports_when_loaded(tree.body) == [
        (1, "contextlib"),
        (6, "typing"),
        (10, "pathlib"),
        (12, "typing"),
    ]
    assert not _type_checking_is_own(
        ast.parse("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    pass\n")
    )
    assert not _type_checking_is_own(ast.parse("if TYPE_CHECKING:\n    pass\nTYPE_CHECKING = False\n"))
    assert _type_checking_is_own(ast.parse("TYPE_CHECKING = False\nif TYPE_CHECKING:\n    pass\n"))


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
