"""hvlint.gitbase: reading a file as it was at a git revision, in throwaway repositories."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from hvlint import gitbase
from hvlint.gitbase import BaseRevisionError, GitBase, read_at_revision

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

OLD = b'cluster "C" {\r\n  platform = ws2016\r\n}\r\n'
NEW = b'cluster "C" {\n  platform = ws2025\n}\n'


@pytest.fixture(autouse=True)
def isolated_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No user or system git configuration, a fixed identity, and no repository above tmp_path."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    for variable in ("GIT_AUTHOR", "GIT_COMMITTER"):
        monkeypatch.setenv(f"{variable}_NAME", "hvlint tests")
        monkeypatch.setenv(f"{variable}_EMAIL", "tests@hvlint.invalid")
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(name, raising=False)


def git(repo: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args],
        cwd=repo,
        capture_output=True,
        check=True,
    )
    return result.stdout.decode().strip()


def make_repo(path: Path) -> Path:
    path.mkdir(parents=True)
    git(path, "init", "--quiet")
    git(path, "config", "core.autocrlf", "false")
    return path


def commit(repo: Path, files: dict[str, bytes], message: str = "change") -> str:
    for name, content in files.items():
        target = repo / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        git(repo, "add", name)
    git(repo, "commit", "--quiet", "-m", message)
    return git(repo, "rev-parse", "HEAD")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository with two commits: prod.hvc was OLD, is NEW at HEAD; lab/lab.hvc only at HEAD."""
    repo = make_repo(tmp_path / "repo")
    commit(repo, {"prod.hvc": OLD}, "first")
    git(repo, "tag", "v1")
    commit(repo, {"prod.hvc": NEW, "lab/lab.hvc": b"# lab\n"}, "second")
    return repo


# -- reading ------------------------------------------------------------------------------------------------


def test_reads_the_file_at_a_revision_byte_for_byte(repo: Path) -> None:
    assert read_at_revision(repo / "prod.hvc", "HEAD~1") == OLD  # CRLF kept: no filter applies
    assert read_at_revision(repo / "prod.hvc", "v1") == OLD
    assert read_at_revision(repo / "prod.hvc", "HEAD") == NEW
    assert read_at_revision(str(repo / "prod.hvc"), "main") == NEW


def test_reads_the_committed_content_not_the_working_copy(repo: Path) -> None:
    (repo / "prod.hvc").write_bytes(b"# edited, not committed\n")
    assert read_at_revision(repo / "prod.hvc", "HEAD") == NEW


def test_a_file_in_a_subdirectory_and_a_relative_path(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert read_at_revision(repo / "lab" / "lab.hvc", "HEAD") == b"# lab\n"
    monkeypatch.chdir(repo / "lab")
    assert read_at_revision("lab.hvc", "HEAD") == b"# lab\n"
    assert read_at_revision("../prod.hvc", "v1") == OLD


def test_a_full_commit_id_and_an_abbreviated_one(repo: Path) -> None:
    first = git(repo, "rev-parse", "v1")
    assert read_at_revision(repo / "prod.hvc", first) == OLD
    assert read_at_revision(repo / "prod.hvc", first[:10]) == OLD


def test_bytes_that_are_not_utf8_and_a_name_with_spaces_and_accents(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    content = b"# caf\xe9 \xff\n"
    commit(repo, {"dir with space/caf\u00e9 prod.hvc": content})
    assert read_at_revision(repo / "dir with space" / "caf\u00e9 prod.hvc", "HEAD") == content


def test_a_file_reached_through_a_symlinked_directory(repo: Path, tmp_path: Path) -> None:
    link = tmp_path / "link"
    link.symlink_to(repo, target_is_directory=True)
    assert read_at_revision(link / "prod.hvc", "v1") == OLD


# -- no base ------------------------------------------------------------------------------------------------


def test_a_file_that_did_not_exist_at_the_revision_has_no_base(repo: Path) -> None:
    assert read_at_revision(repo / "lab" / "lab.hvc", "v1") is None
    (repo / "untracked.hvc").write_bytes(b"")
    assert read_at_revision(repo / "untracked.hvc", "HEAD") is None


def test_a_path_that_was_a_directory_at_the_revision_has_no_base(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    commit(repo, {"x.hvc/inner.hvc": b"# inner\n"})
    git(repo, "rm", "--quiet", "-r", "x.hvc")
    commit(repo, {"x.hvc": b"# now a file\n"})
    assert read_at_revision(repo / "x.hvc", "HEAD~1") is None


def test_head_before_the_first_commit_gives_no_base_for_any_file(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    (repo / "prod.hvc").write_bytes(NEW)
    git(repo, "add", "prod.hvc")  # staged for the first commit
    assert read_at_revision(repo / "prod.hvc", "HEAD") is None
    assert read_at_revision(repo / "prod.hvc", "@") is None
    (repo / "sub").mkdir()
    assert read_at_revision(repo / "sub" / "new.hvc", "HEAD") is None


def test_other_revisions_before_the_first_commit_do_not_resolve(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    (repo / "prod.hvc").write_bytes(NEW)
    with pytest.raises(BaseRevisionError, match=r"base revision `main` does not resolve to a commit"):
        read_at_revision(repo / "prod.hvc", "main")
    with pytest.raises(BaseRevisionError, match="HEAD~1"):
        read_at_revision(repo / "prod.hvc", "HEAD~1")


def test_standard_input_has_no_base(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    assert read_at_revision("-", "HEAD") is None
    assert GitBase("no-such-revision").read("-") is None


# -- errors -------------------------------------------------------------------------------------------------


def test_a_path_outside_any_repository(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "prod.hvc").write_bytes(NEW)
    with pytest.raises(BaseRevisionError) as raised:
        read_at_revision(outside / "prod.hvc", "HEAD")
    message = str(raised.value)
    assert message.startswith(f"{outside / 'prod.hvc'}: not in a git repository")
    assert "HEAD" in message and "\n" not in message


def test_a_revision_that_does_not_resolve(repo: Path) -> None:
    with pytest.raises(BaseRevisionError) as raised:
        read_at_revision(repo / "prod.hvc", "no-such-branch")
    assert str(raised.value) == (
        f"base revision `no-such-branch` does not resolve to a commit in the git repository {repo.resolve()}"
    )


@pytest.mark.parametrize("revision", ["HEAD^{tree}", "HEAD~5", "v1:prod.hvc"])
def test_a_revision_that_is_no_commit(repo: Path, revision: str) -> None:
    with pytest.raises(BaseRevisionError, match="does not resolve to a commit"):
        read_at_revision(repo / "prod.hvc", revision)


@pytest.mark.parametrize("revision", ["", "--all", "-h", "HEAD\nmain"])
def test_a_revision_that_is_no_revision_name(repo: Path, revision: str) -> None:
    with pytest.raises(BaseRevisionError, match="is not a revision name"):
        read_at_revision(repo / "prod.hvc", revision)


def test_git_that_cannot_run(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(repo / "no-bin-here"))
    with pytest.raises(BaseRevisionError, match="git is not installed"):
        read_at_revision(repo / "prod.hvc", "HEAD")


def test_a_directory_that_does_not_exist(repo: Path) -> None:
    with pytest.raises(BaseRevisionError, match="no such directory"):
        read_at_revision(repo / "gone" / "prod.hvc", "HEAD")


def test_the_environment_of_a_git_hook_does_not_redirect_it(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = make_repo(tmp_path / "other")
    commit(other, {"prod.hvc": b"# other repository\n"})
    monkeypatch.setenv("GIT_DIR", str(other / ".git"))
    monkeypatch.setenv("GIT_WORK_TREE", str(other))
    assert read_at_revision(repo / "prod.hvc", "v1") == OLD


# -- one resolution per repository --------------------------------------------------------------------------


def test_the_revision_is_resolved_once_per_repository(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = make_repo(tmp_path / "other")
    commit(other, {"a.hvc": b"a1\n", "deep/b.hvc": b"b1\n"})
    commit(other, {"a.hvc": b"a2\n"})
    resolved: list[str] = []
    resolve = gitbase._resolve

    def counting(toplevel: str, revision: str) -> str | None:
        resolved.append(toplevel)
        return resolve(toplevel, revision)

    monkeypatch.setattr(gitbase, "_resolve", counting)
    base = GitBase("HEAD~1")
    assert base.read(repo / "prod.hvc") == OLD
    assert base.read(repo / "lab" / "lab.hvc") is None
    assert base.read(other / "a.hvc") == b"a1\n"
    assert base.read(other / "deep" / "b.hvc") == b"b1\n"
    assert base.read(repo / "prod.hvc") == OLD
    assert sorted(resolved) == sorted([str(repo.resolve()), str(other.resolve())])


def test_a_revision_that_resolves_in_one_repository_but_not_another(repo: Path, tmp_path: Path) -> None:
    other = make_repo(tmp_path / "other")
    commit(other, {"a.hvc": b"a1\n"})
    base = GitBase("v1")
    assert base.read(repo / "prod.hvc") == OLD
    with pytest.raises(BaseRevisionError, match="`v1`"):
        base.read(other / "a.hvc")


def test_each_worktree_resolves_head_itself(repo: Path, tmp_path: Path) -> None:
    worktree = tmp_path / "worktree"
    git(repo, "worktree", "add", "--quiet", "--detach", str(worktree), "v1")
    base = GitBase("HEAD")
    assert base.read(repo / "prod.hvc") == NEW
    assert base.read(worktree / "prod.hvc") == OLD


# -- standard input under --base (issue 11, item 3) ---------------------------------------------------------


def test_standard_input_named_with_stdin_filename_gets_that_file_s_base(  # type: ignore[no-untyped-def]
    tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An editor lints the buffer through standard input: with `--stdin-filename` it gets the base revision
    of the file it names, so HV403 fires as it does for the same content on disk."""
    import io
    import sys

    from hvlint.cli import main
    from tests.conftest import FIXTURES

    case = FIXTURES / "processors" / "hv403-fires.hvc"
    base = (FIXTURES / "processors" / "hv403-fires.base.hvc.txt").read_bytes()
    repo = make_repo(tmp_path / "repo")
    commit(repo, {"clusters/prod.hvc": base})
    (repo / "clusters" / "prod.hvc").write_bytes(case.read_bytes())
    monkeypatch.chdir(repo)

    def check(*arguments: str, stdin: bytes = b"") -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
        status = main(["check", "--select", "HV403", "--base", "HEAD", "--no-cache", *arguments])
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    on_disk = check("clusters/prod.hvc")
    assert on_disk[0] == 1 and on_disk[1].count("[HV403]") == 3
    piped = check("-", "--stdin-filename", "clusters/prod.hvc", stdin=case.read_bytes())
    assert piped == on_disk
    new_file = check("-", "--stdin-filename", "clusters/new.hvc", stdin=case.read_bytes())
    assert new_file[:2] == (0, "no findings in 1 file\n"), "a file new since the base has none"
    nowhere = check("-", "--stdin-filename", "drafts/new.hvc", stdin=case.read_bytes())
    assert nowhere[:2] == (0, "no findings in 1 file\n"), "nor one in a directory not made yet"
    unnamed = check("-", stdin=case.read_bytes())
    assert unnamed[:2] == (0, "no findings in 1 file\n")
