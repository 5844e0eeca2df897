"""`python -m hvlint.explain`: `--write PATH` generates docs/rules.md, a bare CODE prints the explanation as
`hvlint explain CODE` does, and nothing else writes a file (a code was once taken for the output path)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hvlint.cli import main as hvlint_main
from hvlint.explain import main, rules_markdown
from tests.test_docs import builtin_rules


def test_a_bare_code_prints_its_explanation_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert hvlint_main(["explain", "HV101"]) == 0
    expected = capsys.readouterr().out
    assert main(["hv101"]) == 0
    assert capsys.readouterr().out == expected and expected.startswith("# HV101 ")
    assert os.listdir(tmp_path) == []


def test_an_unknown_code_is_refused_as_hvlint_explain_refuses_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["HV999"]) == 2
    assert "unknown rule HV999" in capsys.readouterr().err
    assert os.listdir(tmp_path) == []


def test_write_generates_the_rules_reference(tmp_path: Path) -> None:
    target = tmp_path / "rules.md"
    assert main(["--write", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == rules_markdown(builtin_rules())
    assert "`python -m hvlint.explain --write docs/rules.md`" in target.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["docs/rules.md"], "to write the rules reference: python -m hvlint.explain --write docs/rules.md"),
        (["--write", "HV101"], "--write HV101: the rules reference is Markdown: give a path ending .md"),
        ([], "give a rule's CODE, or --write PATH"),
        (["HV101", "--write", "x.md"], "give a rule's CODE, or --write PATH"),
    ],
)
def test_what_is_neither_a_code_nor_a_markdown_path_is_refused(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    said: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2
    assert said in capsys.readouterr().err
    assert os.listdir(tmp_path) == []
