"""A repository hvlint checks cannot attack the machine that checks it (issue 20): each test plants what a
hostile checkout could hold and asserts the safe behaviour. docs/robustness.md's threat model lists them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from hvlint.cli import main
from tests.conftest import run_cli

UNRESOLVED = 'cluster "C" {\n  vm "V" { host = H9; memory = 1GiB }\n}\n'
GOOD = (
    'cluster "C" {\n  platform = ws2019\n  host "H1" { processor = "amd-opteron-2300"; memory = 64GiB }\n}\n'
)
NOBODY = 65534


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture
def checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A checked-out repository (one file with a finding) as the current directory, with a victim file
    outside it that nothing may change; the user's secret lives outside the checkout too."""
    repository = tmp_path / "repo"
    repository.mkdir()
    (repository / "hvlint.toml").touch()
    (repository / "a.hvc").write_text(UNRESOLVED)
    (tmp_path / "victim").write_text("precious\n")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))
    monkeypatch.chdir(repository)
    monkeypatch.setattr(sys, "path", list(sys.path))
    yield repository


def entries(repository: Path) -> list[Path]:
    return sorted((repository / ".hvlint_cache").glob("*/*.json"))


# -- 1, 2: the cache directory and its entries ------------------------------------------------------------


def test_a_committed_gitignore_link_is_replaced_not_written_through(checkout: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    cache = checkout / ".hvlint_cache"
    cache.mkdir()
    (cache / ".gitignore").symlink_to(checkout.parent / "victim")
    assert run(capsys, "check", "a.hvc")[0] == 1
    assert (checkout.parent / "victim").read_text() == "precious\n"
    assert not (cache / ".gitignore").is_symlink() and (cache / ".gitignore").read_text() == "*\n"


def test_a_cache_directory_that_is_a_link_is_refused_with_one_warning(checkout: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    elsewhere = checkout.parent / "elsewhere"
    elsewhere.mkdir()
    (checkout / ".hvlint_cache").symlink_to(elsewhere)
    status, out, err = run(capsys, "check", "a.hvc", "--format", "json")
    assert status == 1 and json.loads(out)["findings"]
    assert err.count("hvlint: warning:") == 1 and "is a symbolic link" in err, err
    assert list(elsewhere.iterdir()) == [], "nothing is written where the link points"


def test_a_cache_directory_of_another_user_is_refused(checkout: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    if os.geteuid() != 0:
        pytest.skip("only root can give a directory to another user")
    cache = checkout / ".hvlint_cache"
    cache.mkdir()
    os.chown(cache, NOBODY, NOBODY)
    status, _, err = run(capsys, "check", "a.hvc")
    assert status == 1 and "is owned by another user" in err
    assert list(cache.iterdir()) == []


def test_an_entry_replaced_by_a_link_is_never_written_through(checkout: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    run(capsys, "check", "a.hvc")
    run(capsys, "check", "a.hvc")
    (entry,) = entries(checkout)
    entry.unlink()
    entry.symlink_to(checkout.parent / "victim")
    assert run(capsys, "check", "a.hvc")[0] == 1
    assert (checkout.parent / "victim").read_text() == "precious\n"
    assert not entry.is_symlink(), "the link is replaced by a new entry"


@pytest.mark.parametrize("kind", ["fifo", "zero", "huge"])
def test_an_entry_that_is_no_regular_file_is_a_miss_without_hanging(
    checkout: Path, kind: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from hvlint import private_files

    run(capsys, "check", "a.hvc")
    run(capsys, "check", "a.hvc")
    (entry,) = entries(checkout)
    entry.unlink()
    if kind == "fifo":
        os.mkfifo(entry)
    elif kind == "zero":
        entry.symlink_to("/dev/zero")
    else:
        monkeypatch.setattr(private_files, "READ_LIMIT", 10)
        entry.write_bytes(b"x" * 11)
    status, out, _ = run(capsys, "check", "a.hvc", "--format", "json")
    assert (status, out) == run(capsys, "check", "a.hvc", "--format", "json", "--no-cache")[:2]


# -- 5a: entries are signed and checked -------------------------------------------------------------------


def _edit_entry(checkout: Path, edit: object) -> None:
    (entry,) = entries(checkout)
    mac, _, body = entry.read_bytes().partition(b"\n")
    document = json.loads(body)
    edit(document)  # type: ignore[operator]
    entry.write_bytes(mac + b"\n" + json.dumps(document).encode())


def _hide(document: dict) -> None:  # type: ignore[type-arg]
    document["findings"] = []


def _critical(document: dict) -> None:  # type: ignore[type-arg]
    document["findings"][0]["severity"] = "critical"


@pytest.mark.parametrize("edit", [_hide, _critical])
def test_an_entry_edited_in_place_is_a_miss(checkout: Path, edit: object, capsys) -> None:  # type: ignore[no-untyped-def]
    run(capsys, "check", "a.hvc")
    run(capsys, "check", "a.hvc")
    _edit_entry(checkout, edit)
    status, out, err = run(capsys, "check", "a.hvc", "--format", "json")
    assert (status, err) == (1, "")
    assert out == run(capsys, "check", "a.hvc", "--format", "json", "--no-cache")[1]
    assert "HV002" in out


def test_an_entry_signed_with_another_users_secret_is_a_miss(
    checkout: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from hvlint.cache import ResultCache

    run(capsys, "check", "a.hvc")
    run(capsys, "check", "a.hvc")
    (entry,) = entries(checkout)
    key = entry.stem
    planted = ResultCache(checkout / ".hvlint_cache", "s", "the attacker's secret")
    planted.put(key, [])
    assert planted.get(key) == [], "its own secret opens it"
    assert run(capsys, "check", "a.hvc")[0] == 1


def test_an_entry_is_checked_before_it_is_believed(tmp_path: Path) -> None:
    from hvlint.cache import ResultCache
    from hvlint.findings import Finding

    good = Finding("a.hvc", 2, 3, 2, 9, "HV402", "n", "error", "m", None, "f" * 32)
    cache = ResultCache(tmp_path, "s", "secret")
    text = "one\ntwo\n"
    for finding, usable in (
        (good, True),
        (good._replace(line=9, end_line=9), False),
        (good._replace(line=0), False),
        (good._replace(end_line=1), False),
        (good._replace(code="hv402"), False),
        (good._replace(severity="critical"), False),
        (good._replace(message=None), False),
        (good._replace(object=7), False),
        (good._replace(column=True), False),
    ):
        key = cache.key("a.hvc", repr(finding).encode(), None)
        cache.put(key, [finding])
        assert (cache.get(key, text) is not None) is usable, finding


def test_the_mac_is_the_standard_librarys_hmac(tmp_path: Path) -> None:
    import hmac
    from hashlib import blake2b

    from hvlint.cache import open_signed, sign

    signed = sign(b"k", b"body")
    assert signed == hmac.new(b"k", b"body", blake2b).hexdigest().encode() + b"\nbody"
    assert open_signed(b"k", signed) == b"body"
    assert open_signed(b"other", signed) is None
    assert open_signed(b"k", signed[:-1] + b"Y") is None
    assert open_signed(b"k", b"no mac") is None


# -- helpers for tests that must not run as root ---------------------------------------------------------


@pytest.fixture
def public() -> Iterator[Path]:
    """A directory that the unprivileged user can reach and write (pytest's own are root's alone)."""
    import tempfile

    directory = Path(tempfile.mkdtemp(prefix="hvlint-public-"))
    directory.chmod(0o777)
    yield directory
    shutil.rmtree(directory, ignore_errors=True)


def as_nobody(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`python -m hvlint ARGS` run as the unprivileged user `nobody` (skips when that cannot be done)."""
    setpriv = shutil.which("setpriv")
    if os.geteuid() != 0 or setpriv is None:
        pytest.skip("needs root and setpriv to run a check as another user")
    command = [setpriv, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
    environment = {**os.environ, "HOME": "/nonexistent", "XDG_CACHE_HOME": str(cwd / ".user-cache")}
    probe = subprocess.run([*command, sys.executable, "-c", "import hvlint"], capture_output=True, cwd="/")
    if probe.returncode != 0:  # a checkout in a directory only root may enter (`mktemp -d` makes one)
        pytest.skip(f"the user {NOBODY} cannot import hvlint from {Path(__file__).parent.parent}")
    return subprocess.run(
        [*command, sys.executable, "-m", "hvlint", *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


# -- 5: reads that leak -----------------------------------------------------------------------------------


def test_a_link_out_of_the_tree_is_not_followed_when_searching(checkout: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    (checkout / "leak.hvc").symlink_to("/proc/self/environ")
    (checkout / "outside").symlink_to(checkout.parent)
    (checkout.parent / "secret.hvc").write_text("SECRET_TOKEN=hunter2\n")
    (checkout / "sub").mkdir()
    (checkout / "sub" / "inside.hvc").symlink_to("../a.hvc")
    os.environ["HVLINT_TEST_SECRET"] = "hunter2"
    try:
        status, out, err = run(capsys, "check", ".", "--format", "json")
    finally:
        del os.environ["HVLINT_TEST_SECRET"]
    assert status == 1 and "hunter2" not in out + err
    assert err.splitlines() == [
        "hvlint: warning: ./leak.hvc: a symbolic link that leads out of the directory searched; skipped",
        "hvlint: warning: ./outside: a symbolic link that leads out of the directory searched; skipped",
    ]
    paths = {finding["path"] for finding in json.loads(out)["findings"]}
    assert paths == {"a.hvc", "sub/inside.hvc"}, "a link that stays inside the tree is followed"


def test_a_link_the_user_names_is_followed(checkout: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    (checkout.parent / "theirs.hvc").write_text(UNRESOLVED)
    (checkout / "mine.hvc").symlink_to(checkout.parent / "theirs.hvc")
    status, out, _ = run(capsys, "check", "mine.hvc")
    assert status == 1 and "unknown host" in out


@pytest.mark.parametrize("special", ["fifo", "zero"])
@pytest.mark.parametrize("option", ["--baseline", "--config"])
def test_a_baseline_or_configuration_that_is_no_regular_file_is_an_error(
    checkout: Path, special: str, option: str
) -> None:
    target = checkout / "special"
    if special == "fifo":
        os.mkfifo(target)
    else:
        target.symlink_to("/dev/zero")
    result = subprocess.run(
        [sys.executable, "-m", "hvlint", "check", "a.hvc", option, "special"],
        cwd=checkout,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("hvlint: error:") and "special" in result.stderr, result.stderr


def test_a_discovered_configuration_that_is_no_regular_file_is_an_error(tmp_path: Path) -> None:
    from hvlint.config import ConfigError, load

    os.mkfifo(tmp_path / "hvlint.toml")
    with pytest.raises(ConfigError, match="not a regular file"):
        load(tmp_path / "hvlint.toml")


# -- 6: what is quoted is bounded and escaped ---------------------------------------------------------------


def test_a_long_name_is_quoted_at_most_200_characters(checkout: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    name = "H" * 5000
    (checkout / "a.hvc").write_text(f'cluster "C" {{\n  vm "V" {{ host = {name}; memory = 1GiB }}\n}}\n')
    status, out, _ = run(capsys, "check", "a.hvc", "--format", "json", "--no-cache")
    (message,) = [f["message"] for f in json.loads(out)["findings"] if f["code"] == "HV002"]
    assert status == 1 and f"`{'H' * 200}...`" in message and len(message) < 400


def test_an_excerpt_is_bounded_and_escaped(checkout: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    (checkout / "a.hvc").write_text("@\x1b[2J\x1b[1A" + "x" * 1000 + "\n")
    status, out, _ = run(capsys, "check", "a.hvc", "--no-cache")
    assert status == 1 and "\x1b" not in out
    excerpt = out.splitlines()[1]
    assert excerpt.startswith("  @?[2J?[1A") and len(excerpt) == 2 + 200


def test_names_in_error_lines_are_escaped(checkout: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    status, _, err = run(capsys, "check", "gone\x1b[2K\nforged.hvc")
    assert status == 2
    assert err == "hvlint: error: gone\\x1b[2K\\nforged.hvc: no such file or directory\n"
    status, _, err = run(capsys, "check", "a.hvc", "--baseline", "b\x1b[2J.json")
    assert status == 2 and "\x1b" not in err and err.startswith("hvlint: error: b\\x1b[2J.json: ")


def test_the_escaping_never_raises() -> None:
    from hvlint.shown import escaped, readable_name, shown, shown_message

    assert escaped("bad\udcff.hvc") == "bad\\xff.hvc"
    assert escaped("lone\ud800") == "lone\\ud800"
    assert readable_name("bad\udcff.hvc") == "bad\\xff.hvc" and readable_name("ok") == "ok"
    assert readable_name("lone\ud800") == "lone\\ud800"
    assert shown("x" * 300) == "x" * 200 + "..."
    assert shown_message("short `\x1b`") == "short `\\x1b`"
    assert len(shown_message("`" + "y" * 5000 + "` " * 3000)) == 2003


# -- 3: writes go only where the user meant -----------------------------------------------------------------


@pytest.mark.parametrize("option", ["--output", "--write-baseline"])
@pytest.mark.parametrize("target", ["a.hvc", "hvlint.toml", "./sub/../a.hvc"])
def test_an_output_onto_a_file_read_is_refused(checkout: Path, option: str, target: str, capsys) -> None:  # type: ignore[no-untyped-def]
    (checkout / "sub").mkdir()
    before = {path.name: path.read_bytes() for path in checkout.iterdir() if path.is_file()}
    status, out, err = run(capsys, "check", ".", option, target)
    assert (status, out) == (2, "")
    assert err.startswith(f"hvlint: error: {option} {target}: is one of the files read")
    assert {path.name: path.read_bytes() for path in checkout.iterdir() if path.is_file()} == before


def test_an_output_onto_the_baseline_read_is_refused(checkout: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert run(capsys, "check", "a.hvc", "--write-baseline", "b.json")[0] == 0
    status, _, err = run(capsys, "check", "a.hvc", "--baseline", "b.json", "--output", "b.json")
    assert status == 2 and "is one of the files read" in err
    assert json.loads((checkout / "b.json").read_text())["version"] == 1


@pytest.mark.parametrize("option", ["--output", "--write-baseline"])
def test_an_empty_output_name_is_refused(checkout: Path, option: str, capsys) -> None:  # type: ignore[no-untyped-def]
    status, out, err = run(capsys, "check", "a.hvc", option, "")
    assert (status, out, err) == (2, "", f"hvlint: error: {option}: an empty file name\n")


@pytest.mark.parametrize("option", ["--output", "--write-baseline"])
def test_a_read_only_output_is_refused_for_an_ordinary_user(public: Path, option: str) -> None:
    (public / "a.hvc").write_text(UNRESOLVED)
    report = public / "report.txt"
    report.write_text("kept\n")
    report.chmod(0o444)
    result = as_nobody("check", "a.hvc", option, "report.txt", "--no-cache", cwd=public)
    assert result.returncode == 2, result.stderr
    assert result.stderr == f"hvlint: error: {option} report.txt: is not writable (Permission denied)\n"
    assert report.read_text() == "kept\n"


# -- 10, 11, 12: cost stays linear (the times are benchmarks/pathological.py's; these check the cause) ----


def test_a_run_of_text_that_is_no_token_ends_at_whitespace() -> None:
    """`@` and 20,000 spaces took 100 s: the run after `@` was ended only where a token matched, and the
    token pattern consumed every following space first, at each of them."""
    from hvlint.language.document import load
    from hvlint.language.syntax import _parser

    _, lexer = _parser()
    for text in ("@" + " " * 500, "@" + "\t\r\n" * 100, "@@@ x"):
        end, problem = lexer._bad_text(text, 0, 1, 1)
        assert end == text.index(text.lstrip("@")[0]) and problem.message == "unexpected character `@`"
    assert [problem.code for problem in load("@" + " " * 20_000, "x").problems] == ["HV001"]


class _Counted(list):  # type: ignore[type-arg]
    """A list that counts how often an element is read."""

    reads = 0

    def __getitem__(self, index):  # type: ignore[no-untyped-def]
        type(self).reads += 1
        return super().__getitem__(index)


def test_findings_on_one_long_line_read_and_hash_it_once() -> None:
    """40,000 findings on one 0.75 MB line took 62 s: each stripped and hashed the whole line."""
    from hvlint.engine import LONG_LINE, Linter, _Found
    from hvlint.language.syntax import Span

    long_line = "x" * (LONG_LINE + 1)
    lines = _Counted(["short", long_line])
    raw = [_Found(Span(2, index + 1, 2, index + 2), "HV201", "n", "error", "m", None) for index in range(500)]
    raw.append(_Found(Span(1, 1, 1, 2), "HV201", "n", "error", "m", None))
    findings = Linter._finish("a.hvc", "a.hvc", raw, lines)
    assert _Counted.reads == 2, "each line is read once, however many findings stand on it"
    assert len({finding.fingerprint for finding in findings}) == 501


def test_a_finding_is_matched_only_with_the_suppressions_of_its_code_and_lines() -> None:
    """32,000 VMs each suppressing its own finding took 209 s: each finding was compared with every
    suppression of the file."""
    from hvlint.language.syntax import Comment
    from hvlint.suppressions import parse_suppressions

    comments = [Comment("# hvlint: disable=HV505", line, 40) for line in range(1, 10_001)]
    comments.append(Comment("# hvlint: disable-file=HV101", 10_001, 1))
    suppressions = parse_suppressions(comments)
    everything = suppressions.items

    class NoScan(list):  # type: ignore[type-arg]
        def __iter__(self):  # type: ignore[no-untyped-def]
            raise AssertionError("every suppression scanned")

    suppressions.items = NoScan(everything)
    assert suppressions.suppress("HV505", 7, [3], frozenset({7}))
    assert suppressions.suppress("HV505", 9, [5000], frozenset())
    assert not suppressions.suppress("HV505", 20_000, [20_001], frozenset({20_000}))
    assert suppressions.suppress("HV101", 1, [], frozenset())
    assert sorted(item.line for item in everything if item.used) == [3, 7, 5000, 10_001]


# -- 7: configuration discovery and the plugins it may load -------------------------------------------------

EVIL = "import pathlib\npathlib.Path({marker!r}).write_text('ran')\n"


def _planted(directory: Path, marker: Path) -> None:
    (directory / "hvlint.toml").write_text('plugins = ["evil"]\n')
    (directory / "evil.py").write_text(EVIL.format(marker=str(marker)))


def test_discovery_stops_at_the_repository_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from hvlint.config import discover

    (tmp_path / "hvlint.toml").write_text('select = ["HV9"]\n')
    repository = tmp_path / "repo" / "sub"
    repository.mkdir(parents=True)
    assert discover(repository) == str(tmp_path / "hvlint.toml")
    (tmp_path / "repo" / ".git").mkdir()
    assert discover(repository) is None
    (tmp_path / "repo" / "hvlint.toml").touch()
    assert discover(repository) == str(tmp_path / "repo" / "hvlint.toml"), "the root itself is searched"


def test_discovery_stops_at_the_users_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from hvlint.config import discover

    (tmp_path / "hvlint.toml").touch()
    home = tmp_path / "home"
    (home / "work").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    assert discover(home / "work") is None
    monkeypatch.delenv("HOME")
    monkeypatch.setattr("hvlint.discovery.os.path.expanduser", lambda path: path)  # no home known
    assert discover(home / "work") == str(tmp_path / "hvlint.toml")


def test_discovery_survives_a_name_too_long_and_a_closed_directory(tmp_path: Path) -> None:
    from hvlint.config import discover

    (tmp_path / ".git").mkdir()
    (tmp_path / "hvlint.toml").touch()
    assert discover(tmp_path / ("x" * 300) / "a.hvc") == str(tmp_path / "hvlint.toml")
    assert discover(tmp_path / ("x" * 300)) == str(tmp_path / "hvlint.toml")


@pytest.mark.parametrize("hostile", ["another user's file", "a directory anyone may write"])
def test_plugins_from_an_untrusted_configuration_are_refused(
    tmp_path: Path, hostile: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shared = tmp_path / "shared"
    (shared / "project").mkdir(parents=True)
    (shared / "project" / "a.hvc").write_text(GOOD)
    marker = tmp_path / "marker"
    _planted(shared, marker)
    if hostile == "another user's file":
        if os.geteuid() != 0:
            pytest.skip("only root can give a file to another user")
        os.chown(shared / "hvlint.toml", NOBODY, NOBODY)
        expected = f"belongs to uid {NOBODY}, not to you or root"
    else:
        shared.chmod(0o777)
        expected = "may be written by any user"
    monkeypatch.chdir(shared / "project")
    monkeypatch.setattr(sys, "path", list(sys.path))
    status, out, err = run(capsys, "check", "a.hvc")
    assert (status, out) == (2, "") and not marker.exists()
    assert err.startswith(f"hvlint: error: {shared / 'hvlint.toml'}: `plugins`: not loaded: ")
    assert expected in err


def test_a_planted_configuration_in_a_shared_directory_runs_nothing_as_another_user(public: Path) -> None:
    marker = public / "marker"
    _planted(public, marker)
    (public / "project").mkdir()
    (public / "project" / "a.hvc").write_text(GOOD)
    result = as_nobody("check", "a.hvc", cwd=public / "project")
    assert result.returncode == 2 and not marker.exists()
    assert "`plugins`: not loaded: its directory" in result.stderr


# -- 14: file names that are not UTF-8, or too long ------------------------------------------------------


@pytest.mark.parametrize("format_name", ["text", "json", "sarif", "github", "gitlab", "junit"])
def test_a_file_name_that_is_not_utf8_is_reported_escaped(checkout: Path, format_name: str, capsys) -> None:  # type: ignore[no-untyped-def]
    with open(os.fsencode(checkout) + b"/bad\xff.hvc", "w") as handle:
        handle.write(UNRESOLVED)
    status, out, err = run(capsys, "check", ".", "--format", format_name, "--no-cache")
    assert (status, err) == (1, "")
    shown = "bad%5Cxff.hvc" if format_name == "sarif" else "bad\\xff.hvc"  # a URI there
    assert shown in out.replace("\\\\", "\\") and "a.hvc" in out


def test_a_name_too_long_is_reported_and_the_rest_checked(
    checkout: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    long_name = "y" * 300 + ".hvc"
    status, out, err = run(capsys, "check", long_name, "a.hvc", "--no-cache")
    assert status == 2 and "unknown host `H9`" in out
    assert err == f"hvlint: error: {long_name}: cannot read: File name too long\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(GOOD.encode())))
    status, out, err = run(
        capsys, "check", "-", "--stdin-filename", long_name, "--no-cache", "--format", "json"
    )
    assert (status, err) == (0, "") and json.loads(out)["summary"]["files"] == 1


# -- 8, 9, 15: plugins that misbehave ---------------------------------------------------------------------

NOISY = """
import hvlint
print("loading noisy")

class Noisy(hvlint.Rule):
    code = "NOISY1"
    name = "noisy"
    summary = "prints while it checks"

    def check(self, ctx):
        print("checking", end="")
        print(" now\\x1b[2J")
        yield from ()

@hvlint.hookimpl
def hvlint_rules():
    print("declaring")
    return [Noisy]
"""


def test_what_a_plugin_prints_goes_to_standard_error_with_its_name(checkout: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    (checkout / "noisy.py").write_text(NOISY)
    (checkout / "hvlint.toml").write_text('plugins = ["noisy"]\n')
    status, out, err = run(capsys, "check", "a.hvc", "--format", "json", "--no-cache")
    assert status == 1 and json.loads(out)["summary"]["files"] == 1
    assert err.splitlines() == [
        "hvlint: plugin noisy: loading noisy",
        "hvlint: plugin noisy: declaring",
        "hvlint: plugin noisy: checking now\\x1b[2J",
    ]


def test_a_line_printed_without_an_end_is_shown_when_long() -> None:
    import contextlib
    import io

    from hvlint.plugin_output import printed_to_stderr

    errors = io.StringIO()
    with contextlib.redirect_stderr(errors), printed_to_stderr("p"):
        print("x" * 10_000, end="")
        print("tail", end="")
    assert errors.getvalue().splitlines() == [f"hvlint: plugin p: {'x' * 2000}...", "hvlint: plugin p: tail"]


SLOW = """
import os, pathlib, time
import hvlint

class Slow(hvlint.Rule):
    code = "SLOW1"
    name = "slow"
    summary = "never returns on a file naming a VM SLOW"

    def check(self, ctx):
        if any(vm.name == "SLOW" for cluster in ctx.model.clusters for vm in cluster.vms):
            pathlib.Path("started-" + str(os.getpid())).write_text("")
            {action}
        yield from ()

@hvlint.hookimpl
def hvlint_rules():
    return [Slow]
"""
SLOW_FILE = GOOD.replace("}\n}", '}\n  vm "SLOW" { host = H1; memory = 1GiB }\n}')


def _slow_project(directory: Path, action: str, settings: str = "") -> None:
    (directory / "slow.py").write_text(SLOW.format(action=action))
    (directory / "hvlint.toml").write_text(f'plugins = ["slow"]\n{settings}')
    (directory / "slow.hvc").write_text(SLOW_FILE)


CATCHES_EVERY_EXCEPTION = """while True:
                try:
                    time.sleep(60)
                except Exception:
                    pass"""


def test_a_rule_past_its_time_budget_is_hv000_and_the_rest_is_reported(checkout: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    _slow_project(
        checkout,
        CATCHES_EVERY_EXCEPTION,
        'rule_timeout = "0.2s"\n',
    )
    status, out, err = run(capsys, "check", ".", "--format", "json", "--no-cache")
    findings = [(f["path"], f["code"], f["message"]) for f in json.loads(out)["findings"]]
    assert status == 2 and err == ""
    assert (
        "slow.hvc",
        "HV000",
        "rule SLOW1 (slow) of plugin slow ran longer than 0.2 s on slow.hvc",
    ) in findings
    assert ("a.hvc", "HV002", "unknown host `H9` in `host` of vm C/V") in findings


def test_a_rule_that_calls_os_exit_is_hv000_not_a_silent_success(checkout: Path) -> None:
    _slow_project(checkout, "os._exit(0)")
    result = subprocess.run(
        [sys.executable, "-m", "hvlint", "check", ".", "--format", "json", "--no-cache"],
        cwd=checkout,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2, result.stderr
    codes = {(f["path"], f["code"]) for f in json.loads(result.stdout)["findings"]}
    assert ("slow.hvc", "HV000") in codes and ("a.hvc", "HV002") in codes


def test_the_rule_timeout_setting_is_checked(tmp_path: Path) -> None:
    from hvlint.config import ConfigError, load

    path = tmp_path / "hvlint.toml"
    path.write_text('rule_timeout = "2min"\n')
    assert load(path).rule_timeout == 120.0
    for bad in ('"0s"', '"2d"', "5", '"fast"'):
        path.write_text(f"rule_timeout = {bad}\n")
        with pytest.raises(ConfigError, match="`rule_timeout`"):
            load(path)


def _die_on_b(source):  # type: ignore[no-untyped-def]
    from hvlint.checking import Checked

    if source.name == "b.hvc":
        os.kill(os.getpid(), 9)
    return Checked(source.name, "", [])


def test_a_worker_that_dies_is_hv000_for_its_file() -> None:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from hvlint.checking import Source
    from hvlint.workers import worker_results

    sources = [Source("a.hvc", b""), Source("b.hvc", b""), Source("c.hvc", b"")]
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        results = worker_results(pool, _die_on_b, sources)
    assert [result.name for result in results] == ["a.hvc", "b.hvc", "c.hvc"]
    assert [f.code for f in results[1].findings] == ["HV000"] and results[1].tracebacks
    assert "ended without a result" in results[1].findings[0].message
    assert all(result.findings == [] or result.tracebacks for result in results)


# -- 4: SIGTERM ------------------------------------------------------------------------------------------


def test_sigterm_leaves_no_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from hvlint import output
    from hvlint.signals import Terminated, exit_status

    def terminated(descriptor: int) -> None:
        raise Terminated

    monkeypatch.setattr(output.os, "fsync", terminated)
    (tmp_path / "report.txt").write_text("old\n")
    with pytest.raises(Terminated) as raised:
        output.write_atomically(tmp_path / "report.txt", b"new\n")
    assert exit_status(raised.value) == 143 and exit_status(KeyboardInterrupt()) == 130
    assert sorted(path.name for path in tmp_path.iterdir()) == ["report.txt"]
    assert (tmp_path / "report.txt").read_text() == "old\n"


def _wait_for(condition, seconds: float = 60.0) -> None:  # type: ignore[no-untyped-def]
    import time

    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.05)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_sigterm_ends_the_run_and_its_workers_with_143(checkout: Path, jobs: str) -> None:
    import signal

    _slow_project(checkout, "time.sleep(600)")
    (checkout / "other.hvc").write_text(SLOW_FILE + "# padding\n" * 30_000)  # enough for workers
    process = subprocess.Popen(
        [sys.executable, "-m", "hvlint", "check", ".", "--jobs", jobs, "--no-cache", "--output", "r.txt"],
        cwd=checkout,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for(lambda: len(list(checkout.glob("started-*"))) >= int(jobs))
        workers = [int(path.name.split("-")[1]) for path in checkout.glob("started-*")]
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 143 and err.endswith("hvlint: error: interrupted\n")
    _wait_for(lambda: not any(Path(f"/proc/{pid}").exists() for pid in workers), 10)
    assert not list(checkout.glob(".r.txt.*")) and not (checkout / "r.txt").exists()


def _sleep_long(source):  # type: ignore[no-untyped-def]
    import time

    time.sleep(600)


def test_an_interrupted_collection_kills_the_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from hvlint import workers
    from hvlint.checking import Source

    pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
    processes = []

    def interrupted(future, source):  # type: ignore[no-untyped-def]
        processes.extend(pool._processes.values())  # type: ignore[union-attr]
        raise KeyboardInterrupt

    monkeypatch.setattr(workers, "_result", interrupted)
    with pytest.raises(KeyboardInterrupt):
        workers.worker_results(pool, _sleep_long, [Source("a.hvc", b"")])
    assert processes
    for process in processes:
        _wait_for(lambda process=process: _ended(process), 10)


def _ended(process) -> bool:  # type: ignore[no-untyped-def]
    """Whether a worker has ended. The executor's own thread may reap it first, and then the `Process`
    object, asked from this thread, says it is alive (its waitpid fails): the kernel's view decides."""
    process.join(0.05)
    if process.exitcode is not None:
        return True
    try:
        with open(f"/proc/{process.pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except FileNotFoundError:
        return True


def test_a_link_to_itself_is_matched_by_exclude_and_never_an_internal_error(tmp_path: Path) -> None:
    """Found by the hostile-checkout fuzzing: resolving a link in a loop raised RuntimeError."""
    from hvlint.files import relative_to_root

    (tmp_path / "loop.hvc").symlink_to("loop.hvc")
    assert relative_to_root(str(tmp_path / "loop.hvc"), str(tmp_path)) == "loop.hvc"
    (tmp_path / "hvlint.toml").write_text('exclude = ["loop.hvc"]\n')
    result = run_cli("check", ".", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (0, "hvlint: warning: no .hvc files under .\n")
