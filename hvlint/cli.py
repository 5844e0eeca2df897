"""The command line (cli.md): `check`, `rules`, `explain`, `processors`, `--version`, with exit statuses
0 (nothing at or above --fail-on), 1 (something is) and 2 (hvlint could not do its job)."""

from __future__ import annotations

import gc
import os
import sys

from hvlint import __version__
from hvlint.errors import HvlintError, UsageError

TYPE_CHECKING = False  # typing is not imported: a tenth of `hvlint --version`
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable, Sequence
    from typing import Any, NoReturn

    from hvlint.plugins import Registry

EXIT_CLEAN, EXIT_FINDINGS, EXIT_TROUBLE = 0, 1, 2


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser: every command by name with the options of each (when `command` is None), every
    command by name without options (""), or the command `command` alone with its options. Declaring
    every command and option is a good part of a warm run's start-up (argparse looks up the translation
    of each of its own texts), so `main` asks only for the command it runs."""
    from hvlint.arguments import Parser

    parser = Parser(
        prog="hvlint",
        description="A static linter for Hyper-V cluster descriptions (.hvc files).",
        epilog="`hvlint PATH ...` means `hvlint check PATH ...`.",
    )
    parser.add_argument("--version", action="store_true", help="print the version and the loaded plugins")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for name, entry in COMMANDS.items():
        if command not in (None, "", name):
            continue
        sub = commands.add_parser(name, help=entry.summary, description=entry.description)
        if command is None or command == name:
            entry.add_options(sub)
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
    from hvlint.arguments import codes, jobs
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
        "--select", type=codes, metavar="CODES", help="comma-separated codes or prefixes to run"
    )
    check.add_argument(
        "--ignore", type=codes, metavar="CODES", help="comma-separated codes or prefixes to skip"
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
        type=jobs,
        metavar="N",
        help="files checked in parallel (default: the number of CPUs)",
    )


def _estimate_options(estimate: argparse.ArgumentParser) -> None:
    from hvlint.findings import FAIL_ON

    estimate.add_argument(
        "paths", nargs="*", metavar="PATH", help="files or directories; `-` reads standard input"
    )
    estimate.add_argument("--drain", metavar="HOST", help="print the evacuation plan of HOST")
    estimate.add_argument(
        "--failover", metavar="HOST", help="print where HOST's highly available VMs restart if it fails"
    )
    estimate.add_argument(
        "--format", choices=("text", "json", "svg"), default="text", help="output format (svg: --drain only)"
    )
    estimate.add_argument(
        "--output", "-o", metavar="FILE", help="write the output to FILE (whole or not at all)"
    )
    estimate.add_argument("--fail-on", choices=FAIL_ON, help="lowest severity that makes the exit status 1")
    estimate.add_argument("--stdin-filename", metavar="NAME", help="the name of standard input")


def _report_options(report: argparse.ArgumentParser) -> None:
    report.add_argument("paths", nargs="*", metavar="PATH", help="files or directories")
    report.add_argument(
        "--output",
        "-o",
        metavar="FILE",
        default="hvlint-report.html",
        help="the HTML file to write, whole or not at all (default: hvlint-report.html; `-`: stdout)",
    )
    report.add_argument(
        "--host", action="append", default=[], metavar="HOST", help="draw only this host's drain (repeatable)"
    )


def _format_options(sub: argparse.ArgumentParser) -> None:
    from hvlint.format_cli import add_options

    add_options(sub)


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


def _server_options(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--log-file", metavar="FILE", help="write the log to FILE (default: standard error)")


def _server(args: argparse.Namespace) -> int:
    from hvlint.server.protocol import serve

    return serve(args.log_file, args.verbose, args.config)


def _normalize_argv(argv: Sequence[str]) -> list[str]:
    args = list(argv)
    if not args or args[0] in ("-h", "--help", "--version"):
        return args or ["check"]
    first = next((arg for arg in args if arg == "-" or not arg.startswith("-")), None)
    if first is None or first not in COMMANDS:
        return ["check", *args]
    return args


def parse_arguments(argv: Sequence[str]) -> argparse.Namespace:
    """The arguments of a command line (without the program's name), as the command that runs them sees
    them; UsageError when they are not a valid invocation."""
    from hvlint.plain_check import plain_check

    plain = plain_check(argv, COMMANDS)
    return plain if plain is not None else argparse_arguments(argv)


def argparse_arguments(argv: Sequence[str]) -> argparse.Namespace:
    """`parse_arguments` by argparse alone, whatever the command line."""
    arguments = _normalize_argv(argv)
    top_level = arguments[0] in ("-h", "--help", "--version")
    command = "" if top_level else next((arg for arg in arguments if not arg.startswith("-")), "")
    return build_parser(command).parse_args(arguments)


def main(argv: Sequence[str] | None = None) -> int:
    """Runs hvlint with `argv` (default: the process's arguments) and returns the exit status."""
    arguments = sys.argv[1:] if argv is None else list(argv)
    verbose = "--verbose" in arguments or "-v" in arguments
    try:
        if arguments == ["--version"]:
            return _version()  # without argparse: pre-commit and editors ask this often
        args = parse_arguments(arguments)
        if args.version:
            return _version()
        return int(COMMANDS[args.command].run(args))
    except HvlintError as error:
        _error(str(error))
        return EXIT_TROUBLE
    except KeyboardInterrupt as interruption:
        from hvlint.signals import exit_status

        _error("interrupted")
        return exit_status(interruption)
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
    from hvlint.signals import install

    install()
    status = main()
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _error("cannot write to standard output: the reader closed it")
        status = EXIT_TROUBLE
    except (OSError, ValueError) as error:
        _error(f"cannot write to standard output: {getattr(error, 'strerror', None) or error}")
        status = EXIT_TROUBLE
    try:
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
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
    from hvlint.shown import escaped

    lines = [line.strip() for line in message.splitlines() if line.strip()]
    print(f"hvlint: error: {escaped('; '.join(lines))}", file=sys.stderr)


def _check(args: argparse.Namespace) -> int:
    from hvlint import pipeline
    from hvlint.command_support import finish_lint, options

    return finish_lint(pipeline.check(options(args)), args)


def _estimate(args: argparse.Namespace) -> int:
    from hvlint import pipeline
    from hvlint.command_support import options, status, tell

    if args.drain and args.failover:
        raise UsageError("--drain and --failover plan different events: give one of them")
    if args.format == "svg" and not args.drain:
        raise UsageError("--format svg draws a drain plan: give --drain HOST")
    estimated = pipeline.estimate(options(args), drain=args.drain, failover=args.failover)
    tell(estimated.run, args.verbose)
    if estimated.drain is not None and args.format == "svg":
        from hvlint.report.command import drain_svg

        pipeline.deliver(drain_svg(estimated.drain, estimated.run.config), args.output)
        return status(estimated.run)
    pipeline.deliver(pipeline.render_estimate(estimated, args.format), args.output)
    return status(estimated.run)


def _report(args: argparse.Namespace) -> int:
    from hvlint import pipeline
    from hvlint.command_support import status, tell
    from hvlint.report.command import report

    output = None if args.output == "-" else args.output
    options = pipeline.Options(paths=tuple(args.paths), config_file=args.config, output=output)
    reported, html = report(options, args.host)
    tell(reported.run, args.verbose)
    pipeline.deliver(html, output)
    return status(reported.run)


def _version() -> int:
    """Prints hvlint's version and the plugins' (cli.md). Without a configuration file, the installed
    plugins are read from their metadata and nothing more is imported: neither the configuration's
    validation nor pluggy."""
    from hvlint.discovery import config_file
    from hvlint.entrypoints import ENTRY_POINT_GROUP, entry_points

    found = config_file(os.getcwd())
    plugins = [(point.name, point.version) for point in entry_points(ENTRY_POINT_GROUP)]
    if found is not None:
        from hvlint.config import load
        from hvlint.plugins import local_plugin_versions

        config = load(found)
        plugins += local_plugin_versions(config.plugins, config.plugin_directory)
    print(f"hvlint {__version__}")
    for name, version in plugins:
        print(f"  plugin {name} {version}")
    return EXIT_CLEAN


def _registry(args: argparse.Namespace) -> Registry:
    from hvlint.pipeline import load_configuration, load_rules

    return load_rules(load_configuration(args.config, None))


def _rules(args: argparse.Namespace) -> int:
    registry = _registry(args)
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

    registry = _registry(args)
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


def _format(args: argparse.Namespace) -> int:
    from hvlint.format_cli import run

    return run(args)


def _calibration() -> Any:
    from hvlint.calibrate import command

    return command


def _importer() -> Any:
    from hvlint.importer import command

    return command


def _drift() -> Any:
    from hvlint.drift import command

    return command


class Command:
    """A command: its one-line summary, its description, what declares its own options, and what runs it
    (returning the exit status). A plain class: a NamedTuple would import typing for every command line."""

    __slots__ = ("add_options", "description", "run", "summary")

    def __init__(
        self,
        summary: str,
        description: str,
        add_options: Callable[[argparse.ArgumentParser], None],
        run: Callable[[argparse.Namespace], int],
    ) -> None:
        self.summary = summary
        self.description = description
        self.add_options = add_options
        self.run = run


COMMANDS: dict[str, Command] = {
    "check": Command("lint .hvc files", "Lint .hvc files.", _check_options, _check),
    "format": Command(
        "rewrite .hvc files into the canonical layout",
        "Rewrite .hvc files into the one canonical layout; --check and --diff write nothing.",
        _format_options,
        _format,
    ),
    "estimate": Command(
        "predict each VM's live migration",
        "Predict each VM's live migration time and pause (the worst destination), or the plan to drain one "
        "host. Exits with the status `check --select HV5` would give.",
        _estimate_options,
        _estimate,
    ),
    "report": Command(
        "draw the estate as one HTML page",
        "Draw each cluster (migratability matrix, estimates, drain plans, findings) into one self-contained "
        "HTML file. Exits as `check` would for the same files.",
        _report_options,
        _report,
    ),
    "rules": Command("list every known rule", "List every known rule.", _no_options, _rules),
    "explain": Command("explain a rule", "Print a rule's explanation.", _explain_options, _explain),
    "processors": Command(
        "list the built-in processor catalogue",
        "List the processor catalogue.",
        _processors_options,
        _processors,
    ),
    "collect-script": Command(
        "print the PowerShell inventory collector",
        "Print Export-HvlintInventory.ps1, the script that collects a Hyper-V estate's inventory.",
        _collect_script_options,
        lambda args: _importer().run_collect_script(args.output, args.schema),
    ),
    "import": Command(
        "turn an inventory into a .hvc file",
        "Turn an inventory document (collect-script) into a .hvc description.",
        _import_options,
        lambda args: _importer().run_import(args.file, args.output, args.stdin_filename, args.quiet),
    ),
    "drift": Command(
        "compare a live estate's inventory with its description",
        "Report every difference between an inventory (collect-script) and the .hvc files that describe the "
        "estate, as findings HV901-HV903, with check's formats and exit statuses.",
        lambda sub: _drift().add_options(sub),
        lambda args: _drift().run(args),
    ),
    "calibrate": Command(
        "fit the estimator to measured migrations",
        "Fit link_efficiency and setup (and compression_ratio) to a CSV of measured live migrations.",
        _calibrate_options,
        lambda args: _calibration().run(args.measurements, args.write, args.config),
    ),
    "server": Command(
        "run the language server (LSP over standard input and output)",
        "Run the language server: editors show hvlint's findings as you type (docs/integrations.md).",
        _server_options,
        _server,
    ),
}
"""Every command, one entry each: a new command is a function that declares its options, one that runs
it, and an entry here."""
