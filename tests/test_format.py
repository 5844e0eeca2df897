"""`hvlint format` (format.md): the layout rules by golden pairs and byte-level cases, the refusals,
idempotence and meaning as properties, and the command line end to end."""

from __future__ import annotations

import io
import os
import re
import shutil
import stat
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given

from hvlint.formatting import FormatError, format_bytes, format_text
from hvlint.formatting.errors import BUG
from hvlint.formatting.tokens import scan
from hvlint.formatting.tree import read_tree
from hvlint.formatting.verify import SUPPRESSION_MOVED, verify
from hvlint.language.document import load
from hvlint.language.syntax import parse
from tests.conftest import FIXTURES, ROOT, lint, run_cli
from tests.format_trees import comment_texts, random_files, raw_tree
from tests.test_fuzz import damaged, fuzz, laid_out
from tests.test_precommit import PRE_COMMIT, Repository, _environment, _hook_revision

CASES = FIXTURES / "format"
IMPORTED = sorted((FIXTURES / "import").glob("*.expected.hvc.txt"))
"""The golden outputs of `hvlint import`, which writes the canonical layout (format.md §8)."""
PAIRS = sorted(path.name.removesuffix(".in.txt") for path in CASES.glob("*.in.txt"))
CORPUS = sorted(
    [
        *(ROOT / "examples").glob("*.hvc"),
        *FIXTURES.rglob("*.hvc"),
        *(CASES / "corpus").glob("*.txt"),
        *CASES.glob("*.txt"),
        *IMPORTED,
    ]
)


def read(name: str) -> str:
    return (CASES / name).read_text(encoding="utf-8")


# -- golden pairs -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", PAIRS)
def test_golden_pair(name: str) -> None:
    expected = read(f"{name}.out.txt")
    assert format_text(read(f"{name}.in.txt")) == expected
    assert format_text(expected) == expected


def test_every_pair_has_its_output() -> None:
    assert len(PAIRS) >= 10
    assert sorted(path.name.removesuffix(".out.txt") for path in CASES.glob("*.out.txt")) == PAIRS


# -- text (rules 1-4) -------------------------------------------------------------------------------------

BLOCK = 'host "H" {\n  memory = 1GiB\n}\n'


def test_a_byte_order_mark_is_kept_and_never_added() -> None:
    assert format_bytes(b"\xef\xbb\xbfhost H {memory=1GiB}") == b"\xef\xbb\xbfhost H { memory = 1GiB }\n"
    assert format_bytes(b"host H {memory=1GiB}") == b"host H { memory = 1GiB }\n"
    assert format_text("\ufeffhost H {memory=1GiB}") == "\ufeffhost H { memory = 1GiB }\n"


def test_line_endings_follow_the_first_line_break() -> None:
    crlf = 'host "H" {\r\n  memory = 1GiB\r\n}\r\n'
    assert format_text('host "H" {\r\nmemory=1GiB\r\n}') == crlf
    assert format_text('host "H" {\r\nmemory=1GiB\n}\n') == crlf
    assert format_text('host "H" {\nmemory=1GiB\r\n}\r\n') == BLOCK
    assert format_text('host "H" { memory = 1GiB }') == 'host "H" { memory = 1GiB }\n'


def test_a_crlf_comment_loses_its_carriage_return_but_keeps_its_text() -> None:
    assert format_text("# a comment \t\r\nhost H {}\r\n") == "# a comment\r\nhost H {}\r\n"


def test_empty_and_whitespace_only_files_become_empty() -> None:
    assert format_text("") == ""
    assert format_text(" \n\t\r\n\n") == ""
    assert format_bytes(b"\xef\xbb\xbf  \n") == b"\xef\xbb\xbf"


def test_tabs_and_form_feeds_between_tokens_become_spaces_but_not_inside_strings_or_comments() -> None:
    text = 'host\t"H"\f{\n\tmemory\t=\t1GiB\t# a\tcomment\n\tswitches = ["a\tb"]\n}\n'
    assert format_text(text) == 'host "H" {\n  memory   = 1GiB  # a\tcomment\n  switches = ["a\tb"]\n}\n'


def test_an_already_formatted_file_is_returned_as_it_is() -> None:
    assert format_text(BLOCK) == BLOCK


# -- widths (rules 11, 16) --------------------------------------------------------------------------------


def one_line_block(width: int) -> str:
    """A one-line block inside a cluster, `width` characters wide with its indentation."""
    head = '  vm "V" { memory = 1GiB; host = '
    return head + "h" * (width - len(head) - 2) + " }"


@pytest.mark.parametrize("width", [99, 100])
def test_a_one_line_block_that_fits_in_100_stays_one_line(width: int) -> None:
    text = f'cluster "C" {{\n{one_line_block(width)}\n}}\n'
    assert len(one_line_block(width)) == width
    assert format_text(text) == text


def test_a_one_line_block_of_101_is_expanded() -> None:
    name = "h" * (101 - len('  vm "V" { memory = 1GiB; host = ') - 2)
    text = f'cluster "C" {{\n{one_line_block(101)}\n}}\n'
    assert (
        format_text(text)
        == f'cluster "C" {{\n  vm "V" {{\n    memory = 1GiB\n    host   = {name}\n  }}\n}}\n'
    )


def test_a_trailing_comment_does_not_count_in_a_one_line_block_s_width() -> None:
    text = f'cluster "C" {{\n{one_line_block(100)}  # a comment\n}}\n'
    assert format_text(text) == text


def wide_list(width: int) -> str:
    """`  disks = [...]` inside a block, `width` characters wide."""
    items = []
    line = "  disks = []"
    index = 0
    while len(line) < width - 6:
        items.append(f"d{index:02d}")
        index += 1
        line = "  disks = [" + ", ".join(items) + "]"
    items[-1] += "x" * (width - len(line))
    line = "  disks = [" + ", ".join(items) + "]"
    assert len(line) == width
    return line


def test_a_list_of_100_stays_on_one_line_and_one_of_101_does_not() -> None:
    fits = f'vm "V" {{\n{wide_list(100)}\n}}\n'
    assert format_text(fits) == fits
    wide = wide_list(101)
    items = wide.removeprefix("  disks = [").removesuffix("]").split(", ")
    expected = 'vm "V" {\n  disks = [\n' + "".join(f"    {item},\n" for item in items) + "  ]\n}\n"
    assert format_text(f'vm "V" {{\n{wide}\n}}\n') == expected


def test_alignment_padding_does_not_count_in_a_list_s_width() -> None:
    text = f'vm "V" {{\n  compatibility_mode = minimum\n{wide_list(100)}\n}}\n'
    formatted = format_text(text)
    assert "  disks              = [d00" in formatted
    assert max(len(line) for line in formatted.splitlines()) > 100


def test_a_pinned_list_wider_than_100_stays_on_its_line() -> None:
    text = f'vm "V" {{\n{wide_list(120)}  # hvlint: disable=HV201\n}}\n'
    assert format_text(text) == text


def test_a_list_with_a_plain_comment_after_it_is_not_pinned() -> None:
    formatted = format_text(f'vm "V" {{\n{wide_list(120)}  # just a note\n}}\n')
    assert formatted.startswith('vm "V" {\n  disks = [  # just a note\n    d00,\n')


def test_a_list_with_a_comment_inside_is_laid_out_over_lines_however_short() -> None:
    text = "vm V {\n  dvd = [a, # the tools\n  b]\n}\n"
    assert format_text(text) == "vm V {\n  dvd = [\n    a,  # the tools\n    b,\n  ]\n}\n"


# -- nesting (§7) -----------------------------------------------------------------------------------------


def nested_blocks(levels: int) -> str:
    return "b x { " * levels + "a = 1 " + "} " * levels


def test_32_levels_are_formatted_and_33_are_refused_at_the_first_token_past_the_limit() -> None:
    formatted = format_text(nested_blocks(32))
    assert formatted.splitlines()[31] == " " * 62 + "b x { a = 1 }"
    with pytest.raises(FormatError) as refused:
        format_text(nested_blocks(33))
    assert str(refused.value) == "1:197: not formatted: blocks and lists nested deeper than 32 levels"
    assert nested_blocks(33)[196] == "{"


def test_lists_count_in_the_nesting() -> None:
    text = "b x { " * 30 + "a = [[1]] " + "} " * 30
    assert "a = [[1]]" in format_text(text)
    with pytest.raises(FormatError, match="nested deeper than 32 levels"):
        format_text("b x { " * 30 + "a = [[[1]]] " + "} " * 30)


def test_a_syntax_error_wins_over_deep_nesting() -> None:
    with pytest.raises(FormatError, match="expected"):
        format_text(nested_blocks(40) + "}")


def test_a_list_opening_past_the_limit_is_refused_at_its_bracket() -> None:
    with pytest.raises(FormatError) as refused:
        format_text("b x { " * 32 + "a = [1] " + "} " * 32)
    assert (refused.value.line, refused.value.column) == (1, 32 * 6 + 5)


def test_very_deep_nesting_is_refused_without_a_recursion_error() -> None:
    with pytest.raises(FormatError, match="nested deeper"):
        format_text(f"vm V {{ a = {'[' * 50000}{']' * 50000} }}")


# -- refusals (§2.1, §5.3) --------------------------------------------------------------------------------


def test_a_syntax_error_is_reported_as_check_reports_it_with_the_count_of_the_others() -> None:
    with pytest.raises(FormatError) as one:
        format_text("host H {\n  memory 1GiB\n}\n")
    assert str(one.value) == "2:10: not formatted: expected `=` after attribute name `memory`, found `1GiB`"
    with pytest.raises(FormatError) as two:
        format_text("host H {\n  memory 1GiB\n  switches [a]\n}\n")
    assert two.value.message.endswith(" (and 1 more syntax error)")
    with pytest.raises(FormatError) as three:
        format_text("host H {\n  memory 1GiB\n  switches [a]\n  dvd 2\n}\n")
    assert three.value.message.endswith(" (and 2 more syntax errors)")


@pytest.mark.parametrize(
    "text",
    [
        "host H { a = { } }",
        "host H { a = [b c] }",
        "host H { a = [=] }",
        "host H { a = [,] }",
        "host H {} $",
        "host H {};;",
        "a = 1",
        "host H { a = 1 ",
        "}",
        "host 12 {}",
    ],
)
def test_every_syntax_error_is_the_language_parser_s(text: str) -> None:
    with pytest.raises(FormatError) as error:
        format_text(text)
    first = parse(text).errors[0]
    assert (error.value.line, error.value.column) == (first.span.line, first.span.column)
    assert error.value.message.startswith(first.message)


@fuzz(120)
@given(damaged())
def test_damaged_files_are_refused_exactly_when_they_have_syntax_errors(data: bytes) -> None:
    document = load(data, "x.hvc")
    try:
        formatted = format_bytes(data)
    except FormatError as error:
        if document.has_syntax_errors:
            first = next(problem for problem in document.problems if problem.code == "HV001")
            assert (error.line, error.column) == (first.span.line, first.span.column)
        else:
            assert error.message in (SUPPRESSION_MOVED, "blocks and lists nested deeper than 32 levels")
        return
    assert not document.has_syntax_errors
    assert format_bytes(formatted) == formatted


def test_bad_bytes_are_reported_at_the_first_one() -> None:
    with pytest.raises(FormatError) as bad:
        format_bytes(b'host H {\n  gpu = "caf\xe9"\n}\n')
    assert str(bad.value) == (
        "2:13: not formatted: invalid UTF-8: byte 0xe9 at offset 21 (invalid continuation byte)"
    )


def test_a_stray_character_after_a_long_run_of_whitespace_is_found_at_once() -> None:
    """The scan matches each token where the last ended: a search would start again after every space
    of the run (at 200,000 spaces, hours)."""
    with pytest.raises(FormatError) as bad:
        format_text(" " * 200_000 + "@")
    assert str(bad.value) == "1:200001: not formatted: unexpected character `@`"


def test_a_shared_suppression_is_refused_with_the_message_of_the_spec() -> None:
    with pytest.raises(FormatError) as refused:
        format_text('vm "V" {\n  a = 1; b = 2  # hvlint: disable=HV501\n}\n')
    assert refused.value.message == SUPPRESSION_MOVED
    assert (refused.value.line, refused.value.column) == (2, 17)


def test_suppressions_whose_reach_is_kept_are_accepted() -> None:
    attributes = "; ".join(f"{key} = {index}" for index, key in enumerate("bcdefghijkl"))
    expanded = f'cluster C {{\n  network "N" {{ roles = [a]; {attributes} }} # hvlint: disable=HV304\n}}\n'
    lines = "".join(f"    {key}     = {index}\n" for index, key in enumerate("bcdefghijkl"))
    assert format_text(expanded) == (
        f'cluster C {{\n  network "N" {{  # hvlint: disable=HV304\n    roles = [a]\n{lines}  }}\n}}\n'
    )
    own_line = 'vm "V" {\n  # hvlint: disable=HV501\n  a = 1; b = 2\n}\n'
    assert format_text(own_line) == 'vm "V" {\n  # hvlint: disable=HV501\n  a = 1\n  b = 2\n}\n'
    whole_file = 'vm "V" {\n  a = 1; b = 2  # hvlint: disable-file=HV501\n}\n'
    assert format_text(whole_file) == 'vm "V" {\n  a = 1\n  b = 2  # hvlint: disable-file=HV501\n}\n'


def test_a_suppression_after_a_block_kept_one_line_is_accepted() -> None:
    text = 'cluster C {\n  network "N" { roles = [a]; b = 1 }   # hvlint: disable=HV304\n}\n'
    assert format_text(text) == text.replace("}   #", "}  #")


def test_the_checks_catch_a_layout_that_changes_the_tree_or_the_comments() -> None:
    before = scan('vm "V" {\n  memory = 1GiB  # one\n}\n')
    assert before is not None
    tree = read_tree(before)
    with pytest.raises(FormatError) as changed:
        verify(before, tree, 'vm "V" {\n  memory = 2GiB  # one\n}\n')
    assert str(changed.value) == (
        f"2:12: not formatted: internal error: formatting would change the syntax tree here {BUG}"
    )
    with pytest.raises(FormatError, match="syntax tree here"):
        verify(before, tree, 'vm "V" {\n  memory = 1GiB  # one\n')
    with pytest.raises(FormatError, match="syntax tree here"):
        verify(before, tree, 'vm "V" {\n  memory = 1GiB  # one\n}\n}\n')
    with pytest.raises(FormatError, match="syntax tree here"):
        verify(before, tree, 'vm "V" {\n  memory = 1GiB  $ one\n}\n')
    with pytest.raises(FormatError, match="syntax tree here"):
        verify(before, tree, 'vm "V" {\n  memory = 1GiB;;  # one\n}\n')
    with pytest.raises(FormatError) as comments:
        verify(before, tree, 'vm "V" {\n  memory = 1GiB  # two\n}\n')
    assert str(comments.value).startswith(
        "2:18: not formatted: internal error: formatting would change the comments"
    )
    with pytest.raises(FormatError, match="the comments here"):
        verify(before, tree, 'vm "V" {\n  memory = 1GiB  # one\n}\n# more\n')
    with pytest.raises(FormatError) as twice:
        verify(before, tree, 'vm "V" {\n  memory = 1GiB # one\n}\n')
    assert twice.value.line is None
    assert str(twice.value) == f"not formatted: internal error: formatting twice gives a different text {BUG}"


# -- properties (§4, §5, §10) -----------------------------------------------------------------------------


def assert_formats_faithfully(text: str) -> None:
    """`text` is formatted, or refused with a §2.1 message; formatted, it is its own layout and means
    the same (the language parser's tree, the comments, and the findings of check less their places)."""
    try:
        formatted = format_text(text)
    except FormatError as error:
        assert error.message in (SUPPRESSION_MOVED, "blocks and lists nested deeper than 32 levels")
        return
    assert format_text(formatted) == formatted
    assert raw_tree(formatted) == raw_tree(text)
    body = text.removeprefix("\ufeff")
    assert comment_texts(parse(formatted.removeprefix("\ufeff")).comments) == comment_texts(
        parse(body).comments
    )


@pytest.mark.parametrize("path", CORPUS, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_corpus_file_formats_faithfully(path: Path) -> None:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        with pytest.raises(FormatError, match="invalid UTF-8"):
            format_bytes(path.read_bytes())
        return
    if raw_tree(text) is None:
        with pytest.raises(FormatError):
            format_text(text)
        return
    assert_formats_faithfully(text)


def test_what_import_writes_is_already_formatted() -> None:
    if not IMPORTED:
        pytest.skip("no golden output of `hvlint import` in fixtures/import/ on this branch")
    for path in IMPORTED:
        text = path.read_text(encoding="utf-8")
        assert format_text(text) == text, path.name


def masked(findings: list) -> Counter[tuple[str, str]]:  # type: ignore[type-arg]
    return Counter((f.code, re.sub(r"\bline \d+", "line N", f.message)) for f in findings)


@pytest.mark.parametrize("path", sorted((ROOT / "examples").glob("*.hvc")), ids=lambda path: path.name)
def test_formatted_examples_give_the_same_findings(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert masked(lint(format_text(text))) == masked(lint(text))


@fuzz(150)
@given(random_files())
def test_random_trees_format_faithfully(text: str) -> None:
    assert_formats_faithfully(text)


@fuzz(60)
@given(laid_out())
def test_generated_clusters_format_faithfully_and_keep_their_findings(case: tuple) -> None:  # type: ignore[type-arg]
    _, (text,) = case
    assert_formats_faithfully(text)
    assert masked(lint(format_text(text))) == masked(lint(text))


# -- the command line (§1, §2, §6, §9) --------------------------------------------------------------------

UGLY = 'host "H" {memory=1GiB\n}\n'
PRETTY = 'host "H" {\n  memory = 1GiB\n}\n'
BROKEN = 'host "H" {\n  memory 1GiB\n}\n'


def test_the_example_of_section_9(tmp_path: Path) -> None:
    lab = tmp_path / "lab.hvc"
    lab.write_text(read("example-section9.in.txt"), encoding="utf-8")
    first = run_cli("format", "--check", "lab.hvc", cwd=tmp_path)
    assert (first.returncode, first.stdout) == (1, "would reformat: lab.hvc\n")
    assert first.stderr == "1 file would be reformatted, 0 files already formatted\n"
    written = run_cli("format", "lab.hvc", cwd=tmp_path)
    assert (written.returncode, written.stdout) == (0, "")
    assert written.stderr == "1 file reformatted, 0 files left unchanged\n"
    assert lab.read_text(encoding="utf-8") == read("example-section9.out.txt")
    again = run_cli("format", "--check", "lab.hvc", cwd=tmp_path)
    assert (again.returncode, again.stdout) == (0, "")
    assert again.stderr == "0 files would be reformatted, 1 file already formatted\n"


def test_one_file_with_a_syntax_error_does_not_stop_the_others(tmp_path: Path) -> None:
    (tmp_path / "a.hvc").write_text(UGLY)
    (tmp_path / "b.hvc").write_text(BROKEN)
    (tmp_path / "c.hvc").write_text(PRETTY)
    result = run_cli("format", ".", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        "hvlint: error: b.hvc:2:10: not formatted: expected `=` after attribute name `memory`, found `1GiB`\n"
        "1 file reformatted, 1 file left unchanged, 1 file could not be formatted\n"
    )
    assert (tmp_path / "a.hvc").read_text() == PRETTY
    assert (tmp_path / "b.hvc").read_text() == BROKEN


def test_check_lists_the_files_in_path_order_and_a_syntax_error_wins(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "z.hvc").write_text(UGLY)
    (tmp_path / "b.hvc").write_text(UGLY)
    (tmp_path / "a.hvc").write_text(PRETTY)
    changed = run_cli("format", "--check", ".", cwd=tmp_path)
    assert (changed.returncode, changed.stdout) == (1, "would reformat: b.hvc\nwould reformat: sub/z.hvc\n")
    assert changed.stderr == "2 files would be reformatted, 1 file already formatted\n"
    assert (tmp_path / "b.hvc").read_text() == UGLY
    (tmp_path / "c.hvc").write_text(BROKEN)
    broken = run_cli("format", "--check", "--quiet", ".", cwd=tmp_path)
    assert broken.returncode == 2
    assert broken.stderr.startswith("hvlint: error: c.hvc:2:10: not formatted:")
    assert broken.stderr.count("\n") == 1


def test_diff_prints_a_patch_that_applies(tmp_path: Path) -> None:
    (tmp_path / "a.hvc").write_bytes(b'host "H" {memory=1GiB\r\n}')
    (tmp_path / "b.hvc").write_text(PRETTY)
    (tmp_path / "c.hvc").write_text('host "H" {\n  memory = 1GiB\n}')
    result = subprocess.run(
        [sys.executable, "-m", "hvlint", "format", "--diff", "--check", "."],
        cwd=tmp_path,
        capture_output=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stdout.decode() == (
        "--- a.hvc\n+++ a.hvc\n@@ -1,2 +1,3 @@\n"
        '-host "H" {memory=1GiB\r\n-}\n\\ No newline at end of file\n'
        '+host "H" {\r\n+  memory = 1GiB\r\n+}\r\n'
        "--- c.hvc\n+++ c.hvc\n@@ -1,3 +1,3 @@\n"
        ' host "H" {\n   memory = 1GiB\n-}\n\\ No newline at end of file\n+}\n'
    )
    assert result.stderr == b"2 files would be reformatted, 1 file already formatted\n"
    if shutil.which("patch") is None:
        pytest.skip("patch is not installed")
    subprocess.run(["patch", "-p0", "--quiet"], input=result.stdout, cwd=tmp_path, check=True)
    assert (tmp_path / "a.hvc").read_bytes() == b'host "H" {\r\n  memory = 1GiB\r\n}\r\n'
    assert (tmp_path / "c.hvc").read_text() == PRETTY


def test_standard_input_to_standard_output(tmp_path: Path) -> None:
    formatted = run_cli("format", "-", cwd=tmp_path, stdin=UGLY.encode())
    assert (formatted.returncode, formatted.stdout, formatted.stderr) == (0, PRETTY, "")
    unchanged = run_cli("format", "-", cwd=tmp_path, stdin=PRETTY.encode())
    assert (unchanged.returncode, unchanged.stdout) == (0, PRETTY)
    broken = run_cli("format", "--stdin-filename", "lab.hvc", "-", cwd=tmp_path, stdin=BROKEN.encode())
    assert (broken.returncode, broken.stdout) == (2, "")
    assert broken.stderr.startswith("hvlint: error: lab.hvc:2:10: not formatted: expected `=`")
    checked = run_cli(
        "format", "--check", "--stdin-filename", "x.hvc", "-", cwd=tmp_path, stdin=UGLY.encode()
    )
    assert (checked.returncode, checked.stdout, checked.stderr) == (1, "would reformat: x.hvc\n", "")


def test_standard_input_must_be_the_only_path(tmp_path: Path) -> None:
    result = run_cli("format", "-", "a.hvc", cwd=tmp_path, stdin=b"")
    assert result.returncode == 2
    assert result.stderr.startswith("hvlint: error: `-` (standard input) must be the only PATH")


def test_an_unchanged_file_is_not_written_and_a_changed_one_keeps_its_mode_and_link(tmp_path: Path) -> None:
    pretty = tmp_path / "pretty.hvc"
    pretty.write_text(PRETTY)
    os.utime(pretty, (1_000_000_000, 1_000_000_000))
    real = tmp_path / "real.hvc.txt"
    real.write_text(UGLY)
    real.chmod(0o640)
    (tmp_path / "link.hvc").symlink_to("real.hvc.txt")
    result = run_cli("format", ".", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == "1 file reformatted, 1 file left unchanged\n"
    assert pretty.stat().st_mtime == 1_000_000_000
    assert (tmp_path / "link.hvc").is_symlink()
    assert real.read_text() == PRETTY
    assert stat.S_IMODE(real.stat().st_mode) == 0o640


def test_an_interrupted_write_leaves_the_original(tmp_path: Path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    from hvlint.cli import main

    target = tmp_path / "a.hvc"
    target.write_text(UGLY)

    def fail(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    assert main(["format", str(target)]) == 2
    assert target.read_text() == UGLY
    assert capsys.readouterr().err == (
        f"hvlint: error: {target}: cannot write: No space left on device\n"
        "0 files reformatted, 0 files left unchanged, 1 file could not be formatted\n"
    )
    assert [path.name for path in tmp_path.iterdir()] == ["a.hvc"]


def test_paths_that_cannot_be_used(tmp_path: Path) -> None:
    (tmp_path / "a.hvc").write_text(UGLY)
    missing = run_cli("format", "nowhere.hvc", "a.hvc", cwd=tmp_path)
    assert missing.returncode == 2
    assert missing.stderr == (
        "hvlint: error: nowhere.hvc: no such file or directory\n"
        "1 file reformatted, 0 files left unchanged, 1 file could not be formatted\n"
    )
    empty = tmp_path / "empty"
    empty.mkdir()
    nothing = run_cli("format", cwd=empty)
    assert (nothing.returncode, nothing.stderr) == (
        0,
        "hvlint: warning: no .hvc files under .\nno .hvc file found\n",
    )


def test_unreadable_files_are_errors(tmp_path: Path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    from hvlint import format_cli
    from hvlint.cli import main

    def locked(*_: object) -> None:
        raise PermissionError(13, "Permission denied")

    (tmp_path / "a.hvc").write_text(UGLY)
    monkeypatch.setattr(format_cli, "open", locked, raising=False)
    assert main(["format", str(tmp_path / "a.hvc")]) == 2
    assert capsys.readouterr().err.startswith(
        f"hvlint: error: {tmp_path}/a.hvc: cannot read: Permission denied\n"
    )


def test_the_configuration_s_exclude_is_honoured_and_a_bad_one_refused(tmp_path: Path) -> None:
    (tmp_path / "hvlint.toml").write_text('exclude = ["skip/"]\n')
    (tmp_path / "skip").mkdir()
    (tmp_path / "skip" / "a.hvc").write_text(UGLY)
    (tmp_path / "b.hvc").write_text(UGLY)
    result = run_cli("format", "--check", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (1, "would reformat: b.hvc\n")
    (tmp_path / "bad.toml").write_text("colour = 1\n")
    bad = run_cli("format", "--config", "bad.toml", cwd=tmp_path)
    assert bad.returncode == 2
    assert bad.stderr.startswith("hvlint: error: ") and "colour" in bad.stderr
    absent = run_cli("format", "--config", "absent.toml", cwd=tmp_path)
    assert (absent.returncode, absent.stderr) == (2, "hvlint: error: --config absent.toml: no such file\n")


def test_a_file_named_format_is_checked_with_check(tmp_path: Path) -> None:
    (tmp_path / "format").write_text(PRETTY)
    result = run_cli("check", "format", cwd=tmp_path)
    assert result.stdout.startswith("format:1:1: error: host H is missing the required attribute")


def test_the_pre_commit_hook_runs_format_on_hvc_files() -> None:
    hooks = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    entry = hooks[hooks.index("- id: hvlint-format") :]
    assert "entry: hvlint format\n" in entry
    assert "files: (?i)\\.hvc$" in entry


@pytest.mark.skipif(PRE_COMMIT is None, reason="pre-commit is not installed (pip install pre-commit)")
@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_the_pre_commit_hook_rewrites_a_staged_file_and_fails_the_commit(tmp_path: Path) -> None:
    revision = _hook_revision()
    repository = Repository(tmp_path / "repo", _environment(tmp_path / "home"), revision)
    hooks = f"repos:\n  - repo: {ROOT.as_posix()}\n    rev: {revision}\n"
    hooks += "    hooks:\n      - id: hvlint-format\n"
    repository.write(".pre-commit-config.yaml", hooks)
    repository.write("hvlint.toml", "# no configuration above the repository applies\n")
    repository.write("clusters/a.hvc", UGLY)
    repository.write("clusters/b.hvc", PRETTY)
    failed = repository.pre_commit()
    assert failed.returncode == 1, failed.stdout
    assert "files were modified by this hook" in failed.stdout
    assert (repository.path / "clusters" / "a.hvc").read_text() == PRETTY
    repository.git("add", "clusters/a.hvc")
    assert repository.pre_commit().returncode == 0


class _Input:
    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)


def test_the_command_in_process(tmp_path: Path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    from hvlint.cli import main

    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.hvc").write_text(UGLY)
    (tmp_path / "b.hvc").write_text(BROKEN)
    assert main(["format", "--diff", "a.hvc"]) == 1
    out, err = capsys.readouterr()
    assert out.startswith("--- a.hvc\n+++ a.hvc\n@@ -1,2 +1,3 @@\n")
    assert err == "1 file would be reformatted, 0 files already formatted\n"
    assert main(["format", "--check", "--quiet", "a.hvc", "b.hvc", "missing.hvc"]) == 2
    out, err = capsys.readouterr()
    assert out == "would reformat: a.hvc\n"
    assert err.splitlines() == [
        "hvlint: error: b.hvc:2:10: not formatted: expected `=` after attribute name `memory`, found `1GiB`",
        "hvlint: error: missing.hvc: no such file or directory",
    ]
    monkeypatch.setattr(sys, "stdin", _Input(UGLY.encode()))
    assert main(["format", "--stdin-filename", "s.hvc", "--diff", "-"]) == 1
    assert capsys.readouterr().out.startswith("--- s.hvc\n+++ s.hvc\n")
    monkeypatch.setattr(sys, "stdin", _Input(BROKEN.encode()))
    assert main(["format", "-"]) == 2
    out, err = capsys.readouterr()
    assert (out, err.count("\n")) == ("", 1)
    monkeypatch.setattr(sys, "stdin", _Input(b"host H {}"))
    assert main(["format", "-"]) == 0
    assert capsys.readouterr() == ("host H {}\n", "")
    assert main(["format", "-", "a.hvc"]) == 2
    assert "must be the only PATH" in capsys.readouterr().err
    (tmp_path / "hvlint.toml").write_text('exclude = ["a.hvc"]\n')
    assert main(["format", "--config", "hvlint.toml"]) == 2
    assert capsys.readouterr().err.endswith(
        "0 files reformatted, 0 files left unchanged, 1 file could not be formatted\n"
    )
    assert main(["format", "--config", "nowhere.toml"]) == 2
    assert main(["format", "a.hvc"]) == 0
    assert capsys.readouterr().err.endswith("no .hvc file found\n")
    (tmp_path / "hvlint.toml").unlink()
    assert main(["format", "a.hvc"]) == 0
    assert (tmp_path / "a.hvc").read_text() == PRETTY
    assert capsys.readouterr().err.endswith("1 file reformatted, 0 files left unchanged\n")
    (tmp_path / "b.hvc").unlink()
    assert main(["format", "a.hvc"]) == 0
    assert capsys.readouterr().err == "0 files reformatted, 1 file left unchanged\n"
    assert main(["format", "--check", "a.hvc"]) == 0
    assert capsys.readouterr() == ("", "0 files would be reformatted, 1 file already formatted\n")


def test_the_documentation_s_example_is_formatted() -> None:
    docs = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
    example = docs.split("```hvc\n", 1)[1].split("```\n", 1)[0]
    assert format_text(example) == example


def test_a_directory_without_hvc_files_is_a_warning_not_an_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = run_cli("format", "--check", "empty", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stderr.splitlines()[0] == "hvlint: warning: no .hvc files under empty"
