"""Reading a file as it was at a git revision: what change-aware rules compare with (cli.md, `--base`).

Only `git` itself is used, through subprocesses. A file's repository is the one `git rev-parse` finds from
the file's directory; the revision is resolved once per repository. A file that did not exist at the
revision has no base (None), and neither has any file when the revision is `HEAD` in a repository with no
commit yet (a first commit). A revision that does not resolve, or a file outside any git repository, is a
`BaseRevisionError`: the command line reports it with exit status 2. Standard input has no base.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from hvlint.errors import HvlintError

STDIN = "-"

HEAD_NAMES = frozenset({"HEAD", "@"})
"""Revisions that name the current commit: with no commit yet, no file has a base."""

_REPOSITORY_VARIABLES = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_COMMON_DIR",
    "GIT_INDEX_FILE",
    "GIT_PREFIX",
    "GIT_NAMESPACE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
)
"""Variables that would point git at another repository than the file's (a git hook exports some of them,
possibly relative to the hook's directory): the file's directory alone decides."""


class BaseRevisionError(HvlintError):
    """The base revision cannot be read: a path outside any git repository, a revision that does not
    resolve to a commit, or git that cannot run. The message is one line, for `hvlint: error: ...`."""


@dataclass(frozen=True, slots=True)
class _Location:
    """Where a directory stands: its repository's top level and its path inside it (`sub/dir/` or "")."""

    toplevel: str
    prefix: str


@dataclass(slots=True)
class GitBase:
    """Reads files as they were at one revision, resolving it once per repository."""

    revision: str
    _locations: dict[str, _Location] = field(default_factory=dict)
    _commits: dict[str, str | None] = field(default_factory=dict)

    def read(self, path: str | os.PathLike[str]) -> bytes | None:
        """The file's content at the revision, or None when it has no base (it did not exist there, the
        revision is HEAD in a repository with no commit yet, or it is standard input)."""
        if os.fspath(path) == STDIN:
            return None
        file = Path(path).resolve()
        location = self._locate(file.parent, file)
        commit = self._commit(location)
        if commit is None:
            return None
        return _blob(location, commit, location.prefix + file.name)

    def _locate(self, directory: Path, file: Path) -> _Location:
        key = os.fspath(directory)
        found = self._locations.get(key)
        if found is None:
            result = _git(directory, "rev-parse", "--show-toplevel", "--show-prefix")
            lines = result.stdout.decode("utf-8", "surrogateescape").split("\n")
            if result.returncode != 0 or len(lines) < 2 or not lines[0]:
                raise BaseRevisionError(
                    f"{file}: not in a git repository, so it has no base revision `{self.revision}` "
                    f"({_first_line(result.stderr) or 'git found no work tree'})"
                )
            found = self._locations[key] = _Location(lines[0], lines[1])
        return found

    def _commit(self, location: _Location) -> str | None:
        """The commit the revision names in that repository; None for HEAD before the first commit."""
        if location.toplevel in self._commits:
            return self._commits[location.toplevel]
        commit = _resolve(location.toplevel, self.revision)
        self._commits[location.toplevel] = commit
        return commit


def read_at_revision(path: str | os.PathLike[str], revision: str) -> bytes | None:
    """The content of the file at `path` as it was at `revision` of its git repository, or None when it
    has no base there. Raises `BaseRevisionError` (see the module's documentation). To read many files,
    use one `GitBase`, which resolves the revision once per repository."""
    return GitBase(revision).read(path)


def _resolve(toplevel: str, revision: str) -> str | None:
    where = f"the git repository {toplevel}"
    if not revision or revision.startswith("-") or "\n" in revision or "\0" in revision:
        raise BaseRevisionError(f"base revision `{revision}` is not a revision name")
    result = _git(Path(toplevel), "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    commit = result.stdout.decode("ascii", "replace").strip()
    if result.returncode == 0 and commit:
        return commit
    if revision in HEAD_NAMES and _unborn(toplevel):
        return None
    raise BaseRevisionError(f"base revision `{revision}` does not resolve to a commit in {where}")


def _unborn(toplevel: str) -> bool:
    """Whether HEAD names a branch that has no commit yet (a repository before its first commit)."""
    branch = _git(Path(toplevel), "symbolic-ref", "--quiet", "HEAD")
    if branch.returncode != 0:
        return False
    ref = branch.stdout.decode("utf-8", "surrogateescape").strip()
    exists = _git(Path(toplevel), "rev-parse", "--verify", "--quiet", ref)
    return exists.returncode != 0


def _blob(location: _Location, commit: str, relative: str) -> bytes | None:
    """The file's bytes in `commit` (no filters, no text conversion), or None when it is not there."""
    if "\n" in relative:  # `git cat-file --batch` reads one name a line
        raise BaseRevisionError(
            f"{location.toplevel}/{relative}: a path with a line break cannot be read at a revision"
        )
    result = _git(
        Path(location.toplevel),
        "cat-file",
        "--batch",
        stdin=f"{commit}:{relative}\n".encode("utf-8", "surrogateescape"),
    )
    header, _, rest = result.stdout.partition(b"\n")
    fields = header.split(b" ")
    if result.returncode != 0 or not header:
        raise BaseRevisionError(
            f"cannot read {relative} at {commit[:12]} in {location.toplevel}: {_first_line(result.stderr)}"
        )
    if fields[-1] in (b"missing", b"ambiguous") or len(fields) != 3:
        return None  # no such path in that commit
    if fields[1] != b"blob":
        return None  # a directory or a submodule there then: not this file
    size = int(fields[2])
    return rest[:size]


def _git(cwd: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    env = {name: value for name, value in os.environ.items() if name not in _REPOSITORY_VARIABLES}
    env["GIT_TERMINAL_PROMPT"] = "0"
    try:
        return subprocess.run(
            ["git", "-c", "core.quotePath=false", *args],
            cwd=cwd,
            env=env,
            input=stdin if stdin is not None else b"",
            capture_output=True,
            check=False,
        )
    except FileNotFoundError as error:
        if not cwd.is_dir():
            raise BaseRevisionError(f"{cwd}: no such directory, so it has no base revision") from error
        raise BaseRevisionError("git is not installed or not on PATH: --base needs it") from error
    except OSError as error:
        raise BaseRevisionError(f"cannot run git in {cwd}: {error}") from error


def _first_line(stderr: bytes) -> str:
    text = stderr.decode("utf-8", "replace").strip()
    return text.splitlines()[0] if text else ""


__all__ = ["BaseRevisionError", "GitBase", "read_at_revision"]
