"""The canonical layout of a file's syntax tree and comments (format.md §3), as text with `\\n` endings."""

from __future__ import annotations

import bisect

from hvlint.formatting.strings import canonical_string
from hvlint.formatting.tokens import Comment, Scan
from hvlint.formatting.tree import Attribute, Block, ListValue, Value

WIDTH = 100


class Line:
    """One output line: its indentation, its code, the index of the first token it holds, and how it
    takes part in blank lines (rules 7, 8), alignment (rule 14) and comments (rules 20-22). A line
    with a `key` is a single-line attribute of an expanded block; its `code` then follows the key."""

    __slots__ = ("blank", "closes", "code", "comment", "first", "in_list", "indent", "key", "opens")

    def __init__(
        self,
        indent: int,
        code: str,
        first: int,
        key: str = "",
        blank: bool = False,
        opens: bool = False,
        closes: bool = False,
        in_list: bool = False,
    ) -> None:
        self.indent = indent
        self.code = code
        self.first = first
        self.key = key
        self.blank = blank
        self.opens = opens
        self.closes = closes
        self.in_list = in_list
        self.comment = ""


class _Layout:
    def __init__(self, scan: Scan) -> None:
        self.scan = scan
        self.kinds = scan.kinds
        self.texts = scan.texts
        self.lines: list[Line] = []
        self.moved: dict[int, int] = {}
        """A `}` or `]` whose trailing comment goes to the line of another token (rule 21): that token."""
        self.comment_after = [comment.after for comment in scan.comments]

    # -- what the input says ------------------------------------------------------------------------------

    def comment_within(self, first: int, last: int) -> bool:
        """Whether a comment stands between tokens `first` and `last` (indices) in the input."""
        if not self.comment_after:
            return False
        where = bisect.bisect_left(self.comment_after, first)
        return where < len(self.comment_after) and self.comment_after[where] < last

    def pinned(self, value: ListValue) -> bool:
        """Rule 16: a list on one input line, followed on that line by a suppression comment."""
        scan = self.scan
        where = bisect.bisect_left(self.comment_after, value.close)
        if where == len(self.comment_after) or not scan.same_line(value.open, value.close):
            return False
        comment = scan.comments[where]
        return (
            comment.trailing
            and scan.text.find("\n", scan.starts[value.close], comment.offset) < 0
            and is_suppression(comment.text)
        )

    def token(self, index: int) -> str:
        text = self.texts[index]
        return canonical_string(text) if self.kinds[index] == "STRING" else text

    def one_line(self, value: Value) -> str:
        if isinstance(value, int):
            return self.token(value)
        return "[" + ", ".join([self.one_line(item) for item in value.items]) + "]"

    def blank(self, first: int) -> bool:
        return self.scan.newlines_before(first) > 1

    # -- writing -------------------------------------------------------------------------------------------

    def block(self, block: Block, indent: int) -> None:
        texts = self.texts
        blank = self.blank(block.kind)
        header = texts[block.kind] if block.label < 0 else f"{texts[block.kind]} {self.token(block.label)}"
        body = block.body
        if not body and not self.comment_within(block.open, block.close):
            self.lines.append(Line(indent, header + " {}", block.kind, "", blank))
            return
        one_line = self.scan.same_line(block.open, block.close)
        if one_line and all(isinstance(statement, Attribute) for statement in body):
            parts = "; ".join(
                [f"{texts[s.key]} = {self.one_line(s.value)}" for s in body if isinstance(s, Attribute)]
            )
            code = f"{header} {{ {parts} }}"
            if indent + len(code) <= WIDTH:
                self.lines.append(Line(indent, code, block.kind, "", blank))
                return
        if one_line:
            self.moved[block.close] = block.kind
        self.lines.append(Line(indent, header + " {", block.kind, "", blank, True))
        inner = indent + 2
        for statement in body:
            if isinstance(statement, Attribute):
                self.attribute(statement, inner)
            else:
                self.block(statement, inner)
        self.lines.append(Line(indent, "}", block.close, "", False, False, True))

    def attribute(self, attribute: Attribute, indent: int) -> None:
        key = self.texts[attribute.key]
        value = attribute.value
        blank = self.blank(attribute.key)
        if isinstance(value, int):
            self.lines.append(Line(indent, "= " + self.token(value), attribute.key, key, blank))
            return
        text = self.one_line(value)
        if not self.comment_within(value.open, value.close) and (
            indent + len(key) + 3 + len(text) <= WIDTH or self.pinned(value)
        ):
            self.lines.append(Line(indent, "= " + text, attribute.key, key, blank))
            return
        self.lines.append(Line(indent, key + " = [", attribute.key, "", blank))
        self.items(value, indent)

    def items(self, value: ListValue, indent: int) -> None:
        """The items of a list laid out over several lines, then its `]` at `indent`."""
        if self.scan.same_line(value.open, value.close):
            self.moved[value.close] = value.open
        inner = indent + 2
        lines = self.lines
        for item in value.items:
            if isinstance(item, int):
                lines.append(Line(inner, self.token(item) + ",", item, in_list=True))
                continue
            text = self.one_line(item)
            if not self.comment_within(item.open, item.close) and (
                inner + len(text) + 1 <= WIDTH or self.pinned(item)
            ):
                lines.append(Line(inner, text + ",", item.open, in_list=True))
            else:
                lines.append(Line(inner, "[", item.open, in_list=True))
                self.items(item, inner)
                lines[-1].code += ","
        lines.append(Line(indent, "]", value.close, in_list=True))

    # -- comments ------------------------------------------------------------------------------------------

    def with_comments(self) -> list[Line]:
        """The lines with the comments placed (rules 20, 21): own-line ones as lines of their own (with
        `first` -1), trailing ones in `comment`; and the blank lines they start or take over (rule 7)."""
        lines = self.lines
        firsts = [line.first for line in lines]
        placed: dict[int, list[Comment]] = {}
        for comment in self.scan.comments:
            anchor = comment.anchor
            if comment.trailing:
                anchor = self.moved.get(anchor, anchor)
            where = bisect.bisect_right(firsts, anchor) - 1 if anchor < len(self.kinds) else len(lines)
            placed.setdefault(where, []).append(comment)
        out: list[Line] = []
        for index, line in enumerate(lines):
            comments = placed.get(index)
            if comments:
                if comments[-1].trailing:
                    line.comment = comments.pop().text
                self._own_lines(comments, line, out)
            out.append(line)
        for comment in placed.get(len(lines), ()):
            out.append(Line(0, comment.text, -1, "", comment.newlines_before > 1))
        return out

    def _own_lines(self, comments: list[Comment], line: Line, out: list[Line]) -> None:
        """Own-line comments before `line`: those from inside its code leave no blank line between them
        and it, and the first of them takes the blank line before it. Before a `}` or `]` they take the
        indentation of what it closes."""
        indent = line.indent + 2 if self.kinds[line.first] in ("RBRACE", "RSQB") else line.indent
        for position, comment in enumerate(comments):
            if comment.after >= line.first:
                blank = line.blank if position == 0 else False
                line.blank = False
            else:
                blank = comment.newlines_before > 1 and not line.in_list
            out.append(Line(indent, comment.text, -1, "", blank))


def is_suppression(comment: str) -> bool:
    """Whether a comment is a `disable=` suppression (language.md §6), which acts by its line."""
    from hvlint.language.lexer import Comment as LexedComment
    from hvlint.suppressions import parse_suppressions

    return any(not item.whole_file for item in parse_suppressions([LexedComment(comment, 1, 1)]).items)


def _codes(lines: list[Line]) -> list[str]:
    """Each line's code, indented, with the `=` of each run of attributes aligned (rule 14)."""
    codes = []
    index, count = 0, len(lines)
    while index < count:
        line = lines[index]
        if not line.key:
            codes.append(" " * line.indent + line.code)
            index += 1
            continue
        end = index + 1
        while end < count and lines[end].key and not lines[end].blank:
            end += 1
        width = max(len(lines[position].key) for position in range(index, end))
        codes.extend(f"{' ' * run.indent}{run.key.ljust(width)} {run.code}" for run in lines[index:end])
        index = end
    return codes


def _chained(lines: list[Line], codes: list[str]) -> None:
    """Trailing comments appended to their codes, aligned in chains (rule 22)."""
    index, count = 0, len(lines)
    while index < count:
        if not lines[index].comment:
            index += 1
            continue
        end = index + 1
        while end < count and lines[end].comment and not lines[end].blank:
            end += 1
        column = max(len(code) for code in codes[index:end]) + 2
        for position in range(index, end):
            codes[position] = codes[position].ljust(column) + lines[position].comment
        index = end


def render(scan: Scan, blocks: list[Block]) -> str:
    """The canonical text of a file's tree and comments, lines ended by `\\n`."""
    layout = _Layout(scan)
    for block in blocks:
        layout.block(block, 0)
    lines = layout.with_comments() if scan.comments else layout.lines
    previous_opens = True
    for line in lines:
        line.blank = line.blank and not previous_opens and not line.closes
        previous_opens = line.opens
    codes = _codes(lines)
    if scan.comments:
        _chained(lines, codes)
    out = []
    for line, code in zip(lines, codes, strict=True):
        if line.blank:
            out.append("\n")
        out.append(code + "\n")
    return "".join(out)
