"""What the commands that lint (`check`, `drift`) and those that report a run (`estimate`, `report`)
share: the run's options from the arguments, the lines hvlint writes on standard error, and the report
and exit status of a run (cli.md)."""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # typing is not imported: see hvlint/cli.py
if TYPE_CHECKING:
    import argparse

    from hvlint.pipeline import Options, Run

EXIT_CLEAN, EXIT_FINDINGS, EXIT_TROUBLE = 0, 1, 2


def info(message: str) -> None:
    """A line of information on standard error."""
    print(f"hvlint: {message}", file=sys.stderr)


def error_line(message: str) -> None:
    """An error about a file on standard error, its text escaped as it is (a file name may hold a line
    break: it is shown as `\\n`, never as a second line)."""
    from hvlint.shown import escaped

    print(f"hvlint: error: {escaped(message)}", file=sys.stderr)


def warning(message: str) -> None:
    """A warning on standard error, its text escaped as it is."""
    from hvlint.shown import escaped

    print(f"hvlint: warning: {escaped(message)}", file=sys.stderr)


def options(args: argparse.Namespace) -> Options:
    """The run's options, from the command line's arguments."""
    from hvlint.pipeline import Options

    return Options(
        paths=tuple(args.paths),
        stdin_filename=args.stdin_filename,
        config_file=args.config,
        select=getattr(args, "select", None),
        ignore=getattr(args, "ignore", None),
        fail_on=args.fail_on,
        base=getattr(args, "base", None),
        baseline=getattr(args, "baseline", None),
        write_baseline=getattr(args, "write_baseline", None),
        jobs=getattr(args, "jobs", None),
        cache=not getattr(args, "no_cache", False),
        output=args.output,
    )


def tell(run: Run, verbose: bool) -> None:
    """Says on standard error, before the report, what the run could not do, and with `--verbose` what
    ran (and the tracebacks of rules that raised)."""
    if verbose:
        info(f"configuration: {run.config.file or 'none (defaults)'}")
    for message in run.warnings:
        warning(message)
    for message in run.errors:
        error_line(message)
    if verbose:
        if run.registry is None:
            info("plugins: not loaded (the cache answered for every file)")
        else:
            info("plugins: " + ", ".join(f"{p.name} {p.version}" for p in run.registry.plugins))
        if run.cache is not None:
            info(f"cache {run.cache.directory}: {run.cache.hits} hits, {run.cache.misses} misses")
        for text in run.tracebacks:
            print(text, file=sys.stderr, end="")
    sys.stderr.flush()


def status(run: Run) -> int:
    """2 when hvlint could not do all its job, else 1 when a finding is at or above `fail_on`, else 0."""
    if run.troubled:
        return EXIT_TROUBLE
    return EXIT_FINDINGS if run.failed else EXIT_CLEAN


def finish_lint(run: Run, args: argparse.Namespace) -> int:
    """Says what a lint run (`check`, `drift`) could not do, delivers its report and `--statistics`, and
    returns its exit status (0, not 1, once `--write-baseline` recorded the findings)."""
    from hvlint import pipeline
    from hvlint.reporters import statistics

    tell(run, args.verbose)
    color = not args.output and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    style = pipeline.ReportOptions(args.format, color=color, quiet=args.quiet)
    pipeline.deliver(pipeline.report(run, style), args.output)
    if args.statistics:
        table = statistics(run.findings)
        print(table, end="", file=sys.stdout if args.format == "text" and not args.output else sys.stderr)
    code = status(run)
    if args.write_baseline and code == EXIT_FINDINGS:
        return EXIT_CLEAN
    return code
