"""`hvlint drift INVENTORY.json PATH ...`: the inventory imported in memory, the described files read and
resolved as `check` reads them, and every difference reported as a finding (HV901-HV903) through the
linter, so that the formats, exit statuses, `--fail-on`, suppressions, selection and baselines are
`check`'s."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, NamedTuple

from hvlint.errors import HvlintError

if TYPE_CHECKING:
    from hvlint.language.model import Model
    from hvlint.pipeline import Options, Run

COMMAND = "drift"


class Estate(NamedTuple):
    """An inventory as the import reads it: its name in messages, the model of the description `import`
    would write, the import's warnings (`PATH: MESSAGE`), the file it was read from (None: standard
    input), and the VM attributes it wrote as defaults for want of a value ((host, VM, attribute),
    case-folded), which drift does not compare."""

    name: str
    model: Model
    warnings: list[str]
    path: str | None = None
    untold: frozenset[tuple[str, str, str]] = frozenset()


def read_estate(path: str) -> Estate:
    """The inventory at `path` (`-`: standard input) imported in memory; HvlintError when `import` would
    refuse it."""
    from hvlint.importer.command import read_inventory_file

    name, data = read_inventory_file(path, None)
    try:
        estate = import_estate(data, name)
    except HvlintError as error:
        if path.lower().endswith(".hvc"):
            raise HvlintError(
                f"{error} (the inventory comes first: hvlint drift INVENTORY.json PATH ...)"
            ) from None
        raise
    return estate._replace(path=None if path == "-" else path)


def import_estate(data: bytes, name: str) -> Estate:
    """An inventory's bytes imported in memory, named `name` in messages; HvlintError when `import`
    would refuse them."""
    from hvlint.importer.command import import_inventory

    imported = import_inventory(data, name)
    return Estate(name, imported.document.model, imported.warnings, untold=imported.untold)


def drift(estate: Estate, options: Options) -> Run:
    """The run of `hvlint drift`: configure, read and resolve the described files, compare them with the
    estate, lint them with the HV9xx rules handed the differences, refine, and apply or record a
    baseline as `check` does."""
    from hvlint import pipeline
    from hvlint.drift import DIFFERENCES
    from hvlint.drift.compare import compare
    from hvlint.engine import Linter

    configured = pipeline.configure(options)
    baseline = pipeline.load_baseline(options.baseline)
    run = pipeline.Run(configured)
    sources = pipeline.read_sources(options, configured.effective, run)
    read = [estate.path] if estate.path is not None else []
    pipeline.refuse_unsafe_targets(options, configured.effective, sources, read)
    if not sources and not run.errors:
        raise pipeline.UsageError("no .hvc files to compare the inventory with")
    run.registry = pipeline.load_rules(configured.effective)
    pipeline.check_selectors(run.registry, configured, options, COMMAND)
    linter = Linter(run.registry, configured.effective, command=COMMAND)
    documents = [pipeline.parse_and_resolve(source) for source in sources]
    broken = [document.path for document, _ in documents if document.has_syntax_errors]
    for path in broken:
        run.errors.append(f"{path}: does not parse, so drift compared nothing; fix it and run drift again")
    models = [d.model for d, _ in documents]
    found = compare(estate.model, models, estate.untold) if documents and not broken else {}
    run.checked = [
        pipeline.lint_document(linter, document, base, {DIFFERENCES: found.get(document.path, {})})
        for document, base in documents
    ]
    pipeline.refine(run)
    if options.write_baseline:
        pipeline.write_baseline(run, options.write_baseline)
    if baseline is not None:
        pipeline.apply_baseline(run, baseline)
    return run


def add_options(parser: argparse.ArgumentParser) -> None:
    """Declares `drift`'s own options: `check`'s that mean something here."""
    from hvlint.arguments import codes as _codes
    from hvlint.findings import FAIL_ON
    from hvlint.reporters import FORMATS

    parser.add_argument("inventory", metavar="INVENTORY.json", help="the inventory; `-` reads standard input")
    parser.add_argument(
        "paths", nargs="*", metavar="PATH", help="the described files or directories (default: .)"
    )
    parser.add_argument("--format", choices=FORMATS, default="text", help="report format (default: text)")
    parser.add_argument(
        "--output", "-o", metavar="FILE", help="write the report to FILE, whole or not at all"
    )
    parser.add_argument("--select", type=_codes, metavar="CODES", help="comma-separated codes or prefixes")
    parser.add_argument("--ignore", type=_codes, metavar="CODES", help="comma-separated codes or prefixes")
    parser.add_argument("--fail-on", choices=FAIL_ON, help="lowest severity that makes the exit status 1")
    baseline = parser.add_mutually_exclusive_group()
    baseline.add_argument("--baseline", metavar="FILE", help="report only findings not recorded in FILE")
    baseline.add_argument(
        "--write-baseline", metavar="FILE", help="record every finding in FILE; exit 0 unless drift failed"
    )
    parser.add_argument("--stdin-filename", metavar="NAME", help="the name of a PATH given as `-`")
    parser.add_argument("--statistics", action="store_true", help="print a count per code after the report")


def run(args: argparse.Namespace) -> int:
    """`hvlint drift`: the report, and `check`'s exit status for it."""
    from hvlint import pipeline
    from hvlint.command_support import finish_lint, options, warning

    if args.inventory == "-" and "-" in args.paths:
        raise pipeline.UsageError("`-` (standard input) may be the inventory or a PATH, not both")
    estate = read_estate(args.inventory)
    if not args.quiet:
        for line in estate.warnings:
            warning(f"{estate.name}: {line}")
    return finish_lint(drift(estate, options(args)), args)
