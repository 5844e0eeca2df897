"""`hvlint server`: the language server (server.md). Only `hvlint server` imports this package, and only
it imports pygls and lsprotocol, so that `check` and `--version` start as fast as without it.

    text.py      positions: LSP's 0-based UTF-16 positions and hvlint's 1-based code-point spans
    checker.py   one open document's diagnostics, through the same pipeline as `check`
    outline.py   declarations and references of a model: symbols, definition, references
    assist.py    completion, hover, quick fixes and formatting
    scheduler.py when documents are checked: at once, on a worker thread, bursts of changes coalesced
    memory.py    collecting what the checks leave, between them
    protocol.py  the pygls server that wires them to the protocol
"""

from hvlint.errors import HvlintError

try:
    import lsprotocol.types  # noqa: F401
    import pygls.lsp.server  # noqa: F401
except ImportError as error:
    raise HvlintError(
        f"`hvlint server` cannot start: {error}. It runs on pygls 2 and lsprotocol, which are installed "
        "with hvlint: reinstall hvlint, or `pip install 'pygls>=2,<3' lsprotocol` beside it"
    ) from error
