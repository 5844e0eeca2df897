"""Shared helpers: lint text with the built-in rules, and run the installed command line."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from hvlint.config import Config, _validate
from hvlint.engine import FileResult, Linter
from hvlint.findings import Finding
from hvlint.language.document import load
from hvlint.language.model import strict_model
from hvlint.plugins import load_plugins

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
DATA = ROOT / "tests" / "data"
"""What the tests read besides the fixtures: the specification's examples and the SARIF schema (see its
README.md)."""
strict_model()

SHARED = DATA
"""The former name of DATA (when the tests read a `shared/` folder beside the checkout), kept for the test
modules that still use it."""


def make_config(settings: Mapping[str, Any] | None = None, select: Sequence[str] | None = None) -> Config:
    """A configuration from a dict of hvlint.toml keys, with an optional --select."""
    config = _validate(dict(settings or {}), str(ROOT / "hvlint.toml"), "")
    return config.with_command_line(tuple(select) if select is not None else None)


def lint_result(
    text: str | bytes,
    select: Sequence[str] | None = None,
    settings: Mapping[str, Any] | None = None,
    base: str | None = None,
    path: str = "test.hvc",
) -> FileResult:
    """The engine's result for `text` (and an optional base revision's text)."""
    config = make_config(settings, select)
    linter = Linter(load_plugins(config.plugins), config)
    base_model = load(base, path).model if base is not None else None
    return linter.check(load(text, path), base_model)


def lint(text: str | bytes, **kwargs: Any) -> list[Finding]:
    """The findings for `text`."""
    return lint_result(text, **kwargs).findings


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-fixtures",
        action="store_true",
        help="rewrite each fixture's NAME.expected.json with the findings hvlint gives now (review the diff)",
    )


def brief(findings: Sequence[Finding]) -> list[tuple[int, int, str]]:
    """(line, column, code) of each finding."""
    return [(f.line, f.column, f.code) for f in findings]


def run_cli(
    *args: str, cwd: Path | None = None, stdin: bytes | None = None
) -> subprocess.CompletedProcess[str]:
    """Runs `python -m hvlint ARGS` in `cwd` and captures its output. Without `cwd` it runs in tests/data:
    in the checkout's root, `python -m` would import the checkout's hvlint/ instead of an installed one."""
    return subprocess.run(
        [sys.executable, "-m", "hvlint", *args],
        cwd=cwd or DATA,
        input=stdin.decode() if stdin is not None else None,
        capture_output=True,
        text=True,
        timeout=120,
    )


def run_cli_reader_gone(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Runs `python -m hvlint ARGS` writing to a pipe whose reader has gone (`hvlint ... | head -1`),
    and captures its standard error (in tests/data without `cwd`, as `run_cli`)."""
    reader, writer = os.pipe()
    os.close(reader)
    try:
        return subprocess.run(
            [sys.executable, "-m", "hvlint", *args],
            cwd=cwd or DATA,
            stdout=writer,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    finally:
        os.close(writer)


@pytest.fixture
def cli(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Runs the command line in a temporary directory."""

    def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
        return run_cli(*args, cwd=tmp_path, stdin=stdin)

    return run


def pytest_sessionstart(session: pytest.Session) -> None:
    """The result cache's user salt goes to a temporary directory, so that the tests never touch the
    user's own. A configuration above the tests' temporary directories would apply to every project they
    make there: the run stops, naming it, rather than fail by the dozen."""
    import tempfile

    os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="hvlint-test-cache-")
    from hvlint.config import discover

    base = session.config.option.basetemp or tempfile.gettempdir()
    found = discover(Path(base).resolve() / "project")
    if found is not None:
        raise pytest.UsageError(
            f"{found} configures every project the tests make under {base}: move it, or pass --basetemp DIR"
        )


@pytest.fixture(autouse=True)
def _collector_left_on() -> Iterator[None]:
    """Every test leaves Python's cycle collector on, as it found it (the `hvlint` command turns it off for
    its own process; a test of that must not turn it off for the tests after it)."""
    yield
    assert gc.isenabled(), "the test left the cycle collector off"
