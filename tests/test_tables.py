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
