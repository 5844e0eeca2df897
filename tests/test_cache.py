"""The result cache: keys, entries, damage and concurrency. Correctness only: speed is for benchmarks/."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from hvlint.cache import ResultCache, code_stamp, settings_digest
from hvlint.findings import Finding

FINDING = Finding(
    "a.hvc", 2, 3, 2, 9, "HV402", "compatibility-mode-required", "error", "m", "vm C/V", "f" * 32
)


def test_an_entry_round_trips(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path / ".hvlint_cache", settings_digest({"select": ["HV"]}), "secret")
    key = cache.key("a.hvc", b"cluster", None)
    assert cache.get(key) is None
    cache.put(key, [FINDING])
    assert cache.get(key) == [FINDING]
    assert (cache.hits, cache.misses) == (1, 1)
    assert (tmp_path / ".hvlint_cache" / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f59")
    assert (tmp_path / ".hvlint_cache" / ".gitignore").read_text() == "*\n"


def test_the_key_depends_on_everything_the_findings_do(tmp_path: Path) -> None:
    one = ResultCache(tmp_path, settings_digest({"select": ["HV"]}), "secret")
    other = ResultCache(tmp_path, settings_digest({"select": ["HV4"]}), "secret")
    keys = {
        one.key("a.hvc", b"x", None),
        one.key("b.hvc", b"x", None),
        one.key("a.hvc", b"y", None),
        one.key("a.hvc", b"x", b""),
        one.key("a.hvc", b"x", b"base"),
        other.key("a.hvc", b"x", None),
    }
    assert len(keys) == 6


def test_a_damaged_entry_is_ignored_and_rewritten(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path, "s", "secret")
    key = cache.key("a.hvc", b"x", None)
    cache.put(key, [FINDING])
    entry = tmp_path / key[:2] / f"{key}.json"
    for damage in (b"{not json", b'{"key": "x", "findings": []}', b'{"key": "' + key.encode() + b'"}', b"[]"):
        entry.write_bytes(damage)
        assert cache.get(key) is None, damage
    cache.put(key, [FINDING])
    assert json.loads(entry.read_bytes().partition(b"\n")[2])["findings"][0]["code"] == "HV402"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only directory")
def test_a_read_only_cache_directory_turns_the_cache_off(tmp_path: Path) -> None:
    directory = tmp_path / "ro"
    directory.mkdir()
    directory.chmod(0o500)
    try:
        cache = ResultCache(directory / ".hvlint_cache", "s", "secret")
        cache.put(cache.key("a", b"x", None), [FINDING])
        assert not cache.enabled
    finally:
        directory.chmod(0o700)


def test_a_cache_path_that_is_a_file_turns_the_cache_off(tmp_path: Path) -> None:
    blocker = tmp_path / ".hvlint_cache"
    blocker.write_text("not a directory")
    cache = ResultCache(blocker, "s", "secret")
    cache.put(cache.key("a", b"x", None), [FINDING])
    assert not cache.enabled
    assert blocker.read_text() == "not a directory", "nothing a user wrote is overwritten"


def test_the_code_stamp_follows_a_plugins_whole_package_without_importing_it(tmp_path: Path) -> None:
    import sys

    package = tmp_path / "stamped_rules"
    package.mkdir()
    (package / "__init__.py").write_text("from stamped_rules.helpers import X\n")
    helper = package / "helpers.py"
    helper.write_text("X = 1\n")
    local = tmp_path / "project" / "local_policy.py"
    local.parent.mkdir()
    local.write_text("Y = 1\n")
    sys.path.insert(0, str(tmp_path))
    try:
        before = code_stamp(["stamped_rules.hooks", "local_policy"], local.parent)
        assert code_stamp(["stamped_rules", "local_policy"], local.parent) == before
        helper.write_text("X = 22\n")
        after_helper = code_stamp(["stamped_rules.hooks", "local_policy"], local.parent)
        local.write_text("Y = 22\n")
        after_local = code_stamp(["stamped_rules.hooks", "local_policy"], local.parent)
    finally:
        sys.path.remove(str(tmp_path))
    assert len({before, after_helper, after_local}) == 3
    assert "stamped_rules" not in sys.modules and "local_policy" not in sys.modules


def test_the_user_salt_is_made_once_and_kept_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from hvlint.cache import user_salt

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    first = user_salt()
    assert first is not None and len(first) == 64
    assert user_salt() == first
    assert (tmp_path / "xdg" / "hvlint" / "salt").stat().st_mode & 0o777 == 0o600
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "other"))
    assert user_salt() != first, "another user's (or machine's) salt makes other keys"


def test_a_relative_cache_home_is_ignored_and_no_home_means_no_salt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The XDG specification: a relative XDG_CACHE_HOME is invalid; the salt is kept under ~/.cache then,
    never in the directory checked."""
    from hvlint.cache import user_salt

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", "~/elsewhere")
    assert user_salt() is not None
    assert (tmp_path / "home" / ".cache" / "hvlint" / "salt").is_file()
    assert not (tmp_path / "~").exists()
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setattr("os.path.expanduser", lambda path: path)
    assert user_salt() is None


def test_a_warm_key_needs_the_record_of_a_run_that_loaded_the_plugins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hvlint.cache import for_run
    from hvlint.config import load
    from hvlint.plugins import load_plugins

    monkeypatch.chdir(tmp_path)
    config = load(None)
    assert for_run(config) is None, "no run has recorded the plugins' code yet"
    loaded = for_run(config, load_plugins())
    assert loaded is not None
    (record,) = (tmp_path / ".hvlint_cache").glob("plugins-*.json")
    warm = for_run(config)
    assert warm is not None and warm.settings == loaded.settings
    for damage in (b"{not json", b'{"code": "acme"}', b'{"code": [1, 2]}', b"[]"):
        record.write_bytes(damage)
        assert for_run(config) is None, damage
    assert for_run(config, load_plugins()) is not None and for_run(config) is not None


def test_an_installed_package_counts_by_its_directory_a_local_one_by_its_files(tmp_path: Path) -> None:
    import shutil

    installed = tmp_path / "lib" / "site-packages" / "bignum"
    local = tmp_path / "src" / "helpers"
    for package in (installed, local):
        package.mkdir(parents=True)
        (package / "__init__.py").write_text("X = 1\n")
    locations = [str(installed), str(local)]
    before = code_stamp([], None, locations)
    (installed / "__init__.py").write_text("X = 22\n")
    assert code_stamp([], None, locations) == before, "not walked: an installed package is not edited"
    shutil.rmtree(installed)
    installed.mkdir()
    (installed / "__init__.py").write_text("X = 333\n")
    reinstalled = code_stamp([], None, locations)
    assert reinstalled != before, "a reinstall makes the directory anew"
    (local / "__init__.py").write_text("X = 4444\n")
    assert code_stamp([], None, locations) != reinstalled
