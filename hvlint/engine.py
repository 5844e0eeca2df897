"""The engine: runs every enabled rule on a file's model, each isolated, and applies suppressions,
selection, severities and per-file ignores to what they find."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from fnmatch import fnmatchcase

from hvlint import pure_paths
from hvlint.config import Config, ConfigError, rule_settings
from hvlint.diagnostics import INTERNAL_ERROR, RULE_RAISED, RULE_TIMED_OUT, UNUSED_SUPPRESSION
from hvlint.files import match_names, relative_to_root
from hvlint.findings import LANGUAGE_CODES, SEVERITIES, Finding
from hvlint.hashing import sha256
from hvlint.language.document import Document
from hvlint.language.model import Model, Node
from hvlint.language.syntax import Span
from hvlint.lean_typing import NamedTuple
from hvlint.plugin_output import printed_to_stderr
from hvlint.plugins import BUILTIN, Registry, RuleInfo
from hvlint.records import Record
from hvlint.regex import compiled
from hvlint.rule import Context, RuleFinding, ancestors
from hvlint.rule_guard import RuleExit, RuleTimeout, budget, rules_guarded
from hvlint.shown import shown, shown_message
from hvlint.suppressions import Suppressions, parse_suppressions, unused

_MAGNITUDE = compiled(r"(?<![\w.-])\d+(?:\.\d+)?[A-Za-z/%]*")
"""Numbers and quantities in a message ("16.4s", "runs 2 VMs", "first at line 12"), which a fingerprint
leaves out: it changes with the objects and facts a finding names, not with a magnitude or a line."""


class _Found(NamedTuple):
    """A finding before fingerprints and paths are added."""

    span: Span
    code: str
    name: str
    severity: str
    message: str
    subject: str | None = None


class FileResult(Record):
    """What checking one file gave: its findings, and the tracebacks of rules that raised (HV000)."""

    __match_args__ = ("path", "findings", "tracebacks")
    __slots__ = __match_args__
    path: str
    findings: list[Finding]
    tracebacks: list[str]

    def __init__(
        self, path: str, findings: list[Finding] | None = None, tracebacks: list[str] | None = None
    ) -> None:
        self.path = path
        self.findings = [] if findings is None else findings
        self.tracebacks = [] if tracebacks is None else tracebacks

    @property
    def internal_error(self) -> bool:
        """Whether a rule raised while checking the file."""
        return bool(self.tracebacks)


def _longest_prefix(code: str, prefixes: Iterable[str]) -> int:
    return max((len(prefix) for prefix in prefixes if code.startswith(prefix)), default=-1)


def is_selected(code: str, config: Config, ignored_here: Iterable[str] = ()) -> bool:
    """Whether the rule `code` runs: the most specific matching prefix of `select` (every rule when unset)
    and of the ignores decides, an ignore winning a tie."""
    select = config.select if config.select is not None else ("",)
    ignore = (*config.ignore, *ignored_here)
    chosen = _longest_prefix(code, select)
    return chosen >= 0 and chosen > _longest_prefix(code, ignore)


def per_file_ignores(config: Config, path: str) -> tuple[str, ...]:
    """The codes and prefixes `[per-file-ignores]` ignores for `path` (matched relative to the
    configuration's directory, or as given)."""
    if not config.per_file_ignores:
        return ()
    candidates = match_names(path, config.directory)
    ignored: list[str] = []
    for pattern, codes in config.per_file_ignores.items():
        if any(fnmatchcase(candidate, pattern) for candidate in candidates):
            ignored.extend(codes)
    return tuple(ignored)


def all_nodes(model: Model) -> Iterator[Node]:
    """Every object of the model: processors, clusters and all they hold, standalone hosts and their VMs."""
    yield from model.processors
    for cluster in model.clusters:
        yield cluster
        yield from cluster.processors
        yield from cluster.networks
        yield from cluster.storage
        for host in cluster.hosts:
            yield host
            if host.processor is not None and host.processor.name == host.name:
                yield host.processor
        yield from cluster.vms
    for host in model.hosts:
        yield host
        if host.processor is not None and host.processor.name == host.name:
            yield host.processor
        yield from host.vms


def attribute_lines(model: Model) -> frozenset[int]:
    """The lines on which some attribute of the model stands (from its key to the end of its value)."""
    lines: set[int] = set()
    for node in all_nodes(model):
        positions = node.positions
        keys, values = positions.keys, positions.values
        for name in keys:
            end = values[name].end_line if name in values else keys[name].end_line
            lines.update(range(keys[name].line, end + 1))
    return frozenset(lines)


def _check_rule_tables(registry: Registry, config: Config) -> None:
    """`[rules.CODE]` and `[severity]` may only name rules a loaded plugin provides, and the severity of
    HV000-HV004 cannot change: ConfigError otherwise."""
    for table, codes in (("rules", config.rules), ("severity", config.severity)):
        for code in codes:
            if code not in registry.rules:
                raise ConfigError(f"{config.file}: `{table}.{code}`: no loaded plugin provides rule {code}")
    for code in config.severity:
        if code in LANGUAGE_CODES:
            raise ConfigError(f"{config.file}: `severity.{code}`: the severity of {code} cannot be changed")


def _run_rule(info: RuleInfo, ctx: Context) -> list[tuple[RuleFinding, str]]:
    """Every finding of one rule with the description of its object, each checked to be what
    `ctx.finding` makes (TypeError or ValueError otherwise, which the caller reports as HV000 like any
    other exception of the rule)."""
    findings = []
    for item in info.rule().check(ctx):
        if not isinstance(item, RuleFinding):
            raise TypeError(f"check() yielded {type(item).__name__} {item!r:.60}, not ctx.finding(...)")
        if item.severity is not None and item.severity not in SEVERITIES:
            raise ValueError(f"finding severity {item.severity!r} is not one of {', '.join(SEVERITIES)}")
        findings.append((item, _well_formed(item)))
    return findings


def _text_of(error: BaseException) -> str:
    """An exception's text, even when its `__str__` raises."""
    try:
        return str(error)
    except Exception:
        return "(its message could not be turned into text)"


def _well_formed(item: RuleFinding) -> str:
    """The description of a finding's object, once its node, span and message are checked to be of
    their types (a RuleFinding made by hand may hold anything)."""
    if not isinstance(item.message, str):
        raise TypeError(f"finding message is {type(item.message).__name__}, not str")
    if not isinstance(item.node, Node):
        raise TypeError(f"finding node is {type(item.node).__name__}, not a model object")
    span = item.span
    if not isinstance(span, Span) or not all(type(value) is int and value >= 1 for value in span):
        raise TypeError(f"finding span is {span!r:.60}, not a Span of positive line and column numbers")
    subject = item.node.describe()
    if not isinstance(subject, str):
        raise TypeError(f"finding node describes itself as {type(subject).__name__}, not str")
    return subject


LONG_LINE = 1000
"""A line longer than this stands in a fingerprint by its digest rather than its text."""


class _LineTexts:
    """The text each line contributes to a fingerprint, worked out once per line: 40,000 findings on one
    0.75 MB line each stripped and hashed the whole line (62 s). A line of more than LONG_LINE
    characters contributes its SHA-256 instead (shorter lines keep their fingerprints)."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.known: dict[int, str] = {}

    def get(self, line: int) -> str:
        """The stripped text of `line` (1-based; empty outside the file), or its digest when long."""
        text = self.known.get(line)
        if text is None:
            text = self.lines[line - 1].strip() if 0 < line <= len(self.lines) else ""
            if len(text) > LONG_LINE:
                text = "sha256:" + sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
            self.known[line] = text
        return text


class Linter:
    """Checks documents with the rules of a registry under one configuration."""

    def __init__(self, registry: Registry, config: Config, command: str = "check") -> None:
        self.registry = registry
        self.config = config
        self.command = command
        """The command whose rules run (`Rule.command`): a suppression of another command's code is
        neither used nor unused here."""
        _check_rule_tables(registry, config)
        self._settings = {
            info.code: rule_settings(config, info.code, info.rule.settings)
            for info in registry.rules.values()
        }

    def rules_for(self, path: str) -> list[RuleInfo]:
        """The rules of the linter's command that run on `path`: selected, not ignored for it, not a
        language code."""
        ignored = per_file_ignores(self.config, path)
        return [
            info
            for info in self.registry.sorted_rules()
            if info.code not in LANGUAGE_CODES
            and info.rule.command == self.command
            and is_selected(info.code, self.config, ignored)
        ]

    def check(
        self, document: Document, base: Model | None = None, shared: Mapping[object, object] | None = None
    ) -> FileResult:
        """The findings for one document, sorted by position and code. `shared` seeds what the rules share
        for the file (`Context.shared`), when the caller computed some of it already."""
        result = FileResult(document.path)
        lines = document.text.split("\n")
        raw = [
            _Found(
                problem.span,
                problem.code,
                problem.diagnostic.name,
                problem.diagnostic.severity,
                problem.message,
                problem.subject,
            )
            for problem in document.problems
        ]
        if not document.has_syntax_errors:
            raw.extend(self._run_rules(document, base, result, dict(shared or {})))
        result.findings = self._finish(document.path, self.canonical_path(document.path), raw, lines)
        return result

    def _run_rules(
        self, document: Document, base: Model | None, result: FileResult, shared: dict[object, object]
    ) -> list[_Found]:
        rules = self.rules_for(document.path)
        found: list[_Found] = []
        suppressions = parse_suppressions(document.comments)
        attribute_lines_ = attribute_lines(document.model) if suppressions.items else frozenset()
        with rules_guarded() as timed:
            for info in rules:
                ctx = Context(document.model, base, self.config, self._settings[info.code], shared)
                rule_findings = self._run_guarded(info, ctx, document.path, result, timed)
                if isinstance(rule_findings, _Found):
                    found.append(rule_findings)
                    continue
                self._add_findings(found, info, rule_findings, suppressions, attribute_lines_)
        ran = {info.code for info in rules}
        code, name = UNUSED_SUPPRESSION.code, UNUSED_SUPPRESSION.name
        if code in ran:
            severity = self.config.severity.get(code, UNUSED_SUPPRESSION.severity)
            for span, message in unused(suppressions, self.registry.known, ran.__contains__, LANGUAGE_CODES):
                found.append(_Found(span, code, name, severity, message))
        return found

    def _run_guarded(
        self, info: RuleInfo, ctx: Context, path: str, result: FileResult, timed: bool
    ) -> list[tuple[RuleFinding, str]] | _Found:
        """One rule's findings, or the HV000 that says it raised, exited or ran past `rule_timeout` (its
        traceback kept in `result`)."""
        timeout = self.config.rule_timeout
        try:
            with budget(timeout, timed):
                if info.plugin == BUILTIN:
                    return _run_rule(info, ctx)
                with printed_to_stderr(info.plugin):
                    return _run_rule(info, ctx)
        except RuleTimeout:
            result.tracebacks.append(_traceback())
            message = RULE_TIMED_OUT.format(
                code=info.code, name=info.rule.name, plugin=info.plugin, timeout=f"{timeout:g}", path=path
            )
        except (Exception, SystemExit, GeneratorExit, RuleExit) as error:  # a plugin's exit must not end it
            result.tracebacks.append(_traceback())
            message = RULE_RAISED.format(
                code=info.code,
                name=info.rule.name,
                plugin=info.plugin,
                error_type=type(error).__name__,
                error=_text_of(error),
            )
        diagnostic = INTERNAL_ERROR
        return _Found(Span(1, 1, 1, 2), diagnostic.code, diagnostic.name, diagnostic.severity, message)

    def _add_findings(
        self,
        found: list[_Found],
        info: RuleInfo,
        rule_findings: list[tuple[RuleFinding, str]],
        suppressions: Suppressions,
        attribute_lines_: frozenset[int],
    ) -> None:
        for item, subject in rule_findings:
            if suppressions.items and self._suppressed(suppressions, info.code, item, attribute_lines_):
                continue
            severity = self.config.severity.get(info.code) or item.severity or info.rule.severity
            found.append(_Found(item.span, info.code, info.rule.name, severity, item.message, subject))

    @staticmethod
    def _suppressed(suppressions: Suppressions, code: str, item: RuleFinding, lines: frozenset[int]) -> bool:
        headers = (node.span.line for node in ancestors(item.node))
        return suppressions.suppress(code, item.span.line, headers, lines)

    def canonical_path(self, path: str) -> str:
        """The path as fingerprints name it: relative to the configuration's directory with forward
        slashes when the file lies below it, so that `hvlint check .` and an absolute path agree."""
        if path == "-":
            return path
        return relative_to_root(path, self.config.directory) or pure_paths.as_posix(path)

    @staticmethod
    def _finish(path: str, canonical: str, raw: list[_Found], lines: list[str]) -> list[Finding]:
        findings = []
        seen: dict[str, int] = {}
        line_texts = _LineTexts(lines)
        for span, code, name, severity, message, subject in sorted(
            raw, key=lambda found: (found.span.line, found.span.column, found.code, found.message)
        ):
            line_text = line_texts.get(span.line)
            facts = _MAGNITUDE.sub("#", message)
            key = f"{canonical}\0{code}\0{subject or ''}\0{line_text}\0{facts}"
            occurrence = seen.get(key, 0)
            seen[key] = occurrence + 1
            fingerprint = sha256(f"{key}\0{occurrence}".encode()).hexdigest()[:32]
            findings.append(
                Finding(
                    path,
                    span.line,
                    span.column,
                    span.end_line,
                    span.end_column,
                    code,
                    name,
                    severity,
                    shown_message(message),
                    shown(subject) if subject is not None else None,
                    fingerprint,
                )
            )
        return findings


def _traceback() -> str:
    """The traceback of the exception being handled (traceback is imported only when a rule raised)."""
    import traceback

    return traceback.format_exc()
