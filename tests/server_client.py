"""Helpers for tests/test_server.py: a real LSP client (pytest-lsp) talking to `hvlint server` over
standard input and output, and what it needs to open documents and wait for their diagnostics."""

from __future__ import annotations

import sys
from pathlib import Path

from lsprotocol import types
from pytest_lsp import LanguageClient

SERVER_COMMAND = [sys.executable, "-m", "hvlint", "server"]

CAPABILITIES = types.ClientCapabilities(
    workspace=types.WorkspaceClientCapabilities(
        did_change_watched_files=types.DidChangeWatchedFilesClientCapabilities(dynamic_registration=True)
    ),
    text_document=types.TextDocumentClientCapabilities(
        publish_diagnostics=types.PublishDiagnosticsClientCapabilities(version_support=True)
    ),
)


async def start(client: LanguageClient, root: Path) -> None:
    """The initialize handshake, with `root` as the workspace."""
    await client.initialize_session(
        types.InitializeParams(
            capabilities=CAPABILITIES,
            root_uri=root.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name="root")],
        )
    )


async def diagnostics_after(client: LanguageClient, uri: str, send) -> list[types.Diagnostic]:
    """Sends what `send` sends, then waits for the diagnostics published for `uri`."""
    client.diagnostics.pop(uri, None)
    send()
    while uri not in client.diagnostics:
        await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return list(client.diagnostics[uri])


async def open_document(
    client: LanguageClient, path: Path, text: str | None = None
) -> list[types.Diagnostic]:
    """Opens `path` (with `text`, else its content) and returns its first diagnostics."""
    uri = path.as_uri()
    item = types.TextDocumentItem(
        uri=uri, language_id="hvc", version=1, text=path.read_text("utf-8") if text is None else text
    )
    params = types.DidOpenTextDocumentParams(text_document=item)
    return await diagnostics_after(client, uri, lambda: client.text_document_did_open(params))


async def change_document(
    client: LanguageClient, path: Path, text: str, version: int
) -> list[types.Diagnostic]:
    """Replaces the whole text of an open document and returns its next diagnostics."""
    uri = path.as_uri()
    params = types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
    )
    return await diagnostics_after(client, uri, lambda: client.text_document_did_change(params))


def big_document(size: int) -> str:
    """A file of about `size` characters: clusters of four hosts and twenty VMs each, as many as fit."""
    parts: list[str] = []
    total = 0
    index = 0
    while total < size:
        hosts = "".join(
            f'  host "H{index}-{n}" {{ processor = "intel-xeon-scalable"; memory = 512GiB; '
            'switches = ["S"] }\n'
            for n in range(4)
        )
        vms = "".join(
            f'  vm "V{index}-{n}" {{ host = H{index}-{n % 4}; memory = 4GiB; dirty_rate = 5MB/s; '
            'adapters = ["S"] }\n'
            for n in range(20)
        )
        cluster = (
            f'cluster "C{index}" {{\n  platform = ws2019\n  failover_clustering = true\n'
            f'  network "LM" {{ roles = [live_migration]; bandwidth = 10Gbps }}\n{hosts}{vms}}}\n'
        )
        parts.append(cluster)
        total += len(cluster)
        index += 1
    return "".join(parts)
