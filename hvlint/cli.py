"""The command line (cli.md): `check`, `rules`, `explain`, `processors`, `--version`, with exit statuses
0 (nothing at or above --fail-on), 1 (something is) and 2 (hvlint could not do its job)."""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from hvlint import __version__
from hvlint.errors import HvlintError

if TYPE_CHECKING:
    from hvlint.baseline import Baseline
    from hvlint.cache import ResultCache
    from hvlint.checking import Checked, Source
    from hvlint.config import Config
    from hvlint.engine import Linter
    from hvlint.findings import Finding
    from hvlint.gitbase import GitBase
    from hvlint.plugins import Registry
    from hvlint.reporters import RuleMeta

EXIT_CLEAN, EXIT_FINDINGS, EXIT_TROUBLE = 0, 1, 2


class UsageError(HvlintError):
    """The invocation cannot be carried out: exit status 2 with this message."""


class _Formatter(argparse.HelpFormatter):
    """argparse's help layout, as wide as the terminal, found without importing shutil (4 ms of a warm
    run: argparse makes a formatter for every option it declares)."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, width=_terminal_width() - 2)


def _terminal_width() -> int:
    """`COLUMNS`, else the width of the terminal on standard output, else 80 (as shutil says)."""
    with contextlib.suppress(KeyError, ValueError):
        columns = int(os.environ["COLUMNS"])
        if columns > 0:
            return columns
    with contextlib.suppress(AttributeError, ValueError, OSError):
        columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        if columns > 0:
            return columns
    return 80


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see `hvlint --help`)")


def _codes(text: str) -> tuple[str, ...]:
    import re

    codes = tuple(code.strip() for code in text.split(",") if code.strip())
    for code in codes:
        if not re.fullmatch(r"[A-Z]+[0-9]*", code):
            raise argparse.ArgumentTypeError(f"{code!r} is not a rule code or prefix (e.g. HV4, HV402)")
    return codes


def _jobs(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return int(text)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser: every command by name, with the options of `command` (all when None).
    Declaring every option of every command is a good part of a warm run's start-up, so `main` asks only
    for the command it runs."""
    parser = _Parser(
        prog="hvlint",
        description="A static linter for Hyper-V cluster descriptions (.hvc files).",
        epilog="`hvlint PATH ...` means `hvlint check PATH ...`.",
    )
    parser.add_argument("--version", action="store_true", help="print the version and the loaded plugins")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, (summary, description, add_options) in _COMMAND_OPTIONS.items():
        sub = commands.add_parser(name, help=summary, description=description)
        if command in (None, name):
            add_options(sub)
            _common_options(sub)
    return parser


def _common_options(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--config", metavar="FILE", help="use this configuration file instead of discovering one"
    )
    sub.add_argument("--quiet", "-q", action="store_true", help="print findings only, no summary")
    sub.add_argument(
        "--verbose", "-v", action="store_true", help="say what ran; tracebacks for internal errors"
    )


def _check_options(check: argparse.ArgumentParser) -> None:
    from hvlint.findings import FAIL_ON
    from hvlint.reporters import FORMATS

    check.add_argument(
        "paths", nargs="*", metavar="PATH", help="files or directories; `-` reads standard input"
    )
    check.add_argument("--format", choices=FORMATS, default="text", help="report format (default: text)")
    check.add_argument(
        "--output", "-o", metavar="FILE", help="write the report to FILE (whole or not at all)"
    )
    check.add_argument(
        "--select", type=_codes, metavar="CODES", help="comma-separated codes or prefixes to run"
    )
    check.add_argument(
        "--ignore", type=_codes, metavar="CODES", help="comma-separated codes or prefixes to skip"
    )
    check.add_argument("--fail-on", choices=FAIL_ON, help="lowest severity that makes the exit status 1")
    check.add_argument("--stdin-filename", metavar="NAME", help="the name of standard input in the report")
    check.add_argument(
        "--base", metavar="REV", help="the git revision change-aware rules (HV403) compare with"
    )
    baseline = check.add_mutually_exclusive_group()
    baseline.add_argument("--baseline", metavar="FILE", help="report only findings not recorded in FILE")
    baseline.add_argument(
        "--write-baseline",
        metavar="FILE",
        help="record every current finding in FILE (exit 0 unless something failed)",
    )
    check.add_argument("--statistics", action="store_true", help="print a count per code after the report")
    check.add_argument("--no-cache", action="store_true", help="do not read or write the result cache")
    check.add_argument(
        "--jobs",
        "-j",
        type=_jobs,
        metavar="N",
        help="files checked in parallel (default: the number of CPUs)",
    )


def _estimate_options(estimate: argparse.ArgumentParser) -> None:
    from hvlint.findings import FAIL_ON

    estimate.add_argument(
        "paths", nargs="*", metavar="PATH", help="files or directories; `-` reads standard input"
    )
    estimate.add_argument("--drain", metavar="HOST", help="print the evacuation plan of HOST")
    estimate.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    estimate.add_argument(
        "--output", "-o", metavar="FILE", help="write the output to FILE (whole or not at all)"
    )
    estimate.add_argument("--fail-on", choices=FAIL_ON, help="lowest severity that makes the exit status 1")
    estimate.add_argument("--stdin-filename", metavar="NAME", help="the name of standard input")


def _explain_options(explain: argparse.ArgumentParser) -> None:
    explain.add_argument("code", metavar="CODE")


def _no_options(_: argparse.ArgumentParser) -> None:
    pass


def _collect_script_options(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--output", "-o", metavar="FILE", help="write the script to FILE instead")
    sub.add_argument("--schema", action="store_true", help="print the inventory's JSON Schema instead")


def _import_options(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("file", metavar="FILE", help="the inventory document; `-` reads standard input")
    sub.add_argument("--output", "-o", metavar="OUT", help="write the .hvc file to OUT (whole or not at all)")
    sub.add_argument("--stdin-filename", metavar="NAME", help="the name of standard input in messages")


def _calibrate_options(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("measurements", metavar="MEASUREMENTS.csv", help="measured live migrations, one a row")
    sub.add_argument("--write", metavar="CONFIG", help="set the fitted keys in CONFIG's estimator table")


def _processors_options(parser: argparse.ArgumentParser) -> None:
    from hvlint.processor_diff import add_options

    add_options(parser)


_COMMAND_OPTIONS: dict[str, tuple[str, str, Callable[[argparse.ArgumentParser], None]]] = {
    "check": ("lint .hvc files", "Lint .hvc files.", _check_options),
    "estimate": (
        "predict each VM's live migration",
        "Predict each VM's live migration time and pause (the worst destination), or the plan to drain one "
        "host. Exits with the status `check --select HV5` would give.",
        _estimate_options,
    ),
    "rules": ("list every known rule", "List every known rule.", _no_options),
    "explain": ("explain a rule", "Print a rule's explanation.", _explain_options),
    "processors": (
        "list the built-in processor catalogue",
        "List the processor catalogue.",
        _processors_options,
    ),
    "collect-script": (
        "print the PowerShell inventory collector",
        "Print Export-HvlintInventory.ps1, the script that collects a Hyper-V estate's inventory.",
        _collect_script_options,
    ),
    "import": (
        "turn an inventory into a .hvc file",
        "Turn an inventory document (collect-script) into a .hvc description.",
        _import_options,
    ),
    "calibrate": (
        "fit the estimator to measured migrations",
        "Fit link_efficiency and setup (and compression_ratio) to a CSV of measured live migrations.",
        _calibrate_options,
    ),
}
"""Each command's one-line summary, its description and what declares its own options."""
COMMANDS = tuple(_COMMAND_OPTIONS)


def _normalize_argv(argv: Sequence[str]) -> list[str]:
    args = list(argv)
    if not args or args[0] in ("-h", "--help", "--version"):
        return args or ["check"]
    first = next((arg for arg in args if arg == "-" or not arg.startswith("-")), None)
    if first is None or first not in COMMANDS:
        return ["check", *args]
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Runs hvlint with `argv` (default: the process's arguments) and returns the exit status."""
    arguments = _normalize_argv(sys.argv[1:] if argv is None else argv)
    verbose = "--verbose" in arguments or "-v" in arguments
    try:
        command = next((arg for arg in arguments if not arg.startswith("-")), None)
        args = build_parser(command).parse_args(arguments)
        if args.version:
            return _version(args)
        return int(_COMMAND_RUNNERS[args.command](args))
    except HvlintError as error:
        _error(str(error))
        return EXIT_TROUBLE
    except KeyboardInterrupt:
        _error("interrupted")
        return 130
    except BrokenPipeError:
        _error("cannot write to standard output: the reader closed it")
        _silence_stdout()
        return EXIT_TROUBLE
    except Exception as error:
        if verbose:
            import traceback

            traceback.print_exc()
        _error(f"internal error: {type(error).__name__}: {error} (run with --verbose for the traceback)")
        return EXIT_TROUBLE


def run() -> NoReturn:
    """The `hvlint` command: `main`, its output flushed, then the process ends at once. A large file's
    model is a web of objects that refer to each other (a VM to its cluster and back), which only the
    cycle collector frees; left to the interpreter's shutdown, that took half a second of a 2 MB check.
    For the same reason the collector runs only where hvlint asks: between files (see checking.py)."""
    gc.disable()
    status = main()
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _error("cannot write to standard output: the reader closed it")
        status = EXIT_TROUBLE
    except (OSError, ValueError) as error:
        _error(f"cannot write to standard output: {getattr(error, 'strerror', None) or error}")
        status = EXIT_TROUBLE
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.flush()
    os._exit(status)


def _silence_stdout() -> None:
    """Points standard output at the null device, so that the interpreter's last flush of a closed pipe
    says nothing more."""
    try:
        descriptor = os.open(os.devnull, os.O_WRONLY)
        os.dup2(descriptor, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _error(message: str) -> None:
    """One line on standard error (cli.md), even for an exception whose text spans lines (pluggy's)."""
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    print(f"hvlint: error: {'; '.join(lines)}", file=sys.stderr)


def _config_for(args: argparse.Namespace, first_path: str | None) -> Config:
    from hvlint import config

    if getattr(args, "config", None):
        path = Path(args.config)
        if not path.is_file():
            raise UsageError(f"--config {args.config}: no such file")
        return config.load(path)
    start = Path(first_path) if first_path and first_path != "-" else Path.cwd()
    return config.load(config.discover(start))


def _registry(cfg: Config) -> Registry:
    from hvlint.plugins import load_plugins

    return load_plugins(cfg.plugins, cfg.path.parent if cfg.path else None)


def _version(args: argparse.Namespace) -> int:
    from hvlint.plugins import plugin_versions

    cfg = _config_for(args, None)
    plugins = plugin_versions(cfg.plugins, cfg.path.parent if cfg.path else None)
    print(f"hvlint {__version__}")
    for plugin in plugins[1:]:
        print(f"  plugin {plugin.name} {plugin.version}")
    return EXIT_CLEAN


def _sources(args: argparse.Namespace, cfg: Config, base: GitBase | None = None) -> tuple[list[Source], bool]:
    """Every file to check, read (with its base revision's content under `--base`); and whether a path
    could not be used or a base could not be read (exit status 2, each said on standard error)."""
    from hvlint.checking import Source
    from hvlint.files import Missing, collect

    trouble = False
    sources = []
    for item in collect(args.paths or ["."], cfg.exclude, cfg.root):
        if isinstance(item, Missing):
            _error(f"{item.path}: {item.reason}")
            trouble = True
            continue
        name, data = _read(item, args.stdin_filename)
        if data is None:
            trouble = True
            continue
        base_data, unreadable = _base_content(base, item) if base is not None else (None, False)
        trouble = trouble or unreadable
        sources.append(Source(name, data, base_data))
    return sources, trouble


def _base_content(base: GitBase, path: str) -> tuple[bytes | None, bool]:
    """A file's content at the base revision (None for standard input or a file new since), and whether
    it could not be read (said on standard error)."""
    from hvlint.gitbase import BaseRevisionError

    if path == "-":
        return None, False
    try:
        return base.read(path), False
    except BaseRevisionError as error:
        _error(str(error))
        return None, True


def _configuration(args: argparse.Namespace, select: tuple[str, ...] | None) -> Config:
    """The effective configuration of this invocation: the discovered or given file, then the options."""
    paths = args.paths or ["."]
    if paths.count("-") > 1:
        raise UsageError("`-` (standard input) may be given once")
    first = args.stdin_filename if paths[0] == "-" and args.stdin_filename else paths[0]
    cfg = _config_for(args, first).with_command_line(select, getattr(args, "ignore", None), args.fail_on)
    if args.verbose:
        _info(f"configuration: {cfg.path or 'none (defaults)'}")
    return cfg


def _linter(args: argparse.Namespace, cfg: Config) -> tuple[Registry, Linter]:
    """The plugins, loaded, and a linter with their rules under `cfg`."""
    from hvlint.engine import Linter

    registry = _registry(cfg)
    linter = Linter(registry, cfg)
    if args.verbose:
        _info("plugins: " + ", ".join(f"{p.name} {p.version}" for p in registry.plugins))
    return registry, linter


def _status(trouble: bool, findings: list[Finding], fail_on: str) -> int:
    from hvlint.findings import at_or_above

    if trouble:
        return EXIT_TROUBLE
    return EXIT_FINDINGS if any(at_or_above(f.severity, fail_on) for f in findings) else EXIT_CLEAN


def _check(args: argparse.Namespace) -> int:
    from hvlint.reporters import BaselineCounts, Report, Summary, render, statistics

    cfg = _configuration(args, args.select)
    baseline = _load_baseline(args.baseline)
    sources, trouble = _sources(args, cfg, _git_base(args.base))
    checked, registry = _checked(args, cfg, sources)
    findings, raised = _gather(args, checked)
    trouble = trouble or raised
    if args.write_baseline:
        from hvlint.baseline import write_baseline

        try:
            write_baseline(args.write_baseline, findings)
        except OSError as error:
            reason = error.strerror or error
            raise UsageError(f"--write-baseline {args.write_baseline}: cannot write: {reason}") from None
    counts = None
    if baseline is not None:
        applied = baseline.apply(findings, [result.name for result in checked])
        findings = list(applied.new)
        counts = BaselineCounts(applied.matched, applied.stale)
    color = not args.output and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    rules = _rules_meta(args.format, cfg, registry)
    summary = Summary.of(findings, len(checked), counts)
    texts = {result.name: result.text for result in checked}
    report = Report(findings, summary, texts, color=color, quiet=args.quiet, rules=rules)
    _emit(render(report, args.format), args.output)
    if args.statistics:
        table = statistics(findings)
        print(table, end="", file=sys.stdout if args.format == "text" and not args.output else sys.stderr)
    if args.write_baseline:
        return EXIT_TROUBLE if trouble else EXIT_CLEAN
    return _status(trouble, findings, cfg.fail_on)


def _checked(
    args: argparse.Namespace, cfg: Config, sources: list[Source]
) -> tuple[list[Checked], Registry | None]:
    """Every file's result, and the plugins if they had to be loaded: they are not when the result cache
    answers for every file (its keys need no plugin imported, and an entry exists only for a
    configuration that the plugins accepted)."""
    from hvlint.checking import check_sources, default_jobs, look_up

    cache = None if args.no_cache else _cache(cfg)
    answers = look_up(sources, cache)
    registry = None
    if answers.complete:
        checked = answers.checked()
        if args.verbose:
            _info("plugins: not loaded (the cache answered for every file)")
    else:
        registry, linter = _linter(args, cfg)
        if not args.no_cache:
            keyed = _cache(cfg, registry)  # records the packages the plugins' rules run, for warm runs
            if keyed is not None and (cache is None or keyed.settings != cache.settings):
                cache, answers = keyed, look_up(sources, keyed)
        checked = check_sources(linter, sources, cache, args.jobs or default_jobs(), answers)
    if args.verbose and cache is not None:
        _info(f"cache {cache.directory}: {cache.hits} hits, {cache.misses} misses")
    return checked, registry


def _rules_meta(format_name: str, cfg: Config, registry: Registry | None) -> tuple[RuleMeta, ...]:
    """What the report says of every rule, for the formats that list them (the plugins loaded if they
    were not yet); nothing for the others."""
    from hvlint.reporters import FORMATS_WITH_RULES, RuleMeta

    if format_name not in FORMATS_WITH_RULES:
        return ()
    registry = registry or _registry(cfg)
    return tuple(RuleMeta.of(info, cfg.severity.get(info.code)) for info in registry.sorted_rules())


def _estimate(args: argparse.Namespace) -> int:
    import json

    from hvlint import estimate_cli
    from hvlint.checking import check_sources
    from hvlint.language.document import load

    cfg = _configuration(args, ("HV5",))
    _, linter = _linter(args, cfg)
    sources, trouble = _sources(args, cfg)
    parsed = [load(source.data, source.name) for source in sources]
    if args.drain:
        try:
            plan = estimate_cli.drain_plan_documents(parsed, args.drain, cfg)
        except estimate_cli.DrainHostError as error:
            raise UsageError(str(error)) from None
        if args.format == "json":
            text = json.dumps(estimate_cli.render_drain_json(plan), indent=2) + "\n"
        else:
            text = estimate_cli.render_drain(plan)
    else:
        estimates = estimate_cli.estimate_documents(parsed, cfg)
        if args.format == "json":
            text = json.dumps(estimate_cli.render_json(estimates), indent=2) + "\n"
        else:
            text = estimate_cli.render_table(estimates)
    _emit(text, args.output)
    findings, raised = _gather(args, check_sources(linter, sources, None, 1))
    return _status(trouble or raised, findings, cfg.fail_on)


def _gather(args: argparse.Namespace, checked: list[Checked]) -> tuple[list[Finding], bool]:
    """Every file's findings, sorted; and whether a rule raised (HV000), its traceback shown with
    `--verbose`."""
    findings = sorted((f for result in checked for f in result.findings), key=lambda f: f.sort_key())
    raised = [text for result in checked for text in result.tracebacks]
    if args.verbose:
        for text in raised:
            print(text, file=sys.stderr, end="")
    return findings, bool(raised)


def _cache(cfg: Config, registry: Registry | None = None) -> ResultCache | None:
    from hvlint.cache import for_run

    return for_run(cfg, registry)


def _load_baseline(path: str | None) -> Baseline | None:
    if path is None:
        return None
    from hvlint.baseline import load_baseline

    return load_baseline(path)


def _git_base(revision: str | None) -> GitBase | None:
    if revision is None:
        return None
    from hvlint.gitbase import GitBase

    return GitBase(revision)


def _read(path: str, stdin_name: str | None) -> tuple[str, bytes | None]:
    if path == "-":
        return stdin_name or "-", sys.stdin.buffer.read()
    name = os.path.normpath(path)
    try:
        with open(path, "rb") as handle:
            return name, handle.read()
    except OSError as error:
        _error(f"{name}: cannot read: {error.strerror or error}")
        return name, None


def _emit(text: str, output: str | None) -> None:
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


def _info(message: str) -> None:
    print(f"hvlint: {message}", file=sys.stderr)


def _rules(args: argparse.Namespace) -> int:
    registry = _registry(_config_for(args, None))
    rows = [
        (info.code, info.rule.name, info.rule.severity_note or info.rule.severity, info.plugin)
        for info in registry.sorted_rules()
    ]
    print(_table(("code", "name", "severity", "plugin"), rows), end="")
    return EXIT_CLEAN


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in [header, *rows]
    ]
    return "".join(line + "\n" for line in lines)


def _explain(args: argparse.Namespace) -> int:
    from hvlint.explain import explanation

    registry = _registry(_config_for(args, None))
    code = args.code.upper()
    info = registry.rules.get(code)
    if info is None:
        raise UsageError(f"unknown rule {args.code}: `hvlint rules` lists every known rule")
    print(explanation(info), end="")
    return EXIT_CLEAN


def _processors(args: argparse.Namespace) -> int:
    from hvlint.language.catalogue import HOST_ONLY_FEATURES, catalogue

    if args.diff:
        from hvlint.processor_diff import diff_text

        print(diff_text(args.diff), end="")
        return EXIT_CLEAN

    rows = []
    for processor in catalogue().values():
        cpuid = ""
        if processor.family is not None:
            cpuid = f"family 0x{processor.family:02x}" + (
                f" model {processor.model}" if processor.model is not None else ""
            )
        rows.append((processor.name, processor.vendor, cpuid, str(len(processor.features))))
    print(_table(("name", "vendor", "cpuid", "features"), rows), end="")
    if not args.quiet:
        print()
        for processor in catalogue().values():
            print(f"{processor.name}: {' '.join(sorted(processor.features))}")
        print()
        print("host-only flags, ignored when hosts are compared: " + " ".join(sorted(HOST_ONLY_FEATURES)))
    return EXIT_CLEAN


_COMMAND_RUNNERS = {
    "check": _check,
    "estimate": _estimate,
    "rules": _rules,
    "explain": _explain,
    "processors": _processors,
    "collect-script": lambda args: _importer().run_collect_script(args.output, args.schema),
    "import": lambda args: _importer().run_import(args.file, args.output, args.stdin_filename, args.quiet),
    "calibrate": lambda args: _calibration().run(args.measurements, args.write, args.config),
}


def _calibration() -> Any:
    from hvlint.calibrate import command

    return command


def _importer() -> Any:
    from hvlint.importer import command

    return command
