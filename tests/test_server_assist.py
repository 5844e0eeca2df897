"""The server's editing help as a library (hvlint.server.assist, outline, checker): quick fixes, completion
and positions, checked on the text their edits make."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from hvlint.server import assist
from hvlint.server.checker import Checker, diagnostic
from hvlint.server.text import Lines, utf16_length

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


def apply(text: str, edit: types.TextEdit) -> str:
    """The text once the edit is made."""
    lines = Lines(text)
    start, end = lines.offset(edit.range.start), lines.offset(edit.range.end)
    return text[:start] + edit.new_text + text[end:]


def fixes_for(tmp_path: Path, fixture: Path, code: str):
    path = tmp_path / fixture.name
    text = fixture.read_text("utf-8")
    path.write_text(text, "utf-8")
    warnings: list[str] = []
    linted = Checker(warnings.append).check(str(path), text)
    assert linted.document is not None and not warnings
    lines = Lines(text)
    for finding in linted.findings:
        if finding.code == code:
            fixes = assist.quick_fixes(
                path.as_uri(), lines, linted.document.model, diagnostic(lines, finding), finding
            )
            yield text, finding, {fix.title: fix.edit.changes[path.as_uri()][0] for fix in fixes}


def test_hv402_fix_sets_compatibility_mode_and_the_finding_goes(tmp_path: Path):
    text, finding, fixes = next(fixes_for(tmp_path, FIXTURES / "processors" / "hv402-fires.hvc", "HV402"))
    title = next(title for title in fixes if title.startswith("Set compatibility_mode = minimum"))
    assert "must be off" in title
    fixed = apply(text, fixes[title])
    again = Checker(print).check(str(tmp_path / "fixed.hvc"), fixed)
    assert finding.fingerprint not in [f.fingerprint for f in again.findings if f.code == "HV402"]


def test_hv402_fix_replaces_a_compatibility_mode_given(tmp_path: Path):
    found = list(fixes_for(tmp_path, FIXTURES / "processors" / "hv402-fires.hvc", "HV402"))
    build02 = next(item for item in found if "BUILD02" in (item[1].object or ""))
    text, _, fixes = build02
    edit = next(edit for title, edit in fixes.items() if title.startswith("Set"))
    assert edit.new_text == "minimum" and "compatibility_mode = minimum }" in apply(text, edit)


def test_hv005_fix_removes_the_unused_code(tmp_path: Path):
    found = list(fixes_for(tmp_path, FIXTURES / "language" / "hv005-fires.hvc", "HV005"))
    assert found
    for text, finding, fixes in found:
        fixed = apply(text, fixes["Remove the unused suppression"])
        line = fixed.split("\n")[finding.line - 1]
        removed = text.split("\n")[finding.line - 1][finding.column - 1 : finding.end_column - 1]
        assert removed not in line.split("disable=")[-1].split(",")


def test_suppress_fix_adds_a_comment_and_silences_the_finding(tmp_path: Path):
    text, finding, fixes = next(fixes_for(tmp_path, FIXTURES / "processors" / "hv402-fires.hvc", "HV402"))
    fixed = apply(text, fixes["Suppress HV402 on this line"])
    assert "# hvlint: disable=HV402" in fixed.split("\n")[finding.line - 1]
    again = Checker(print).check(str(tmp_path / "fixed.hvc"), fixed)
    assert (finding.line, "HV402") not in [(f.line, f.code) for f in again.findings]


def test_completion_of_switches_blocks_and_attributes():
    text = (FIXTURES.parent / "examples" / "prod-ws2019.hvc").read_text("utf-8")
    from hvlint.language.document import load

    model = load(text, "prod.hvc").model
    labels = [i.label for i in assist.completion_items('cluster "C" {\n  vm "X" {\n    adapters = [', model)]
    assert labels == ["SET-Public"]
    labels = [i.label for i in assist.completion_items('cluster "C" {\n  host "X" { processor = ', model)]
    assert "intel-xeon-scalable" in labels and "intel-xeon-e5-2600-v3" in labels
    labels = [i.label for i in assist.completion_items('cluster "C" {\n  host "X" { numa_spanning = ', model)]
    assert labels == ["true", "false"]
    top = assist.completion_items("# a comment {\n", None)
    assert [(i.label, i.kind) for i in top] == [
        (kind, types.CompletionItemKind.Snippet) for kind in ("processor", "cluster", "host")
    ]
    inside = [
        i.label for i in assist.completion_items('cluster "C" {\n  memory = 1GiB\n  host "H" {}\n  ', model)
    ]
    assert "platform" in inside and "vm" in inside


def test_positions_count_utf16_units():
    lines = Lines("a\U0001f600b\né")
    assert utf16_length("\U0001f600") == 2
    assert lines.position(1, 3).character == 3 and lines.position(2, 2).character == 1
    assert lines.column(types.Position(line=0, character=3)) == 2
    assert lines.offset(types.Position(line=1, character=1)) == 5


def test_a_configuration_error_is_a_diagnostic_and_one_warning(tmp_path: Path):
    (tmp_path / "hvlint.toml").write_text("select = [\n", "utf-8")
    warnings: list[str] = []
    checker = Checker(warnings.append)
    first = checker.check(str(tmp_path / "a.hvc"), "x")
    second = checker.check(str(tmp_path / "a.hvc"), "x")
    assert first.config_error and len(warnings) == 1 and second.diagnostics[0].range.start.line == 0
    assert checker.setup_or_none(str(tmp_path / "a.hvc")) is None


def test_a_plugin_that_fails_to_load_is_told_once_and_the_others_run(tmp_path: Path):
    (tmp_path / "hvlint.toml").write_text('plugins = ["no_such_plugin_module"]\n', "utf-8")
    warnings: list[str] = []
    checker = Checker(warnings.append)
    text = (FIXTURES / "processors" / "hv402-fires.hvc").read_text("utf-8")
    first = checker.check(str(tmp_path / "a.hvc"), text)
    checker.check(str(tmp_path / "b.hvc"), text)
    assert len(warnings) == 1 and "no_such_plugin_module" in warnings[0]
    assert "HV402" in [finding.code for finding in first.findings]


def test_outline_definition_references_and_hover_as_a_library(tmp_path: Path):
    from hvlint.server import outline
    from tests.test_server import FEATURES_DOCUMENT

    text = FEATURES_DOCUMENT.replace("stat = off", "state = off")
    checker = Checker(print)
    linted = checker.check(str(tmp_path / "g.hvc"), text)
    assert linted.document is not None
    model, lines = linted.document.model, Lines(text)
    symbols = outline.symbols(model, lines)
    assert [child.name for child in symbols[0].children] == ["own", "LM", "H1", "H2", "V1"]
    row = text.split("\n")[6]
    assert outline.definition(model, lines, 7, row.index("H1;") + 1) == outline.name_span(
        model.all_hosts()[0]
    )
    assert outline.definition(model, lines, 1, 1) is None
    spans = outline.references_to(model, lines, 7, row.index("H1,") + 1, declaration=True)
    assert [(span.line, span.column) for span in spans] == [
        (5, 8),
        (7, row.index("H1;") + 1),
        (7, row.index("H1,") + 1),
    ]
    assert outline.references_to(model, lines, 2, 3, declaration=False) == []
    setup = checker.setup(str(tmp_path / "g.hvc"))
    own = text.split("\n")[4].index("own")
    processor = assist.hover_text(model, lines, 5, own + 1, [], setup.registry, setup.config)
    assert processor is not None and "processor **own** (file)" in processor
    header = assist.hover_text(model, lines, 3, 5, [], setup.registry, setup.config)
    assert header is not None and "vendor intel" in header
    assert assist.hover_text(None, lines, 1, 1, [], None, None) is None
    finding = linted.findings[0]
    explained = assist.hover_text(None, lines, finding.line, finding.column, [finding], setup.registry, None)
    assert explained is not None and explained.startswith(f"# {finding.code}")
    language = assist.hover_text(
        None, lines, finding.line, finding.column, [finding._replace(code="HV001")], None, None
    )
    assert language is not None and "HV001" in language
