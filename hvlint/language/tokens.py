"""hvlint's token: what Lark's `Token` is (a string with its kind and position, equal to another token
only of the same kind), defined here so that a valid file is lexed and parsed without importing Lark
(about 50 ms of every check). Lark's interactive parser, which reports the errors of an invalid file,
takes these tokens as its own: it reads only their `type` and positions."""

from __future__ import annotations


class Token(str):
    """A piece of text the lexer found: its terminal's name (`type`), its text (`value`, the string
    itself), and where it lies (0-based offsets; 1-based lines and columns, the end one past it)."""

    __slots__ = ("column", "end_column", "end_line", "end_pos", "line", "start_pos", "type")

    type: str
    start_pos: int | None
    line: int | None
    column: int | None
    end_line: int | None
    end_column: int | None
    end_pos: int | None

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
    ) -> Token:
        token = str.__new__(cls, value)
        token.type = type
        token.start_pos = start_pos
        token.line = line
        token.column = column
        token.end_line = end_line
        token.end_column = end_column
        token.end_pos = end_pos
        return token

    value = property(str.__str__)
    """The text, made when asked: a second copy in every token was a sixth of a large file's syntax."""

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        return (
            self.__class__,
            (
                self.type,
                self.value,
                self.start_pos,
                self.line,
                self.column,
                self.end_line,
                self.end_column,
                self.end_pos,
            ),
        )

    def __repr__(self) -> str:
        return f"Token({self.type!r}, {self.value!r})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Token) and self.type != other.type:
            return False
        return str.__eq__(self, other)

    __hash__ = str.__hash__
