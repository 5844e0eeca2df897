"""The pre-built LALR tables: current for the grammar, and equivalent to building from it."""

from __future__ import annotations

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
    from hvlint.language import _lalr_tables, _token_patterns, patterns

    texts = _all_examples()
    expected = [repr(syntax.parse(text)) for text in texts]
    shipped = patterns.token_patterns()
    monkeypatch.setattr(_lalr_tables, "GRAMMAR_SHA256", "0" * 64)
    monkeypatch.setattr(_token_patterns, "GRAMMAR_SHA256", "0" * 64)
    monkeypatch.setattr(_token_patterns, "TOKEN_PATTERN", "(?P<NAME>x)")
    syntax._parser.cache_clear()
    patterns.token_patterns.cache_clear()
    try:
        parser, _ = syntax._parser()
        assert parser.source_path != "<deserialized>", "a stale table must not be used"
        assert patterns.token_patterns() == shipped, "nor its token pattern"
        assert [repr(syntax.parse(text)) for text in texts] == expected
    finally:
        syntax._parser.cache_clear()
        patterns.token_patterns.cache_clear()


def test_the_lark_internals_hvlint_relies_on_work_with_the_installed_lark() -> None:
    """One test per private use, so that a Lark upgrade that breaks one names it."""
    from lark import Token

    from hvlint.language import lark_internals

    parser = tables.build()
    data, memo = lark_internals.serialize(parser)
    restored = lark_internals.restore(data, memo)
    assert restored.parse('cluster "C" { }') == parser.parse('cluster "C" { }')

    state = parser.parse_interactive("")
    for kind, text in [("NAME", "cluster"), ("STRING", '"C"'), ("LBRACE", "{")]:
        state.feed_token(Token(kind, text))
    assert [str(value) for value in lark_internals.value_stack(state)] == ["cluster", '"C"', "{"]

    fast = lark_internals.token_class()("NAME", "HV01", 4, 2, 3, 2, 7, 8)
    slow = Token("NAME", "HV01", 4, 2, 3, 2, 7, 8)
    assert isinstance(fast, Token) and fast == slow
    fields = ("type", "value", "start_pos", "line", "column", "end_line", "end_column", "end_pos")
    assert [getattr(fast, name) for name in fields] == [getattr(slow, name) for name in fields]


def test_the_tables_module_is_regenerated_for_the_installed_grammar_and_lark() -> None:
    from hvlint.language import _lalr_tables

    generated: dict[str, object] = {}
    exec(compile(tables.tables_source(), "_lalr_tables.py", "exec"), generated)
    assert generated["GRAMMAR_SHA256"] == _lalr_tables.GRAMMAR_SHA256
    assert generated["LARK_VERSION"] == _lalr_tables.LARK_VERSION
    assert generated["DATA"].keys() == _lalr_tables.DATA.keys()  # type: ignore[attr-defined]


def test_the_token_patterns_module_is_current() -> None:
    """The patterns a valid file is read with are those the grammar makes today (else regenerate)."""
    from hvlint.language import _token_patterns

    with open(_token_patterns.__file__, encoding="utf-8") as handle:
        assert handle.read() == tables.patterns_source(), "stale: run `python -m hvlint.language.tables`"
