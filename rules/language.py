"""HV0xx: the language and the tool. The language reports these itself; the classes carry their docs."""

from __future__ import annotations

from collections.abc import Iterable

from hvlint.hookspecs import hookimpl
from hvlint.rule import Context, Rule, RuleFinding


class _Diagnostic(Rule):
    """A code the language or the engine reports rather than a rule that looks at the model."""

    def check(self, ctx: Context) -> Iterable[RuleFinding]:
        return ()


class InternalError(_Diagnostic):
    """A rule raised an exception while checking this file.

    **What it means.** hvlint caught the exception, reported it as HV000 naming the rule and the
    exception, and ran every other rule. The exit status is 2, because hvlint could not finish its job.

    **How to fix it.** Report it to the rule's authors (for an HV rule, hvlint's); run with `--verbose` to
    print the traceback. HV000 cannot be suppressed.
    """

    code = "HV000"
    name = "internal-error"
    severity = "error"
    summary = "a rule raised an exception"


class SyntaxError_(_Diagnostic):
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

    code = "HV001"
    name = "syntax-error"
    severity = "error"
    summary = "the file does not parse"


class UnresolvedReference(_Diagnostic):
    """A reference names nothing declared.

    References resolve case-insensitively within their cluster (a processor also at top level and in the
    built-in catalogue); forward references are fine. A rule that needs the reference stays silent about
    the object until it resolves.

    **Example.**
    ```hvc
    vm "SQL01" { host = HV09  memory = 16GiB }    # no host HV09 in the cluster
    vm "SQL01" { host = HV01  memory = 16GiB }    # passes
    ```
    HV002 cannot be suppressed.
    """

    code = "HV002"
    name = "unresolved-reference"
    severity = "error"
    summary = "a reference names nothing declared"


class DuplicateDeclaration(_Diagnostic):
    """A name is declared twice in one scope, or an attribute is given twice in one block.

    The second declaration or attribute is ignored; references resolve to the first. Names compare
    case-insensitively, as Windows compares them.

    **Example.**
    ```hvc
    host "HV01" { processor = "amd-opteron-2300"  memory = 64GiB }
    host "hv01" { processor = "amd-opteron-2300"  memory = 64GiB }   # HV003: hv01 is HV01
    ```
    HV003 cannot be suppressed.
    """

    code = "HV003"
    name = "duplicate-declaration"
    severity = "error"
    summary = "a name declared twice in one scope, or an attribute given twice in one block"


class InvalidValue(_Diagnostic):
    """An unknown attribute or block, a missing required attribute, a wrong type or unit, an unknown enum
    value, or a value out of range.

    Misspelt keys and enum values get a "did you mean" and the list of allowed values. No rule reports a
    finding that follows from a value in error.

    **Example.**
    ```hvc
    vm "SQL01" { host = HV01  memory = 16GiB  dirty_rat = 80MB/s }   # did you mean `dirty_rate`?
    vm "SQL01" { host = HV01  memory = 16GiB  dirty_rate = 80MB/s }  # passes
    ```
    HV004 cannot be suppressed.
    """

    code = "HV004"
    name = "invalid-value"
    severity = "error"
    summary = "an invalid attribute, block or value"


class UnusedSuppression(_Diagnostic):
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

    code = "HV005"
    name = "unused-suppression"
    severity = "warning"
    summary = "a suppression comment that suppressed nothing, or names an unknown code"


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
