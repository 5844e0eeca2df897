"""The built wheel: what it carries, and that the installed `hvlint` works from any directory."""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.install

EXAMPLE = """\
cluster "HVC-LAB" {
  platform = ws2016
  failover_clustering = true
  network "LM" { roles = [live_migration]; bandwidth = 10Gbps }
  host "A" { processor = "intel-xeon-5600"; memory = 64GiB }
  host "B" { processor = "intel-xeon-5600"; memory = 64GiB }
  vm "V" { host = A; memory = 4GiB; dirty_rate = 5MB/s }
  vm "W" { host = B; memory = 1GiB; memroy = 2GiB }
}
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)],
        check=True,
        timeout=600,
    )
    (built,) = out.glob("hvlint-*.whl")
    return built


def test_the_wheel_carries_the_grammar_rules_and_catalogue_inside_hvlint(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "hvlint/grammars/hvc.lark" in names
    assert "hvlint/language/processors.hvc" in names
    assert "hvlint/rules/language.py" in names
    assert not [name for name in names if name.startswith(("rules/", "grammars/", "tests/"))]
    metadata = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("entry_points.txt"))).decode()
    assert "hvlint = hvlint.cli:run" in metadata


def test_the_installed_command_works_outside_the_source_tree(wheel: Path, tmp_path: Path) -> None:
    environment = tmp_path / "venv"
    venv.create(environment, with_pip=True)
    python = environment / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(wheel)], check=True, timeout=600)
    work = tmp_path / "elsewhere"
    work.mkdir()
    (work / "lab.hvc").write_text(EXAMPLE)
    hvlint = environment / "bin" / "hvlint"
    version = subprocess.run(
        [str(hvlint), "--version"], cwd=work, capture_output=True, text=True, timeout=120
    )
    assert version.returncode == 0 and version.stdout.startswith("hvlint ")
    checked = subprocess.run(
        [str(hvlint), "check", "lab.hvc"], cwd=work, capture_output=True, text=True, timeout=120
    )
    assert checked.returncode == 1, checked.stderr
    assert "lab.hvc:8:37: error: unknown attribute `memroy` in vm; did you mean `memory`?" in checked.stdout
    module = subprocess.run(
        [str(python), "-m", "hvlint", "rules"], cwd=work, capture_output=True, text=True, timeout=120
    )
    assert module.returncode == 0 and "HV001" in module.stdout
    located = subprocess.run(
        [str(python), "-c", "import hvlint, hvlint.rules; print(hvlint.__file__, hvlint.rules.__file__)"],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert str(ROOT) not in located.stdout and "site-packages" in located.stdout


def test_the_readme_installs_the_wheel_the_build_makes(wheel: Path) -> None:
    """README.md's "Installing hvlint" names the file `pip wheel` writes: its version is the project's."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"pip wheel --no-deps -w dist . && pip install dist/{wheel.name}" in readme


def test_the_dependencies_are_what_the_code_and_the_tests_import() -> None:
    """The Lark the shipped parser tables were built with, pinned (its private APIs are used); PyYAML in
    the test extra (tests/test_docs.py parses the docs' YAML)."""
    from importlib.metadata import requires

    from hvlint.language import _lalr_tables

    required = requires("hvlint") or []
    assert f"lark=={_lalr_tables.LARK_VERSION}" in required
    assert any(line.startswith("pyyaml>=") and "extra == \"test\"" in line for line in required)
