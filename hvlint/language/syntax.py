"""Reading `.hvc` text into raw syntax: blocks, attributes and values with positions (language.md §1, §2, §5).

The Lark LALR parser calls back into `_Builder` as it reduces each rule, so the raw syntax is built while
parsing and no parse tree is ever made. Syntax errors are collected with positions and readable messages,
and the parser recovers to report the next independent ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple, Union

if TYPE_CHECKING:
    from lark import Lark, Token

MAX_SYNTAX_ERRORS = 20
MAX_RECOVERIES = 500
_TOKEN_STARTS = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_\"'#/{}[]=,; \t\f\r\n"
)


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

    @property
    def lines(self) -> range:
        """The lines the attribute covers, from its key to the end of its value."""
        return range(self.key.line, value_span(self.value).end_line + 1)  # type: ignore[arg-type]


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
class Comment:
    """A comment's text (from `#` or `//`) and where it stands."""

    text: str
    line: int
    column: int


@dataclass(slots=True)
class Parsed:
    """The raw syntax of one file."""

    blocks: list[RawBlock]
    comments: list[Comment]
    errors: list[SyntaxProblem]
    text: str


def grammar_text() -> str:
    """The Lark grammar of the language, as shipped in the package."""
    from importlib.resources import files

    return files("hvlint.grammars").joinpath("hvc.lark").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _parser() -> Lark:
    from lark import Lark

    return Lark(
        grammar_text(),
        parser="lalr",
        lexer="basic",
        maybe_placeholders=False,
        transformer=_Builder(),
        lexer_callbacks={"COMMENT": _keep_comment},
    )


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
    from lark.exceptions import UnexpectedInput

    recovery = _Recovery(text)
    parser = _parser()
    _COMMENTS.clear()
    blocks: list[RawBlock] = []
    try:
        blocks = parser.parse(text, on_error=recovery.on_error)  # type: ignore[assignment]
    except UnexpectedInput as error:
        recovery.record(error)
    except _TooManyErrors:
        pass
    comments = list(_COMMENTS)
    _COMMENTS.clear()
    return Parsed([] if recovery.errors else blocks, comments, recovery.errors, text)


_COMMENTS: list[Comment] = []


def _keep_comment(token: Token) -> Token:
    _COMMENTS.append(Comment(str(token), token.line, token.column))  # type: ignore[arg-type]
    return token


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
        self._recorded: object = None
        self._recoveries = 0

    def record(self, error: Any) -> None:
        """Adds the error unless it follows from the previous one on the same line."""
        from lark.exceptions import UnexpectedCharacters, UnexpectedToken

        if error is self._recorded:
            return
        self._recorded = error
        token = getattr(error, "token", None)
        at_end = token is not None and token.type == "$END"
        if not at_end and (token.line if token is not None else error.line) == self._quiet_line:
            return
        if isinstance(error, UnexpectedToken):
            problem = self._token_problem(error)
        elif isinstance(error, UnexpectedCharacters):
            problem = self._character_problem(error)
        else:  # pragma: no cover - Lark raises only the two kinds above from an LALR parse
            problem = SyntaxProblem(Span(1, 1, 1, 2), str(error).splitlines()[0])
        if not problem.message or problem.span.line == self._quiet_line:
            return
        self._quiet_line = problem.span.line
        if len(self.errors) == MAX_SYNTAX_ERRORS - 1:
            message = f"{problem.message} (too many syntax errors: stopped after {MAX_SYNTAX_ERRORS})"
            self.errors.append(SyntaxProblem(problem.span, message))
            raise _TooManyErrors
        self.errors.append(problem)

    def on_error(self, error: Any) -> bool:
        """Lark's recovery hook: record the error, then repair or skip so that parsing resumes."""
        from lark import Token
        from lark.exceptions import UnexpectedCharacters, UnexpectedToken

        self.record(error)
        self._recoveries += 1
        if self._recoveries > MAX_RECOVERIES:
            raise _TooManyErrors
        if isinstance(error, UnexpectedCharacters):
            self._skip_bad_characters(error)
            return True
        assert isinstance(error, UnexpectedToken)
        token = error.token
        parser = error.interactive_parser
        if token.type == "$END":
            return False
        for inserted in ("EQUAL", "RBRACE", "COMMA", "RSQB", "LBRACE"):
            trial = parser.copy(deepcopy_values=False)
            try:
                trial.feed_token(Token(inserted, "", token.start_pos, token.line, token.column))
                if token.type in trial.accepts():
                    parser.feed_token(Token(inserted, "", token.start_pos, token.line, token.column))
                    parser.feed_token(token)
                    return True
            except UnexpectedToken:
                continue
        return True

    def _skip_bad_characters(self, error: Any) -> None:
        from lark import Token

        parser = error.interactive_parser
        state = parser.lexer_thread.state
        position = state.line_ctr.char_pos
        if self.text[position] in "\"'":
            end = _string_end(self.text, position)
            if "STRING" in parser.accepts():
                parser.feed_token(Token("STRING", "''", position, error.line, error.column))
        else:
            end = position + 1
            while end < len(self.text) and self.text[end] not in _TOKEN_STARTS:
                end += 1
        state.line_ctr.feed(self.text[position:end])

    def _token_problem(self, error: Any) -> SyntaxProblem:
        token = error.token
        expected = (
            set(error.interactive_parser.accepts()) if error.interactive_parser else set(error.expected)
        )
        expected.discard("SEMICOLON")
        previous = _last_token(error)
        if token.type == "$END":
            line, column = _end_position(self.text)
            span = Span(line, column, line, column + 1)
            opened = _innermost_open_block(error)
            if self.errors and opened is not None:
                return SyntaxProblem(span, "")
            if opened is not None and "RBRACE" in expected:
                kind, brace = opened
                return SyntaxProblem(
                    span, f"unexpected end of file: block `{kind}` opened at line {brace.line} is not closed"
                )
        else:
            span = token_span(token)
        found = describe_token(token)
        if "EQUAL" in expected and previous is not None and token.type in VALUE_STARTS - {"NAME", "STRING"}:
            message = f"expected `=` after attribute name `{previous}`, found {found}"
        elif (
            previous is not None and previous.type == "NAME" and "LBRACE" in expected and "EQUAL" in expected
        ):
            message = f"expected `=` or `{{` after `{previous}`, found {found}"
        elif (
            expected == {"LBRACE"}
            and previous is not None
            and (block := _token_before_last(error)) is not None
        ):
            message = (
                f"expected `{{` after `{block} {previous}`, found {found}; "
                f"if `{block}` is an attribute, write `{block} = {previous}`"
            )
        else:
            message = f"expected {describe_expected(expected)}, found {found}"
        return SyntaxProblem(span, message)

    def _character_problem(self, error: Any) -> SyntaxProblem:
        position = error.pos_in_stream
        line, column = error.line, error.column
        char = self.text[position]
        span = Span(line, column, line, column + 1)
        if char in "\"'":
            end = self.text.find("\n", position)
            rest = self.text[position : len(self.text) if end < 0 else end]
            closing = rest.find(char, 1)
            if closing < 0:
                return SyntaxProblem(span, "unterminated string: strings cannot span lines")
            bad = rest.find("\\", 0)
            while bad >= 0 and rest[bad + 1 : bad + 2] in ('"', "\\", "n", "t"):
                bad = rest.find("\\", bad + 2)
            escape_column = column + bad
            return SyntaxProblem(
                Span(line, escape_column, line, escape_column + 2),
                f'unknown escape `{rest[bad : bad + 2]}` in a string: use `\\\\`, `\\"`, `\\n` or `\\t`, '
                "or a '...' string, in which a backslash is an ordinary character",
            )
        return SyntaxProblem(span, f"unexpected character {_describe_char(char)}")


def _string_end(text: str, start: int) -> int:
    """Where a malformed string that opens at `start` ends: after its closing quote on the same line
    (escapes skipped in a "..." string), else at the end of the line."""
    quote = text[start]
    index = start + 1
    while index < len(text) and text[index] not in "\r\n":
        char = text[index]
        if char == "\\" and quote == '"':
            index += 2
            continue
        if char == quote:
            return index + 1
        index += 1
    return index


def _describe_char(char: str) -> str:
    if char.isprintable() and not char.isspace():
        return f"`{char}`"
    import unicodedata

    name = unicodedata.name(char, "") or ("NUL" if char == "\0" else "control character")
    return f"U+{ord(char):04X} ({name})"


def _last_token(error: Any) -> Token | None:
    from lark import Token

    parser = getattr(error, "interactive_parser", None)
    if parser is None:  # pragma: no cover - Lark always sets it for LALR
        return None
    stack = parser.parser_state.value_stack
    if stack and isinstance(stack[-1], Token):
        return stack[-1]
    return None


def _token_before_last(error: Any) -> Token | None:
    from lark import Token

    stack = error.interactive_parser.parser_state.value_stack
    if len(stack) >= 2 and isinstance(stack[-2], Token) and stack[-2].type == "NAME":
        return stack[-2]
    return None


def _innermost_open_block(error: Any) -> tuple[Token, Token] | None:
    from lark import Token

    stack = error.interactive_parser.parser_state.value_stack
    for index in range(len(stack) - 1, 0, -1):
        value = stack[index]
        if isinstance(value, Token) and value.type == "LBRACE":
            before = stack[index - 1]
            if isinstance(before, Token) and before.type == "STRING" and index >= 2:
                before = stack[index - 2]
            return before, value
    return None


def _end_position(text: str) -> tuple[int, int]:
    line = text.count("\n") + 1
    last_newline = text.rfind("\n")
    return line, len(text) - last_newline
