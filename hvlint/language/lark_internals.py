"""Every use hvlint makes of Lark beyond its public API, in one place, so that a Lark upgrade is one module to
check (tests/test_tables.py exercises each against the installed Lark):

- restoring a parser from the tables shipped in the package, and serializing them (`Lark._load_from_dict`,
  `Lark.memo_serialize`), in `hvlint.language.tables`;
- an interactive parser's stack of values, which the wording of syntax errors looks at;
- a `Token` made in one step, without Lark's constructor, in `hvlint.language.lexer`.

Beyond those, `hvlint.language.lexer.token_pattern` reads the grammar's terminal definitions (their
`pattern.to_regexp()`, `priority` and `pattern.max_width`): attributes of Lark's
`TerminalDef`, which `Lark.terminals` lists. The fast parse of a valid file uses no Lark at all: it
follows the grammar itself, with the lexer's pattern shipped in `_lalr_tables.py`.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from lark import Lark, Token
    from lark.parsers.lalr_interactive_parser import InteractiveParser


def restore(data: dict[str, Any], memo: dict[Any, Any], **runtime: Any) -> Lark:
    """The parser whose tables `serialize` gave, with `runtime` options such as a transformer."""
    from lark import Lark

    return Lark._load_from_dict(data, memo, **runtime)


def serialize(parser: Lark) -> tuple[dict[str, Any], dict[Any, Any]]:
    """The parser's tables as plain data (no pickle): what `restore` takes."""
    from lark.grammar import Rule
    from lark.lexer import TerminalDef

    data, memo = parser.memo_serialize([TerminalDef, Rule])
    return data, memo


def value_stack(state: InteractiveParser) -> list[Any]:
    """The values an interactive parser holds: tokens shifted and rules' values reduced, oldest first."""
    stack: list[Any] = state.parser_state.value_stack
    return stack


def token_class() -> type[Token]:
    """A Lark token built in one step: Lark's own constructor goes through two more calls, and a large
    file has hundreds of thousands of tokens. Its signature is Lark's, so Lark may build one too."""
    from lark import Token

    class FastToken(Token):
        __slots__ = ()

        def __new__(
            cls,
            type: str,
            value: str,
            start_pos: int | None = None,
            line: int | None = None,
            column: int | None = None,
            end_line: int | None = None,
            end_column: int | None = None,
            end_pos: int | None = None,
        ) -> FastToken:
            token = str.__new__(cls, value)
            token.type = type
            token.value = value
            token.start_pos = start_pos
            token.line = line
            token.column = column
            token.end_line = end_line
            token.end_column = end_column
            token.end_pos = end_pos
            return token

    return FastToken
