"""Whether a run's selection gives its command something to run. `check` and `drift` run different
rules (`Rule.command`) under one configuration: a code of the command line that only the other command
runs, or a selection that leaves the command none of its rules, would make a run that can report
nothing, and a gate that stays green (docs/decisions.md)."""

from __future__ import annotations

from collections.abc import Sequence

from hvlint.engine import is_selected
from hvlint.errors import UsageError
from hvlint.findings import LANGUAGE_CODES

TYPE_CHECKING = False
if TYPE_CHECKING:
    from hvlint.config import Config
    from hvlint.pipeline import Configured, Options
    from hvlint.plugins import Registry

LISTED = 6
"""A command's rules are named in a refusal when it has at most this many."""


def refuse_empty_selection(
    registry: Registry, configured: Configured, options: Options, command: str
) -> None:
    """Refuses (UsageError) a `--select` or `--ignore` code or prefix whose rules only another command
    runs, and a selection in effect that selects none of the rules `command` runs. The language's codes
    (HV000-HV004) are every command's; the configuration file's codes may name either command's rules,
    since one file serves both."""
    own = _rules_of(registry, command)
    for option, codes in (("--select", options.select or ()), ("--ignore", options.ignore or ())):
        for code in codes:
            _refuse_foreign(registry, own, option, code, command)
    effective = configured.effective
    if not any(is_selected(code, effective) for code in own):
        shown = f" ({', '.join(own)})" if len(own) <= LISTED else ""
        raise UsageError(
            f"{_selection(configured.file, options)} selects none of the rules `hvlint {command}` runs"
            f"{shown}: it would report nothing (`hvlint rules` lists every rule)"
        )


def _rules_of(registry: Registry, command: str) -> list[str]:
    """The codes of the rules `command` runs, language codes left out, in code order."""
    return sorted(
        code
        for code, info in registry.rules.items()
        if info.rule.command == command and code not in LANGUAGE_CODES
    )


def _refuse_foreign(registry: Registry, own: Sequence[str], option: str, code: str, command: str) -> None:
    """Refuses `code` of `option` when it matches rules of other commands and none of `command`'s (a
    code that matches no rule at all was refused before, by pipeline.check_selectors)."""
    if any(rule.startswith(code) for rule in (*own, *LANGUAGE_CODES)):
        return
    others = sorted(
        {info.rule.command for rule, info in registry.rules.items() if rule.startswith(code)} - {command}
    )
    owners = " and ".join(f"`hvlint {other}`" for other in others)
    what = "this rule" if code in registry.rules else "rules with this prefix"
    listed = "(`hvlint rules` lists every rule)"
    raise UsageError(f"{option} {code}: only {owners} runs {what}, not `hvlint {command}` {listed}")


def _selection(file: Config, options: Options) -> str:
    """Where the selection in effect comes from: `--select`, else the file's `select`; then `--ignore`,
    else the file's `ignore` (a `--select` leaves the file's `ignore` out)."""
    parts = []
    if options.select is not None:
        parts.append(f"--select {','.join(options.select)}")
    elif file.select is not None:
        parts.append(
            f"{file.file}: `select` {', '.join(file.select)}"
            if file.select
            else f"{file.file}: `select = []`"
        )
    if options.ignore is not None:
        parts.append(f"--ignore {','.join(options.ignore)}")
    elif file.ignore and options.select is None:
        parts.append(f"{file.file}: `ignore` {', '.join(file.ignore)}")
    return ", ".join(parts) or "the selection"
