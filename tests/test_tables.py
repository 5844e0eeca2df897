"""The pre-built LALR tables: current for the grammar, and equivalent to building from it."""

from __future__ import annotations

import pickle

import pytest

import hvlint.language.syntax as syntax
from hvlint.language import tables
from tests.conftest import ROOT


def test_the_shipped_tables_are_current_and_used() -> None:
    """Current means built from this grammar by this Lark (Lark numbers the tables' tokens differently
    from one build to the next, so the text itself is not compared)."""
    import lark

    from hvlint.language import _lalr_tables

    stale = "stale: run `python -m hvlint.language.tables`"
    assert lark.__version__ == _lalr_tables.LARK_VERSION, stale
    assert tables.grammar_digest(tables.grammar_text()) == _lalr_tables.GRAMMAR_SHA256, stale
    syntax._parser.cache_clear()
    assert syntax._parser()[0].source_path == "<deserialized>"


def _all_examples() -> list[str]:
    files = sorted((ROOT / "examples").glob("*.hvc")) + sorted((ROOT / "fixtures").rglob("*.hvc"))
    return [path.read_bytes().decode("utf-8", "replace") for path in files]


def test_a_stale_table_falls_back_to_the_grammar_and_parses_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    from hvlint.language import _lalr_tables

    texts = _all_examples()
    expected = [repr(syntax.parse(text)) for text in texts]
    monkeypatch.setattr(_lalr_tables, "GRAMMAR_SHA256", "0" * 64)
    syntax._parser.cache_clear()
    try:
        parser, _ = syntax._parser()
        assert parser.source_path != "<deserialized>", "a stale table must not be used"
        assert [repr(syntax.parse(text)) for text in texts] == expected
    finally:
        syntax._parser.cache_clear()


def test_the_lark_internals_hvlint_relies_on_work_with_the_installed_lark() -> None:
    """One test per private use, so that a Lark upgrade that breaks one names it."""
    from lark import Token

    from hvlint.language import lark_internals
    from hvlint.language.tokens import Token as HvlintToken

    parser = tables.build()
    data, memo = lark_internals.serialize(parser)
    restored = lark_internals.restore(data, memo)
    assert restored.parse('cluster "C" { }') == parser.parse('cluster "C" { }')

    table = lark_internals.lalr_table(parser)
    assert not table.terminal_callbacks
    assert {"start", "block", "attribute", "list"} <= {rule.origin for rule in table.rules}
    assert table.start in table.states and table.end in table.states
    targets = [target for row in table.states.values() for shift, target in row.values() if not shift]
    assert targets and all(isinstance(target, lark_internals.GrammarRule) for target in targets)
    equal = next(s for rule in table.rules for s in rule.expansion if s.name == "EQUAL")
    assert equal.is_term and equal.filter_out

    state = parser.parse_interactive("")
    for kind, text in [("NAME", "cluster"), ("STRING", '"C"'), ("LBRACE", "{")]:
        state.feed_token(Token(kind, text))
    assert [str(value) for value in lark_internals.value_stack(state)] == ["cluster", '"C"', "{"]

    ours = HvlintToken("NAME", "HV01", 4, 2, 3, 2, 7, 8)
    slow = Token("NAME", "HV01", 4, 2, 3, 2, 7, 8)
    assert ours == slow and repr(ours) == repr(slow) and hash(ours) == hash(slow)
    fields = ("type", "value", "start_pos", "line", "column", "end_line", "end_column", "end_pos")
    assert [getattr(ours, name) for name in fields] == [getattr(slow, name) for name in fields]
    assert ours.__eq__(HvlintToken("STRING", "HV01")) is False and ours == "HV01"  # as Lark's
    assert pickle.loads(pickle.dumps(ours)).end_pos == 8
    state = parser.parse_interactive("")
    for kind, text in [("NAME", "cluster"), ("STRING", '"C"'), ("LBRACE", "{"), ("RBRACE", "}")]:
        state.feed_token(HvlintToken(kind, text))
    assert state.feed_eof() == parser.parse('cluster "C" { }'), "Lark's parser takes hvlint's tokens"


def test_the_fast_tables_are_current_and_agree_with_larks() -> None:
    """The fast parse's table and patterns, shipped so that a valid file needs no Lark, are Lark's own."""
    from hvlint.language import fast_tables, lark_internals
    from hvlint.language.lexer import token_pattern

    shipped = fast_tables.load()
    assert shipped is not None, "stale: run `python -m hvlint.language.fast_tables`"
    syntax._parser.cache_clear()
    parser, _ = syntax._parser()
    assert shipped.table == lark_internals.lalr_table(parser)
    token, whitespace = token_pattern(parser.terminals)
    assert (shipped.token_pattern, shipped.whitespace_pattern) == (token.pattern, whitespace.pattern)
    from hvlint.language import _fast_tables

    with open(_fast_tables.__file__, encoding="utf-8") as handle:
        assert fast_tables.source() == handle.read(), "stale: run `python -m hvlint.language.fast_tables`"


def test_a_changed_grammar_takes_larks_tables_for_the_fast_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    from hvlint.language import _fast_tables

    texts = _all_examples()
    expected = [repr(syntax.parse(text)) for text in texts]
    monkeypatch.setattr(_fast_tables, "GRAMMAR_SHA256", "0" * 64)
    syntax._tables.cache_clear()
    syntax._fast_lexer.cache_clear()
    try:
        assert [repr(syntax.parse(text)) for text in texts] == expected
    finally:
        syntax._tables.cache_clear()
        syntax._fast_lexer.cache_clear()


def test_the_tables_module_is_regenerated_for_the_installed_grammar_and_lark() -> None:
    from hvlint.language import _lalr_tables

    generated: dict[str, object] = {}
    exec(compile(tables.tables_source(), "_lalr_tables.py", "exec"), generated)
    assert generated["GRAMMAR_SHA256"] == _lalr_tables.GRAMMAR_SHA256
    assert generated["LARK_VERSION"] == _lalr_tables.LARK_VERSION
    assert generated["DATA"].keys() == _lalr_tables.DATA.keys()  # type: ignore[attr-defined]
