"""hvlint's patterns shipped compiled (hvlint/_regex_code.py): current, the very patterns `re.compile`
makes, `re`'s compiler when the table does not fit, and not a call of `re`'s compiler on a check's path."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from hvlint import _regex_code, regex, regex_table
from tests.conftest import FIXTURES, ROOT

SAMPLES = [
    "",
    "16GiB",
    "10Gbps",
    "80MB/s",
    "0x1F",
    "1.5",
    "12 ",
    "HV101",
    "HV",
    "# hvlint: disable=HV101,HV402",
    "// hvlint: disable-file=HV2",
    "Intel64 Family 6 Model 85 Stepping 7",
    "amd64 family 25 model 1 stepping 1, AuthenticAMD",
    "\u212aB \u017f",
    f"`{'x' * 201}` and `{'y' * 200}`",
    "runs 2 VMs at 16.4s, first at line 12",
    "vm a { memory = 4GiB; }\n\n",
]
"""Strings the shipped patterns are tried on besides the fixtures' and examples' text and lines: the
kinds of text each is written for, and Unicode that folds to ASCII (the Kelvin sign, the long s)."""


def _texts() -> list[str]:
    files = sorted([*FIXTURES.rglob("*.hvc"), *(ROOT / "examples").glob("*.hvc")])
    texts = [path.read_text(encoding="utf-8", errors="surrogateescape") for path in files]
    return SAMPLES + texts + [line for text in texts for line in text.splitlines()]


def _found(pattern: re.Pattern[str], text: str) -> tuple[object, ...]:
    full = pattern.fullmatch(text)
    found = [(m.span(), m.groups(), m.groupdict()) for m in pattern.finditer(text)]
    return found, full and full.span()


@pytest.fixture
def fresh() -> Iterator[None]:
    regex.shipped.cache_clear()
    yield
    regex.shipped.cache_clear()


@pytest.fixture
def compiles(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """The (pattern, flags) `re.compile` is asked for, from now on."""
    asked: list[tuple[str, int]] = []
    original = re.compile

    def counting(pattern: str, flags: int = 0) -> re.Pattern[str]:
        asked.append((pattern, flags))
        return original(pattern, flags)

    monkeypatch.setattr(re, "compile", counting)
    return asked


def test_the_table_holds_the_patterns_hvlint_compiles() -> None:
    """On any Python: a pattern added or changed without regenerating fails here."""
    assert regex_table.requested_patterns() == list(_regex_code.CODE), (
        "stale: run `python -m hvlint.regex_table`"
    )


@pytest.mark.skipif(regex.stamp() != _regex_code.STAMP, reason="the table is made by another interpreter")
def test_the_generated_module_is_current(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert regex_table.main(str(tmp_path / "code.py")) == 0
    assert "wrote" in capsys.readouterr().err
    assert (tmp_path / "code.py").read_text(encoding="utf-8") == Path(_regex_code.__file__).read_text(
        encoding="utf-8"
    ), "stale: run `python -m hvlint.regex_table` (after `python -m hvlint.language.tables` for the lexer)"


def test_the_table_covers_the_lexer_and_a_module_level_pattern() -> None:
    from hvlint.language import _token_patterns
    from hvlint.plugins import CODE_PATTERN

    assert (_token_patterns.TOKEN_PATTERN, 0) in _regex_code.CODE
    assert (_token_patterns.WHITESPACE_PATTERN, 0) in _regex_code.CODE
    assert (CODE_PATTERN.pattern, 0) in _regex_code.CODE


@pytest.mark.skipif(regex.stamp() != _regex_code.STAMP, reason="the table is made by another interpreter")
def test_every_shipped_pattern_is_the_one_re_compiles(fresh: None, compiles: list[tuple[str, int]]) -> None:
    made = {key: regex.compiled(*key) for key in _regex_code.CODE}
    assert compiles == [], "a shipped pattern was compiled by `re`"
    texts = _texts()
    for (pattern, flags), shipped in made.items():
        expected = re.compile(pattern, flags)
        assert shipped == expected
        assert (shipped.pattern, shipped.flags, shipped.groups, dict(shipped.groupindex)) == (
            expected.pattern,
            expected.flags,
            expected.groups,
            dict(expected.groupindex),
        )
        for text in texts:
            assert _found(shipped, text) == _found(expected, text), (pattern, text)


@pytest.mark.skipif(regex.stamp() != _regex_code.STAMP, reason="the table is made by another interpreter")
def test_a_flag_of_re_finds_its_entry(fresh: None, compiles: list[tuple[str, int]]) -> None:
    pattern = next(pattern for pattern, flags in _regex_code.CODE if flags == re.IGNORECASE)
    assert regex.compiled(pattern, re.IGNORECASE).flags & re.IGNORECASE
    assert compiles == []


def _spoil(case: str, monkeypatch: pytest.MonkeyPatch) -> tuple[str, int]:
    """Spoils the table as `case` says; the (pattern, flags) to ask for."""
    unknown = ("(?P<arch>x86|x64)+", re.IGNORECASE)
    first = next(iter(_regex_code.CODE))
    entry = _regex_code.CODE[first]
    if case == "another interpreter":
        monkeypatch.setattr(_regex_code, "STAMP", ("cpython-99", *_regex_code.STAMP[1:]))
        return first
    if case == "code _sre refuses":
        monkeypatch.setitem(_regex_code.CODE, unknown, (entry[0], (999, 1), *entry[2:]))
    elif case == "a malformed entry":
        monkeypatch.setitem(_regex_code.CODE, unknown, entry[:2])
    return unknown


@pytest.mark.parametrize(
    "case", ["another interpreter", "a pattern not in the table", "code _sre refuses", "a malformed entry"]
)
def test_a_table_that_does_not_fit_gives_what_re_compiles(
    case: str, fresh: None, compiles: list[tuple[str, int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    pattern, flags = _spoil(case, monkeypatch)
    made = regex.compiled(pattern, flags)
    assert compiles == [(pattern, flags)]
    expected = re.compile(pattern, flags)
    assert made == expected
    assert (made.flags, made.groups, dict(made.groupindex)) == (
        expected.flags,
        expected.groups,
        dict(expected.groupindex),
    )


_COUNT_COMPILES = """
import json, os, re, sys, traceback
import re._compiler as compiler

original = compiler.compile
asked = []

def counting(pattern, flags=0):
    frames = traceback.extract_stack()[:-1]
    caller = [f for f in frames if os.path.dirname(f.filename) != os.path.dirname(re.__file__)][-1]
    asked.append((str(pattern)[:60], caller.filename, caller.lineno))
    return original(pattern, flags)

compiler.compile = counting
from hvlint.cli import main
code = main(["check", "--no-cache", *sys.argv[1:]])
print(json.dumps({"code": code, "asked": asked}))
"""


@pytest.mark.skipif(regex.stamp() != _regex_code.STAMP, reason="the table is made by another interpreter")
def test_a_check_of_the_examples_calls_re_s_compiler_for_no_pattern_of_hvlint(tmp_path: Path) -> None:
    """Run beside links to examples/ and a fixture with suppressions, not in the checkout, whose
    pyproject.toml would be read as the configuration."""
    (tmp_path / "examples").symlink_to(ROOT / "examples", target_is_directory=True)
    suppressed = next(
        path for path in sorted(FIXTURES.rglob("*.hvc")) if b"hvlint: disable=" in path.read_bytes()
    )
    (tmp_path / "suppressed.hvc").symlink_to(suppressed)
    run = subprocess.run(
        [sys.executable, "-c", _COUNT_COMPILES, "examples", "suppressed.hvc"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(run.stdout.splitlines()[-1])
    assert result["code"] == 1, run.stderr
    places = [str(Path(regex.__file__).parent), str(ROOT / "rules")]
    ours = [asked for asked in result["asked"] if asked[1].startswith(tuple(places))]
    assert ours == [], "compiled by `re`: add to the table (`python -m hvlint.regex_table`) or use `compiled`"
