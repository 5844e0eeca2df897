"""The pre-commit hook (`.pre-commit-hooks.yaml`), run by the real pre-commit framework in a temporary git
repository whose `.pre-commit-config.yaml` points at this checkout: it fails on a bad `.hvc` file with
hvlint's findings in its output, passes on a good one, ignores other files, and compares with HEAD.

pre-commit installs a hook repository from a commit, so these tests use this checkout's HEAD: what is
not committed yet is not what they test.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

HOST = '  host "HV01" { processor = "amd-opteron-2300"  memory = 64GiB }\n'
GOOD = f'cluster "C1" {{\n  platform = ws2019\n{HOST}}}\n'
BAD = f'cluster "C1" {{\n{HOST}  vm "SQL01" {{ host = HV09  memory = 16GiB }}\n}}\n'


def _pre_commit_command() -> list[str] | None:
    if importlib.util.find_spec("pre_commit") is not None:
        return [sys.executable, "-m", "pre_commit"]
    found = shutil.which("pre-commit")
    return [found] if found else None


PRE_COMMIT = _pre_commit_command()

pytestmark = [
    pytest.mark.skipif(PRE_COMMIT is None, reason="pre-commit is not installed (pip install pre-commit)"),
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
]


def _environment(home: Path) -> dict[str, str]:
    """The process's environment without what would point git elsewhere (as when these tests run inside
    a git hook), with a pre-commit cache of the test's own and a fixed committer."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(
        PRE_COMMIT_HOME=str(home),
        PRE_COMMIT_COLOR="never",
        GIT_AUTHOR_NAME="hvlint tests",
        GIT_AUTHOR_EMAIL="tests@hvlint.invalid",
        GIT_COMMITTER_NAME="hvlint tests",
        GIT_COMMITTER_EMAIL="tests@hvlint.invalid",
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=os.devnull,
    )
    return env


def _git(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def _hook_revision() -> str:
    """The commit pre-commit installs the hook from: this checkout's HEAD, which must define the hook."""
    if not (ROOT / ".git").exists():
        pytest.skip(f"{ROOT} is not a git checkout: pre-commit installs hooks from a git repository")
    head = _git("rev-parse", "HEAD", cwd=ROOT)
    if head.returncode != 0:
        pytest.skip(f"{ROOT} has no commit yet: pre-commit installs hooks from a commit")
    if _git("cat-file", "-e", "HEAD:.pre-commit-hooks.yaml", cwd=ROOT).returncode != 0:
        pytest.skip(
            ".pre-commit-hooks.yaml is not committed yet: pre-commit installs the hook from the checkout's "
            "HEAD commit, so commit it first"
        )
    return head.stdout.strip()


class Repository:
    """A temporary git repository that uses the hvlint hook of this checkout."""

    def __init__(self, path: Path, env: dict[str, str], revision: str, args: list[str] | None = None) -> None:
        self.path = path
        self.env = env
        path.mkdir()
        self.git("init", "--quiet")
        self.git("config", "commit.gpgsign", "false")
        hook_args = f"\n        args: {args!r}" if args else ""
        config = (
            f"repos:\n  - repo: {ROOT.as_posix()}\n    rev: {revision}\n"
            f"    hooks:\n      - id: hvlint{hook_args}\n"
        )
        self.write(".pre-commit-config.yaml", config)
        self.git("add", ".pre-commit-config.yaml")

    def git(self, *args: str) -> str:
        result = _git(*args, cwd=self.path, env=self.env)
        assert result.returncode == 0, f"git {' '.join(args)}: {result.stderr}"
        return result.stdout

    def write(self, name: str, text: str, stage: bool = True) -> None:
        target = self.path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        if stage:
            self.git("add", name)

    def commit(self) -> None:
        self.git("commit", "--quiet", "--no-verify", "-m", "commit")

    def pre_commit(self, *args: str) -> subprocess.CompletedProcess[str]:
        """`pre-commit run` on the staged files (what `git commit` runs), with its combined output."""
        assert PRE_COMMIT is not None
        return subprocess.run(
            [*PRE_COMMIT, "run", "--color", "never", *args],
            cwd=self.path,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=900,
        )


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One pre-commit cache for the module, so that the hook's environment is built once."""
    yield tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture(scope="module")
def revision() -> str:
    return _hook_revision()


@pytest.fixture
def repository(tmp_path: Path, pre_commit_home: Path, revision: str) -> Repository:
    return Repository(tmp_path / "repo", _environment(pre_commit_home), revision)


def test_the_hook_fails_on_a_bad_file_and_prints_the_findings(repository: Repository) -> None:
    repository.write("clusters/bad.hvc", BAD)
    result = repository.pre_commit()
    assert result.returncode == 1, result.stdout
    assert "hvlint" in result.stdout and "Failed" in result.stdout
    assert "clusters/bad.hvc:3:" in result.stdout
    assert "[HV002]" in result.stdout


def test_the_hook_passes_on_a_good_file(repository: Repository) -> None:
    repository.write("clusters/good.hvc", GOOD)
    result = repository.pre_commit()
    assert result.returncode == 0, result.stdout
    assert "Passed" in result.stdout


def test_the_hook_ignores_other_files(repository: Repository) -> None:
    repository.write("notes.txt", BAD)
    repository.write("clusters/bad.hvc.txt", BAD)
    repository.write("clusters/unstaged.hvc", BAD, stage=False)
    result = repository.pre_commit()
    assert result.returncode == 0, result.stdout
    assert "Skipped" in result.stdout
    assert "HV002" not in result.stdout


def test_the_hook_checks_only_the_staged_hvc_files_after_a_commit(repository: Repository) -> None:
    repository.write("clusters/good.hvc", GOOD)
    repository.commit()
    repository.write("clusters/bad.hvc", BAD)
    repository.write("clusters/good.hvc", GOOD.replace("64GiB", "128GiB"))
    result = repository.pre_commit()
    assert result.returncode == 1, result.stdout
    assert "clusters/bad.hvc:3:" in result.stdout
    assert "clusters/good.hvc" not in result.stdout
    repository.write("clusters/bad.hvc", GOOD.replace("C1", "C2"))
    assert repository.pre_commit().returncode == 0


def _rule_in_head(code: str) -> bool:
    return _git("grep", "-q", f'code = "{code}"', "HEAD", "--", "rules", cwd=ROOT).returncode == 0


CHANGE_AWARE = (
    'cluster "C1" {\n'
    "  platform = ws2008r2\n"
    "  failover_clustering = true\n"
    '  network "LM" { roles = [live_migration]  bandwidth = 10Gbps }\n'
    '  host "HV01" { processor = "amd-opteron-2300"  memory = 64GiB }\n'
    '  host "HV02" { processor = "amd-opteron-2300"  memory = 64GiB }\n'
    '  vm "SQL01" {\n'
    "    host = HV01\n"
    "    memory = 16GiB\n"
    "    compatibility_mode = MODE\n"
    "  }\n"
    "}\n"
)


def test_the_hook_compares_with_head(tmp_path: Path, pre_commit_home: Path, revision: str) -> None:
    if not _rule_in_head("HV403"):
        pytest.skip("HV403 (compatibility-mode-changed-while-running) is not in the checkout's HEAD yet")
    repository = Repository(
        tmp_path / "repo", _environment(pre_commit_home), revision, args=["--select", "HV403"]
    )
    repository.write("cluster.hvc", CHANGE_AWARE.replace("MODE", "off"))
    first = repository.pre_commit()
    assert first.returncode == 0, first.stdout  # a first commit has no base
    repository.commit()
    repository.write("cluster.hvc", CHANGE_AWARE.replace("MODE", "minimum"))
    changed = repository.pre_commit()
    assert changed.returncode == 1, changed.stdout
    assert "[HV403]" in changed.stdout
