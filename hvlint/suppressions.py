"""Suppression comments (language.md §6): which findings they hide, and HV005 for those that hide nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from hvlint.diagnostics import CANNOT_BE_SUPPRESSED, NOTHING_SUPPRESSED, UNKNOWN_CODE, UNUSED_SUPPRESSION
from hvlint.findings import CODE_PATTERN
from hvlint.language.syntax import Comment, Span
from hvlint.records import Record
from hvlint.regex import compiled

_DIRECTIVE = compiled(r"hvlint:\s*(disable|disable-file)=([A-Za-z0-9,]*)")
_CODE_RUN = compiled(r"[^,]+")


class Suppression(Record):
    """One code named by one comment: where it stands, what it covers, and whether it was used."""

    __match_args__ = ("code", "span", "whole_file", "line", "used")
    __slots__ = __match_args__
    code: str
    span: Span
    whole_file: bool
    line: int
    used: bool

    def __init__(self, code: str, span: Span, whole_file: bool, line: int, used: bool = False) -> None:
        self.code = code
        self.span = span
        self.whole_file = whole_file
        self.line = line
        self.used = used


class Suppressions(Record):
    """Every suppression of one file, found by code and line: a finding costs the same whatever the
    number of suppressions (32,000 VMs each suppressing its own finding took 209 s when each finding was
    compared with every suppression)."""

    __match_args__ = ("items", "_by_line", "_whole_file")
    __slots__ = __match_args__
    items: list[Suppression]
    _by_line: dict[tuple[str, int], list[Suppression]]
    _whole_file: dict[str, list[Suppression]]

    def __init__(self) -> None:
        self.items = []
        self._by_line = {}
        self._whole_file = {}

    def add(self, item: Suppression) -> None:
        """Records one suppression."""
        self.items.append(item)
        if item.whole_file:
            self._whole_file.setdefault(item.code, []).append(item)
        else:
            self._by_line.setdefault((item.code, item.line), []).append(item)

    def suppress(
        self, code: str, line: int, header_lines: Iterable[int], attribute_lines: frozenset[int]
    ) -> bool:
        """Whether a finding of `code` at `line` is suppressed; marks the suppressions that match as used.

        `header_lines` are the header lines of the finding's object and of every block enclosing it.
        """
        lines = set(header_lines)
        if line in attribute_lines:
            lines.add(line)
        matching = [*self._whole_file.get(code, ())]
        for candidate in lines:
            matching.extend(self._by_line.get((code, candidate), ()))
        for item in matching:
            item.used = True
        return bool(matching)

    def on_line(self, code: str, line: int) -> list[Suppression]:
        """The suppressions of `code` that cover `line`: those written on it, and those of the whole file."""
        return [*self._whole_file.get(code, ()), *self._by_line.get((code, line), ())]


def parse_suppressions(comments: Sequence[Comment]) -> Suppressions:
    """The suppressions written in a file's comments."""
    found = Suppressions()
    for comment in comments:
        body = comment.text.lstrip("#/")
        match = _DIRECTIVE.search(body)
        if match is None:
            continue
        offset = comment.column + (len(comment.text) - len(body)) + match.start(2)
        for code_match in _CODE_RUN.finditer(match.group(2)):
            code = code_match.group(0)
            column = offset + code_match.start()
            span = Span(comment.line, column, comment.line, column + len(code))
            found.add(Suppression(code, span, match.group(1) == "disable-file", comment.line))
    return found


UNUSED = UNUSED_SUPPRESSION.code


def unused(
    suppressions: Suppressions,
    known: Callable[[str], bool],
    ran: Callable[[str], bool],
    unsuppressable: Iterable[str],
) -> list[tuple[Span, str]]:
    """HV005 messages with their spans: codes no plugin knows, codes that cannot be suppressed, and codes
    of rules that ran on the file but matched no finding. An HV005 in a comment silences the HV005
    reported on its own line (and `disable-file=HV005` every one); it is itself unused when it silences
    nothing."""
    fixed = set(unsuppressable)
    problems = []
    for item in suppressions.items:
        directive = "disable-file" if item.whole_file else "disable"
        if not CODE_PATTERN.match(item.code) or not known(item.code):
            problems.append((item.span, UNKNOWN_CODE.format(code=item.code, directive=directive)))
        elif item.code in fixed:
            problems.append((item.span, CANNOT_BE_SUPPRESSED.format(code=item.code)))
        elif item.code != UNUSED and not item.used and ran(item.code):
            problems.append((item.span, NOTHING_SUPPRESSED.format(code=item.code)))
    silencers = [item for item in suppressions.items if item.code == UNUSED]
    kept = []
    for span, message in problems:
        matching = suppressions.on_line(UNUSED, span.line)
        for item in matching:
            item.used = True
        if not matching:
            kept.append((span, message))
    kept.extend((item.span, NOTHING_SUPPRESSED.format(code=UNUSED)) for item in silencers if not item.used)
    return sorted(kept)
