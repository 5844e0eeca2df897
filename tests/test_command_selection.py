"""A selection must give the command something to run (docs/decisions.md, "Loose ends of session 4"): a
code of the command line that only the other command runs (`drift --select HV101`, `check --select
HV901`) is refused, and so is a selection, wherever written, that leaves the command none of its rules.
A configuration file shared by both commands keeps working."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from hvlint.cli import main
from tests.conftest import FIXTURES


@pytest.fixture
def estate_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """`estate.json` and `prod.hvc` (two HV903 differences, and check findings) in the current directory."""
    shutil.copy(FIXTURES / "drift" / "estate.json", tmp_path / "estate.json")
    shutil.copy(FIXTURES / "drift" / "hv903-fires.hvc", tmp_path / "prod.hvc")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


DRIFT = ("drift", "estate.json", "prod.hvc")
CHECK = ("check", "prod.hvc", "--no-cache")


@pytest.mark.parametrize(
    ("command", "option", "said"),
    [
        (
            DRIFT,
            ("--select", "HV101"),
            "--select HV101: only `hvlint check` runs this rule, not `hvlint drift`",
        ),
        (DRIFT, ("--select", "HV903,HV1"), "--select HV1: only `hvlint check` runs rules with this prefix"),
        (
            DRIFT,
            ("--ignore", "HV101"),
            "--ignore HV101: only `hvlint check` runs this rule, not `hvlint drift`",
        ),
        (
            CHECK,
            ("--select", "HV901"),
            "--select HV901: only `hvlint drift` runs this rule, not `hvlint check`",
        ),
        (CHECK, ("--ignore", "HV9,HV1"), "--ignore HV9: only `hvlint drift` runs rules with this prefix"),
    ],
)
def test_a_command_line_code_of_the_other_command_is_refused(
    estate_dir: Path,
    capsys: pytest.CaptureFixture[str],
    command: tuple[str, ...],
    option: tuple[str, str],
    said: str,
) -> None:
    status, out, err = _run(capsys, *command, *option)
    assert (status, out) == (2, "")
    assert err.startswith(f"hvlint: error: {said}") and err.count("\n") == 1


@pytest.mark.parametrize(
    ("command", "option", "said"),
    [
        (DRIFT, ("--select", "HV002"), "--select HV002 selects none of the rules `hvlint drift` runs"),
        (DRIFT, ("--ignore", "HV9"), "--ignore HV9 selects none of the rules `hvlint drift` runs"),
        (DRIFT, ("--select", "HV9", "--ignore", "HV90"), "--select HV9, --ignore HV90 selects none of"),
        (CHECK, ("--ignore", "HV"), "--ignore HV selects none of the rules `hvlint check` runs"),
    ],
)
def test_a_command_line_that_leaves_the_command_nothing_to_run_is_refused(
    estate_dir: Path,
    capsys: pytest.CaptureFixture[str],
    command: tuple[str, ...],
    option: tuple[str, ...],
    said: str,
) -> None:
    status, out, err = _run(capsys, *command, *option)
    assert (status, out) == (2, "")
    assert err.startswith(f"hvlint: error: {said}"), err


def test_drift_names_its_rules_when_it_refuses(estate_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, _, err = _run(capsys, *DRIFT, "--ignore", "HV9")
    assert "(HV901, HV902, HV903): it would report nothing" in err


def test_a_prefix_both_commands_share_is_accepted(
    estate_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = _run(capsys, *DRIFT, "--select", "HV")
    assert status == 1 and out.count("[HV903]") == 2
    status, out, _ = _run(capsys, *CHECK, "--select", "HV")
    assert status == 1 and "[HV9" not in out


def test_a_configuration_shared_by_both_commands_keeps_working(
    estate_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (estate_dir / "hvlint.toml").write_text('select = ["HV2", "HV903"]\nignore = ["HV101"]\n')
    status, out, err = _run(capsys, *DRIFT)
    assert (status, err) == (1, "") and out.count("[HV903]") == 2
    status, out, err = _run(capsys, *CHECK)
    assert (status, err) == (1, "") and "[HV2" in out and "[HV9" not in out


@pytest.mark.parametrize(
    ("config", "command", "said"),
    [
        (
            'select = ["HV1", "HV2"]\n',
            DRIFT,
            "`select` HV1, HV2 selects none of the rules `hvlint drift` runs",
        ),
        ('ignore = ["HV9"]\n', DRIFT, "`ignore` HV9 selects none of the rules `hvlint drift` runs"),
        ('select = ["HV9"]\n', CHECK, "`select` HV9 selects none of the rules `hvlint check` runs"),
    ],
)
def test_a_configuration_that_leaves_a_command_nothing_is_refused_for_that_command_only(
    estate_dir: Path,
    capsys: pytest.CaptureFixture[str],
    config: str,
    command: tuple[str, ...],
    said: str,
) -> None:
    (estate_dir / "hvlint.toml").write_text(config)
    status, out, err = _run(capsys, *command)
    assert (status, out) == (2, "")
    assert "hvlint.toml: " + said in err and err.startswith("hvlint: error: "), err
    other = CHECK if command is DRIFT else DRIFT
    assert _run(capsys, *other)[0] == 1


def test_the_command_line_may_repair_what_the_configuration_leaves_out(
    estate_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (estate_dir / "hvlint.toml").write_text('select = ["HV1"]\n')
    status, out, _ = _run(capsys, *DRIFT, "--select", "HV9")
    assert status == 1 and out.count("[HV903]") == 2


def test_an_empty_select_is_refused_by_both_commands_and_said_as_written(
    estate_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (estate_dir / "hvlint.toml").write_text("select = []\n")
    for command in (CHECK, DRIFT):
        status, out, err = _run(capsys, *command)
        assert (status, out) == (2, "")
        assert "hvlint.toml: `select = []` selects none of the rules" in err, err
