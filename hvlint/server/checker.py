"""One open document's findings, through the same pipeline functions as `hvlint check`, so that the
editor shows what the command line reports for the same text, path and configuration (server.md)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from lsprotocol import types

from hvlint import pipeline
from hvlint.errors import HvlintError
from hvlint.server.text import Lines

if TYPE_CHECKING:
    from hvlint.checking import Source
    from hvlint.config import Config
    from hvlint.engine import Linter
    from hvlint.findings import Finding
    from hvlint.language.document import Document
    from hvlint.language.model import Model
    from hvlint.plugins import Registry

SEVERITIES = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "info": types.DiagnosticSeverity.Information,
}
SOURCE = "hvlint"


class Setup(NamedTuple):
    """What checks the documents under one configuration file: the configuration, its rules and linter."""

    config: Config
    registry: Registry
    linter: Linter


class Linted(NamedTuple):
    """A document's check: its parse, its findings and their diagnostics, the text's lines and the setup
    that checked it, or the configuration error that stopped it."""

    document: Document | None
    findings: list[Finding]
    diagnostics: list[types.Diagnostic]
    lines: Lines
    setup: Setup | None = None
    config_error: str | None = None


def diagnostic(lines: Lines, finding: Finding) -> types.Diagnostic:
    """The LSP diagnostic of a finding: its range in UTF-16 units, severity, code, message, fingerprint."""
    from hvlint.language.syntax import Span

    span = Span(finding.line, finding.column, finding.end_line, finding.end_column)
    return types.Diagnostic(
        range=lines.range(span),
        message=finding.message,
        severity=SEVERITIES.get(finding.severity, types.DiagnosticSeverity.Error),
        code=finding.code,
        source=SOURCE,
        data=finding.fingerprint,
    )


def config_diagnostic(lines: Lines, message: str) -> types.Diagnostic:
    """A configuration error, shown at line 1 of a document."""
    return _first_line(lines, f"configuration: {message}", None)


def failed(text: str, error: Exception) -> Linted:
    """What a check that raised shows: one HV000 diagnostic at line 1, so that the editor does not keep
    showing findings of an older text as if they were current."""
    lines = Lines(text)
    message = f"hvlint could not check this document: {type(error).__name__}: {error}"
    return Linted(None, [], [_first_line(lines, message, "HV000")], lines)


def _first_line(lines: Lines, message: str, code: str | None) -> types.Diagnostic:
    return types.Diagnostic(
        range=types.Range(start=types.Position(line=0, character=0), end=lines.position(1, 1 << 30)),
        message=message,
        severity=types.DiagnosticSeverity.Error,
        code=code,
        source=SOURCE,
    )


class Checker:
    """Checks documents by path: the configuration discovered from each path as `check` discovers it,
    each configuration's plugins loaded once, and each file's `HEAD` content as HV403's base."""

    def __init__(self, warn: Callable[[str], None], config_file: str | None = None) -> None:
        self._warn = warn
        self._config_file = config_file
        self._setups: dict[str | None, Setup] = {}
        self._bases: dict[str, Model | None] = {}
        self._warned: set[str] = set()

    def reload(self) -> None:
        """Forgets every configuration, plugin set and base: the next check reads them again."""
        self._setups.clear()
        self._bases.clear()
        self._warned.clear()

    def warn_once(self, message: str) -> None:
        """Tells the user `message`, once until the next reload."""
        if message not in self._warned:
            self._warned.add(message)
            self._warn(message)

    def setup(self, path: str) -> Setup:
        """The configuration, rules and linter that check `path`; HvlintError when the configuration is
        wrong."""
        config = pipeline.load_configuration(self._config_file, path)
        known = self._setups.get(config.file)
        if known is not None:
            return known
        configured = pipeline.Configured(config, config.with_command_line(None, None, None))
        registry = self._registry(configured.effective)
        linter = pipeline.make_linter(registry, configured, pipeline.Options())
        made = self._setups[config.file] = Setup(configured.effective, registry, linter)
        return made

    def setup_or_none(self, path: str) -> Setup | None:
        """`setup`, or None when the configuration is wrong."""
        try:
            return self.setup(path)
        except HvlintError:
            return None

    def _registry(self, config: Config) -> Registry:
        from hvlint.plugins import load_plugins

        try:
            return pipeline.load_rules(config)
        except HvlintError as error:
            self.warn_once(f"hvlint: a plugin failed to load, its rules do not run: {error}")
            return load_plugins((), None)

    def base(self, path: str) -> Model | None:
        """The model of the file at `HEAD` of its git repository, or None (no repository, a new file)."""
        if path not in self._bases:
            self._bases[path] = _head_model(path)
        return self._bases[path]

    def check(self, path: str, text: str) -> Linted:
        """The findings and diagnostics of `text` as the file `path`."""
        lines = Lines(text)
        try:
            setup = self.setup(path)
        except HvlintError as error:
            message = str(error)
            self.warn_once(f"hvlint: {message}")
            return Linted(None, [], [config_diagnostic(lines, message)], lines, config_error=message)
        source = _source(path, text)
        document, _ = pipeline.parse_and_resolve(source)
        checked = pipeline.lint_document(setup.linter, document, self.base(path))
        findings = sorted(checked.findings, key=lambda finding: finding.sort_key())
        return Linted(document, findings, [diagnostic(lines, finding) for finding in findings], lines, setup)


def _source(path: str, text: str) -> Source:
    from hvlint.checking import Source

    return Source(path, text.encode("utf-8", "surrogatepass"))


def _head_model(path: str) -> Model | None:
    from hvlint.gitbase import GitBase
    from hvlint.language.document import load

    try:
        data = GitBase("HEAD").read(path)
    except (HvlintError, OSError):
        return None
    return None if data is None else load(data, path).model
