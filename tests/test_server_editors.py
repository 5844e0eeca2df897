"""The editor configurations of docs/integrations.md (server.md, "Tests and documentation"): Emacs with
eglot, driven in batch with the configuration as written, shows `hvlint server`'s findings; the Helix and
VS Code configurations, which cannot run here, use only the keys those editors document."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_server import EMOJI_DOCUMENT, check_findings

ROOT = Path(__file__).resolve().parent.parent
DRIVER = Path(__file__).resolve().parent / "server_eglot.el"
EMACS = shutil.which("emacs")
BIN = str(Path(sys.executable).parent)
FLYMAKE_TYPES = {"error": "eglot-error", "warning": "eglot-warning", "info": "eglot-note"}
EGLOT_MISSING = 3


def snippet(heading: str, language: str) -> str:
    """The first `language` code block of the section `heading` of docs/integrations.md's language server
    part."""
    docs = (ROOT / "docs" / "integrations.md").read_text("utf-8")
    server_part = docs.split("\n## Language server (`hvlint server`)\n", 1)[1]
    section = server_part.split(f"\n{heading}\n", 1)[1].split("\n### ", 1)[0]
    match = re.search(rf"```{language}\n(.*?)```", section, re.S)
    assert match, f"docs/integrations.md should give a {language} block under {heading}"
    return match.group(1)


def eglot_configuration() -> str:
    """The Emacs Lisp of docs/integrations.md's eglot section."""
    return snippet("### Emacs (eglot)", "elisp")


# The keys of Helix's `[[language]]` and `[language-server.NAME]` tables, from its book/src/languages.md
# and helix-core/src/syntax/config.rs (master, July 2026); the first three of a language are required.
HELIX_LANGUAGE_REQUIRED = {"name", "scope", "file-types"}
HELIX_LANGUAGE_KEYS = HELIX_LANGUAGE_REQUIRED | {
    "language-id", "injection-regex", "shebangs", "roots", "auto-format", "diagnostic-severity",
    "comment-tokens", "comment-token", "block-comment-tokens", "indent", "language-servers", "grammar",
    "formatter", "soft-wrap", "text-width", "rulers", "path-completion", "word-completion",
    "workspace-lsp-roots", "persistent-diagnostic-sources", "rainbow-brackets", "code-actions-on-save",
    "debugger", "auto-pairs",
}  # fmt: skip
HELIX_SERVER_KEYS = {"command", "args", "config", "timeout", "environment", "required-root-patterns"}

# The settings *Generic LSP Client (v2)* (zsol.vscode-glspc 0.2.1) declares in its package.json, with
# their JSON types, and VS Code's own `files.associations`.
VSCODE_SETTINGS = {
    "files.associations": dict,
    "glspc.server.command": str,
    "glspc.server.commandArguments": list,
    "glspc.server.languageId": list,
    "glspc.server.environmentVariables": dict,
    "glspc.server.initializationOptions": dict,
    "glspc.trace.server": str,
}


def test_the_helix_configuration_uses_helix_keys_and_runs_hvlint_server():
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    config = tomllib.loads(snippet("### Helix", "toml"))
    (language,) = config["language"]
    assert HELIX_LANGUAGE_REQUIRED <= set(language) <= HELIX_LANGUAGE_KEYS
    assert language["file-types"] == ["hvc"] and language["comment-tokens"] == "#"
    servers = config["language-server"]
    assert set(language["language-servers"]) <= set(servers)
    for server in servers.values():
        assert set(server) <= HELIX_SERVER_KEYS
        assert [server["command"], *server["args"]] == ["hvlint", "server"]


def test_the_vscode_configuration_uses_the_extension_settings():
    import json

    settings = json.loads(snippet("### VS Code", "json"))
    assert set(settings) <= set(VSCODE_SETTINGS)
    assert all(isinstance(value, VSCODE_SETTINGS[key]) for key, value in settings.items())
    assert [settings["glspc.server.command"], *settings["glspc.server.commandArguments"]] == [
        "hvlint",
        "server",
    ]
    assert settings["files.associations"]["*.hvc"] in settings["glspc.server.languageId"]


@pytest.mark.skipif(EMACS is None, reason="Emacs is not installed (apt-get install emacs-nox elpa-eglot)")
@pytest.mark.skipif(
    shutil.which("hvlint", path=BIN) is None, reason=f"no `hvlint` command beside {sys.executable}"
)
def test_emacs_eglot_shows_the_diagnostics(tmp_path: Path):
    path = tmp_path / "n.hvc"
    path.write_text(EMOJI_DOCUMENT, "utf-8")
    (tmp_path / "hvlint.toml").write_text("", "utf-8")
    config = tmp_path / "hvlint-eglot.el"
    config.write_text(eglot_configuration(), "utf-8")
    out = tmp_path / "diagnostics.txt"
    env = {
        **os.environ,
        "PATH": BIN + os.pathsep + os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "HVLINT_CONFIG": str(config),
        "HVLINT_FILE": str(path),
        "HVLINT_OUT": str(out),
    }
    assert EMACS is not None
    done = subprocess.run(
        [EMACS, "--batch", "-l", str(DRIVER)], env=env, cwd=tmp_path, timeout=120, capture_output=True
    )
    if done.returncode == EGLOT_MISSING:
        pytest.skip("eglot cannot be loaded (Emacs 29 has it; on Emacs 28: apt-get install elpa-eglot)")
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    shown = []
    for line in out.read_text("utf-8").splitlines():
        row, column, kind, text = line.split(" ", 3)
        code = re.search(r"\[(HV\d{3})\]", text)
        shown.append((int(row), int(column), kind, code.group(1) if code else text))
    expected = sorted(
        # Emacs counts columns in characters: the emoji before HV004 is one, where LSP counted two units
        (f.line - 1, f.column - 1, FLYMAKE_TYPES[f.severity], f.code)
        for f in check_findings(path)
    )
    assert sorted(shown) == expected
    assert any(code == "HV004" and column == 48 for _, column, _, code in shown)
