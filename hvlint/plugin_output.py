"""What a plugin prints goes to standard error, each line marked with the plugin's name: on standard
output it would corrupt a report (`--format json`) that CI parses (issue 20)."""

from __future__ import annotations

import io
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TextIO

_LONGEST_LINE = 10_000
"""A line printed without an end is shown once it is this long."""


class _ToStandardError(io.TextIOBase):
    """A text stream whose every line is written to standard error as `hvlint: plugin NAME: LINE`."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.plugin = name
        self.pending = ""

    def writable(self) -> bool:
        """A plugin may write to it."""
        return True

    def write(self, text: str) -> int:
        """Shows every complete line of `text` (and of what came before it)."""
        self.pending += str(text)
        *lines, self.pending = self.pending.split("\n")
        if len(self.pending) >= _LONGEST_LINE:
            lines.append(self.pending)
            self.pending = ""
        for line in lines:
            self._show(line)
        return len(text)

    def finish(self) -> None:
        """Shows a last line printed without an end."""
        if self.pending:
            self._show(self.pending)
            self.pending = ""

    def _show(self, line: str) -> None:
        from hvlint.shown import escaped, shown

        print(f"hvlint: plugin {escaped(self.plugin)}: {shown(line, 2000)}", file=sys.stderr)


class printed_to_stderr:
    """Standard output, while the block runs, goes to standard error marked with `plugin`'s name."""

    __slots__ = ("replaced", "stream")

    def __init__(self, plugin: str) -> None:
        self.stream = _ToStandardError(plugin)

    def __enter__(self) -> None:
        self.replaced: TextIO = sys.stdout
        sys.stdout = self.stream

    def __exit__(self, *exception: object) -> None:
        sys.stdout = self.replaced
        self.stream.finish()
