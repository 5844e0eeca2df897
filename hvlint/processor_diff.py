"""`hvlint processors --diff A B`: what each of two catalogue parts offers a guest that the other lacks, for
planning a cluster of mixed hosts (cli.md, `hvlint processors`)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from hvlint.errors import HvlintError
from hvlint.language.caption import match_caption, vendor_name
from hvlint.language.catalogue import catalogue, guest_features
from hvlint.language.model import Processor
from hvlint.language.spelling import closest


def add_options(parser: argparse.ArgumentParser) -> None:
    """Declares `processors`' options."""
    parser.add_argument(
        "--diff",
        nargs=2,
        metavar=("A", "B"),
        help="print what each of two catalogue processors (names or Windows captions) has that the other "
        "lacks",
    )


def part_named(name: str) -> Processor:
    """The catalogue part `name` names (case-insensitively, or as a Windows caption), else an error that
    suggests the closest name."""
    parts = catalogue()
    found = parts.get(name.casefold())
    if found is not None:
        return found
    caption = match_caption(name, {}, "--diff")
    if caption is not None:
        if caption.processor is None:
            raise HvlintError(str(caption.problem))
        return caption.processor
    hint = closest(name, [part.name for part in parts.values()])
    did_you_mean = f"; did you mean `{hint}`?" if hint else ""
    raise HvlintError(
        f"--diff: no catalogue processor `{name}`{did_you_mean} (`hvlint processors` lists them)"
    )


def diff_text(names: Sequence[str]) -> str:
    """The report of `--diff A B`: each part's guest-visible features the other lacks, one line each."""
    first, second = (part_named(name) for name in names)
    ours, theirs = guest_features(first), guest_features(second)
    lines = [_line(first, second, ours - theirs), _line(second, first, theirs - ours)]
    if first.vendor != second.vendor:
        lines.append(
            f"{first.name} is {vendor_name(first.vendor)} and {second.name} {vendor_name(second.vendor)}: "
            f"no VM live-migrates between them, whatever its compatibility mode (HV401)"
        )
    elif ours == theirs:
        lines.append(f"{first.name} and {second.name} offer a guest the same features: VMs move both ways")
    lines.append("(host-only flags are left out: `hvlint processors` lists them)")
    return "\n".join(lines) + "\n"


def _line(has: Processor, lacks: Processor, features: frozenset[str]) -> str:
    listed = " ".join(sorted(features)) if features else "nothing"
    return f"{has.name} has, {lacks.name} lacks ({len(features)}): {listed}"
