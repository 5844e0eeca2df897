"""`hvlint server` end to end (server.md): the real server as a subprocess, driven over standard input and
output by a real LSP client (pytest-lsp)."""

from __future__ import annotations

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
