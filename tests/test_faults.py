"""Bad input never crashes hvlint (issue 6): faults of the environment, pathological files, and no code
from data.

Each fault gives one clear line on standard error (`hvlint: error: ...`), the other files are still
checked and reported, an existing file is never left truncated, and the exit status says what happened
(cli.md: 2 when hvlint could not do its whole job). docs/robustness.md lists the cases.
"""

from __future__ import annotations

import errno
import importlib.util
import io
import json
import os
import re
import stat
import subprocess
import sys
import textwrap
import tokenize
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from hvlint import files, output, pipeline
from hvlint.cli import main
from hvlint.language import resolve, values
from tests.conftest import ROOT, lint, lint_result, run_cli_reader_gone

GOOD = 'cluster "C" {\n  host "H1" { processor = "amd-opteron-2300"; memory = 64GiB }\n}\n'
UNRESOLVED = 'cluster "C" {\n  vm "V" { host = H9; memory = 1GiB }\n}\n'
SOURCES = ("hvlint", "rules")


def project(tmp_path: Path, files_: dict[str, str]) -> Path:
    for name, text in files_.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (tmp_path / "hvlint.toml").touch()
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def error_lines(err: str) -> list[str]:
    lines = err.splitlines()
    assert all(line.startswith("hvlint: error: ") for line in lines), err
    assert "Traceback" not in err
    return lines


@pytest.fixture
def in_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Two files, one with a finding, in the current directory; imports cannot leak between tests."""
    monkeypatch.chdir(project(tmp_path, {"a.hvc": UNRESOLVED, "b.hvc": GOOD}))
    monkeypatch.setattr(sys, "path", list(sys.path))
    return tmp_path


# -- files that cannot be read --------------------------------------------------------------------------


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file whatever its mode (see the next test)")
def test_an_unreadable_file_is_exit_2_and_the_rest_is_checked(in_project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    (in_project / "b.hvc").chmod(0)
    status, out, err = run(capsys, "check", ".", "--select", "HV0")
    assert status == 2
    assert error_lines(err) == ["hvlint: error: b.hvc: cannot read: Permission denied"]
    assert "a.hvc:2:19: error: unknown host `H9`" in out


def test_a_read_refused_is_exit_2_and_the_rest_is_checked(
    in_project: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """The same, as root: `open` refuses b.hvc as it would without the permission."""
    real_open = open

    def refusing_open(path: Any, *args: Any, **kwargs: Any) -> Any:
        if os.path.basename(str(path)) == "b.hvc":
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(pipeline, "open", refusing_open, raising=False)
    status, out, err = run(capsys, "check", ".", "--select", "HV0")
    assert status == 2
    assert error_lines(err) == ["hvlint: error: b.hvc: cannot read: Permission denied"]
    assert "a.hvc:2:19: error: unknown host `H9`" in out
    assert out.endswith("1 error in 1 file\n")


def test_a_directory_where_a_file_is_expected(in_project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    (in_project / "dir").mkdir()
    status, _, err = run(capsys, "check", "a.hvc", "--baseline", "dir")
    assert status == 2 and error_lines(err) == ["hvlint: error: dir: is a directory, not a baseline file"]
    status, _, err = run(capsys, "check", "a.hvc", "--output", "dir")
    assert status == 2 and error_lines(err)[0].startswith(
        "hvlint: error: --output dir: cannot write the report"
    )
    assert (in_project / "dir").is_dir() and not any((in_project / "dir").iterdir())
    status, _, err = run(capsys, "check", "a.hvc", "--config", "dir")
    assert status == 2 and error_lines(err) == ["hvlint: error: --config dir: no such file"]


def test_a_symbolic_link_loop_ends_and_the_other_files_are_checked(in_project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    (in_project / "sub").mkdir()
    (in_project / "sub" / "c.hvc").write_text(UNRESOLVED, encoding="utf-8")
    (in_project / "sub" / "up").symlink_to("..")  # a directory loop: sub/up/sub/up/...
    (in_project / "sub" / "self").symlink_to("self")  # a link to itself
    status, out, err = run(capsys, "check", ".", "--select", "HV0", "--format", "json")
    assert status == 1 and err == ""
    report = json.loads(out)
    assert sorted({finding["path"] for finding in report["findings"]}) == ["a.hvc", "sub/c.hvc"]
    assert report["summary"]["files"] == 3  # each file once, however many ways the loop reaches it
    (in_project / "sub" / "loop.hvc").symlink_to("loop.hvc")  # a file link to itself
    status, out, err = run(capsys, "check", ".", "--select", "HV0")
    assert status == 2
    assert error_lines(err) == [
        "hvlint: error: ./sub/loop.hvc: cannot read: Too many levels of symbolic links"
    ]
    assert "2 errors in 3 files" in out


def test_a_pipe_or_a_device_in_the_tree_does_not_hang(in_project: Path) -> None:
    """A named pipe (or a link to /dev/zero) called `x.hvc` would block the read for ever, or never end:
    it is skipped with a warning; a dangling link is an error. Run as a subprocess, so that a regression
    times out instead of hanging."""
    os.mkfifo(in_project / "pipe.hvc")
    (in_project / "zero.hvc").symlink_to("/dev/zero")
    (in_project / "dangling.hvc").symlink_to("nowhere.hvc")
    result = subprocess.run(
        [sys.executable, "-m", "hvlint", "check", ".", "--select", "HV0"],
        cwd=in_project,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "hvlint: warning: ./pipe.hvc: not a regular file; skipped",
        "hvlint: warning: ./zero.hvc: a symbolic link that leads out of the directory searched; skipped",
        "hvlint: error: ./dangling.hvc: cannot read: No such file or directory",
    ]
    assert "a.hvc:2:19: error: unknown host `H9`" in result.stdout


def test_a_file_that_vanishes_between_discovery_and_read(
    in_project: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    (in_project / "c.hvc").write_text(UNRESOLVED, encoding="utf-8")
    collect = files.collect

    def vanishing(*args: Any, **kwargs: Any) -> Iterator[Any]:
        for item in collect(*args, **kwargs):
            if isinstance(item, str) and item.endswith("b.hvc"):
                os.unlink(item)
            yield item

    monkeypatch.setattr(files, "collect", vanishing)
    status, out, err = run(capsys, "check", ".", "--select", "HV0")
    assert status == 2
    assert error_lines(err) == ["hvlint: error: b.hvc: cannot read: No such file or directory"]
    assert "a.hvc:2:19" in out and "c.hvc:2:19" in out and out.endswith("2 errors in 2 files\n")


# -- writing: a full disk, a closed pipe, a failed write --------------------------------------------------


@pytest.fixture
def no_device_replaced(monkeypatch: pytest.MonkeyPatch) -> None:
    """A safety net for the tests that write to /dev/full: if writing ever renamed a file over a device
    again, the test fails instead of replacing the machine's /dev/full."""
    replace = os.replace

    def careful_replace(source: Any, target: Any, *args: Any, **kwargs: Any) -> None:
        if os.path.exists(target) and not stat.S_ISREG(os.stat(target).st_mode):
            raise AssertionError(f"renaming a file over {target}, which is not a regular file")
        replace(source, target, *args, **kwargs)

    monkeypatch.setattr(os, "replace", careful_replace)


@pytest.mark.skipif(not Path("/dev/full").is_char_device(), reason="needs /dev/full")
@pytest.mark.usefixtures("no_device_replaced")
def test_a_full_disk_on_output(in_project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    status, out, err = run(capsys, "check", "a.hvc", "--output", "/dev/full")
    assert status == 2 and out == ""
    assert error_lines(err) == [
        "hvlint: error: --output /dev/full: cannot write the report: No space left on device"
    ]
    assert Path("/dev/full").is_char_device()
    status, _, err = run(capsys, "check", "a.hvc", "--write-baseline", "/dev/full")
    assert status == 2 and "No space left on device" in error_lines(err)[0]
    assert Path("/dev/full").is_char_device()


@pytest.mark.usefixtures("no_device_replaced")
def test_output_to_a_device_or_a_link_writes_through_it(in_project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    status, out, err = run(capsys, "check", "a.hvc", "--output", os.devnull)
    assert (status, out, err) == (1, "", "") and Path(os.devnull).is_char_device()
    (in_project / "reports").mkdir()
    (in_project / "reports" / "old.txt").write_text("old\n", encoding="utf-8")
    (in_project / "latest.txt").symlink_to("reports/old.txt")
    assert run(capsys, "check", "a.hvc", "--output", "latest.txt")[0] == 1
    assert (in_project / "latest.txt").is_symlink()
    assert "unknown host `H9`" in (in_project / "reports" / "old.txt").read_text(encoding="utf-8")


def test_a_full_disk_on_standard_output(in_project: Path) -> None:
    with open("/dev/full", "w") if Path("/dev/full").exists() else open(os.devnull, "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "hvlint", "check", "a.hvc"],
            cwd=in_project,
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    if Path("/dev/full").exists():
        assert result.returncode == 2
        assert error_lines(result.stderr) == [
            "hvlint: error: cannot write the report to standard output: No space left on device"
        ]


def test_a_closed_pipe_on_standard_output(in_project: Path) -> None:
    """`hvlint check | head -1` when the reader has gone: one clear line and status 2, no traceback."""
    for index in range(200):
        (in_project / f"many{index}.hvc").write_text(UNRESOLVED, encoding="utf-8")
    result = run_cli_reader_gone("check", ".", cwd=in_project)
    assert result.returncode == 2
    assert error_lines(result.stderr) == [
        "hvlint: error: cannot write the report to standard output: Broken pipe"
    ]


@pytest.mark.parametrize("option", ["--output", "--write-baseline"])
def test_a_write_that_fails_leaves_the_old_file(
    in_project: Path, capsys, monkeypatch: pytest.MonkeyPatch, option: str
) -> None:  # type: ignore[no-untyped-def]
    """The disk fills up half-way through: the previous report (or baseline) is left as it was, and no
    temporary file stays behind."""
    old = in_project / "previous.json"
    old.write_text('{"the": "previous report"}\n', encoding="utf-8")

    def full(descriptor: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(output.os, "fsync", full)
    status, _, err = run(capsys, "check", "a.hvc", "--format", "json", option, "previous.json")
    assert status == 2
    assert "No space left on device" in error_lines(err)[0]
    assert old.read_text(encoding="utf-8") == '{"the": "previous report"}\n'
    assert sorted(path.name for path in in_project.iterdir() if path.name != ".hvlint_cache") == [
        "a.hvc",
        "b.hvc",
        "hvlint.toml",
        "previous.json",
    ]


# -- a damaged baseline ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "not a baseline: invalid JSON at line 1, column 1: Expecting value"),
        (b'{"version": 1, "findings": [', "not a baseline: invalid JSON at line 1, column 29"),
        (b"\xff\xfe{}", "not a baseline: not UTF-8 text (byte 0)"),
        (b"[" * 100_000 + b"]" * 100_000, "not a baseline: lists or objects nested too deeply"),
        (b'{"version": 1' + b"0" * 5000 + b"}", "not a baseline: a number with too many digits"),
        (
            b'{"version": 1, "findings": [{"path": 7}]}',
            "`findings[0]`: `path` must be a string, found a number",
        ),
        (b'"just a string"', "not a baseline: expected a JSON object, found a string"),
    ],
)
def test_a_damaged_baseline_is_exit_2_with_a_clear_message(
    in_project: Path, capsys, content: bytes, message: str
) -> None:  # type: ignore[no-untyped-def]
    (in_project / "baseline.json").write_bytes(content)
    status, out, err = run(capsys, "check", ".", "--baseline", "baseline.json")
    assert status == 2 and out == ""
    (line,) = error_lines(err)
    assert line.startswith("hvlint: error: baseline.json: ") and message in line


# -- plugins that fail ----------------------------------------------------------------------------------

RULE = """
import sys
import hvlint
from hvlint.rule import RuleFinding

class Picky(hvlint.Rule):
    code = "PICKY1"
    name = "picky"
    severity = "warning"
    summary = "fails on a file that names a VM BOOM"

    def check(self, ctx):
        for cluster in ctx.model.clusters:
            for vm in cluster.vms:
                if vm.name == "BOOM":
                    {action}
                yield ctx.finding(vm, f"vm {{vm.name}} seen")

@hvlint.hookimpl
def hvlint_rules():
    return [Picky]
"""


def plugin_project(tmp_path: Path, name: str, source: str) -> None:
    (tmp_path / f"{name}.py").write_text(textwrap.dedent(source), encoding="utf-8")
    (tmp_path / "hvlint.toml").write_text(f'plugins = ["{name}"]\n', encoding="utf-8")


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("raise RuntimeError('boom at import')\n", "failed to load: RuntimeError: boom at import"),
        (
            "import hvlint\n@hvlint.hookimpl\ndef hvlint_rules():\n"
            "    raise ValueError('boom at registration')\n",
            "failed to declare its rules: ValueError: boom at registration",
        ),
        (
            "import hvlint\n@hvlint.hookimpl\ndef hvlint_rules(unknown_argument):\n    return []\n",
            "failed to load: PluginValidationError",
        ),
        ("import hvlint_no_such_module\n", "failed to load: ModuleNotFoundError"),
        (
            "import hvlint\nclass R(hvlint.Rule):\n    code = None\n"
            "@hvlint.hookimpl\ndef hvlint_rules():\n    return [R]\n",
            "rule R has an invalid code None (PREFIX + digits)",
        ),
        (
            "import hvlint\nclass R(hvlint.Rule):\n    code = 'ACME1'\n    name = 5\n"
            "@hvlint.hookimpl\ndef hvlint_rules():\n    return [R]\n",
            "rule ACME1 has an invalid name 5 (a str is expected)",
        ),
    ],
)
def test_a_plugin_that_fails_to_load_or_register_is_exit_2(
    in_project: Path, capsys, source: str, message: str
) -> None:  # type: ignore[no-untyped-def]
    name = f"broken_{abs(hash(source)) % 10**8}"
    plugin_project(in_project, name, source)
    status, out, err = run(capsys, "check", ".")
    assert status == 2 and out == ""
    (line,) = error_lines(err)
    assert line.startswith((f"hvlint: error: plugin {name} ", f"hvlint: error: plugin {name}: "))
    assert message in line


@pytest.mark.parametrize(
    ("action", "raised"),
    [
        ("raise KeyError('k')", "KeyError: 'k'"),
        ("sys.exit(0)", "SystemExit: 0"),
        ("1 / 0", "ZeroDivisionError"),
        ("raise GeneratorExit()", "GeneratorExit"),
        ("yield RuleFinding(vm, ctx.finding(vm, 'm').span, 5)", "TypeError: finding message is int"),
        ("yield RuleFinding(None, ctx.finding(vm, 'm').span, 'm')", "TypeError: finding node is NoneType"),
        ("yield RuleFinding(vm, None, 'm')", "TypeError: finding span is None"),
        ("yield RuleFinding(vm, (0, 1, 1, 2), 'm')", "TypeError: finding span is (0, 1, 1, 2)"),
    ],
)
def test_a_plugin_that_raises_while_checking_is_hv000_and_the_rest_is_checked(
    in_project: Path, capsys, action: str, raised: str
) -> None:  # type: ignore[no-untyped-def]
    """HV000 on the file it failed on, every other rule and file still checked, exit 2. A plugin that calls
    sys.exit() no longer ends the run with its own status and no report."""
    name = f"picky_{abs(hash(action)) % 10**8}"
    plugin_project(in_project, name, RULE.format(action=action))
    (in_project / "boom.hvc").write_text(
        'cluster "C" {\n  host "H1" { processor = "amd-opteron-2300"; memory = 64GiB }\n'
        '  vm "BOOM" { host = H1; memory = 1GiB }\n  vm "V2" { host = H9; memory = 1GiB }\n}\n',
        encoding="utf-8",
    )
    (in_project / "fine.hvc").write_text(UNRESOLVED.replace('"V"', '"OK"'), encoding="utf-8")
    status, out, err = run(capsys, "check", ".", "--select", "PICKY,HV0", "--format", "json")
    assert status == 2 and err == ""
    findings = [(f["path"], f["code"], f["message"]) for f in json.loads(out)["findings"]]
    assert ("boom.hvc", "HV000", f"rule PICKY1 (picky) of plugin {name} raised {raised}") in [
        (path, code, message[: len(f"rule PICKY1 (picky) of plugin {name} raised {raised}")])
        for path, code, message in findings
    ]
    assert ("boom.hvc", "HV002", "unknown host `H9` in `host` of vm C/V2") in findings
    assert ("fine.hvc", "PICKY1", "vm OK seen") in findings
    assert ("fine.hvc", "HV002", "unknown host `H9` in `host` of vm C/OK") in findings


# -- values beyond what hvlint computes with ------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "1" + "0" * 5000 + "GiB",  # more digits than Python turns into an integer
        "1" + "0" * 400 + "GiB",  # beyond a float
        "0x" + "f" * 300 + "GiB",
        "1" + "0" * 400 + ".5GiB",
        "1" + "0" * 19 + "B",  # just beyond 10^18 bytes
        "0.0000000001B",  # below 10^-9
    ],
)
def test_a_number_too_large_or_too_small_is_hv004_not_a_crash(value: str) -> None:
    text = GOOD.replace("memory = 64GiB", f"memory = {value}")
    result = lint_result(text)
    assert not result.tracebacks
    (finding,) = [f for f in result.findings if f.code == "HV004"]
    assert "attribute `memory` is out of range" in finding.message and len(finding.message) < 200


def test_values_at_the_limits_are_accepted_and_every_rule_copes() -> None:
    text = (
        'cluster "C" { platform = ws2019; failover_clustering = true; max_migrations = 1000000000000000000\n'
        '  network "LM" { roles = [live_migration]; bandwidth = 0.000000008bps }\n'
        '  host "H1" { processor = "intel-xeon-5600"; memory = 1000000000000000000B }\n'
        '  host "H2" { processor = "intel-xeon-e5-2600"; memory = 0.000000001B }\n'
        '  vm "V" { host = H1; memory = 1000000000000000000B; dirty_rate = 1000000000000000000B/s;'
        " max_downtime = 0.000000001s; config_version = 1000000000000000000 }\n"
        '  vm "W" { host = H2; memory = 0B; dirty_rate = 0.000000001B/s; working_set = 0B }\n}\n'
    )
    result = lint_result(text)
    assert not result.tracebacks, result.tracebacks
    assert not [f for f in result.findings if f.code in ("HV000", "HV001", "HV004")]
    assert values.LARGEST == 1e18 and values.SMALLEST == 1e-9


def test_names_with_control_characters_cannot_forge_findings(in_project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """A name holding a line break and a fake finding, or terminal escapes: the text report keeps one line
    per finding, and no control character reaches the terminal or the CI log."""
    (in_project / "a.hvc").write_text(
        'cluster "C" {\n  vm "V" { host = "x\\nfake.hvc:1:1: error: forged [HV999]"; memory = 1GiB }\n'
        '  vm "W" { host = "\x1b[2K\x1b[1A\u202e"; memory = 1GiB }\n}\n',
        encoding="utf-8",
    )
    for format_name in ("text", "github"):
        status, out, _ = run(capsys, "check", "a.hvc", "--select", "HV0", "--format", format_name)
        assert status == 1
        assert "\x1b" not in out and "\u202e" not in out
        assert not any(line.startswith("fake.hvc") for line in out.splitlines())
    status, out, _ = run(capsys, "check", "a.hvc", "--select", "HV0")
    assert out.splitlines() == [
        "a.hvc:2:19: error: unknown host `x\\nfake.hvc:1:1: error: forged [HV999]` in `host` of vm C/V"
        " [HV002]",
        "a.hvc:3:19: error: unknown host `\\x1b[2K\\x1b[1A\\u202e` in `host` of vm C/W [HV002]",
        "2 errors in 1 file",
    ]


# -- pathological files, smaller ------------------------------------------------------------------------


def _pathological() -> ModuleType:
    spec = importlib.util.spec_from_file_location("pathological", ROOT / "benchmarks" / "pathological.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


PATHOLOGICAL = _pathological()
EXPECTED: dict[str, tuple[str, str]] = {
    "long-string": ("HV001", "unterminated string: strings cannot span lines"),
    "long-name": ("HV002", "unknown host `HHHH"),
    "long-line-of-names": ("HV001", "expected `{` after `a0 a1`, found `a2`"),
    "nested-brackets": ("HV004", "a list inside a list: `switches` holds names and strings only"),
    "unclosed-brackets": ("HV001", "expected a value or `]`, found the end of the file"),
    "nested-blocks": ("HV004", "block `cluster` is not allowed inside cluster"),
    "unclosed-blocks": ("HV001", "unexpected end of file: block `vm` opened at line"),
    "many-attributes": ("HV004", "unknown attribute `a0` in cluster"),
    "repeated-attribute": ("HV003", "attribute `platform` is given twice in cluster C (first at line 2)"),
    "many-hosts-one-typo": ("HV002", "unknown host `X0` in `host` of vm C/V0"),
    "nul": ("HV001", "unexpected character U+0000 (NUL)"),
    "invalid-utf8": ("HV001", "invalid UTF-8: byte 0xff at offset 0 (invalid start byte)"),
    "stray-then-spaces": ("HV001", "unexpected character `@`"),
    "findings-on-one-line": ("HV201", "vm C/V disk `D:\\v\\0000000.vhdx` lies on no storage"),
    "suppressed-each": ("HV505", "running vm LAST has no `dirty_rate`"),
}


def test_every_pathological_case_is_checked() -> None:
    assert set(EXPECTED) == set(PATHOLOGICAL.CASES)


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_a_pathological_file_gives_the_expected_kind_of_finding(case: str) -> None:
    """benchmarks/pathological.py's cases at a hundredth of issue 6's size (the script times them)."""
    content = PATHOLOGICAL.CASES[case](0.01)
    result = lint_result(content)
    assert not result.tracebacks
    code, message = EXPECTED[case]
    assert any(f.code == code and f.message.startswith(message) for f in result.findings), [
        (f.code, f.message[:100]) for f in result.findings[:3]
    ]
    if case == "many-attributes":
        assert len([f for f in result.findings if f.code == "HV004"]) == 1000
    if case == "repeated-attribute":
        assert len(result.findings) == 999
    if case == "findings-on-one-line":
        assert sum(f.code == "HV201" for f in result.findings) == 400
    if case == "suppressed-each":
        assert [f.code for f in result.findings if f.code in ("HV005", "HV505")] == ["HV505"]


def test_did_you_mean_hints_stop_at_a_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each hint compares the name with every name in scope: past HINT_BUDGET comparisons in a file, an
    unresolved reference is still reported, without a hint (a file of 20,000 hosts and 20,000 bad
    references took minutes)."""
    monkeypatch.setattr(resolve, "HINT_BUDGET", 5)
    vms = "".join(f'  vm "V{i}" {{ host = HOST{i}; memory = 1GiB }}\n' for i in range(2, 9))
    text = f'cluster "C" {{\n  host "HOST1" {{ processor = "amd-opteron-2300"; memory = 64GiB }}\n{vms}}}\n'
    hints = ["did you mean `HOST1`?" in f.message for f in lint(text, select=["HV0"]) if f.code == "HV002"]
    assert hints == [True] * 5 + [False] * 2


def test_vms_that_default_to_every_host_share_one_tuple() -> None:
    """possible_owners defaults to every host of the cluster: one tuple for all the VMs (a tuple each made
    memory grow with hosts times VMs: 3 GiB for 20,000 of each)."""
    text = (
        GOOD[: -len("}\n")]
        + '  vm "A" { host = H1; memory = 1GiB }\n  vm "B" { host = H1; memory = 1GiB }\n}\n'
    )
    from hvlint.language.document import load

    first, second = load(text, "t.hvc").model.clusters[0].vms
    assert first.possible_owners is second.possible_owners


# -- no code from data ----------------------------------------------------------------------------------

PAYLOADS = (
    "__import__('os').system('touch pwned-python')",
    "{{7*7}}",
    "$(touch pwned-shell)",
    "`touch pwned-backtick`",
    "${HOME}",
    "%(x)s",
    "; touch pwned-semicolon",
    "{0.__class__}",
)


def test_nothing_in_a_file_or_a_configuration_is_evaluated(tmp_path: Path) -> None:
    """Payloads in names, references, paths, suppressions, file names, --stdin-filename and configuration
    values come back as ordinary findings or configuration errors, literally, and create no file."""
    payload_names = "".join(
        f'  vm "{p}" {{ host = "{p}"; memory = 1GiB; disks = ["{p}"]; config_path = "{p}" }}'
        f"  # hvlint: disable={p}\n"
        for p in PAYLOADS
    )
    text = (
        'cluster "C" {\n  host "H1" { processor = "intel-xeon-5600"; memory = 64GiB }\n'
        + payload_names
        + "}\n"
    )
    (tmp_path / "payload.hvc").write_text(text, encoding="utf-8")
    (tmp_path / "$(touch pwned-filename).hvc").write_text(text, encoding="utf-8")
    (tmp_path / "hvlint.toml").write_text(
        'exclude = ["$(touch pwned-exclude)/"]\n[per-file-ignores]\n"{{7*7}}" = ["HV5"]\n', encoding="utf-8"
    )
    result = subprocess.run(
        [sys.executable, "-m", "hvlint", "check", "--format", "json", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    messages = "\n".join(finding["message"] for finding in report["findings"])
    for payload in PAYLOADS:
        assert f"unknown host `{payload}`" in messages
    assert "49" not in messages
    assert "$(touch pwned-filename).hvc" in {finding["path"] for finding in report["findings"]}
    stdin = subprocess.run(
        [sys.executable, "-m", "hvlint", "check", "-", "--stdin-filename", "$(touch pwned-stdin)"],
        cwd=tmp_path,
        input=text,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert stdin.returncode == 1 and "$(touch pwned-stdin):" in stdin.stdout
    for key, value in [
        ("fail_on", "'$(touch pwned-config)'"),
        ("select", "['{{7*7}}']"),
        ("estimator", "{ max_downtime = \"__import__('os').system('touch pwned-estimator')\" }"),
        ("rules", "{ HV304 = { min_bandwidth = '$(touch pwned-setting)' } }"),
    ]:
        (tmp_path / "hvlint.toml").write_text(f"{key} = {value}\n", encoding="utf-8")
        configured = subprocess.run(
            [sys.executable, "-m", "hvlint", "check", "payload.hvc"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert configured.returncode == 2 and configured.stdout == ""
        assert error_lines(configured.stderr)[0].startswith(
            f"hvlint: error: {tmp_path / 'hvlint.toml'}: `{key}"
        )
    assert not [path.name for path in tmp_path.rglob("pwned*")]
    assert not [path.name for path in Path.cwd().glob("pwned*")]


def test_plugins_load_only_from_entry_points_and_the_plugins_list(in_project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """A module beside the files is imported only when the configuration's `plugins` names it: a `.hvc`
    file that names it anywhere does not load it. (The `plugins` list is code execution, as flake8's
    local plugins are: docs/robustness.md.)"""
    (in_project / "evil_plugin.py").write_text(
        "import pathlib\npathlib.Path('imported').write_text('yes')\n"
        "import hvlint\n@hvlint.hookimpl\ndef hvlint_rules():\n    return []\n",
        encoding="utf-8",
    )
    (in_project / "a.hvc").write_text(
        '# plugins = ["evil_plugin"]\ncluster "evil_plugin" { plugins = [evil_plugin]\n'
        '  vm "evil_plugin" { host = evil_plugin; memory = 1GiB } }\n',
        encoding="utf-8",
    )
    status, out, _ = run(capsys, "check", "a.hvc", "--select", "HV0")
    assert status == 1 and "unknown attribute `plugins` in cluster" in out
    assert not (in_project / "imported").exists() and "evil_plugin" not in sys.modules
    (in_project / "hvlint.toml").write_text('plugins = ["evil_plugin"]\n', encoding="utf-8")
    run(capsys, "check", "a.hvc", "--select", "HV0")
    assert (in_project / "imported").read_text() == "yes"
    sys.modules.pop("evil_plugin", None)


DANGEROUS = [
    (re.compile(r"\beval\("), "eval("),
    (re.compile(r"\bexec\("), "exec("),
    (re.compile(r"\bpickle\b|\bmarshal\.loads?\b|\bshelve\b"), "pickle, marshal or shelve"),
    (re.compile(r"\byaml\.(unsafe_)?load\("), "yaml.load"),
    (re.compile(r"shell\s*=\s*True"), "shell=True"),
    (re.compile(r"\bos\.(system|popen|exec\w*|spawn\w*)\("), "os.system and friends"),
    (re.compile(r"\b__import__\("), "__import__("),
    (re.compile(r"\bcompile\([^)]*['\"]exec['\"]"), "compile(..., 'exec')"),
]
ALLOWED_IMPORTS = {
    # module: the import_module calls it may make: the rules package and its modules, the configured
    # plugins and installed entry points (code execution by design, documented), report formats from a
    # fixed list of choices, the estimator's own submodules from its fixed table of public names
    "hvlint/entrypoints.py": 1,
    "hvlint/estimator/__init__.py": 1,
    "hvlint/plugins.py": 3,
    "hvlint/reporters/__init__.py": 1,
    "hvlint/regex_table.py": 1,  # hvlint's own modules, to find the patterns they compile (a generator)
}


def _sources() -> Iterator[Path]:
    for top in SOURCES:
        yield from sorted((ROOT / top).rglob("*.py"))


def _code_only(source: str) -> str:
    """The source without its strings and comments (a docstring may say "no pickle")."""
    lines = [list(line) for line in source.splitlines(keepends=True)]
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type in (tokenize.STRING, tokenize.COMMENT):
            (first, start), (last, end) = token.start, token.end
            for row in range(first, last + 1):
                line = lines[row - 1]
                begin, stop = (start if row == first else 0), (end if row == last else len(line) - 1)
                line[begin:stop] = " " * (stop - begin)
    return "".join("".join(line) for line in lines)


def test_no_source_evaluates_data() -> None:
    """No eval, exec, pickle, yaml.load, shell=True or os.system in hvlint/ or rules/; dynamic imports only
    where they load rule modules, configured plugins and report formats; subprocesses only run git, with
    an argument list."""
    found = []
    imports: dict[str, int] = {}
    for path in _sources():
        relative = path.relative_to(ROOT).as_posix()
        source = _code_only(path.read_text(encoding="utf-8"))
        for pattern, what in DANGEROUS:
            found.extend(f"{relative}: {what}" for _ in pattern.finditer(source))
        count = len(re.findall(r"\bimport_module\(", source))
        if count:
            imports[relative] = count
        if "subprocess" in source:
            assert relative == "hvlint/gitbase.py" or relative.endswith("_cli.py") is False, relative
            assert re.findall(r"subprocess\.\w+\(", source) in ([], ["subprocess.run("]), relative
    assert not found
    assert imports == ALLOWED_IMPORTS
    gitbase = (ROOT / "hvlint" / "gitbase.py").read_text(encoding="utf-8")
    assert '["git", "-c", "core.quotePath=false", *args]' in gitbase
    assert 'revision.startswith("-")' in gitbase  # a revision cannot smuggle in a git option


# -- known bugs outside this files, reported to their owners ------------------------------------


def test_a_configuration_nan_is_refused(in_project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    (in_project / "hvlint.toml").write_text("[estimator]\ncompression_ratio = nan\n", encoding="utf-8")
    status, _, err = run(capsys, "check", "a.hvc")
    assert status == 2 and "compression_ratio" in err


def test_a_configuration_quantity_of_5000_digits_is_a_configuration_error(in_project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    (in_project / "hvlint.toml").write_text(
        '[estimator]\ndefault_dirty_rate = "1' + "0" * 5000 + 'MB/s"\n', encoding="utf-8"
    )
    status, _, err = run(capsys, "check", "a.hvc")
    assert status == 2 and "internal error" not in err and "default_dirty_rate" in err


def test_a_plugin_that_exits_while_loading_is_exit_2(in_project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    plugin_project(in_project, "exits_at_import", "import sys\nsys.exit(0)\n")
    try:
        status = main(["check", "a.hvc"])
    except SystemExit as exit_:
        status = int(exit_.code or 0)
    assert status == 2
