"""The configuration's TOML kept parsed in the result cache (hvlint.config_cache): read once, then from the
cache while the file is unchanged; never from an entry the user's hvlint did not write; never with
`--no-cache`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from hvlint import config
from hvlint.cache import sign
from tests.conftest import ROOT, run_cli
from tests.test_startup import _imported

SETTINGS = 'select = ["HV4", "HV5"]\nfail_on = "error"\n\n[estimator]\nmax_downtime = "750ms"\n'


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files tomllib parses, in order."""
    parsed: list[str] = []
    real = config._parsed_toml

    def counting(path: str, raw: bytes) -> dict[str, object]:
        parsed.append(path)
        return real(path, raw)

    monkeypatch.setattr(config, "_parsed_toml", counting)
    return parsed


def _entries(directory: Path) -> list[Path]:
    return sorted((directory / ".hvlint_cache").glob("configuration-*.json"))


def test_a_configuration_is_parsed_once_while_it_is_unchanged(tmp_path: Path, parses: list[str]) -> None:
    path = tmp_path / "hvlint.toml"
    path.write_text(SETTINGS)
    first = config.load(str(path), cached=True)
    second = config.load(str(path), cached=True)
    assert parses == [str(path)] and len(_entries(tmp_path)) == 1
    assert first == second == config.load(str(path)), "the same as tomllib gives"
    assert second.select == ("HV4", "HV5") and second.estimator_value("max_downtime") == 0.75
    path.write_text(SETTINGS.replace("750ms", "2s"))
    assert config.load(str(path), cached=True).estimator_value("max_downtime") == 2.0
    assert parses == [str(path)] * 3, "an edited file is parsed anew (the second parse: uncached)"


def test_without_the_cache_nothing_is_kept(tmp_path: Path, parses: list[str]) -> None:
    path = tmp_path / "hvlint.toml"
    path.write_text(SETTINGS)
    config.load(str(path))
    config.load(str(path))
    assert len(parses) == 2 and not (tmp_path / ".hvlint_cache").exists()


def test_an_entry_the_users_hvlint_did_not_write_is_never_read(tmp_path: Path, parses: list[str]) -> None:
    path = tmp_path / "hvlint.toml"
    path.write_text(SETTINGS)
    config.load(str(path), cached=True)
    (entry,) = _entries(tmp_path)
    planted = b'{"select": ["HV9"], "fail_on": "info"}'
    for forged in (sign(b"another user's secret", planted), entry.read_bytes().replace(b"HV4", b"HV9")):
        entry.write_bytes(forged)
        assert config.load(str(path), cached=True).select == ("HV4", "HV5")
    assert len(parses) == 3


def test_a_document_json_cannot_hold_is_parsed_every_time(tmp_path: Path, parses: list[str]) -> None:
    path = tmp_path / "odd.toml"
    for document in ("when = 1979-05-27T07:32:00Z\n", "ratio = nan\n"):
        path.write_text(document)
        for _ in range(2):
            assert list(config._load_toml(str(path), cached=True)) == [document.split(" ")[0]]
    assert len(parses) == 4 and _entries(tmp_path) == []


def test_a_configuration_error_is_reported_the_same_from_the_cache(tmp_path: Path) -> None:
    path = tmp_path / "hvlint.toml"
    path.write_text('fail_on = "sometimes"\n')
    messages = []
    for _ in range(2):
        with pytest.raises(config.ConfigError) as raised:
            config.load(str(path), cached=True)
        messages.append(str(raised.value))
    assert messages[0] == messages[1] and "fail_on" in messages[0] and len(_entries(tmp_path)) == 1


def test_a_check_with_a_configuration_imports_tomllib_once(tmp_path: Path) -> None:
    """A warm re-run in a repository with an hvlint.toml reads it from the cache: no tomllib, no typing."""
    shutil.copy(ROOT / "examples" / "prod-ws2019.hvc", tmp_path / "a.hvc")
    (tmp_path / "hvlint.toml").write_text('fail_on = "error"\n')
    watched = {"tomllib", "tomli", "typing"}
    cold, imported_cold = _imported(tmp_path, ["check", "a.hvc"], watched)
    assert "tomllib" in imported_cold or "tomli" in imported_cold  # the watch sees the parser
    warm, imported = _imported(tmp_path, ["check", "a.hvc"], watched)
    assert warm == cold and imported == set(), f"a warm check imported {sorted(imported)}"


@pytest.mark.parametrize("command", [["check", "--no-cache"], ["estimate"]])
def test_only_a_check_with_its_cache_keeps_the_configuration(tmp_path: Path, command: list[str]) -> None:
    shutil.copy(ROOT / "examples" / "prod-ws2019.hvc", tmp_path / "a.hvc")
    (tmp_path / "hvlint.toml").write_text('fail_on = "error"\n')
    done = run_cli(*command, "a.hvc", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / ".hvlint_cache").exists()
