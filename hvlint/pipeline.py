"""The stages every command runs, named after the data they make:

    configure -> read_sources -> parse_and_resolve -> lint (run the rules, through the result cache)
    -> refine (sort, baseline) -> report

`check` and `estimate` are the stages in a row, for the command line; a front door that holds its documents
itself (an editor's server) calls `parse_and_resolve` and `lint_document` on them. (Parsing and resolving
are one stage while `hvlint.language.document.load` joins them.) Every stage takes the typed
`Options` of the run, never the command line's arguments, and reports what went wrong as data (`Run.errors`,
`Run.warnings`): printing it and choosing the exit status is the caller's job.

Imports are made inside the stages that need them, so that a run the result cache answers imports neither
the parser nor a plugin (docs/performance.md). For the same reason the records here are NamedTuples and
plain classes, not dataclasses: importing `dataclasses` (and with it `inspect`) would add 15 ms, a fifth
of a warm run.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence

from hvlint.errors import UsageError
from hvlint.run_options import Configured, Options, ReportOptions

TYPE_CHECKING = False
if TYPE_CHECKING:
    from hvlint.baseline import Baseline
    from hvlint.cache import ResultCache
    from hvlint.checking import Checked, Source
    from hvlint.config import Config
    from hvlint.engine import Linter
    from hvlint.estimated import Estimated
    from hvlint.estimator import VMEstimate
    from hvlint.findings import Finding
    from hvlint.gitbase import GitBase
    from hvlint.language.document import Document
    from hvlint.language.model import Model
    from hvlint.plugins import Registry
    from hvlint.reporters import BaselineCounts, RuleMeta


class Run:
    """What a run found, and what it could not do; each stage fills in its part."""

    __slots__ = (
        "baseline",
        "cache",
        "checked",
        "configured",
        "errors",
        "findings",
        "registry",
        "tracebacks",
        "warnings",
    )

    def __init__(self, configured: Configured) -> None:
        self.configured = configured
        self.findings: list[Finding] = []
        """Sorted by path, line, column and code; without those a baseline hides."""
        self.checked: list[Checked] = []
        self.errors: list[str] = []
        """What makes the exit status 2 without stopping the run (an unreadable path or base)."""
        self.warnings: list[str] = []
        """What the user should know but does not fail the run (a directory without .hvc files)."""
        self.tracebacks: list[str] = []
        """Of the rules that raised (HV000): the exit status is 2."""
        self.registry: Registry | None = None
        """The plugins, when the run loaded them (a run the cache answers does not)."""
        self.cache: ResultCache | None = None
        self.baseline: BaselineCounts | None = None

    @property
    def config(self) -> Config:
        """The effective configuration."""
        return self.configured.effective

    @property
    def troubled(self) -> bool:
        """Whether hvlint could not do all its job: a path or base it could not read, a rule that raised."""
        return bool(self.errors or self.tracebacks)

    @property
    def failed(self) -> bool:
        """Whether some finding is at or above the configuration's `fail_on`."""
        from hvlint.findings import at_or_above

        return any(at_or_above(finding.severity, self.config.fail_on) for finding in self.findings)


# -- configure -------------------------------------------------------------------------------------------


def load_configuration(config_file: str | None, start: str | None, cached: bool = False) -> Config:
    """The configuration file named, else the one discovered from `start` (a path; the current directory
    when None or `-`), else the defaults; when `cached`, its TOML as the result cache keeps it parsed."""
    from hvlint import config

    if config_file:
        if not os.path.isfile(config_file):
            raise UsageError(f"--config {config_file}: no such file")
        return config.load(config_file, cached)
    return config.load(config.discover(start if start and start != "-" else os.getcwd()), cached)


def configure(options: Options, select: tuple[str, ...] | None = None, cached: bool = False) -> Configured:
    """The configuration of the run: discovered from its first path (from `--stdin-filename` for `-`), then
    the options applied; `select` replaces the options' (`estimate` runs HV5 alone). `cached`: its TOML as
    the result cache keeps it parsed (a check whose cache is on)."""
    paths = options.given_paths
    if paths.count("-") > 1:
        raise UsageError("`-` (standard input) may be given once")
    first = options.stdin_filename if paths[0] == "-" and options.stdin_filename else paths[0]
    file = load_configuration(options.config_file, first, cached)
    effective = file.with_command_line(
        select if select is not None else options.select, options.ignore, options.fail_on
    )
    return Configured(file, effective)


def load_rules(config: Config) -> Registry:
    """Every plugin's rules: hvlint's own, installed plugins' and the configuration's modules."""
    from hvlint.plugins import load_plugins

    return load_plugins(config.plugins, config.plugin_directory)


# -- selection: every code or prefix must name a loaded rule ---------------------------------------------


def unknown_selectors(registry: Registry, codes: Sequence[str]) -> list[str]:
    """The codes and prefixes in `codes` that match no rule of `registry`."""
    known = list(registry.rules)
    return [code for code in codes if not any(rule.startswith(code) for rule in known)]


def check_selectors(
    registry: Registry, configured: Configured, options: Options, command: str = "check"
) -> None:
    """Refuses (UsageError) a code or prefix that matches no loaded rule, wherever it is given: `--select`,
    `--ignore`, and the file's `select`, `ignore` and `[per-file-ignores]`; and a selection that gives
    `command` nothing to run (hvlint.selection). A typo must not silently turn a gate off."""
    file = configured.file
    where = file.file
    given: list[tuple[str, Sequence[str]]] = [
        ("--select {}", options.select or ()),
        ("--ignore {}", options.ignore or ()),
        (f"{where}: `select`: {{}}", file.select or ()),
        (f"{where}: `ignore`: {{}}", file.ignore),
        *(
            (f'{where}: `per-file-ignores."{glob}"`: {{}}', codes)
            for glob, codes in file.per_file_ignores.items()
        ),
    ]
    for label, codes in given:
        unknown = unknown_selectors(registry, codes)
        if unknown:
            what = "this code or prefix" if len(unknown) == 1 else "these codes or prefixes"
            where_given = label.format(", ".join(unknown))
            raise UsageError(f"{where_given}: no loaded rule has {what} (`hvlint rules` lists every rule)")
    from hvlint.selection import refuse_empty_selection

    refuse_empty_selection(registry, configured, options, command)


def _selectors_outside_the_cache_key(configured: Configured, options: Options) -> bool:
    """Whether the file's `select` or `ignore` is replaced by the command line, so that the cache's key
    (which holds only the effective selection) does not vouch for them: a run the cache answers must then
    still load the plugins to check them."""
    file = configured.file
    return (options.select is not None and (file.select is not None or bool(file.ignore))) or (
        options.ignore is not None and bool(file.ignore)
    )


# -- read sources ----------------------------------------------------------------------------------------


def read_sources(options: Options, config: Config, run: Run) -> list[Source]:
    """Every file to check, read, with its base revision's content under `--base` (standard input gets
    the base of the file `--stdin-filename` names). A path that cannot be used or a base that cannot be
    read goes to `run.errors`; a directory without .hvc files to `run.warnings`."""
    from hvlint.checking import Source
    from hvlint.files import Missing, NoFiles, collect

    base = _git_base(options.base)
    sources = []
    for item in collect(options.given_paths, config.exclude, config.directory):
        if isinstance(item, Missing):
            if item.skipped:
                run.warnings.append(f"{item.path}: {item.reason}; skipped")
            else:
                run.errors.append(f"{item.path}: {item.reason}")
            continue
        if isinstance(item, NoFiles):
            run.warnings.append(f"no .hvc files under {item.path}")
            continue
        name, data = _read(item, options.stdin_filename, run)
        if data is None:
            continue
        base_data = None
        if base is not None:
            base_data = _base_content(base, name if item == "-" else item, item == "-", run)
        sources.append(Source(name, data, base_data))
    return sources


def refuse_unsafe_targets(
    options: Options, config: Config, sources: Sequence[Source], also_read: Sequence[str] = ()
) -> None:
    """Refuses (exit status 2, nothing written) a report or baseline target that is empty, one of the
    files read (`also_read`: those besides the sources, configuration and baseline), or not writable by
    the user."""
    if options.output is None and options.write_baseline is None:
        return  # nothing to write: a warm run need not import hvlint.output
    from hvlint.output import check_targets

    targets = {"--output": options.output, "--write-baseline": options.write_baseline}
    inputs = [config.file, options.baseline, *also_read, *(source.name for source in sources)]
    check_targets(targets, inputs)


def _git_base(revision: str | None) -> GitBase | None:
    if revision is None:
        return None
    from hvlint.gitbase import GitBase

    return GitBase(revision)


def _read(path: str, stdin_name: str | None, run: Run) -> tuple[str, bytes | None]:
    from hvlint.shown import readable_name

    if path == "-":
        return readable_name(stdin_name or "-"), sys.stdin.buffer.read()
    name = readable_name(os.path.normpath(path))
    try:
        with open(path, "rb") as handle:
            return name, handle.read()
    except OSError as error:
        run.errors.append(f"{name}: cannot read: {error.strerror or error}")
        return name, None


def _base_content(base: GitBase, path: str, from_stdin: bool, run: Run) -> bytes | None:
    """A file's content at the base revision: None for a file new since, and for standard input without a
    name or named in a directory that does not exist (a new file nowhere yet)."""
    from hvlint.gitbase import BaseRevisionError

    if from_stdin and (path == "-" or not os.path.isdir(os.path.dirname(os.path.abspath(path)))):
        return None
    try:
        return base.read(path)
    except BaseRevisionError as error:
        run.errors.append(str(error))
        return None


# -- parse, resolve, lint one document -------------------------------------------------------------------


def parse_and_resolve(source: Source) -> tuple[Document, Model | None]:
    """A file's document (decoded, parsed and resolved into a model, with the language's own problems),
    and its base revision's model when it has one."""
    from hvlint.language.document import load

    document = load(source.data, source.name)
    base = load(source.base, source.name).model if source.base is not None else None
    return document, base


def lint_document(
    linter: Linter,
    document: Document,
    base: Model | None = None,
    shared: Mapping[object, object] | None = None,
) -> Checked:
    """One document's findings under the linter's rules and configuration (suppressions, selection,
    severities and fingerprints applied); `shared` hands the rules what the caller computed already."""
    from hvlint.checking import Checked

    result = linter.check(document, base, shared)
    return Checked(document.path, document.text, result.findings, result.tracebacks)


# -- lint many files, through the cache ------------------------------------------------------------------


def make_linter(registry: Registry, configured: Configured, options: Options) -> Linter:
    """A linter of the registry's rules under the run's configuration, once its selection is checked."""
    from hvlint.engine import Linter

    check_selectors(registry, configured, options)
    return Linter(registry, configured.effective)


def lint(sources: Sequence[Source], options: Options, run: Run) -> None:
    """Every file's result into `run.checked`, from the result cache where it answers, else checked (in
    parallel when that pays). The plugins are not loaded when the cache answers for every file: its keys
    need no plugin imported, and an entry exists only for a configuration whose selection the plugins
    accepted."""
    from hvlint.checking import check_sources, default_jobs, look_up

    configured = run.configured
    config = configured.effective
    cache = _cache(config) if options.cache else None
    answers = look_up(sources, cache)
    if answers.complete and not _selectors_outside_the_cache_key(configured, options):
        run.checked, run.cache = answers.checked(), cache
        return
    registry = run.registry = load_rules(config)
    linter = make_linter(registry, configured, options)
    if answers.complete:
        run.checked, run.cache = answers.checked(), cache
        return
    if options.cache:
        keyed = _cache(config, registry)  # records the packages the plugins' rules run, for warm runs
        if keyed is not None and (cache is None or keyed.settings != cache.settings):
            cache, answers = keyed, look_up(sources, keyed)
    run.cache = cache
    run.checked = check_sources(linter, sources, cache, options.jobs or default_jobs(), answers)


def _cache(config: Config, registry: Registry | None = None) -> ResultCache | None:
    from hvlint.cache import for_run

    return for_run(config, registry)


# -- refine ----------------------------------------------------------------------------------------------


def refine(run: Run, baseline: Baseline | None = None) -> None:
    """Every checked file's findings into `run.findings`, sorted by path, line, column and code, less
    those `baseline` records; and the tracebacks of rules that raised (HV000) into `run.tracebacks`.
    (Selection, severities, suppressions and fingerprints are applied file by file, by the linter.)"""
    run.findings = sorted((f for result in run.checked for f in result.findings), key=lambda f: f.sort_key())
    run.tracebacks = [text for result in run.checked for text in result.tracebacks]
    if baseline is not None:
        apply_baseline(run, baseline)


def load_baseline(path: str | None) -> Baseline | None:
    """The baseline file of `--baseline`, or None."""
    if path is None:
        return None
    from hvlint.baseline import load_baseline as load

    return load(path)


def apply_baseline(run: Run, baseline: Baseline) -> None:
    """Hides the findings the baseline records, counting what it hid and its entries that hid nothing."""
    from hvlint.reporters import BaselineCounts

    applied = baseline.apply(run.findings, [result.name for result in run.checked])
    run.findings = list(applied.new)
    run.baseline = BaselineCounts(applied.matched, applied.stale)


def write_baseline(run: Run, path: str) -> None:
    """Records every current finding in the baseline file `path` (written whole or not at all)."""
    from hvlint.baseline import write_baseline as write

    try:
        write(path, run.findings)
    except OSError as error:
        raise UsageError(f"--write-baseline {path}: cannot write: {error.strerror or error}") from None


# -- report ----------------------------------------------------------------------------------------------


def rules_meta(format_name: str, run: Run) -> tuple[RuleMeta, ...]:
    """What the report says of every rule, for the formats that list them (the plugins loaded if they
    were not yet); nothing for the others."""
    from hvlint.reporters import FORMATS_WITH_RULES, RuleMeta

    if format_name not in FORMATS_WITH_RULES:
        return ()
    if run.registry is None:
        run.registry = load_rules(run.config)
    severity = run.config.severity
    return tuple(RuleMeta.of(info, severity.get(info.code)) for info in run.registry.sorted_rules())


def report(run: Run, options: ReportOptions) -> str:
    """The report of the run in the format asked."""
    from hvlint.reporters import Report, Summary, render

    summary = Summary.of(run.findings, len(run.checked), run.baseline)
    texts = {result.name: result.text for result in run.checked}
    rules = rules_meta(options.format, run)
    document = Report(
        run.findings,
        summary,
        texts,
        color=options.color,
        quiet=options.quiet,
        rules=rules,
        fail_on=run.config.fail_on,
    )
    return render(document, options.format)


def deliver(text: str, output: str | None) -> None:
    """Writes a report to standard output, or to the file `output` (whole or not at all)."""
    if output is None:
        try:
            sys.stdout.write(text)
            sys.stdout.flush()
        except OSError as error:  # a full disk, a closed pipe (`hvlint check | head -1`)
            raise UsageError(
                f"cannot write the report to standard output: {error.strerror or error}"
            ) from None
        return
    from hvlint.output import write_atomically

    try:
        write_atomically(output, text.encode("utf-8"))
    except OSError as error:
        raise UsageError(f"--output {output}: cannot write the report: {error.strerror or error}") from None


# -- the commands' pipelines -----------------------------------------------------------------------------


def check(options: Options) -> Run:
    """`hvlint check`: configure, read the sources, lint them through the cache, refine the findings and
    apply `--baseline` or record `--write-baseline` (every finding, before a baseline hides any). Raises
    HvlintError when the run cannot be done."""
    configured = configure(options, cached=options.cache)
    baseline = load_baseline(options.baseline)
    run = Run(configured)
    sources = read_sources(options, configured.effective, run)
    refuse_unsafe_targets(options, configured.effective, sources)
    lint(sources, options, run)
    refine(run)
    if options.write_baseline:
        write_baseline(run, options.write_baseline)
    if baseline is not None:
        apply_baseline(run, baseline)
    return run


def estimate(options: Options, drain: str | None = None, failover: str | None = None) -> Estimated:
    """`hvlint estimate`: each file read and parsed once; the estimates (or the drain plan of the host
    `drain`, or the failover plan of the host `failover`) computed from the resolved documents, and HV5
    run on the same documents for the exit status. A drain rules out the moves that the rules the
    configuration selects rule out, not only HV5's."""
    from hvlint import estimate_cli
    from hvlint.estimated import Estimated

    configured = configure(options, select=("HV5",))
    run = Run(configured)
    run.registry = load_rules(configured.effective)
    linter = make_linter(run.registry, configured, options)
    sources = read_sources(options, configured.effective, run)
    refuse_unsafe_targets(options, configured.effective, sources)
    documents = [parse_and_resolve(source) for source in sources]
    resolved = [document for document, _ in documents]
    plan = failing = None
    estimates: list[VMEstimate] = []
    seeds: dict[int, Mapping[object, object]] = {}
    try:
        if failover is not None:
            failing = estimate_cli.failover_plan_models(estimate_cli.models_of(resolved), failover)
        elif drain is not None:
            selected = configured.file.with_command_line(options.select, options.ignore, options.fail_on)
            plan = estimate_cli.drain_plan_documents(resolved, drain, selected)
        else:
            estimates, seeds = _estimates_once(estimate_cli.models_of(resolved), configured.effective)
    except estimate_cli.DrainHostError as error:
        raise UsageError(str(error)) from None
    run.checked = [
        lint_document(linter, document, base, seeds.get(id(document.model))) for document, base in documents
    ]
    refine(run)
    return Estimated(run, estimates, plan, failing)


def _estimates_once(
    models: Sequence[Model], config: Config
) -> tuple[list[VMEstimate], dict[int, Mapping[object, object]]]:
    """Every VM's estimate, and for each model (by identity) what its HV5 rules are handed, so that they
    judge the same estimates rather than computing them again."""
    from hvlint.estimator import Parameters, estimate_model, estimates_key

    params = Parameters.from_config(config)
    estimates: list[VMEstimate] = []
    seeds: dict[int, Mapping[object, object]] = {}
    for model in models:
        found = estimate_model(model, params)
        seeds[id(model)] = {estimates_key(params): found}
        estimates.extend(found)
    return estimates, seeds


def render_estimate(estimated: Estimated, format_name: str) -> str:
    """The estimate table or drain plan, as text or JSON."""
    import json

    from hvlint import estimate_cli

    if estimated.failover is not None:
        if format_name == "json":
            return json.dumps(estimate_cli.render_failover_json(estimated.failover), indent=2) + "\n"
        return estimate_cli.render_failover(estimated.failover)
    if estimated.drain is not None:
        if format_name == "json":
            return json.dumps(estimate_cli.render_drain_json(estimated.drain), indent=2) + "\n"
        return estimate_cli.render_drain(estimated.drain)
    if format_name == "json":
        return json.dumps(estimate_cli.render_json(estimated.estimates), indent=2) + "\n"
    return estimate_cli.render_table(estimated.estimates)
