"""The language server: pygls wiring the protocol's messages to hvlint's checker and editing help."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
import threading
from collections.abc import Callable
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from hvlint import __version__
from hvlint.server.checker import Checker, Linted, failed
from hvlint.server.memory import Collector
from hvlint.server.scheduler import Scheduler
from hvlint.server.text import Lines

CONFIG_NAMES = ("hvlint.toml", "pyproject.toml")

log = logging.getLogger("hvlint.server")


class OpenDocument:
    """What the server knows of one open document: its last check and its last text that parsed."""

    __slots__ = ("good", "linted", "version")

    def __init__(self) -> None:
        self.linted: Linted | None = None
        self.good: Linted | None = None
        """The last check of a text without syntax errors, which editing help works on."""
        self.version: int | None = None


class HvlintServer(LanguageServer):
    """pygls's server with hvlint's state: the checker, the open documents and when they are checked."""

    def __init__(self, config_file: str | None = None) -> None:
        super().__init__("hvlint", __version__)
        self.checker = Checker(self.show_error, config_file)
        self.documents: dict[str, OpenDocument] = {}
        self.checks: Scheduler[tuple[int | None, Linted]] = Scheduler(self._prepare, self._publish)
        self.collector = Collector()
        self.loop: asyncio.AbstractEventLoop | None = None
        """The event loop the protocol runs on, known from the first check."""
        self.shut_down = False
        """Whether the client asked `shutdown`: `exit` then ends with status 0, else 1."""

    def show_error(self, message: str) -> None:
        """An error the user should see once (`window/showMessage`). The checks call it on the worker
        thread: the message is then sent from the event loop, so that it is never written to standard
        output in the middle of another message."""
        log.error("%s", message)
        params = types.ShowMessageParams(type=types.MessageType.Error, message=message)
        if self.loop is not None and threading.current_thread() is not threading.main_thread():
            self.loop.call_soon_threadsafe(self.window_show_message, params)
        else:
            self.window_show_message(params)

    def check(self, uri: str) -> None:
        """Checks the open document's current text and publishes its diagnostics, as soon as the worker
        is free of its previous check."""
        self.checks.request(uri)

    def _prepare(self, uri: str) -> Callable[[], tuple[int | None, Linted]] | None:
        if uri not in self.documents:
            return None
        self.loop = asyncio.get_running_loop()
        text_document = self.workspace.get_text_document(uri)
        path, text, version = text_document.path, text_document.source, text_document.version
        self.collector.before_check()

        def work() -> tuple[int | None, Linted]:
            try:
                return version, self.checker.check(path, text)
            except Exception as error:
                log.exception("checking %s failed", path)
                return version, failed(text, error)

        return work

    def _publish(self, uri: str, checked: tuple[int | None, Linted]) -> None:
        self.collector.after_check(idle=not self.checks.busy)
        state = self.documents.get(uri)
        if state is None:
            return
        state.version, state.linted = checked
        document = state.linted.document
        if document is not None and not document.has_syntax_errors:
            state.good = state.linted
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=uri, diagnostics=state.linted.diagnostics, version=state.version
            )
        )

    def reload(self) -> None:
        """Reads the configuration again and re-checks every open document."""
        self.checks.in_order(self.checker.reload)
        for uri in list(self.documents):
            self.check(uri)


def is_configuration(uri: str) -> bool:
    """Whether `uri` names a file hvlint reads its configuration from."""
    return uri.rsplit("/", 1)[-1] in CONFIG_NAMES


def make_server(config_file: str | None = None) -> HvlintServer:
    """The language server with every feature registered."""
    server = HvlintServer(config_file)

    @server.feature(types.INITIALIZED)
    def initialized(ls: HvlintServer, _: types.InitializedParams) -> None:
        capabilities = ls.client_capabilities.workspace
        watched = capabilities.did_change_watched_files if capabilities else None
        if watched is not None and watched.dynamic_registration:
            options = types.DidChangeWatchedFilesRegistrationOptions(
                watchers=[types.FileSystemWatcher(glob_pattern=f"**/{name}") for name in CONFIG_NAMES]
            )
            registration = types.Registration(
                id="hvlint-configuration",
                method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=options,
            )
            ls.client_register_capability(types.RegistrationParams(registrations=[registration]))

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: HvlintServer, _: None) -> None:
        ls.shut_down = True

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: HvlintServer, params: types.DidOpenTextDocumentParams) -> None:
        if is_configuration(params.text_document.uri):
            return
        ls.documents[params.text_document.uri] = OpenDocument()
        ls.check(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: HvlintServer, params: types.DidChangeTextDocumentParams) -> None:
        if params.text_document.uri in ls.documents:
            ls.check(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: HvlintServer, params: types.DidSaveTextDocumentParams) -> None:
        if is_configuration(params.text_document.uri):
            ls.reload()
        elif params.text_document.uri in ls.documents:
            ls.check(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: HvlintServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.documents.pop(params.text_document.uri, None)
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[])
        )

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched_files(ls: HvlintServer, params: types.DidChangeWatchedFilesParams) -> None:
        if any(is_configuration(change.uri) for change in params.changes):
            ls.reload()

    _editing_help(server)
    return server


def _model(state: OpenDocument | None) -> tuple[Any, Lines | None]:
    if state is None or state.good is None or state.good.document is None:
        return None, None
    return state.good.document.model, state.good.lines


def _editing_help(server: HvlintServer) -> None:
    from hvlint.server import assist, outline

    @server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    def document_symbol(ls: HvlintServer, params: types.DocumentSymbolParams) -> list[types.DocumentSymbol]:
        model, lines = _model(ls.documents.get(params.text_document.uri))
        return outline.symbols(model, lines) if lines is not None else []

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    def definition(ls: HvlintServer, params: types.DefinitionParams) -> list[types.Location]:
        model, lines = _model(ls.documents.get(params.text_document.uri))
        if lines is None:
            return []
        span = outline.definition(model, lines, *lines.span_at(params.position))
        return [] if span is None else [types.Location(uri=params.text_document.uri, range=lines.range(span))]

    @server.feature(types.TEXT_DOCUMENT_REFERENCES)
    def references(ls: HvlintServer, params: types.ReferenceParams) -> list[types.Location]:
        model, lines = _model(ls.documents.get(params.text_document.uri))
        if lines is None:
            return []
        where = lines.span_at(params.position)
        spans = outline.references_to(model, lines, *where, params.context.include_declaration)
        return [types.Location(uri=params.text_document.uri, range=lines.range(span)) for span in spans]

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: HvlintServer, params: types.HoverParams) -> types.Hover | None:
        state = ls.documents.get(params.text_document.uri)
        if state is None or state.linted is None:
            return None
        model, good_lines = _model(state)
        lines = good_lines or state.linted.lines
        setup = state.linted.setup
        registry, config = (setup.registry, setup.config) if setup is not None else (None, None)
        where = lines.span_at(params.position)
        text = assist.hover_text(model, lines, *where, state.linted.findings, registry, config)
        if text is None:
            return None
        return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text))

    @server.feature(
        types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=["=", " ", "["])
    )
    def completion(ls: HvlintServer, params: types.CompletionParams) -> list[types.CompletionItem]:
        state = ls.documents.get(params.text_document.uri)
        text = ls.workspace.get_text_document(params.text_document.uri).source
        lines = Lines(text)
        before = text[: lines.offset(params.position)]
        return assist.completion_items(before, _model(state)[0])

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
    )
    def code_action(ls: HvlintServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        state = ls.documents.get(params.text_document.uri)
        if state is None or state.linted is None:
            return []
        by_fingerprint = {(f.fingerprint, f.code): f for f in state.linted.findings}
        actions: list[types.CodeAction] = []
        for diagnostic in params.context.diagnostics:
            finding = by_fingerprint.get((str(diagnostic.data), str(diagnostic.code)))
            if finding is not None:
                model = _model(state)[0]
                actions += assist.quick_fixes(
                    params.text_document.uri, state.linted.lines, model, diagnostic, finding
                )
        return actions

    @server.feature(types.TEXT_DOCUMENT_FORMATTING)
    def formatting(ls: HvlintServer, params: types.DocumentFormattingParams) -> list[types.TextEdit]:
        text = ls.workspace.get_text_document(params.text_document.uri).source
        return assist.formatting(Lines(text))


def serve(log_file: str | None = None, verbose: bool = False, config_file: str | None = None) -> int:
    """Runs the server over standard input and output until the client says `exit`."""
    level = logging.DEBUG if verbose else logging.WARNING
    if log_file:
        logging.basicConfig(filename=log_file, level=level, format="%(asctime)s %(name)s %(message)s")
    else:
        logging.basicConfig(level=level, format="hvlint server: %(message)s")
    server = make_server(config_file)
    # What was imported so far lives as long as the server: the collections between checks skip it
    gc.freeze()
    # pygls closes the streams it is given: give it copies, so that the command's own last flush works
    stdin, stdout = os.fdopen(os.dup(0), "rb"), os.fdopen(os.dup(1), "wb")
    with stdin, stdout, contextlib.suppress(SystemExit):
        server.start_io(stdin, stdout)
    return 0 if server.shut_down else 1
