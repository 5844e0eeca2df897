"""Reading `.hvc` text into raw syntax: blocks, attributes and values with positions (language.md §1, §2, §5).

The Lark LALR parser calls back into `_Builder` as it reduces each rule, so the raw syntax is built while
parsing and no parse tree is ever made. Syntax errors are collected with positions and readable messages,
and the parser recovers to report the next independent ones.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from typing import TYPE_CHECKING, Any, NamedTuple, Union

from hvlint.diagnostics import SPACE_BEFORE_UNIT
from hvlint.language import lark_internals
from hvlint.language.lark_internals import GrammarRule
from hvlint.language.lexer import BadText, Comment, Lexer
from hvlint.language.tokens import Token
from hvlint.language.units import UNITS

if TYPE_CHECKING:
    from lark import Lark
    from lark.parsers.lalr_interactive_parser import InteractiveParser

MAX_SYNTAX_ERRORS = 20
MAX_RECOVERIES = 500


class Span(NamedTuple):
    """A place in a file: 1-based line and column, and the line and column one past its last character."""

    line: int
    column: int
    end_line: int
    end_column: int


def token_span(token: Token) -> Span:
    """The span of one token."""
    return Span(token.line, token.column, token.end_line, token.end_column)  # type: ignore[arg-type]


@dataclass(slots=True)
class RawList:
    """A bracketed list of values as written."""

    items: list[RawValue]
    span: Span


RawValue = Union["Token", RawList]


def value_span(value: RawValue) -> Span:
    """The span of a scalar token or a whole list."""
    return value.span if isinstance(value, RawList) else token_span(value)


@dataclass(slots=True)
class RawAttribute:
    """`key = value` as written."""

    key: Token
    value: RawValue


@dataclass(slots=True)
class RawBlock:
    """`kind label { ... }` as written, its attributes and inner blocks in order."""

    kind: Token
    label: Token | None
    attributes: list[RawAttribute] = field(default_factory=list)
    blocks: list[RawBlock] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class SyntaxProblem:
    """One syntax error: where it is and what a person should read."""

    span: Span
    message: str


@dataclass(slots=True)
class Parsed:
    """The raw syntax of one file."""

    blocks: list[RawBlock]
    comments: list[Comment]
    errors: list[SyntaxProblem]
    text: str


@lru_cache(maxsize=1)
def _parser() -> tuple[Lark, Lexer]:
    from hvlint.language.tables import load

    parser = load(transformer=_Builder())
    return parser, Lexer(parser.terminals)


class _Builder:
    """Callbacks for each grammar rule, called by the LALR parser as it reduces."""

    __slots__ = ()

    def start(self, items: list[RawBlock]) -> list[RawBlock]:
        return items

    def block(self, children: list) -> RawBlock:
        kind = children[0]
        label = None
        index = 1
        second = children[1]
        if getattr(second, "type", None) != "LBRACE":
            label = second
            index = 2
        block = RawBlock(kind, label)
        for child in children[index + 1 : -1]:
            if isinstance(child, RawAttribute):
                block.attributes.append(child)
            else:
                block.blocks.append(child)
        return block

    def attribute(self, children: list) -> RawAttribute:
        return RawAttribute(children[0], children[1])

    def list(self, children: list) -> RawList:
        first, last = children[0], children[-1]
        return RawList(children[1:-1], Span(first.line, first.column, last.end_line, last.end_column))


def parse(text: str) -> Parsed:
    """The raw syntax of `text`, with every syntax error found (at most MAX_SYNTAX_ERRORS)."""
    comments: list[Comment] = []
    try:
        return Parsed(_parse_valid(text, comments), comments, [], text)
    except _Rejected:
        return _parse_recovering(text)


class _Rejected(Exception):
    """The text is not valid: the fast parse stops, and the recovering parse starts over."""


class _Tables(NamedTuple):
    """Lark's LALR tables for the fast parse: per state, a terminal or rule name maps to the next state
    (a shift or a goto), or a terminal to the reduction it calls for: the number of values it takes, the
    rule's name, and what makes its value (None: the one value it takes is its value)."""

    actions: dict[Any, dict[str, Any]]
    start: Any
    end: Any
    bare: frozenset[str]
    """The terminals that no rule keeps (`=`, `;`, `,`): the lexer gives just their names."""


class _Unsupported(Exception):
    """A grammar rule whose value the fast parse cannot build as Lark's tree builder would."""


@lru_cache(maxsize=1)
def _tables() -> _Tables | None:
    """The fast parse's tables, or None when some rule of the grammar is beyond it (then every file takes
    the recovering parse)."""
    table = _lalr_table()
    try:
        if table.terminal_callbacks:
            raise _Unsupported("terminal callbacks")
        reductions = {rule: _reduction(rule) for rule in table.rules}
    except _Unsupported:
        return None
    actions = {
        state: {name: target if shift else reductions[target] for name, (shift, target) in row.items()}
        for state, row in table.states.items()
    }
    terminals = [symbol for rule in table.rules for symbol in rule.expansion if symbol.is_term]
    dropped = {term.name for term in terminals if term.filter_out} - {
        term.name for term in terminals if not term.filter_out
    }
    return _Tables(actions, table.start, table.end, frozenset(dropped))


def _lalr_table() -> lark_internals.LalrTable:
    """The LALR table shipped for the fast parse, else (the grammar changed since) Lark's."""
    from hvlint.language import fast_tables

    shipped = fast_tables.load()
    return shipped.table if shipped is not None else lark_internals.lalr_table(_parser()[0])


@lru_cache(maxsize=1)
def _fast_lexer() -> Lexer:
    """The lexer of the fast parse, from the shipped patterns when they are current, else Lark's."""
    from hvlint.language import fast_tables

    shipped = fast_tables.load()
    if shipped is None:
        return _parser()[1]
    return Lexer.from_patterns(shipped.token_pattern, shipped.whitespace_pattern)


def _reduction(rule: GrammarRule) -> tuple[int, str, Callable[[list[Any]], Any] | None]:
    """How the fast parse reduces `rule`, as Lark's tree builder does for this grammar: terminals that are
    filtered out are dropped, the values of inlined rules (`_name`, the expansions of `*`) are spliced
    into their parent's, a `?rule` with one value is that value, and every other rule's value is made
    by the `_Builder` method of its name."""
    if rule.keep_all_tokens:
        raise _Unsupported(rule)
    size = len(rule.expansion)
    origin = rule.origin
    kept = [
        (index, not symbol.is_term and symbol.name.startswith("_"))
        for index, symbol in enumerate(rule.expansion)
        if not (symbol.is_term and symbol.filter_out)
    ]
    if rule.expand1 and len(kept) == 1 and not kept[0][1]:
        if size == 1:
            return size, origin, None
        ((only, _),) = kept
        return size, origin, lambda children: children[only]
    if origin.startswith("_"):
        node = None
    elif rule.expand1 or not hasattr(_Builder, origin):
        raise _Unsupported(rule)
    else:
        node = getattr(_Builder(), origin)
    return size, origin, _child_filter(kept, size, node)


def _child_filter(
    kept: list[tuple[int, bool]], size: int, node: Callable[[list[Any]], Any] | None
) -> Callable[[list[Any]], Any]:
    """A rule's value from the values it takes (see `_reduction`); `node` None keeps the list itself."""
    if not any(expand for _, expand in kept):
        indices = [index for index, _ in kept]
        if indices == list(range(size)):
            return node or list
        build = node or list
        return lambda children: build([children[index] for index in indices])

    def spliced(children: list[Any]) -> Any:
        values: list[Any] = []
        for index, expand in kept:
            if not expand:
                values.append(children[index])
            elif values:
                values += children[index]
            else:
                values = children[index]  # a left-recursive list grows in place
        return values if node is None else node(values)

    return spliced


def _parse_valid(text: str, comments: list[Comment]) -> list[RawBlock]:
    """The blocks of a valid `text`, parsed with Lark's own tables but without its per-token calls and
    tree-builder wrappers; raises _Rejected at the first token the grammar does not accept or the first
    text that is no token. Lark's parser is half the time of a large file's check; this takes a third off."""
    tables = _tables()
    if tables is None:  # pragma: no cover - the grammar's rules are all supported (tests check it)
        raise _Rejected
    lexer = _fast_lexer()
    actions = tables.actions
    states: list[Any] = [tables.start]
    values: list[Any] = []
    end = tables.end
    tokens: Iterator[Any] = chain(lexer.tokens_or_kinds(text, comments, _reject, tables.bare), ("$END",))
    for token in tokens:
        kind = token if token.__class__ is str else token.type
        while True:
            action = actions[states[-1]].get(kind)
            if action is None:
                if kind == "$END" and states[-1] == end:
                    return values[-1]
                raise _Rejected
            if action.__class__ is not tuple:
                states.append(action)
                values.append(token)
                break
            size, rule, make = action
            if make is None:
                del states[-1]
            elif size:
                children = values[-size:]
                del states[-size:]
                del values[-size:]
                values.append(make(children))
            else:
                values.append(make([]))
            states.append(actions[states[-1]][rule])
    raise _Rejected  # pragma: no cover - the end of the text is never shifted


def _reject(_: BadText) -> None:
    raise _Rejected


def _parse_recovering(text: str) -> Parsed:
    """The raw syntax of `text` through Lark's interactive parser, which recovers from each syntax error
    to report the next."""
    from lark.exceptions import UnexpectedToken

    parser, lexer = _parser()
    recovery = _Recovery(text)
    comments: list[Comment] = []
    state = parser.parse_interactive("")
    blocks: list[RawBlock] = []
    try:
        bad_texts: list[BadText] = []
        for token in lexer.tokens(text, comments, bad_texts.append):
            recovery.bad_texts(bad_texts, state)
            try:
                state.feed_token(token)  # type: ignore[arg-type]  # Lark reads only what both tokens have
            except UnexpectedToken:
                state = recovery.recover(state, token)
        recovery.bad_texts(bad_texts, state)
        line, column = _end_position(text)
        end = Token("$END", "", len(text), line, column, line, column + 1, len(text))
        try:
            blocks = state.feed_token(end)  # type: ignore[arg-type]
        except UnexpectedToken:
            recovery.at_end(state, end)
    except _TooManyErrors:
        pass
    return Parsed([] if recovery.errors else blocks, comments, recovery.errors, text)


class _TooManyErrors(Exception):
    pass


TERMINAL_WORDS = {
    "LBRACE": "`{`",
    "RBRACE": "`}`",
    "LSQB": "`[`",
    "RSQB": "`]`",
    "EQUAL": "`=`",
    "COMMA": "`,`",
    "SEMICOLON": "`;`",
    "NAME": "a name",
    "STRING": "a string",
    "NUMBER": "a number",
    "QUANTITY": "a quantity",
    "BOOLEAN": "`true` or `false`",
    "$END": "the end of the file",
}
VALUE_STARTS = {"STRING", "NAME", "NUMBER", "QUANTITY", "BOOLEAN", "LSQB"}


def describe_token(token: Token) -> str:
    """How a person would name a token found in the wrong place."""
    if token.type == "$END":
        return "the end of the file"
    text = str(token)
    if len(text) > 40:
        text = text[:37] + "..."
    return f"`{text}`"


def describe_expected(expected: set[str]) -> str:
    """The set of acceptable terminals in words (`a value`, "`=` or `{`")."""
    words: list[str] = []
    names = set(expected)
    if names >= VALUE_STARTS:
        words.append("a value")
        names -= VALUE_STARTS
    for name in sorted(names, key=lambda n: list(TERMINAL_WORDS).index(n) if n in TERMINAL_WORDS else 99):
        words.append(TERMINAL_WORDS.get(name, name))
    if not words:
        return "nothing more"
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " or " + words[-1]


class _Recovery:
    """Collects syntax errors and decides how the parser resumes after each one."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.errors: list[SyntaxProblem] = []
        self._quiet_line = 0
        self._recoveries = 0

    def add(self, problem: SyntaxProblem) -> None:
        """Keeps the error unless another was reported on its line already; stops after too many."""
        if problem.span.line == self._quiet_line:
            return
        self._quiet_line = problem.span.line
        if len(self.errors) == MAX_SYNTAX_ERRORS - 1:
            message = f"{problem.message} (too many syntax errors: stopped after {MAX_SYNTAX_ERRORS})"
            self.errors.append(SyntaxProblem(problem.span, message))
            raise _TooManyErrors
        self.errors.append(problem)

    def bad_texts(self, found: list[BadText], state: InteractiveParser) -> None:
        """Reports (and forgets) the text the lexer found to be no token, before the parser in `state`
        takes the token that follows it."""
        for bad in found:
            self._count()
            stack = lark_internals.value_stack(state)
            cut = stack and _cut_at_slash(stack[-1], bad, self.text)
            spaced = _spaced_quantity(stack, self.text) if cut else None
            span = Span(bad.line, bad.column, bad.line, bad.column + bad.length)
            self.add(spaced or SyntaxProblem(span, bad.message))
        found.clear()

    def _count(self) -> None:
        self._recoveries += 1
        if self._recoveries > MAX_RECOVERIES:
            raise _TooManyErrors

    def recover(self, state: InteractiveParser, token: Token) -> InteractiveParser:
        """Reports an unexpected token, then repairs the likeliest mistake (a missing `=`, `}`, `,`, `]`
        or `{` before it) or drops it; returns the parser state to go on with."""
        from lark.exceptions import UnexpectedToken

        self._count()
        if token.line != self._quiet_line:
            self.add(self._token_problem(state, token))
        for inserted in ("EQUAL", "RBRACE", "COMMA", "RSQB", "LBRACE"):
            trial = state.copy(deepcopy_values=False)
            try:
                trial.feed_token(Token(inserted, "", token.start_pos, token.line, token.column))
                trial.feed_token(token)
            except UnexpectedToken:
                continue
            return trial
        return state

    def at_end(self, state: InteractiveParser, end: Token) -> None:
        """Reports a file that ends too early, unless an earlier error explains it."""
        opened = _innermost_open_block(state)
        if self.errors and opened is not None:
            return
        self._quiet_line = 0
        self.add(self._token_problem(state, end))

    def _token_problem(self, state: InteractiveParser, token: Token) -> SyntaxProblem:
        expected = set(state.accepts())
        expected.discard("SEMICOLON")
        stack = lark_internals.value_stack(state)
        spaced = _spaced_quantity([*stack, token], self.text)
        if spaced is not None:
            return spaced
        previous = _last_token(stack)
        span = token_span(token)
        found = describe_token(token)
        if (
            token.type == "$END"
            and (opened := _innermost_open_block(state)) is not None
            and "RBRACE" in expected
        ):
            kind, brace = opened
            message = f"unexpected end of file: block `{kind}` opened at line {brace.line} is not closed"
        elif "EQUAL" in expected and previous is not None and token.type in VALUE_STARTS - {"NAME", "STRING"}:
            message = f"expected `=` after attribute name `{previous}`, found {found}"
        elif (
            previous is not None and previous.type == "NAME" and "LBRACE" in expected and "EQUAL" in expected
        ):
            message = f"expected `=` or `{{` after `{previous}`, found {found}"
        elif (
            expected == {"LBRACE"}
            and previous is not None
            and (block := _token_before_last(stack)) is not None
        ):
            message = (
                f"expected `{{` after `{block} {previous}`, found {found}; "
                f"if `{block}` is an attribute, write `{block} = {previous}`"
            )
        else:
            message = f"expected {describe_expected(expected)}, found {found}"
        return SyntaxProblem(span, message)


def _last_token(stack: list[Any]) -> Token | None:
    return stack[-1] if stack and isinstance(stack[-1], Token) else None


def _token_before_last(stack: list[Any]) -> Token | None:
    if len(stack) >= 2 and isinstance(stack[-2], Token) and stack[-2].type == "NAME":
        return stack[-2]
    return None


def _innermost_open_block(state: InteractiveParser) -> tuple[Token, Token] | None:
    stack = lark_internals.value_stack(state)
    for index in range(len(stack) - 1, 0, -1):
        value = stack[index]
        if isinstance(value, Token) and value.type == "LBRACE":
            before = stack[index - 1]
            if isinstance(before, Token) and before.type == "STRING" and index >= 2:
                before = stack[index - 2]
            return before, value
    return None


def _spaced_quantity(values: list[Any], text: str) -> SyntaxProblem | None:
    """`4 GiB`: a number, then a unit after a space, among the last values the parser holds (the unit may
    have been taken for the name of the next attribute, `GiB = ...`)."""
    from lark import Tree

    for back in (4, 3, 2):
        if len(values) < back:
            continue
        number, unit = values[-back], values[-back + 1]
        if isinstance(number, Tree) and number.children:  # the statements of a block so far
            number = number.children[-1]
        if isinstance(number, RawAttribute):
            number = number.value
        if not (isinstance(number, Token) and isinstance(unit, Token)):
            continue
        if number.type != "NUMBER" or unit.type != "NAME" or unit.line != number.line:
            continue
        written = str(unit)
        if f"{written}/s" in UNITS and text.startswith("/s", unit.end_pos):  # the lexer stopped at `/`
            written += "/s"
        if written in UNITS:
            start, end = token_span(number), token_span(unit)
            span = Span(start.line, start.column, end.line, end.end_column + len(written) - len(unit))
            return SyntaxProblem(span, SPACE_BEFORE_UNIT.format(number=number, unit=written))
    return None


def _cut_at_slash(value: Any, bad: BadText, text: str) -> bool:
    """Whether `value` is a token that ends where the text that is no token starts, with a `/` (the lexer
    takes `MB` of a spaced `80 MB/s` for a name, and stops at the `/`)."""
    end = getattr(value, "end_pos", None)
    return (
        end is not None and (value.end_line, value.end_column) == (bad.line, bad.column) and text[end] == "/"
    )


def _end_position(text: str) -> tuple[int, int]:
    line = text.count("\n") + 1
    last_newline = text.rfind("\n")
    return line, len(text) - last_newline
