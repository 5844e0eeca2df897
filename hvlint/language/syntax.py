"""Reading `.hvc` text into raw syntax: blocks, attributes and values with positions (language.md §1, §2, §5).

A valid file is read by one loop over its tokens that builds the raw syntax as it goes (no parse tree is
made), with tokens that work out their lines and columns only when asked. At the first token the grammar
rejects, the file is parsed again by Lark's LALR parser, which calls back into `_Builder` as it reduces
each rule; syntax errors are collected with positions and readable messages, and the parser recovers to
report the next independent ones.
"""

from __future__ import annotations

from functools import lru_cache

from hvlint.diagnostics import SPACE_BEFORE_UNIT
from hvlint.language import lark_internals
from hvlint.language.lexer import BadText, Comment, Lexer
from hvlint.language.tokens import Lines, Token, make_token
from hvlint.language.units import UNITS
from hvlint.lean_typing import NamedTuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from lark import Lark
    from lark import Token as LarkToken
    from lark.parsers.lalr_interactive_parser import InteractiveParser

MAX_SYNTAX_ERRORS = 20
MAX_RECOVERIES = 500


class Span(NamedTuple):
    """A place in a file: 1-based line and column, and the line and column one past its last character."""

    line: int
    column: int
    end_line: int
    end_column: int


def token_span(token: Token | LarkToken) -> Span:
    """The span of one token."""
    if token.__class__ is Token:
        line, column = token.lines.place(token.start_pos)
        return Span(line, column, line, column + len(token))
    return Span(token.line, token.column, token.end_line, token.end_column)  # type: ignore[arg-type]


class _Raw:
    """Raw syntax, printed with its parts (as the parse tests compare two parses)."""

    __slots__ = ()

    def __repr__(self) -> str:
        names: tuple[str, ...] = self.__slots__
        parts = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{type(self).__name__}({parts})"


class RawList(_Raw):
    """A bracketed list of values as written, and its brackets."""

    __slots__ = ("items", "opening", "closing")  # noqa: RUF023 (printed in this order)

    def __init__(self, items: list[RawValue], opening: Token | LarkToken, closing: Token | LarkToken) -> None:
        self.items = items
        self.opening = opening
        self.closing = closing

    @property
    def span(self) -> Span:
        """From its `[` to its `]`."""
        first, last = token_span(self.opening), token_span(self.closing)
        return Span(first.line, first.column, last.end_line, last.end_column)


RawValue = Token | RawList


def value_span(value: RawValue) -> Span:
    """The span of a scalar token or a whole list."""
    return value.span if isinstance(value, RawList) else token_span(value)


class RawAttribute(_Raw):
    """`key = value` as written."""

    __slots__ = ("key", "value")

    def __init__(self, key: Token, value: RawValue) -> None:
        self.key = key
        self.value = value


class RawBlock(_Raw):
    """`kind label { ... }` as written, its attributes and inner blocks in order."""

    __slots__ = ("kind", "label", "attributes", "blocks")  # noqa: RUF023 (printed in this order)

    def __init__(self, kind: Token, label: Token | None) -> None:
        self.kind = kind
        self.label = label
        self.attributes: list[RawAttribute] = []
        self.blocks: list[RawBlock] = []


class SyntaxProblem(NamedTuple):
    """One syntax error: where it is and what a person should read."""

    span: Span
    message: str


class Parsed(_Raw):
    """The raw syntax of one file."""

    __slots__ = ("blocks", "comments", "errors", "text")

    def __init__(
        self, blocks: list[RawBlock], comments: list[Comment], errors: list[SyntaxProblem], text: str
    ) -> None:
        self.blocks = blocks
        self.comments = comments
        self.errors = errors
        self.text = text


@lru_cache(maxsize=1)
def _parser() -> tuple[Lark, Lexer]:
    from hvlint.language.patterns import token_patterns
    from hvlint.language.tables import load

    return load(transformer=_Builder()), Lexer(*token_patterns())


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
        return RawList(children[1:-1], children[0], children[-1])


def parse(text: str) -> Parsed:
    """The raw syntax of `text`, with every syntax error found (at most MAX_SYNTAX_ERRORS)."""
    comments: list[Comment] = []
    try:
        return Parsed(_parse_valid(text, comments), comments, [], text)
    except _Rejected:
        return _parse_recovering(text)


class _Rejected(Exception):
    """The text is not valid: the fast parse stops, and the recovering parse starts over."""


_SCALARS = frozenset({"STRING", "NAME", "NUMBER", "QUANTITY", "BOOLEAN"})
_STATEMENT, _AFTER_NAME, _BEFORE_BRACE, _VALUE, _AFTER_STATEMENT, _ITEM, _AFTER_ITEM = range(7)
"""The fast parse's states: a statement or `}` may come (at the top level, a block or the end); a name
was read (`=`, a label or `{` may come); a label was read (`{` must come); a value must come; a statement
ended (`;` may come, or what may come in `_STATEMENT`); a list item or `]` may come; `,` or `]` must
come."""


def _parse_valid(text: str, comments: list[Comment]) -> list[RawBlock]:
    """The blocks of a valid `text`, read by one loop over its tokens, by the grammar of language.md §2
    (grammars/hvc.lark: `block`, `attribute`, `list`); raises _Rejected at the first token the grammar
    does not accept or the first text that is no token. Tokens keep their offsets only (see tokens.py),
    and `=`, `;`, `,`, `{` and `}` are never made into tokens. The pattern's `scanner` (what `re.Scanner`
    uses) matches each token where the last ended, so a stray character ends the loop at once."""
    from hvlint.language.patterns import token_patterns

    lines = Lines(text)
    blocks: list[RawBlock] = []
    enclosing: list[RawBlock] = []
    lists: list[RawList] = []
    block: RawBlock | None = None
    name: Token | None = None
    label: Token | None = None
    state = _STATEMENT
    end = 0
    line, counted = 1, 0  # a comment's line, counted from the last one's: `lines` may never be needed
    scanner = token_patterns()[0].scanner(text)  # type: ignore[attr-defined]
    for match in iter(scanner.match, None):
        end = match.end()
        kind = match.lastgroup
        if kind in _SCALARS:
            token = Token(match.group(kind))
            token.type = kind
            token.start_pos = match.start(kind)
            token.lines = lines
            if state == _VALUE:
                block.attributes.append(RawAttribute(name, token))  # type: ignore[union-attr, arg-type]
                state = _AFTER_STATEMENT
            elif state == _ITEM:
                lists[-1].items.append(token)
                state = _AFTER_ITEM
            elif kind == "NAME" and (state in (_STATEMENT, _AFTER_STATEMENT)):
                name = token
                state = _AFTER_NAME
            elif state == _AFTER_NAME and (kind == "NAME" or kind == "STRING"):
                label = token
                state = _BEFORE_BRACE
            else:
                raise _Rejected
        elif kind == "EQUAL" and state == _AFTER_NAME and block is not None:
            state = _VALUE
        elif kind == "SEMICOLON" and state == _AFTER_STATEMENT:
            state = _STATEMENT
        elif kind == "COMMA" and state == _AFTER_ITEM:
            state = _ITEM
        elif kind == "LBRACE" and (state in (_AFTER_NAME, _BEFORE_BRACE)):
            opened = RawBlock(name, label if state == _BEFORE_BRACE else None)  # type: ignore[arg-type]
            if block is None:
                blocks.append(opened)
            else:
                block.blocks.append(opened)
                enclosing.append(block)
            block = opened
            state = _STATEMENT
        elif kind == "RBRACE" and (state in (_STATEMENT, _AFTER_STATEMENT)) and block is not None:
            block = enclosing.pop() if enclosing else None
            state = _AFTER_STATEMENT
        elif kind == "LSQB" and (state in (_VALUE, _ITEM)):
            bracket = make_token(kind, "[", match.start(kind), lines)
            started = RawList([], bracket, bracket)
            if state == _VALUE:
                block.attributes.append(RawAttribute(name, started))  # type: ignore[union-attr, arg-type]
            else:
                lists[-1].items.append(started)
            lists.append(started)
            state = _ITEM
        elif kind == "RSQB" and (state in (_ITEM, _AFTER_ITEM)):
            lists.pop().closing = make_token(kind, "]", match.start(kind), lines)
            state = _AFTER_ITEM if lists else _AFTER_STATEMENT
        elif kind == "COMMENT":
            start = match.start(kind)
            line += text.count("\n", counted, start)
            counted = start
            comments.append(Comment(match.group(kind), line, start - text.rfind("\n", 0, start)))
        else:
            raise _Rejected
    if block is not None or (state != _STATEMENT and state != _AFTER_STATEMENT):
        raise _Rejected
    if end < len(text) and token_patterns()[1].fullmatch(text, end) is None:
        raise _Rejected
    return blocks


def _parse_recovering(text: str) -> Parsed:
    """The raw syntax of `text` through Lark's interactive parser, which recovers from each syntax error
    to report the next."""
    from lark import Token as LarkToken
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
                state.feed_token(token)
            except UnexpectedToken:
                state = recovery.recover(state, token)
        recovery.bad_texts(bad_texts, state)
        line, column = _end_position(text)
        end = LarkToken("$END", "", len(text), line, column, line, column + 1, len(text))
        try:
            blocks = state.feed_token(end)
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


def describe_token(token: LarkToken) -> str:
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

    def recover(self, state: InteractiveParser, token: LarkToken) -> InteractiveParser:
        """Reports an unexpected token, then repairs the likeliest mistake (a missing `=`, `}`, `,`, `]`
        or `{` before it) or drops it; returns the parser state to go on with."""
        from lark import Token as LarkToken
        from lark.exceptions import UnexpectedToken

        self._count()
        if token.line != self._quiet_line:
            self.add(self._token_problem(state, token))
        for inserted in ("EQUAL", "RBRACE", "COMMA", "RSQB", "LBRACE"):
            trial = state.copy(deepcopy_values=False)
            try:
                trial.feed_token(LarkToken(inserted, "", token.start_pos, token.line, token.column))
                trial.feed_token(token)
            except UnexpectedToken:
                continue
            return trial
        return state

    def at_end(self, state: InteractiveParser, end: LarkToken) -> None:
        """Reports a file that ends too early, unless an earlier error explains it."""
        opened = _innermost_open_block(state)
        if self.errors and opened is not None:
            return
        self._quiet_line = 0
        self.add(self._token_problem(state, end))

    def _token_problem(self, state: InteractiveParser, token: LarkToken) -> SyntaxProblem:
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


def _last_token(stack: list[Any]) -> LarkToken | None:
    from lark import Token as LarkToken

    return stack[-1] if stack and isinstance(stack[-1], LarkToken) else None


def _token_before_last(stack: list[Any]) -> LarkToken | None:
    from lark import Token as LarkToken

    if len(stack) >= 2 and isinstance(stack[-2], LarkToken) and stack[-2].type == "NAME":
        return stack[-2]
    return None


def _innermost_open_block(state: InteractiveParser) -> tuple[LarkToken, LarkToken] | None:
    from lark import Token as LarkToken

    stack = lark_internals.value_stack(state)
    for index in range(len(stack) - 1, 0, -1):
        value = stack[index]
        if isinstance(value, LarkToken) and value.type == "LBRACE":
            before = stack[index - 1]
            if isinstance(before, LarkToken) and before.type == "STRING" and index >= 2:
                before = stack[index - 2]
            return before, value
    return None


def _spaced_quantity(values: list[Any], text: str) -> SyntaxProblem | None:
    """`4 GiB`: a number, then a unit after a space, among the last values the parser holds (the unit may
    have been taken for the name of the next attribute, `GiB = ...`)."""
    from lark import Token as LarkToken
    from lark import Tree

    for back in (4, 3, 2):
        if len(values) < back:
            continue
        number, unit = values[-back], values[-back + 1]
        if isinstance(number, Tree) and number.children:  # the statements of a block so far
            number = number.children[-1]
        if isinstance(number, RawAttribute):
            number = number.value
        if not (isinstance(number, LarkToken) and isinstance(unit, LarkToken)):
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
