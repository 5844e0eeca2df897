"""HV0xx: the language and the tool. The language reports these itself; the classes carry their docs."""

from __future__ import annotations

from collections.abc import Iterable

from hvlint import diagnostics
from hvlint.diagnostics import Diagnostic
from hvlint.hookspecs import hookimpl
from hvlint.rule import Context, Rule, RuleFinding

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class _Diagnostic(Rule):
    """A code the language or the engine reports rather than a rule that looks at the model; its code,
    name, severity and summary are those hvlint.diagnostics defines."""

    def __init_subclass__(cls, definition: Diagnostic, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.code = definition.code
        cls.name = definition.name
        cls.severity = definition.severity
        cls.summary = definition.summary

    def check(self, ctx: Context) -> Iterable[RuleFinding]:
        return ()


class InternalError(_Diagnostic, definition=diagnostics.INTERNAL_ERROR):
    """A rule raised an exception while checking this file.

    **What it means.** hvlint caught the exception, reported it as HV000 naming the rule and the
    exception, and ran every other rule. The exit status is 2, because hvlint could not finish its job.
    A rule that yields something other than `ctx.finding(...)`, or a finding with an unknown severity,
    is reported the same way.

    **How to fix it.** Report it to the rule's authors (for an HV rule, hvlint's); run with `--verbose` to
    print the traceback. HV000 cannot be suppressed.

    **Example.** A site plugin's rule that divides by a VM's `working_set`, which is None when not given:
    ```text
    prod.hvc:1:1: error: rule ACME002 (large-working-set) of plugin acme_ratio raised TypeError:
    unsupported operand type(s) for /: 'NoneType' and 'int' [HV000]
    ```
    """


class SyntaxError_(_Diagnostic, definition=diagnostics.SYNTAX_ERROR):
    """The file does not parse.

    **Why it matters.** What a file that does not parse means is unknown, so it gets no other finding
    until the syntax error is fixed. hvlint recovers and reports the next independent syntax errors too.

    **Example.**
    ```hvc
    vm "SQL01" { host = HV01  memory 16GiB }      # expected `=` after attribute name `memory`
    vm "SQL01" { host = HV01  memory = 16GiB }    # passes
    ```
    HV001 cannot be suppressed.
    """


class UnresolvedReference(_Diagnostic, definition=diagnostics.UNRESOLVED_REFERENCE):
    """A reference names nothing declared.

    **Why it matters.** hvlint cannot judge a VM whose host, possible owner or storage it cannot find,
    and neither can Hyper-V: a typo here usually means a VM placed on, or allowed onto, a host that does
    not exist. Every rule that needs the reference stays silent about the object until it resolves, so a
    broken reference can hide real problems.

    **How to fix it.** Declare the object, or correct the name; the message suggests the closest declared
    name. References resolve case-insensitively within their cluster (a processor also at top level and
    in the built-in catalogue, `hvlint processors`), and forward references are fine.

    **Example.**
    ```hvc
    vm "SQL01" { host = HV09  memory = 16GiB }    # no host HV09 in the cluster
    vm "SQL01" { host = HV01  memory = 16GiB }    # passes
    ```
    HV002 cannot be suppressed.
    """


class DuplicateDeclaration(_Diagnostic, definition=diagnostics.DUPLICATE_DECLARATION):
    """A name is declared twice in one scope, or an attribute is given twice in one block.

    **Why it matters.** Windows compares names case-insensitively, so `HV01` and `hv01` are one machine;
    two declarations usually mean a copy-and-paste that was not renamed, and a reader cannot tell which
    one is meant. hvlint ignores the second declaration or attribute (references resolve to the first),
    so whatever the second one says is never checked.

    **How to fix it.** Rename the copy, or delete it; for an attribute, keep the value you mean. Host
    names are unique in the whole file (a host is one machine, in one cluster at most); networks,
    storage and VMs are unique within their cluster.

    **Example.**
    ```hvc
    host "HV01" { processor = "amd-opteron-2300"  memory = 64GiB }
    host "hv01" { processor = "amd-opteron-2300"  memory = 64GiB }   # HV003: hv01 is HV01
    ```
    HV003 cannot be suppressed.
    """


class InvalidValue(_Diagnostic, definition=diagnostics.INVALID_VALUE):
    """An unknown attribute or block, a missing required attribute, a wrong type or unit, an unknown enum
    value, or a value out of range.

    **Why it matters.** A misspelt key is not a comment: `dirty_rat = 80MB/s` leaves the VM's dirty rate
    unset, so its predicted pause says nothing, and a wrong unit (`memory = 16GB` where `16GiB` was
    meant is fine, but `bandwidth = 10GiB` is a size, not a rate) changes what every rule computes. No
    rule reports a finding that follows from a value in error, so the value must be fixed first.

    **How to fix it.** Follow the message: it names the attribute, what it expects (with an example of
    the notation), and, for a misspelt key or value, the closest valid spelling and the allowed values.

    **Example.**
    ```hvc
    vm "SQL01" { host = HV01  memory = 16GiB  dirty_rat = 80MB/s }   # did you mean `dirty_rate`?
    vm "SQL01" { host = HV01  memory = 16GiB  dirty_rate = 80MB/s }  # passes
    ```
    HV004 cannot be suppressed.
    """


class UnusedSuppression(_Diagnostic, definition=diagnostics.UNUSED_SUPPRESSION):
    """A suppression comment suppressed nothing, or names an unknown code.

    **Why it matters.** Suppressions rot: once the problem is fixed, a stale `disable=` would hide the
    next real one. hvlint reports a suppressed code that matched no finding of a rule that ran on the file,
    a code no plugin knows, and codes HV000-HV004, which cannot be suppressed. A `disable=` comment alone
    on its line suppresses nothing: put it on the attribute's line or the block's header line, or use
    `disable-file=`.

    **Example.**
    ```hvc
    vm "WEB01" {   # hvlint: disable=HV402     <- HV005 when WEB01 needs no compatibility mode
    ```
    """


@hookimpl
def hvlint_rules() -> list[type[Rule]]:
    """hvlint's HV0xx codes."""
    return [
        InternalError,
        SyntaxError_,
        UnresolvedReference,
        DuplicateDeclaration,
        InvalidValue,
        UnusedSuppression,
    ]
