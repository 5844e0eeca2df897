"""The installed plugins found without importing them: entry points from the distributions' metadata files,
and the source files of a plugin's package."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from hvlint.entrypoints import EntryPoint, entry_points, module_spec, package_files, plugin_files


def distribution(site: Path, directory: str, entry_points_text: str | None, metadata: str = "") -> Path:
    """A distribution's metadata directory in `site`."""
    info = site / directory
    info.mkdir(parents=True)
    if metadata:
        (info / ("PKG-INFO" if directory.endswith(".egg-info") else "METADATA")).write_text(metadata)
    if entry_points_text is not None:
        (info / "entry_points.txt").write_text(entry_points_text)
    return info


def test_the_scan_agrees_with_importlib_metadata_on_this_environment() -> None:
    from importlib.metadata import entry_points as reference

    expected = sorted(
        (point.name, point.value, point.dist.version if point.dist else "")
        for point in reference(group="console_scripts")
    )
    found = sorted((point.name, point.value, point.version) for point in entry_points("console_scripts"))
    assert expected, "the test environment installs console scripts (pytest, coverage, ...)"
    assert found == expected


def test_entry_points_of_a_group_in_order_of_distribution(tmp_path: Path) -> None:
    distribution(tmp_path, "zeta_rules-2.0.dist-info", "[hvlint]\nzeta = zeta_rules\n")
    distribution(
        tmp_path,
        "Alpha.Rules-1.4.1.dist-info",
        "# generated\n[console_scripts]\nalpha = alpha.cli:main\n\n[hvlint]\n; two plugins\n"
        "alpha = alpha.plugin:Hooks.rules [extra]\nalpha-more=alpha.more\n",
    )
    distribution(tmp_path, "nothing-1.0.dist-info", None)
    (tmp_path / "not-metadata.txt").write_text("[hvlint]\nx = y\n")
    found = entry_points("hvlint", [str(tmp_path)])
    assert found == [
        EntryPoint("alpha", "alpha.plugin:Hooks.rules [extra]", "1.4.1"),
        EntryPoint("alpha-more", "alpha.more", "1.4.1"),
        EntryPoint("zeta", "zeta_rules", "2.0"),
    ]
    assert [point.module for point in found] == ["alpha.plugin", "alpha.more", "zeta_rules"]


def test_the_first_distribution_of_a_name_on_the_path_hides_later_ones(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    distribution(first, "acme_rules-2.0.dist-info", "[other]\nx = y\n")
    distribution(second, "Acme.Rules-1.0.dist-info", "[hvlint]\nacme = acme_rules\n")
    distribution(second, "beta-1.0.dist-info", "[hvlint]\nbeta = beta\n")
    path = [str(first), str(tmp_path / "missing"), str(tmp_path / "a-file"), str(second)]
    (tmp_path / "a-file").write_text("")
    assert [point.name for point in entry_points("hvlint", path)] == ["beta"]


def test_an_egg_info_without_a_version_in_its_name_reads_it_from_its_metadata(tmp_path: Path) -> None:
    distribution(
        tmp_path,
        "legacy.egg-info",
        "[hvlint]\nlegacy = legacy_rules\n",
        "Metadata-Version: 1.1\nName: legacy\nVersion: 0.9b1\n\nVersion: not-this-one\n",
    )
    distribution(tmp_path, "bare.egg-info", "[hvlint]\nbare = bare_rules\n")
    found = {point.name: point.version for point in entry_points("hvlint", [str(tmp_path)])}
    assert found == {"legacy": "0.9b1", "bare": "unknown"}


def test_an_entry_point_loads_the_attribute_it_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "ep_target.py").write_text("class Hooks:\n    class Inner:\n        value = 42\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        assert EntryPoint("x", "ep_target:Hooks.Inner [extra]", "1").load().value == 42  # type: ignore[attr-defined]
        assert EntryPoint("x", "ep_target", "1").load() is sys.modules["ep_target"]
    finally:
        sys.modules.pop("ep_target", None)


def test_a_plugins_files_are_its_whole_package_found_without_importing_it(tmp_path: Path) -> None:
    package = tmp_path / "site" / "acme_pkg"
    (package / "rules" / "__pycache__").mkdir(parents=True)
    for name in ("__init__.py", "hooks.py", "rules/__init__.py", "rules/helpers.py", "rules/data.hvc"):
        (package / name).write_text("raise RuntimeError('imported')\n")
    (package / "rules" / "__pycache__" / "helpers.cpython-311.pyc").write_bytes(b"")
    (package / "README.txt").write_text("")
    local = tmp_path / "project"
    local.mkdir()
    (local / "site_policy.py").write_text("raise RuntimeError('imported')\n")
    sys.path.insert(0, str(tmp_path / "site"))
    try:
        files = plugin_files(["acme_pkg.hooks", "site_policy", "no_such_plugin.x", ""], local)
    finally:
        sys.path.remove(str(tmp_path / "site"))
    assert "acme_pkg" not in sys.modules and "site_policy" not in sys.modules
    assert sorted(Path(file).relative_to(tmp_path).as_posix() for file in files) == [
        "project/site_policy.py",
        "site/acme_pkg/__init__.py",
        "site/acme_pkg/hooks.py",
        "site/acme_pkg/rules/__init__.py",
        "site/acme_pkg/rules/data.hvc",
        "site/acme_pkg/rules/helpers.py",
    ]
    assert package_files([str(tmp_path / "nowhere")]) == set()


def test_distributions_come_in_the_order_of_the_path_and_say_their_metadata_s_version(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    distribution(first, "zeta-1.0.dist-info", "[hvlint]\nzeta = zeta\n")
    distribution(
        second, "alpha-2.0.dist-info", "[hvlint]\nalpha = alpha\n", "Name: alpha\nVersion: 2.0.post1\n"
    )
    distribution(second, "Upper.EGG-INFO", "[hvlint]\nupper = upper\n", "Name: upper\nVersion: 3\n")
    found = entry_points("hvlint", [str(first), str(second)])
    assert [(point.name, point.version) for point in found] == [
        ("zeta", "1.0"),
        ("upper", "3"),
        ("alpha", "2.0.post1"),
    ]


@pytest.mark.parametrize(
    "name", ["hvlint", "hvlint.rules", "hvlint.grammars", "json", "os.path", "no_such_module_x"]
)
def test_module_spec_is_what_importlib_finds(name: str) -> None:
    from importlib.util import find_spec

    expected, found = find_spec(name), module_spec(name)
    if expected is None:
        assert found is None
    else:
        assert found is not None
        assert (found.name, found.origin, found.submodule_search_locations) == (
            expected.name,
            expected.origin,
            expected.submodule_search_locations,
        )


def test_module_spec_of_a_blocked_or_specless_module_is_find_specs(monkeypatch: pytest.MonkeyPatch) -> None:
    from importlib.util import find_spec

    monkeypatch.setitem(sys.modules, "blocked_x", None)
    assert find_spec("blocked_x") is None and module_spec("blocked_x") is None
    monkeypatch.setitem(sys.modules, "specless_x", type(sys)("specless_x"))
    for finder in (find_spec, module_spec):
        with pytest.raises(ValueError, match="__spec__"):
            finder("specless_x")
