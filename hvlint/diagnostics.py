"""hvlint's own diagnostics, HV000-HV005: each code's name, severity and summary, and each message they print,
defined once (as pyflakes' `messages.py` defines its messages), for the parser, the resolver, the engine,
the suppressions and `hvlint explain` alike (rules.md, HV0xx)."""

from __future__ import annotations

from hvlint.records import FrozenRecord

TYPE_CHECKING = False
if TYPE_CHECKING:
    from hvlint.language.syntax import Span


class Diagnostic(FrozenRecord):
    """One of hvlint's own codes: what `hvlint rules` and every finding of it show. `always_reported`:
    selection, severity overrides and suppressions do not apply to it (rules.md, HV0xx)."""

    __match_args__ = ("code", "name", "severity", "summary", "always_reported")
    __slots__ = __match_args__
    code: str
    name: str
    severity: str
    summary: str
    always_reported: bool

    def __init__(self, code: str, name: str, severity: str, summary: str, always_reported: bool) -> None:
        self._assign(code, name, severity, summary, always_reported)


INTERNAL_ERROR = Diagnostic("HV000", "internal-error", "error", "a rule raised an exception", True)
SYNTAX_ERROR = Diagnostic("HV001", "syntax-error", "error", "the file does not parse", True)
UNRESOLVED_REFERENCE = Diagnostic(
    "HV002", "unresolved-reference", "error", "a reference names nothing declared", True
)
DUPLICATE_DECLARATION = Diagnostic(
    "HV003",
    "duplicate-declaration",
    "error",
    "a name declared twice in one scope, or an attribute given twice in one block",
    True,
)
INVALID_VALUE = Diagnostic("HV004", "invalid-value", "error", "an invalid attribute, block or value", True)
UNUSED_SUPPRESSION = Diagnostic(
    "HV005",
    "unused-suppression",
    "warning",
    "a suppression comment that suppressed nothing, or names an unknown code",
    False,
)

DIAGNOSTICS = (
    INTERNAL_ERROR,
    SYNTAX_ERROR,
    UNRESOLVED_REFERENCE,
    DUPLICATE_DECLARATION,
    INVALID_VALUE,
    UNUSED_SUPPRESSION,
)
BY_CODE = {diagnostic.code: diagnostic for diagnostic in DIAGNOSTICS}
ALWAYS_REPORTED = tuple(diagnostic.code for diagnostic in DIAGNOSTICS if diagnostic.always_reported)
"""The codes that selection, severity overrides and suppression comments do not apply to."""


class Message(FrozenRecord):
    """One message of a diagnostic, with `{placeholders}` for the names and numbers it reports."""

    __match_args__ = ("diagnostic", "template")
    __slots__ = __match_args__
    diagnostic: Diagnostic
    template: str

    def __init__(self, diagnostic: Diagnostic, template: str) -> None:
        self._assign(diagnostic, template)

    def format(self, **fields: object) -> str:
        """The message with its placeholders filled."""
        return self.template.format(**fields)


class Problem(FrozenRecord):
    """One diagnostic found in a file (HV001-HV004): where, what, and the object it is about."""

    __match_args__ = ("diagnostic", "span", "message", "subject")
    __slots__ = __match_args__
    diagnostic: Diagnostic
    span: Span
    message: str
    subject: str | None

    def __init__(self, diagnostic: Diagnostic, span: Span, message: str, subject: str | None) -> None:
        self._assign(diagnostic, span, message, subject)

    @property
    def code(self) -> str:
        """The diagnostic's code."""
        return self.diagnostic.code


# HV000
RULE_RAISED = Message(INTERNAL_ERROR, "rule {code} ({name}) of plugin {plugin} raised {error_type}: {error}")
RULE_TIMED_OUT = Message(
    INTERNAL_ERROR, "rule {code} ({name}) of plugin {plugin} ran longer than {timeout} s on {path}"
)

# HV001 (the parser's own wording of what it expected is in hvlint.language.syntax)
INVALID_UTF8 = Message(SYNTAX_ERROR, "invalid UTF-8: byte 0x{byte:02x} at offset {offset} ({reason})")
SPACE_BEFORE_UNIT = Message(SYNTAX_ERROR, "write `{number}{unit}`: no space between a number and its unit")

# HV002
UNKNOWN_REFERENCE = Message(
    UNRESOLVED_REFERENCE, "unknown {what} `{name}` in `{attribute}` of {subject}{did_you_mean}"
)
IGNORED_DUPLICATE_REFERENCE = Message(
    UNRESOLVED_REFERENCE,
    "{what} `{name}` in `{attribute}` of {subject}: its declaration at line {line} was ignored "
    "as a duplicate of the one {first_place} (line {first_line})",
)

# HV003
DECLARED_TWICE = Message(
    DUPLICATE_DECLARATION, "{kind} `{name}` is declared twice in the same scope (first at line {first_line})"
)
ATTRIBUTE_TWICE = Message(
    DUPLICATE_DECLARATION, "attribute `{name}` is given twice in {subject} (first at line {first_line})"
)
SECOND_INLINE_PROCESSOR = Message(DUPLICATE_DECLARATION, "{host} declares a second inline processor")

# HV004 (a value's own problems are worded by its type, in hvlint.language.values)
BLOCK_NEEDS_NAME = Message(INVALID_VALUE, "block `{kind}` needs a name")
BLOCK_NOT_ALLOWED = Message(INVALID_VALUE, "block `{kind}` is not allowed {place} (expected {expected})")
BLOCK_IS_ATTRIBUTE = Message(INVALID_VALUE, "block `{kind}` is an attribute of {where}: write `{kind} = ...`")
UNKNOWN_BLOCK = Message(INVALID_VALUE, "unknown block `{kind}` {place}{did_you_mean} (expected {expected})")
ATTRIBUTE_IS_BLOCK = Message(
    INVALID_VALUE, 'attribute `{name}` is a block in {kind}: write `{name} "NAME" {{ ... }}`'
)
UNKNOWN_ATTRIBUTE = Message(
    INVALID_VALUE, "unknown attribute `{name}` in {kind}{did_you_mean} (expected one of {expected})"
)
MISSING_ATTRIBUTE = Message(INVALID_VALUE, "{subject} is missing the required attribute `{name}`")
LIST_IN_LIST = Message(INVALID_VALUE, "a list inside a list: `{name}` holds names and strings only")
NETWORKS_OF_STANDALONE_HOST = Message(INVALID_VALUE, "standalone host {host} has no cluster networks to list")
PROCESSOR_GIVEN_INLINE = Message(INVALID_VALUE, "{subject} has an inline processor block already")
HOST_OF_NESTED_VM = Message(
    INVALID_VALUE, "attribute `host` is not allowed on a vm declared inside host {host}: it runs there"
)
TRANSPORT_NEEDS_WS2012R2 = Message(
    INVALID_VALUE, "transport `{transport}` needs ws2012r2 or later; {subject} is {platform}"
)
LOCAL_STORAGE_HOSTS = Message(
    INVALID_VALUE, "local {subject} needs `hosts` with exactly one host, found {count}"
)
HOST_NOT_AN_OWNER = Message(
    INVALID_VALUE,
    "host {host} of {subject} is not one of its possible_owners ({owners}): add {host} to possible_owners",
)

# HV003 and HV004, standalone hosts and disk blocks (language-v2.md)
DISK_GIVEN_TWICE = Message(
    DUPLICATE_DECLARATION, "disk `{path}` is given twice in {subject} (first at line {first_line})"
)
STANDALONE_ONLY_ATTRIBUTE = Message(
    INVALID_VALUE,
    "attribute `{name}` is for standalone hosts: inside a cluster, cluster {cluster}'s settings govern "
    "live migration",
)
CLUSTERED_OWNER_OF_STANDALONE_VM = Message(
    INVALID_VALUE,
    "host `{name}` in `possible_owners` of {subject} is inside cluster {cluster}: a standalone VM's possible "
    "owners must be standalone hosts; moves between a cluster and a standalone host are not described in "
    "version 2",
)

# HV005
UNKNOWN_CODE = Message(UNUSED_SUPPRESSION, "unknown code `{code}` in `{directive}=`")
CANNOT_BE_SUPPRESSED = Message(UNUSED_SUPPRESSION, "code {code} cannot be suppressed")
NOTHING_SUPPRESSED = Message(UNUSED_SUPPRESSION, "unused suppression: no {code} finding here to suppress")
