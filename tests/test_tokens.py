"""A valid file's tokens (hvlint/language/tokens.py) stand where Lark's tokens of the same text stand."""

from __future__ import annotations

from hvlint.language import syntax
from hvlint.language.tokens import Lines, make_token

TEXT = 'cluster "C" {\n  memory = 16GiB\n\n  vm V { disks = [\'a\', "b"] }\n}\n'
FIELDS = ("type", "value", "start_pos", "line", "column", "end_line", "end_column", "end_pos")


def test_every_position_of_a_token_is_lark_s() -> None:
    lexer = syntax._parser()[1]
    lark_tokens = list(lexer.tokens(TEXT, [], lambda bad: None))
    lines = Lines(TEXT)
    ours = [make_token(token.type, str(token), token.start_pos or 0, lines) for token in lark_tokens]
    assert [[getattr(t, name) for name in FIELDS] for t in ours] == [
        [getattr(t, name) for name in FIELDS] for t in lark_tokens
    ]
    assert [syntax.token_span(t) for t in ours] == [syntax.token_span(t) for t in lark_tokens]


def test_the_fast_parse_keeps_offsets_and_finds_lines_when_asked() -> None:
    (cluster,) = syntax.parse(TEXT).blocks
    vm = cluster.blocks[0]
    disks = vm.attributes[0].value
    assert isinstance(disks, syntax.RawList)
    assert disks.span == syntax.Span(4, 18, 4, 28)
    assert [syntax.value_span(item) for item in disks.items] == [(4, 19, 4, 22), (4, 24, 4, 27)]
    assert vm.kind.line == 4 and vm.kind.column == 3
    assert vm.kind.lines.place(len(TEXT)) == (6, 1)
