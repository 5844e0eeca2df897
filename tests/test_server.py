"""`hvlint server` end to end (server.md): the real server as a subprocess, driven over standard input and
output by a real LSP client (pytest-lsp)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from hvlint import pipeline
from tests.server_client import SERVER_COMMAND, change_document, open_document, start

EMOJI_DOCUMENT = """cluster "C" {
  platform = ws2019
  host "H1" { processor = "intel-xeon-scalable"; memory = 64GiB; switches = ["S"] }
  vm "WEB\U0001f600" { host = H1; memory = 8GiB; state = bogus }
}
"""


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER_COMMAND))
async def client(lsp_client: LanguageClient, tmp_path: Path):
    (tmp_path / "hvlint.toml").write_text("", "utf-8")

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(_: types.RegistrationParams) -> None:
        return None

    await start(lsp_client, tmp_path)
    yield
    await lsp_client.shutdown_session()


def check_findings(path: Path):
    """What `hvlint check` reports for the file."""
    run = pipeline.check(pipeline.Options(paths=(str(path),), cache=False))
    return run.findings


def utf16_column(line: str, column: int) -> int:
    """The 0-based UTF-16 column of a 1-based code-point column."""
    return len(line[: column - 1].encode("utf-16-le")) // 2


@pytest.mark.asyncio
async def test_diagnostics_are_those_of_check_with_utf16_columns(client: LanguageClient, tmp_path: Path):
    path = tmp_path / "a.hvc"
    path.write_text(EMOJI_DOCUMENT, "utf-8")
    diagnostics = await open_document(client, path)
    findings = check_findings(path)
    lines = EMOJI_DOCUMENT.split("\n")
    expected = [
        (
            finding.line - 1,
            utf16_column(lines[finding.line - 1], finding.column),
            finding.end_line - 1,
            utf16_column(lines[finding.end_line - 1], finding.end_column),
            finding.code,
            finding.message,
            finding.fingerprint,
            {"error": 1, "warning": 2, "info": 3}[finding.severity],
        )
        for finding in findings
    ]
    got = [
        (
            d.range.start.line,
            d.range.start.character,
            d.range.end.line,
            d.range.end.character,
            d.code,
            d.message,
            d.data,
            d.severity,
        )
        for d in diagnostics
    ]
    assert got == expected
    invalid = next(d for d in diagnostics if d.code == "HV004")
    # `state = bogus` stands after an emoji: code-point column 48, but 49 UTF-16 units (0-based)
    assert (invalid.range.start.line, invalid.range.start.character, invalid.range.end.character) == (
        3,
        49,
        54,
    )
    assert all(d.source == "hvlint" for d in diagnostics)


@pytest.mark.asyncio
async def test_syntax_errors_then_a_fix_on_change(client: LanguageClient, tmp_path: Path):
    path = tmp_path / "b.hvc"
    path.write_text(EMOJI_DOCUMENT, "utf-8")
    await open_document(client, path)
    broken = EMOJI_DOCUMENT.replace("memory = 64GiB;", "memory = = 64GiB;")
    diagnostics = await change_document(client, path, broken, 2)
    assert [d.code for d in diagnostics] == ["HV001"]
    assert diagnostics[0].range.start.line == 2
    fixed = EMOJI_DOCUMENT.replace("state = bogus", "state = off")
    diagnostics = await change_document(client, path, fixed, 3)
    assert "HV004" not in [d.code for d in diagnostics] and diagnostics


@pytest.mark.asyncio
async def test_a_burst_of_changes_ends_with_the_last_ones_diagnostics(client: LanguageClient, tmp_path: Path):
    import asyncio

    path = tmp_path / "burst.hvc"
    await open_document(client, path, EMOJI_DOCUMENT)
    uri = path.as_uri()
    texts = [EMOJI_DOCUMENT.replace("bogus", "bogus" * n) for n in range(2, 6)]
    texts.append(EMOJI_DOCUMENT.replace("state = bogus", "state = off"))
    for version, text in enumerate(texts, start=2):
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )
    path.write_text(texts[-1], "utf-8")
    expected = sorted(f.code for f in check_findings(path))

    async def settled() -> None:
        while sorted(d.code for d in client.diagnostics.get(uri, [])) != expected:
            await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)

    await asyncio.wait_for(settled(), 60)
    assert "HV004" not in expected


@pytest.mark.asyncio
async def test_nul_bytes_and_lone_surrogates_get_hv001(client: LanguageClient, tmp_path: Path):
    path = tmp_path / "c.hvc"
    diagnostics = await open_document(client, path, 'cluster "C" {\x00 }\n')
    assert [d.code for d in diagnostics] == ["HV001"]


@pytest.mark.asyncio
async def test_configuration_change_reloads_and_rechecks(client: LanguageClient, tmp_path: Path):
    path = tmp_path / "d.hvc"
    path.write_text(EMOJI_DOCUMENT, "utf-8")
    before = await open_document(client, path)
    assert "HV102" in [d.code for d in before]
    config = tmp_path / "hvlint.toml"
    config.write_text('ignore = ["HV102"]\n', "utf-8")
    changed = types.DidChangeWatchedFilesParams(
        changes=[types.FileEvent(uri=config.as_uri(), type=types.FileChangeType.Changed)]
    )
    after = await _after(client, path, lambda: client.workspace_did_change_watched_files(changed))
    assert [d.code for d in after] == [d.code for d in before if d.code != "HV102"]
    config.write_text("select = [\n", "utf-8")
    saved = types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=config.as_uri()))
    broken = await _after(client, path, lambda: client.text_document_did_save(saved))
    assert len(broken) == 1 and broken[0].range.start.line == 0
    assert broken[0].message.startswith("configuration: ")
    assert any(message.type == types.MessageType.Error for message in client.messages)


async def _after(client: LanguageClient, path: Path, send):
    from tests.server_client import diagnostics_after

    return await diagnostics_after(client, path.as_uri(), send)


@pytest.mark.asyncio
async def test_a_raising_plugin_gives_hv000_and_the_server_goes_on(client: LanguageClient, tmp_path: Path):
    (tmp_path / "hvlint.toml").write_text('plugins = ["raising_rules"]\n', "utf-8")
    (tmp_path / "raising_rules.py").write_text(RAISING_PLUGIN, "utf-8")
    path = tmp_path / "e.hvc"
    path.write_text(EMOJI_DOCUMENT, "utf-8")
    diagnostics = await open_document(client, path)
    assert "HV000" in [d.code for d in diagnostics]
    again = await change_document(client, path, EMOJI_DOCUMENT.replace("bogus", "off"), 2)
    assert "HV000" in [d.code for d in again] and "HV004" not in [d.code for d in again]


RAISING_PLUGIN = '''
import hvlint


class Raises(hvlint.Rule):
    """Always raises."""

    code = "ZZ001"
    name = "always-raises"
    severity = "warning"
    summary = "raises"

    def check(self, ctx):
        raise RuntimeError("boom")


@hvlint.hookimpl
def hvlint_rules():
    return [Raises]
'''


@pytest.mark.asyncio
async def test_close_clears_the_diagnostics(client: LanguageClient, tmp_path: Path):
    path = tmp_path / "f.hvc"
    path.write_text(EMOJI_DOCUMENT, "utf-8")
    assert await open_document(client, path)
    closed = types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=path.as_uri()))
    assert await _after(client, path, lambda: client.text_document_did_close(closed)) == []


@pytest.mark.asyncio
async def test_a_two_megabyte_document(client: LanguageClient, tmp_path: Path):
    from tests.server_client import big_document

    path = tmp_path / "big.hvc"
    text = big_document(2_000_000) + EMOJI_DOCUMENT.replace('"C"', '"LAST"')
    diagnostics = await open_document(client, path, text)
    path.write_text(text, "utf-8")
    assert len(diagnostics) == len(check_findings(path))


def test_exit_without_shutdown_is_status_1():
    body = b'{"jsonrpc": "2.0", "method": "exit"}'
    message = b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
    done = subprocess.run(SERVER_COMMAND, input=message, capture_output=True, timeout=60)
    assert done.returncode == 1 and done.stdout == b""


def test_check_and_version_do_not_import_the_server():
    code = (
        "import sys; from hvlint.cli import main; main(['--version']);"
        "main(['check', '--no-cache', sys.argv[1]]);"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pygls', 'lsprotocol', 'cattrs')"
        " or m.startswith('hvlint.server')))"
    )
    example = str(Path(__file__).resolve().parent.parent / "examples" / "prod-ws2019.hvc")
    done = subprocess.run([sys.executable, "-c", code, example], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip().splitlines()[-1] == "[]"


FEATURES_DOCUMENT = """cluster "C" {
  platform = ws2019
  processor "own" { vendor = intel; features = [sse2] }
  network "LM" { roles = [live_migration]; bandwidth = 10Gbps }
  host "H1" { processor = own; memory = 64GiB; networks = [LM]; switches = ["S"] }
  host "H2" { processor = "intel-xeon-scalable"; memory = 64GiB; networks = [LM]; switches = ["S"] }
  vm "V1" { host = H1; memory = 24GiB; stat = off; possible_owners = [H1, H2] }  # hvlint: disable=HV101
}
"""


def _at(line: int, character: int) -> types.Position:
    return types.Position(line=line, character=character)


def _doc(path: Path) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri=path.as_uri())


@pytest.mark.asyncio
async def test_editing_help(client: LanguageClient, tmp_path: Path):
    path = tmp_path / "g.hvc"
    path.write_text(FEATURES_DOCUMENT, "utf-8")
    diagnostics = await open_document(client, path)
    doc = _doc(path)

    symbols = await client.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=doc))
    assert [(s.name, s.kind) for s in symbols] == [("C", types.SymbolKind.Namespace)]
    children = [(s.name, s.kind) for s in symbols[0].children]
    assert ("own", types.SymbolKind.Constant) in children and ("V1", types.SymbolKind.Object) in children

    host_of_v1 = FEATURES_DOCUMENT.split("\n")[6].index("H1;")
    found = await client.text_document_definition_async(
        types.DefinitionParams(text_document=doc, position=_at(6, host_of_v1 + 1))
    )
    assert [(loc.range.start.line, loc.range.start.character) for loc in found] == [(4, 7)]
    catalogue = FEATURES_DOCUMENT.split("\n")[5].index("intel-xeon")
    assert not await client.text_document_definition_async(
        types.DefinitionParams(text_document=doc, position=_at(5, catalogue + 2))
    )

    refs = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=doc, position=_at(4, 8), context=types.ReferenceContext(include_declaration=False)
        )
    )
    assert sorted((r.range.start.line, r.range.start.character) for r in refs) == [
        (6, host_of_v1),
        (6, FEATURES_DOCUMENT.split("\n")[6].index("H1,")),
    ]

    memory = FEATURES_DOCUMENT.split("\n")[6].index("24GiB")
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=doc, position=_at(6, memory + 1))
    )
    assert "25,769,803,776 bytes" in hover.contents.value
    hover = await client.text_document_hover_async(types.HoverParams(text_document=doc, position=_at(6, 6)))
    assert "V1*  H1 -> H2" in hover.contents.value
    stat = FEATURES_DOCUMENT.split("\n")[6].index("stat")
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=doc, position=_at(6, stat + 1))
    )
    assert "HV004" in hover.contents.value
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=doc, position=_at(5, catalogue + 2))
    )
    assert "vendor intel" in hover.contents.value
    hover = await client.text_document_hover_async(types.HoverParams(text_document=doc, position=_at(4, 8)))
    assert "runs 1 VMs: V1" in hover.contents.value

    typo = next(d for d in diagnostics if d.code == "HV004")
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=doc, range=typo.range, context=types.CodeActionContext(diagnostics=[typo])
        )
    )
    edits = {a.title: a.edit.changes[path.as_uri()][0].new_text for a in actions}
    assert edits["Replace with `state`"] == "state"
    assert edits["Suppress HV004 on this line"] == ",HV004"


@pytest.mark.asyncio
async def test_completion_and_formatting(client: LanguageClient, tmp_path: Path):
    path = tmp_path / "h.hvc"
    text = FEATURES_DOCUMENT.replace("stat = off;", "stat = off; state = ")
    await open_document(client, path, text)
    doc = _doc(path)
    line = text.split("\n")[6]
    items = await client.text_document_completion_async(
        types.CompletionParams(text_document=doc, position=_at(6, line.index("state = ") + len("state = ")))
    )
    labels = [item.label for item in (items.items if isinstance(items, types.CompletionList) else items)]
    assert labels == ["running", "off", "saved", "paused"]
    formatted = await client.text_document_formatting_async(
        types.DocumentFormattingParams(
            text_document=doc, options=types.FormattingOptions(tab_size=2, insert_spaces=True)
        )
    )
    assert not formatted  # a syntax error: left as it is
    path2 = tmp_path / "i.hvc"
    await open_document(client, path2, 'cluster "C" {\nplatform=ws2019\n}\n')
    formatted = await client.text_document_formatting_async(
        types.DocumentFormattingParams(
            text_document=_doc(path2), options=types.FormattingOptions(tab_size=2, insert_spaces=True)
        )
    )
    assert formatted and "  platform = ws2019" in formatted[0].new_text


@pytest.mark.skipif(shutil.which("nvim") is None, reason="Neovim is not installed (apt-get install neovim)")
def test_neovim_shows_the_diagnostics(tmp_path: Path):
    path = tmp_path / "n.hvc"
    path.write_text(EMOJI_DOCUMENT, "utf-8")
    (tmp_path / "hvlint.toml").write_text("", "utf-8")
    out = tmp_path / "diagnostics.txt"
    script = Path(__file__).resolve().parent / "server_nvim.lua"
    env = {**os.environ, "HVLINT_FILE": str(path), "HVLINT_OUT": str(out), "HVLINT_PYTHON": sys.executable}
    command = ["nvim", "--headless", "--clean", "-c", f"luafile {script}"]
    subprocess.run(command, env=env, timeout=120, capture_output=True, check=False)
    lines = EMOJI_DOCUMENT.split("\n")
    expected = sorted(
        # Neovim turns LSP's UTF-16 columns into byte columns: the emoji before HV004 is 2 units, 4 bytes
        f"{f.line - 1} {len(lines[f.line - 1][: f.column - 1].encode('utf-8'))} {f.code}"
        for f in check_findings(path)
    )
    assert out.read_text("utf-8").split("\n")[: len(expected)] == expected


@pytest.mark.asyncio
async def test_an_unknown_method_is_method_not_found(client: LanguageClient):
    from pygls.exceptions import JsonRpcMethodNotFound

    with pytest.raises(JsonRpcMethodNotFound):
        await client.protocol.send_request_async("hvlint/noSuchMethod", {})


def test_without_pygls_the_server_says_what_to_install(tmp_path: Path):
    shadow = tmp_path / "pygls"
    shadow.mkdir()
    (shadow / "__init__.py").write_text("raise ImportError('No module named pygls')\n", "utf-8")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    done = subprocess.run(SERVER_COMMAND, input=b"", capture_output=True, env=env, timeout=60)
    assert done.returncode == 2 and done.stdout == b""
    message = done.stderr.decode("utf-8")
    assert "No module named pygls" in message and "pip install 'pygls>=2,<3' lsprotocol" in message
    assert "internal error" not in message
