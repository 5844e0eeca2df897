"""Start-up (docs/performance.md, issue 19): what `hvlint --version` and a check of a valid file import,
judged by `sys.modules` (never by a timer), and the pieces that let them import less behave as what they
replace."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hvlint.entrypoints import ENTRY_POINT_GROUP, entry_points
from tests.conftest import ROOT


def _imported(tmp_path: Path, arguments: list[str], watched: set[str]) -> tuple[str, set[str]]:
    """What `hvlint ARGUMENTS` prints, run in `tmp_path`, and which of the `watched` top-level modules (or
    hvlint's submodules) it imported. Modules imported before hvlint's first module ran are not counted:
    an editable install's import hook imports pathlib and re itself."""
    code = (
        "import sys\n"
        "import hvlint\n"
        "before = set(sys.modules)\n"
        f"sys.argv = ['hvlint', *{arguments!r}]\n"
        "from hvlint import cli\n"
        "status = cli.main()\n"
        "sys.stdout.flush()\n"
        "new = set(sys.modules) - before\n"
        f"print('\\nMODULES', ' '.join(sorted(m for m in new if m.split('.')[0] in {watched!r}"
        f" or m.rpartition('.')[0] in {watched!r} or m in {watched!r})))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    output, _, modules = done.stdout.rpartition("\nMODULES")
    return output, set(modules.split())


def test_version_imports_neither_argparse_typing_pathlib_re_nor_any_plugin_machinery(tmp_path: Path) -> None:
    watched = {"argparse", "typing", "pathlib", "re", "pluggy", "lark", "dataclasses", "importlib.metadata"}
    watched |= {"hvlint.config", "hvlint.plugins", "hvlint.pipeline", "hvlint.rules", "hvlint.language"}
    output, imported = _imported(tmp_path, ["--version"], watched)
    assert output.splitlines()[0] == "hvlint 0.1.0"
    assert imported == set(), f"--version imported {sorted(imported)}"


@pytest.mark.skipif(
    bool(entry_points(ENTRY_POINT_GROUP)), reason="a plugin is installed: pluggy is needed to load it"
)
def test_a_check_of_a_valid_file_imports_neither_lark_pluggy_nor_argparse(tmp_path: Path) -> None:
    """Nor typing, pathlib or contextlib (tests/test_lean_imports.py); an editable install's import hook
    imports pathlib and contextlib before hvlint, so only a plain install (CI's) tells those two. The file
    is copied out of the checkout: a configuration file brings tomllib, which imports typing. (Its
    networks' subnets bring `ipaddress`, which checks them.)"""
    example = tmp_path / "prod-ws2019.hvc"
    shutil.copy(ROOT / "examples" / "prod-ws2019.hvc", example)
    watched = {"pluggy", "importlib.metadata", "hvlint.server", "hvlint.report", "hvlint.importer"}
    watched |= {"hvlint.formatting", "hvlint.calibrate", "jinja2", "tomlkit", "lark"}
    watched |= {"hvlint.language.tables", "hvlint.language._lalr_tables", "argparse", "gettext", "locale"}
    watched |= {"hvlint.arguments", "json", "hashlib", "threading", "signal", "dataclasses", "inspect", "ast"}
    watched |= {"decimal", "difflib", "typing", "pathlib", "contextlib", "urllib"}
    _, imported = _imported(tmp_path, ["check", "--no-cache", str(example)], watched)
    assert imported == set(), f"a check imported {sorted(imported)}"


@pytest.mark.parametrize("output", ["json", "github", "gitlab"])
def test_a_check_whose_options_argparse_reads_imports_neither_typing_pathlib_nor_contextlib(
    tmp_path: Path, output: str
) -> None:
    """What CI runs (`--format`): argparse reads the command line, and the format's module is loaded. (SARIF
    reads the repository's URL with importlib.metadata, which imports typing, and JUnit writes XML with
    xml.etree, which imports contextlib: once per pipeline.)"""
    shutil.copy(ROOT / "examples" / "prod-ws2019.hvc", tmp_path / "a.hvc")
    _, imported = _imported(
        tmp_path, ["check", "--no-cache", "--format", output, "a.hvc"], {"typing", "pathlib", "contextlib"}
    )
    assert imported == set(), f"a check with --format {output} imported {sorted(imported)}"


def test_version_reads_the_configuration_when_there_is_one(tmp_path: Path) -> None:
    (tmp_path / "hvlint.toml").write_text('fail_on = "sometimes"\n')
    done = subprocess.run(
        [sys.executable, "-m", "hvlint", "--version"], cwd=tmp_path, capture_output=True, text=True
    )
    assert done.returncode == 2 and "fail_on" in done.stderr and done.stdout == ""
    (tmp_path / "hvlint.toml").write_text('plugins = ["house_rules"]\n')
    (tmp_path / "house_rules.py").write_text('__version__ = "3.1"\n')
    done = subprocess.run(
        [sys.executable, "-m", "hvlint", "--version"], cwd=tmp_path, capture_output=True, text=True
    )
    assert done.stdout.splitlines() == ["hvlint 0.1.0", "  plugin house_rules 3.1"], done.stderr


def test_the_version_fast_path_says_what_argparse_says() -> None:
    from hvlint.cli import parse_arguments

    assert parse_arguments(["--version"]).version is True


def test_hvlints_hookimpl_marks_a_function_as_pluggys_marker_does() -> None:
    import pluggy

    from hvlint.hookspecs import PROJECT, hookimpl

    def ours() -> None: ...

    def theirs() -> None: ...

    for options in ({}, {"tryfirst": True, "specname": "hvlint_rules"}):
        hookimpl(**options)(ours)
        pluggy.HookimplMarker(PROJECT)(**options)(theirs)
        assert ours.hvlint_impl == theirs.hvlint_impl  # type: ignore[attr-defined]
    assert hookimpl(ours) is ours


def test_the_builtin_rules_are_the_same_with_and_without_pluggy(monkeypatch: pytest.MonkeyPatch) -> None:
    """A configuration's plugin brings pluggy in: hvlint's own rules are collected the same either way."""
    from hvlint import plugins

    alone = plugins.load_plugins()
    monkeypatch.syspath_prepend(str(ROOT / "tests"))
    module = type(sys)("startup_empty_plugin")
    from hvlint.hookspecs import hookimpl

    module.hvlint_rules = hookimpl(lambda: [])  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "startup_empty_plugin", module)
    with_pluggy = plugins.load_plugins(("startup_empty_plugin",))
    assert "pluggy" in sys.modules
    assert {code: info.rule for code, info in alone.rules.items()} == {
        code: info.rule for code, info in with_pluggy.rules.items()
    }
    assert [plugin.name for plugin in with_pluggy.plugins] == ["hvlint", "startup_empty_plugin"]


def test_a_command_line_declares_only_the_command_it_runs(capsys: pytest.CaptureFixture[str]) -> None:
    from hvlint.cli import COMMANDS, build_parser, parse_arguments

    def commands(parser: object) -> list[str]:
        (action,) = [a for a in parser._actions if a.dest == "command"]  # type: ignore[attr-defined]
        return list(action.choices)

    assert commands(build_parser("check")) == ["check"]
    assert commands(build_parser("")) == commands(build_parser(None)) == list(COMMANDS)
    assert parse_arguments(["estimate", "--drain", "H1", "a.hvc"]).drain == "H1"
    with pytest.raises(SystemExit):
        parse_arguments(["--help", "check"])
    shown = capsys.readouterr().out
    assert all(name in shown for name in COMMANDS), f"top-level help lists every command: {shown}"


def test_sha256_without_hashlib_gives_hashlibs_digests() -> None:
    import hashlib

    from hvlint.hashing import sha256

    for data in (b"", b"HV402\0cluster/vm", "é".encode()):
        assert sha256(data).hexdigest() == hashlib.sha256(data).hexdigest()


def test_rules_are_guarded_without_a_budget_off_the_main_thread() -> None:
    """Signals are delivered to the main thread alone: elsewhere the rules run without a time budget."""
    import os
    import threading

    from hvlint.rule_guard import RuleExit, rules_guarded

    seen: list[object] = []

    def run() -> None:
        with rules_guarded() as timed:
            seen.append(timed)
            try:
                os._exit(3)
            except RuleExit as exit_:
                seen.append(str(exit_))

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    assert seen == [False, "os._exit(3) called"]
    with rules_guarded() as timed:
        assert timed is True


def test_the_estimator_imports_a_public_name_on_first_use() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys\n"
            "import hvlint.estimator as e\n"
            "from hvlint.estimator import estimate_model, precopy\n"
            "assert callable(precopy) and precopy.__name__ == 'precopy', precopy\n"
            "assert 'hvlint.estimator.drain' not in sys.modules\n"
            "from hvlint.estimator import DrainPlan\n"
            "assert 'hvlint.estimator.drain' in sys.modules and e.DrainPlan is DrainPlan\n"
            "assert 'plan_drain' in dir(e) and not hasattr(e, 'no_such_name')\n",
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr


def _imported_by(statement: str, prefixes: tuple[str, ...]) -> set[str]:
    """The modules, among those starting with one of `prefixes`, that a fresh interpreter has imported once
    it ran `statement`."""
    code = f"import sys\n{statement}\nprint(' '.join(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return {name for name in done.stdout.split() if name.startswith(prefixes)}


HEAVY = (
    "hvlint.estimator.drain",
    "hvlint.estimator.simulation",
    "hvlint.estimator.placed_drain",
    "hvlint.capacity",
    "hvlint.placement",
    "hvlint.failover",
    "hvlint.move_blockers",
    "decimal",
    "lark",
    "pluggy",
    "json",
    "hashlib",
    "threading",
    "signal",
)


def test_rules_that_need_no_drain_plan_import_none_of_its_machinery() -> None:
    """The drain planner, the placement of VMs and capacity arithmetic are imported by the rules that use
    them (HV6, and HV504 with a drain_window), not by every rule module, nor by the estimates."""
    light = [
        "clustering",
        "devices",
        "drift",
        "language",
        "migrations",
        "networks",
        "platform",
        "precopy",
        "processors",
        "security",
        "slat",
        "storage",
        "upgrade",
    ]
    statement = "import importlib\n" + "".join(f"importlib.import_module('rules.{name}')\n" for name in light)
    assert _imported_by(statement, HEAVY) == set()
    assert _imported_by("from hvlint.estimator import estimate_model, format_duration", HEAVY) == set()


def test_the_catalogue_is_read_without_the_resolver_and_the_findings_without_dataclasses() -> None:
    statement = "from hvlint.language.catalogue import catalogue\ncatalogue()"
    assert _imported_by(statement, ("lark", "hvlint.language.resolve")) == set()
    statement = "import hvlint.diagnostics, hvlint.findings, hvlint.records"
    assert _imported_by(statement, ("dataclasses", "inspect", "lark", "hvlint.language")) == set()


def test_hvlints_own_records_on_a_checks_path_are_no_dataclasses() -> None:
    """The records of the command line, the engine, the plugins, the suppressions, the rule API, the HV4
    rules, the estimator, the drain planner, placement and failover are made without `dataclasses`
    (about 0.5 ms each at import, and `dataclasses` imports `inspect` and `ast`: 8 ms)."""
    import dataclasses

    from hvlint.diagnostics import Diagnostic, Message, Problem
    from hvlint.engine import FileResult
    from hvlint.estimator.drain import DrainMigration, DrainPlan
    from hvlint.estimator.estimates import Move, VMEstimate
    from hvlint.estimator.placed_drain import LeftBehind
    from hvlint.estimator.precopy import MigrationInputs, Precopy
    from hvlint.estimator.settings import Parameters
    from hvlint.estimator.simulation import SharedMigration, SimulatedMigration
    from hvlint.failover import FailoverPlan
    from hvlint.move_blockers import _Devices, _Profile
    from hvlint.placement import LeftForMemory, Placement
    from hvlint.plugins import LoadedPlugin, Registry, RuleInfo
    from hvlint.rule import RuleFinding
    from hvlint.suppressions import Suppression, Suppressions
    from rules.processors import _Move, _Owners

    classes = [Diagnostic, Message, Problem, FileResult, VMEstimate, Precopy, LoadedPlugin, Registry]
    classes += [RuleInfo, RuleFinding, Suppression, Suppressions, _Move, _Owners]
    classes += [
        MigrationInputs,
        Parameters,
        Move,
        DrainMigration,
        DrainPlan,
        SharedMigration,
        SimulatedMigration,
    ]
    classes += [LeftBehind, FailoverPlan, LeftForMemory, Placement, _Profile, _Devices]
    assert [cls.__name__ for cls in classes if dataclasses.is_dataclass(cls)] == []


_WORDS = ["check", "estimate", "format", "a.hvc", "b.hvc", "-", "-q", "--quiet", "-v", "--verbose"]
_WORDS += ["--no-cache", "--statistics", "--format", "json", "-x", "--", "-qv", "--version", "-h", "-1"]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_WORDS), max_size=6))
def test_a_plain_check_line_is_read_as_argparse_reads_it(words: list[str]) -> None:
    """Every command line the argparse-free reader accepts, argparse accepts and reads alike."""
    from hvlint.cli import COMMANDS, argparse_arguments
    from hvlint.errors import UsageError
    from hvlint.plain_check import plain_check

    plain = plain_check(words, COMMANDS)
    if plain is None:
        return
    try:
        expected = argparse_arguments(words)
    except (UsageError, SystemExit) as refused:
        raise AssertionError(f"argparse refuses {words}: {refused}") from None
    assert vars(plain) == vars(expected), words


def test_the_usual_check_lines_are_read_without_argparse() -> None:
    from hvlint.cli import COMMANDS
    from hvlint.plain_check import plain_check

    for words in ([], ["a.hvc"], ["check", "-q", "a.hvc", "check"], ["--no-cache", "-", "b.hvc", "-v"]):
        assert plain_check(words, COMMANDS) is not None, words
    for words in (["a.hvc", "-q", "b.hvc"], ["-q", "check", "a.hvc"], ["format", "a.hvc"], ["-qv", "a"]):
        assert plain_check(words, COMMANDS) is None, words


def test_the_rule_modules_are_listed_as_pkgutil_lists_them(tmp_path: Path) -> None:
    import pkgutil

    import hvlint.rules

    import hvlint.language
    from hvlint.plugins import module_names

    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "__init__.py").write_text("")
    (tmp_path / "not_a_package").mkdir()
    for name in ("plain.py", "compiled.pyc", "a.b.py", "__init__.py", "notes.txt"):
        (tmp_path / name).write_text("")
    for path in (hvlint.rules.__path__, hvlint.language.__path__, [str(tmp_path)]):
        assert sorted(set(module_names(path))) == sorted(info.name for info in pkgutil.iter_modules(path))
