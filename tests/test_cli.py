"""The command line as a user meets it: commands, options, outputs and exit statuses (cli.md)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from hvlint.cli import main
from tests.conftest import run_cli_reader_gone

GOOD = 'cluster "C" {\n  host "H1" { processor = "amd-opteron-2300"; memory = 64GiB }\n}\n'
SYNTAX = 'cluster "C" {\n  host "H1" { processor "amd-opteron-2300" }\n}\n'
UNRESOLVED = 'cluster "C" {\n  vm "V" { host = H9; memory = 1GiB }\n}\n'


def project(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def plugin_module(code: str, name: str, check_body: str) -> str:
    """The source of a plugin module with one rule, `code`, whose `check` runs `check_body`."""
    return (
        "import hvlint\n"
        "class OneRule(hvlint.Rule):\n"
        f"    code = {code!r}\n"
        f"    name = {name!r}\n"
        "    def check(self, ctx):\n"
        f"        {check_body}\n"
        "@hvlint.hookimpl\n"
        "def hvlint_rules():\n"
        "    return [OneRule]\n"
    )


def run(capsys, *args: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    status = main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_a_clean_file_exits_0(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(project(tmp_path, {"a.hvc": GOOD}))
    status, out, err = run(capsys, "check", "a.hvc", "--select", "HV0")
    assert (status, out, err) == (0, "no findings in 1 file\n", "")


def test_a_syntax_error_is_a_finding_with_an_excerpt(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(project(tmp_path, {"bad.hvc": SYNTAX}))
    status, out, _ = run(capsys, "bad.hvc")
    assert status == 1
    lines = out.splitlines()
    assert lines[0] == (
        'bad.hvc:2:44: error: expected `{` after `processor "amd-opteron-2300"`, found `}`; '
        'if `processor` is an attribute, write `processor = "amd-opteron-2300"` [HV001]'
    )
    assert lines[1] == '    host "H1" { processor "amd-opteron-2300" }'
    assert lines[2] == "  " + " " * 43 + "^"
    assert lines[3] == "1 error in 1 file"


def test_directories_are_searched_skipping_hidden_and_excluded(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(
        project(
            tmp_path,
            {
                "prod/a.hvc": UNRESOLVED,
                "prod/notes.txt": "not a cluster",
                ".hidden/b.hvc": UNRESOLVED,
                "legacy/c.hvc": UNRESOLVED,
                "lab/d.hvc": UNRESOLVED,
                "hvlint.toml": 'exclude = ["legacy/"]\n',
            },
        )
    )
    status, out, _ = run(capsys, "check", "--format", "json", "--select", "HV0")
    assert status == 1
    report = json.loads(out)
    assert [f["path"] for f in report["findings"]] == ["lab/d.hvc", "prod/a.hvc"]
    assert report["summary"] == {"files": 2, "errors": 2, "warnings": 0, "info": 0}
    finding = report["findings"][0]
    assert (
        finding["object"] == "vm C/V"
        and finding["code"] == "HV002"
        and finding["name"] == "unresolved-reference"
    )
    assert (finding["line"], finding["column"], finding["end_line"], finding["end_column"]) == (2, 19, 2, 21)
    assert len(finding["fingerprint"]) == 32


def test_a_missing_path_is_exit_2_but_the_rest_is_reported(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(project(tmp_path, {"a.hvc": UNRESOLVED}))
    status, out, err = run(capsys, "check", "a.hvc", "missing.hvc")
    assert status == 2
    assert "a.hvc:2:19: error: unknown host `H9`" in out
    assert err == "hvlint: error: missing.hvc: no such file or directory\n"


def test_standard_input_with_a_name(capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(UNRESOLVED.encode())))
    status, out, _ = run(capsys, "check", "-", "--stdin-filename", "prod/c.hvc", "--select", "HV0")
    assert status == 1
    assert out.startswith("prod/c.hvc:2:19: error: unknown host `H9`")


@pytest.mark.parametrize(("fail_on", "status"), [("error", 0), ("warning", 1), ("info", 1), ("never", 0)])
def test_fail_on(tmp_path: Path, capsys, monkeypatch, fail_on: str, status: int) -> None:  # type: ignore[no-untyped-def]
    text = 'cluster "C" {} # hvlint: disable=HV101\n'
    monkeypatch.chdir(project(tmp_path, {"a.hvc": text}))
    assert run(capsys, "check", "a.hvc", "--select", "HV005,HV101", "--fail-on", fail_on)[0] == status


def test_output_is_written_whole(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(project(tmp_path, {"a.hvc": UNRESOLVED}))
    status, out, _ = run(
        capsys, "check", "a.hvc", "--format", "json", "--output", "report.json", "--select", "HV0"
    )
    assert status == 1 and out == ""
    assert json.loads((tmp_path / "report.json").read_text())["summary"]["errors"] == 1
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".report")] == []


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_disk_on_output_is_exit_2_and_leaves_no_temporary(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(project(tmp_path, {"a.hvc": UNRESOLVED}))
    existing = tmp_path / "report.txt"
    existing.write_text("previous report\n")
    status, _, err = run(capsys, "check", "a.hvc", "--output", "/dev/full/report.txt")
    assert status == 2 and err.startswith(
        "hvlint: error: --output /dev/full/report.txt: cannot write the report"
    )
    status, _, err = run(capsys, "check", "a.hvc", "--output", str(tmp_path / "no-such-dir" / "r.txt"))
    assert status == 2 and "cannot write the report" in err
    assert existing.read_text() == "previous report\n"


def test_configuration_errors_are_one_line_and_exit_2(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(project(tmp_path, {"a.hvc": GOOD, "hvlint.toml": "fail_on = 'sometimes'\n"}))
    status, out, err = run(capsys, "check", "a.hvc")
    assert status == 2 and out == ""
    assert (
        err.count("\n") == 1
        and err.startswith("hvlint: error: ")
        and "`fail_on`" in err
        and "hvlint.toml" in err
    )


def test_explicit_config_wins_over_discovery(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(
        project(
            tmp_path,
            {"a.hvc": GOOD, "hvlint.toml": "fail_on = 'sometimes'\n", "ci.toml": "fail_on = 'error'\n"},
        )
    )
    assert run(capsys, "check", "a.hvc", "--config", "ci.toml", "--select", "HV0")[0] == 0
    status, _, err = run(capsys, "check", "a.hvc", "--config", "nope.toml")
    assert status == 2 and err == "hvlint: error: --config nope.toml: no such file\n"


def test_usage_errors_are_one_line(capsys) -> None:  # type: ignore[no-untyped-def]
    status, _, err = run(capsys, "check", "--format", "xml", "a.hvc")
    assert status == 2 and err.count("\n") == 1 and err.startswith("hvlint: error: argument --format")
    status, _, err = run(capsys, "check", "--select", "hv4")
    assert status == 2 and "'hv4' is not a rule code or prefix" in err


def test_a_raising_plugin_rule_is_hv000_and_exit_2(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    plugin = plugin_module("BOOM1", "boom", "raise KeyError('k')")
    monkeypatch.chdir(
        project(
            tmp_path, {"a.hvc": GOOD, "boom_rules.py": plugin, "hvlint.toml": 'plugins = ["boom_rules"]\n'}
        )
    )
    status, out, err = run(capsys, "check", "a.hvc", "--select", "BOOM,HV0")
    assert status == 2
    assert "a.hvc:1:1: error: rule BOOM1 (boom) of plugin boom_rules raised KeyError: 'k' [HV000]" in out
    assert "Traceback" not in err
    status, out, err = run(capsys, "check", "a.hvc", "--select", "BOOM,HV0", "--verbose")
    assert "Traceback" in err and "KeyError" in err


def test_rules_explain_processors_version(capsys) -> None:  # type: ignore[no-untyped-def]
    status, out, _ = run(capsys, "rules")
    assert status == 0 and out.splitlines()[0].split() == ["code", "name", "severity", "plugin"]
    assert any(line.split()[:2] == ["HV005", "unused-suppression"] for line in out.splitlines())
    status, out, _ = run(capsys, "explain", "hv003")
    assert status == 0 and out.startswith("# HV003 duplicate-declaration\n")
    status, _, err = run(capsys, "explain", "HV999")
    assert status == 2 and err.startswith("hvlint: error: unknown rule HV999")
    status, out, _ = run(capsys, "processors")
    assert status == 0 and "amd-opteron-revf" in out and "host-only flags" in out
    status, out, _ = run(capsys, "--version")
    from hvlint import __version__

    assert status == 0 and out.splitlines()[0] == f"hvlint {__version__}"


def test_quiet_drops_the_summary(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(project(tmp_path, {"a.hvc": UNRESOLVED}))
    _, out, _ = run(capsys, "a.hvc", "--quiet", "--select", "HV0")
    assert out.count("\n") == 1 and "[HV002]" in out


def test_the_module_runs_as_a_program(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "a.hvc").write_text(UNRESOLVED)
    result = cli("a.hvc", "--select", "HV0")
    assert result.returncode == 1 and result.stdout.startswith("a.hvc:2:19: error:")
    assert "\033[" not in result.stdout, "no colour when standard output is not a terminal"


BUSY = """\
cluster "C" {
  platform = ws2016
  failover_clustering = true
  network "LM" { roles = [live_migration]; bandwidth = 1Gbps }
  host "H1" { processor = "intel-xeon-5600"; memory = 64GiB }
  host "H2" { processor = "intel-xeon-5600"; memory = 64GiB }
  vm "DB" { host = H1; memory = 16GiB; dirty_rate = 90MB/s }
  vm "WEB" { host = H2; memory = 1GiB; dirty_rate = 1MB/s }
}
"""


def test_estimate_table_json_and_exit_status(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(project(tmp_path, {"a.hvc": BUSY}))
    status, out, _ = run(capsys, "estimate", "a.hvc")
    assert status == 1, "exits as `check --select HV5` would: DB exceeds 500ms"
    rows = out.splitlines()
    assert rows[0].split() == ["VM", "move", "passes", "total", "downtime", "verdict"]
    assert rows[1].split()[:4] == ["DB", "H1", "->", "H2"] and "exceeds 500ms" in rows[1]
    assert rows[2].split()[0] == "WEB" and rows[2].endswith("ok")
    status, out, _ = run(capsys, "estimate", "a.hvc", "--format", "json")
    estimates = json.loads(out)["estimates"]
    assert [e["vm"] for e in estimates] == ["DB", "WEB"]
    assert set(estimates[0]) == {
        "cluster",
        "vm",
        "source",
        "destination",
        "memory_bytes",
        "dirty_rate_bytes_per_s",
        "rate_bytes_per_s",
        "passes",
        "total_s",
        "downtime_s",
        "converges",
        "threshold_s",
        "assumed",
        "storage_bytes",
        "storage_s",
        "kind",
    }
    assert estimates[0]["rate_bytes_per_s"] == pytest.approx(0.9 * 1.25e8 * 2)
    assert run(capsys, "estimate", "a.hvc", "--fail-on", "error")[0] == 0


def test_estimate_drain(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(project(tmp_path, {"a.hvc": BUSY}))
    status, out, _ = run(capsys, "estimate", "a.hvc", "--drain", "h1", "--format", "json")
    drain = json.loads(out)["drain"]
    assert drain["host"] == "H1" and drain["slots"] == 1
    assert [(m["vm"], m["destination"], m["start_s"]) for m in drain["migrations"]] == [("DB", "H2", 0)]
    assert drain["drain_time_s"] == drain["migrations"][0]["end_s"]
    status, _, err = run(capsys, "estimate", "a.hvc", "--drain", "H9")
    assert status == 2 and err.startswith("hvlint: error: --drain H9: no host `H9`")


def test_baseline_entries_of_files_not_checked_are_not_stale(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(project(tmp_path, {"a.hvc": UNRESOLVED, "b.hvc": UNRESOLVED}))
    assert run(capsys, "check", "a.hvc", "b.hvc", "--select", "HV0", "--write-baseline", "bl.json")[0] == 0
    status, out, _ = run(capsys, "check", "a.hvc", "--select", "HV0", "--baseline", "bl.json")
    assert status == 0
    assert out.endswith(
        "no findings in 1 file (1 hidden by the baseline, 0 baseline entries no longer match)\n"
    )


def test_a_file_outside_git_is_checked_without_a_base(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import subprocess

    repo = tmp_path / "repo"
    project(repo, {"c.hvc": UNRESOLVED})
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    project(tmp_path, {"loose.hvc": UNRESOLVED})
    monkeypatch.chdir(tmp_path)
    status, out, err = run(capsys, "check", "--base", "HEAD", "repo/c.hvc", "loose.hvc", "--select", "HV0")
    assert status == 2
    assert "loose.hvc: not in a git repository" in err and err.count("\n") == 1
    assert out.count("[HV002]") == 2, "both files are still reported"


def test_a_file_name_with_a_line_break_cannot_forge_a_report_line(
    tmp_path: Path, capsys, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(project(tmp_path, {"a\nfake.hvc:1:1: error: forged [HV999].hvc": UNRESOLVED}))
    status, out, _ = run(capsys, "check", ".", "--select", "HV0")
    assert status == 1
    assert out.splitlines()[0].startswith(
        "a\\nfake.hvc:1:1: error: forged [HV999].hvc:2:19: error: unknown host"
    )
    assert len(out.splitlines()) == 2


def test_a_closed_standard_output_is_one_line_not_an_internal_error() -> None:
    result = run_cli_reader_gone("processors")
    assert result.returncode == 2
    assert result.stderr == "hvlint: error: cannot write to standard output: the reader closed it\n"


@pytest.mark.parametrize("command", ["check", "estimate", "rules", "explain", "processors"])
def test_each_command_declares_its_own_options_as_the_whole_parser_does(command: str, capsys) -> None:  # type: ignore[no-untyped-def]
    from hvlint.cli import build_parser

    def help_of(parser_command: str | None) -> str:
        with pytest.raises(SystemExit) as exited:
            build_parser(parser_command).parse_args([command, "--help"])
        assert exited.value.code == 0
        return capsys.readouterr().out

    whole = help_of(None)
    assert help_of(command) == whole
    assert "--config FILE" in whole and "--verbose" in whole
    assert ("--jobs N" in whole) == (command == "check")
    assert ("--drain HOST" in whole) == (command == "estimate")


def test_the_top_level_help_lists_every_command(capsys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for command, summary in [("check", "lint .hvc files"), ("processors", "list the built-in processor")]:
        assert command in out and summary in out


class _Exited(Exception):
    def __init__(self, status: int) -> None:
        self.status = status


class _FailingStdout:
    def __init__(self, error: Exception) -> None:
        self.error = error

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        raise self.error

    def isatty(self) -> bool:
        return False


@pytest.mark.parametrize(
    ("error", "said"),
    [
        (None, None),
        (BrokenPipeError(32, "Broken pipe"), "cannot write to standard output: the reader closed it"),
        (OSError(28, "No space left on device"), "cannot write to standard output: No space left on device"),
    ],
)
def test_the_command_flushes_its_output_then_ends_at_once(  # type: ignore[no-untyped-def]
    tmp_path: Path, capsys, monkeypatch, error: Exception | None, said: str | None
) -> None:
    from hvlint import cli, pipeline

    monkeypatch.chdir(project(tmp_path, {"bad.hvc": UNRESOLVED}))
    monkeypatch.setattr(cli.sys, "argv", ["hvlint", "check", "bad.hvc", "--format", "json"])

    def exit_now(status: int) -> None:
        raise _Exited(status)

    monkeypatch.setattr(cli.os, "_exit", exit_now)
    monkeypatch.setattr(cli.gc, "disable", lambda: None)  # the collector stays as the other tests need it
    if error is not None:
        monkeypatch.setattr(pipeline, "deliver", lambda text, output: None)
        monkeypatch.setattr(cli.sys, "stdout", _FailingStdout(error))
    with pytest.raises(_Exited) as exited:
        cli.run()
    captured = capsys.readouterr()
    if said is None:
        assert exited.value.status == 1 and '"code": "HV002"' in captured.out
    else:
        assert exited.value.status == 2 and captured.err == f"hvlint: error: {said}\n"


def test_help_is_as_wide_as_columns_or_the_terminal_says(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from hvlint import cli

    def help_at(columns: str | None, terminal: int | None) -> str:
        if columns is None:
            monkeypatch.delenv("COLUMNS", raising=False)
        else:
            monkeypatch.setenv("COLUMNS", columns)

        def size(descriptor: int) -> os.terminal_size:
            if terminal is None:
                raise OSError(25, "Inappropriate ioctl for device")
            return os.terminal_size((terminal, 24))

        monkeypatch.setattr(cli.os, "get_terminal_size", size)
        return cli.build_parser("check").format_help()

    assert max(map(len, help_at("50", None).splitlines())) <= 50
    assert help_at("50", None) != help_at("100", None) == help_at(None, 100)
    assert help_at("0", None) == help_at("wide", 0) == help_at("80", None) != help_at(None, 50)


# -- a selector that names no rule is refused, wherever it is written (issue 11, item 4) ----------------


@pytest.mark.parametrize(
    ("options", "said"),
    [
        (["--select", "HV999"], "--select HV999: no loaded rule has this code or prefix"),
        (["--select", "HV4,ZZ"], "--select ZZ: no loaded rule has this code or prefix"),
        (["--ignore", "HV95,HV99"], "--ignore HV95, HV99: no loaded rule has these codes or prefixes"),
    ],
)
def test_a_command_line_selector_that_matches_no_rule_is_exit_2(  # type: ignore[no-untyped-def]
    tmp_path: Path, capsys, monkeypatch, options: list[str], said: str
) -> None:
    monkeypatch.chdir(project(tmp_path, {"a.hvc": UNRESOLVED}))
    status, out, err = run(capsys, "check", "a.hvc", *options)
    assert (status, out) == (2, "")
    assert err == f"hvlint: error: {said} (`hvlint rules` lists every rule)\n"


@pytest.mark.parametrize(
    ("configuration", "key"),
    [
        ('select = ["HV4", "HV999"]\n', "`select`: HV999"),
        ('ignore = ["ACME"]\n', "`ignore`: ACME"),
        ('[per-file-ignores]\n"lab/*.hvc" = ["HV1", "HV99"]\n', '`per-file-ignores."lab/*.hvc"`: HV99'),
    ],
)
def test_a_configured_selector_that_matches_no_rule_is_exit_2(  # type: ignore[no-untyped-def]
    tmp_path: Path, capsys, monkeypatch, configuration: str, key: str
) -> None:
    monkeypatch.chdir(project(tmp_path, {"a.hvc": UNRESOLVED, "hvlint.toml": configuration}))
    status, out, err = run(capsys, "check", "a.hvc")
    assert (status, out) == (2, "")
    assert err.startswith(f"hvlint: error: {tmp_path / 'hvlint.toml'}: {key}: no loaded rule has this")
    status, _, err = run(capsys, "estimate", "a.hvc")
    assert status == 2 and key in err


def test_a_selector_is_refused_even_when_the_cache_could_answer(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A run the result cache answers loads no plugin; it must still refuse a selector no rule has, even
    one of the file that `--select` replaces (the cache's key holds only the selection in effect)."""
    monkeypatch.chdir(project(tmp_path, {"a.hvc": UNRESOLVED, "hvlint.toml": 'select = ["HV0"]\n'}))
    assert run(capsys, "check", "a.hvc", "--select", "HV0")[0] == 1
    status, _, err = run(capsys, "check", "a.hvc", "--select", "HV0", "--verbose")
    assert status == 1 and "1 hits, 0 misses" in err
    (tmp_path / "hvlint.toml").write_text('select = ["HV0"]\nignore = ["HV0009"]\n')
    status, out, err = run(capsys, "check", "a.hvc", "--select", "HV0")
    assert (status, out) == (2, "") and "`ignore`: HV0009: no loaded rule" in err
    for _ in range(2):
        status, out, err = run(capsys, "check", "a.hvc", "--select", "HV0,HV999")
        assert (status, out) == (2, "") and "--select HV999" in err


def test_a_selector_of_a_plugin_s_rules_is_accepted(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    plugin = plugin_module("ACME12", "quiet", "return []")
    files = {"a.hvc": GOOD, "acme_rules.py": plugin, "hvlint.toml": 'plugins = ["acme_rules"]\n'}
    monkeypatch.chdir(project(tmp_path, files))
    assert run(capsys, "check", "a.hvc", "--select", "ACME,HV0", "--ignore", "ACME1")[0] == 0
    status, _, err = run(capsys, "check", "a.hvc", "--select", "ACME2")
    assert status == 2 and "--select ACME2" in err


# -- directories: any case of `.hvc`, and a warning when none is found (item 5) -------------------------


def test_a_directory_is_searched_for_hvc_in_any_case(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(project(tmp_path, {"site/PROD.HVC": UNRESOLVED, "site/lab.Hvc": UNRESOLVED}))
    status, out, err = run(capsys, "check", "site", "--select", "HV0", "--format", "json")
    assert (status, err) == (1, "")
    assert sorted({f["path"] for f in json.loads(out)["findings"]}) == ["site/PROD.HVC", "site/lab.Hvc"]


def test_a_directory_without_hvc_files_is_a_warning(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(project(tmp_path, {"empty/notes.txt": "", "full/a.hvc": GOOD}))
    status, out, err = run(capsys, "check", "empty", "full", "--select", "HV0")
    assert (status, out) == (0, "no findings in 1 file\n")
    assert err == "hvlint: warning: no .hvc files under empty\n"
    status, out, err = run(capsys, "check", "empty")
    assert (status, out) == (0, "no findings in 0 files\n")
    assert err == "hvlint: warning: no .hvc files under empty\n"


# -- JUnit: a finding below --fail-on passes (item 6) -----------------------------------------------------


def test_junit_reports_a_finding_below_fail_on_as_a_passing_case(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import xml.etree.ElementTree as ET

    text = 'cluster "C" {} # hvlint: disable=HV101\n'
    monkeypatch.chdir(project(tmp_path, {"a.hvc": text}))
    for fail_on, failures in (("warning", 1), ("error", 0)):
        status, out, _ = run(
            capsys, "check", "a.hvc", "--select", "HV005,HV101", "--format", "junit", "--fail-on", fail_on
        )
        assert status == failures
        root = ET.fromstring(out)
        (case,) = root.iter("testcase")
        assert (root.get("tests"), root.get("failures")) == ("1", str(failures))
        assert len(case.findall("failure")) == failures
        system_out = case.find("system-out")
        if failures:
            assert system_out is None
        else:
            assert system_out is not None
            assert (system_out.text or "") == (
                "a.hvc:1:34: warning: unused suppression: no HV101 finding here to suppress [HV005]\n"
            )


# -- no abbreviated options (item 10) ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "arguments",
    [
        ["check", "a.hvc", "--write", "hvlint.toml"],
        ["check", "a.hvc", "--sel", "HV1"],
        ["estimate", "a.hvc", "--dr", "H1"],
        ["rules", "--conf", "hvlint.toml"],
    ],
)
def test_an_abbreviated_option_is_a_usage_error(tmp_path: Path, capsys, monkeypatch, arguments) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(project(tmp_path, {"a.hvc": GOOD, "hvlint.toml": "fail_on = 'error'\n"}))
    status, out, err = run(capsys, *arguments)
    assert (status, out) == (2, "")
    assert err.startswith("hvlint: error: unrecognized arguments: --")
    assert (tmp_path / "hvlint.toml").read_text() == "fail_on = 'error'\n"


def _on_a_terminal(tmp_path: Path, environment: dict[str, str]) -> str:
    """What `hvlint check a.hvc` writes to a terminal (a pseudo-terminal) in `environment`."""
    import pty
    import subprocess
    import sys

    controller, terminal = pty.openpty()
    try:
        subprocess.run(
            [sys.executable, "-m", "hvlint", "check", "a.hvc", "--select", "HV0"],
            cwd=tmp_path,
            stdout=terminal,
            stderr=subprocess.DEVNULL,
            env=environment,
            timeout=120,
            check=False,
        )
        os.close(terminal)
        chunks = []
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # the terminal's side is closed and everything read
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks).decode()
    finally:
        os.close(controller)


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs pseudo-terminals (POSIX)")
def test_colour_on_a_terminal_unless_no_color_is_set(tmp_path: Path) -> None:
    """As docs/integrations.md says: colour on a terminal; none with NO_COLOR set, to any value."""
    project(tmp_path, {"a.hvc": UNRESOLVED})
    environment = {name: value for name, value in os.environ.items() if name != "NO_COLOR"}
    assert "\033[1;31merror" in _on_a_terminal(tmp_path, environment)
    for value in ("1", ""):
        plain = _on_a_terminal(tmp_path, {**environment, "NO_COLOR": value})
        assert "\033[" not in plain and "a.hvc:2:19: error: unknown host `H9`" in plain


def test_what_went_wrong_is_said_before_the_report(tmp_path: Path) -> None:
    """Standard error's lines come first, as docs/configuration.md shows (`hvlint check -v ... 2>&1 |
    head -2`): a reader of both streams meets the trouble before the findings."""
    import subprocess
    import sys

    project(tmp_path, {"a.hvc": UNRESOLVED, "empty/notes.txt": ""})
    merged = subprocess.run(
        [sys.executable, "-m", "hvlint", "check", "-v", "a.hvc", "empty", "gone.hvc", "--select", "HV0"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=120,
    )
    lines = merged.stdout.splitlines()
    assert merged.returncode == 2
    assert lines[0].startswith("hvlint: configuration: ")
    assert lines[1:3] == [
        "hvlint: warning: no .hvc files under empty",
        "hvlint: error: gone.hvc: no such file or directory",
    ]
    assert lines[3].startswith("hvlint: plugins: hvlint ")
    assert lines[-2].startswith("a.hvc:2:19: error: unknown host `H9`") and lines[-1] == "1 error in 1 file"
