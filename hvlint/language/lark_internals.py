"""Every use hvlint makes of Lark beyond its public API, in one place, so that a Lark upgrade is one module to
check (tests/test_tables.py exercises each against the installed Lark):

- restoring a parser from the tables shipped in the package, and serializing them (`Lark._load_from_dict`,
  `Lark.memo_serialize`), in `hvlint.language.tables`;
- the LALR parse table and the grammar's rules, which the fast parse of a valid file runs itself
  (`parse_conf.states`, `callbacks`, `start_state`, `end_state`, `Shift`, `Rule.options`), in
  `hvlint.language.syntax`;
- an interactive parser's stack of values, which the wording of syntax errors looks at;
- a `Token` made in one step, without Lark's constructor, in `hvlint.language.lexer`.

Beyond those, `hvlint.language.lexer.token_pattern` reads the grammar's terminal definitions (their
`pattern.to_regexp()`, `priority` and `pattern.max_width`): attributes of Lark's
`TerminalDef`, which `Lark.terminals` lists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
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


class Symbol(NamedTuple):
    """One symbol of a grammar rule: a terminal (`is_term`) or a rule, and whether the tree drops it (only
    terminals are dropped)."""

    name: str
    is_term: bool
    filter_out: bool


class GrammarRule(NamedTuple):
    """One expansion of a grammar rule, with the options that decide how its value is built."""

    origin: str
    expansion: tuple[Symbol, ...]
    keep_all_tokens: bool
    expand1: bool
    """A `?rule`: with one value, that value is the rule's."""


class LalrTable(NamedTuple):
    """The parser's LALR table: per state, for each terminal or rule name, a shift or goto (`True`, the next
    state) or a reduction (`False`, the rule)."""

    states: dict[Any, dict[str, tuple[bool, Any]]]
    start: Any
    end: Any
    rules: tuple[GrammarRule, ...]
    terminal_callbacks: bool
    """Lark calls back for some terminal as it shifts it (the fast parse does not)."""


def lalr_table(parser: Lark) -> LalrTable:
    """The LALR table of a parser built with `parser="lalr"`."""
    from lark.parsers.lalr_analysis import Shift

    conf = parser.parse_interactive("").parser_state.parse_conf
    lark_rules: list[Any] = [rule for rule in conf.callbacks if not isinstance(rule, str)]
    rules = {
        rule: GrammarRule(
            rule.origin.name,
            tuple(
                Symbol(symbol.name, symbol.is_term, bool(getattr(symbol, "filter_out", False)))
                for symbol in rule.expansion
            ),
            bool(rule.options.keep_all_tokens),
            bool(rule.options.expand1),
        )
        for rule in lark_rules
    }
    states = {
        state: {
            name: (True, target) if action is Shift else (False, rules[target])
            for name, (action, target) in row.items()
        }
        for state, row in conf.states.items()
    }
    return LalrTable(
        states,
        conf.start_state,
        conf.end_state,
        tuple(rules.values()),
        len(lark_rules) != len(conf.callbacks),
    )


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

        value = property(str.__str__)
        """The text, made when asked: a second copy in every token was a sixth of a large file's syntax."""

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
            token.start_pos = start_pos
            token.line = line
            token.column = column
            token.end_line = end_line
            token.end_column = end_column
            token.end_pos = end_pos
            return token

    return FastToken
