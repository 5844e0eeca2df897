"""The rule API plugins rely on (plugins.md): `Rule`, the context a rule checks with, and its findings."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping

from hvlint.lean_typing import TypeVar
from hvlint.records import FrozenRecord

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, ClassVar

    from hvlint.config import Config
    from hvlint.language.model import Model, Node
    from hvlint.language.syntax import Span


T = TypeVar("T")


class RuleFinding(FrozenRecord):
    """A finding as a rule states it: the object, the span it points at, the message, and optionally a
    severity that replaces the rule's default for this finding (e.g. one that depends on the platform)."""

    __match_args__ = ("node", "span", "message", "severity")
    __slots__ = __match_args__
    node: Node
    span: Span
    message: str
    severity: str | None

    def __init__(self, node: Node, span: Span, message: str, severity: str | None = None) -> None:
        self._assign(node, span, message, severity)


class Rule:
    """Base class of every rule. Subclasses set the class attributes and implement `check`.

    The class docstring is the explanation `hvlint explain CODE` prints: what the rule checks, why it
    matters for a live migration, how to fix it, and a failing and a passing example.
    """

    code: ClassVar[str] = ""
    name: ClassVar[str] = ""
    severity: ClassVar[str] = "warning"
    summary: ClassVar[str] = ""
    severity_note: ClassVar[str] = ""
    """How the default severity depends on the file (e.g. "error on ws2008r2, else warning"), if it does."""
    settings: ClassVar[Mapping[str, Any]] = {}
    """The rule's own settings and their defaults; `[rules.CODE]` in the configuration may set them."""
    command: ClassVar[str] = "check"
    """The command whose runs report the rule: `check` (and every command that lints as it does), or
    `drift` for the HV9xx codes, whose findings come from comparing an inventory with the files."""

    def check(self, ctx: Context) -> Iterable[RuleFinding]:
        """The findings of this rule for the file in `ctx`."""
        raise NotImplementedError


class Context:
    """What a rule is given: the file's model, its base revision's model, the configuration, its settings."""

    __match_args__ = ("_shared", "base", "config", "model", "settings")
    __slots__ = __match_args__

    def __init__(
        self,
        model: Model,
        base: Model | None,
        config: Config,
        settings: Mapping[str, Any],
        shared: dict[Hashable, Any] | None = None,
    ) -> None:
        self.model = model
        self.base = base
        self.config = config
        self.settings = settings
        self._shared = shared if shared is not None else {}

    def shared(self, key: Hashable, compute: Callable[[], T]) -> T:
        """What `compute()` gives, computed once per checked file and shared by every rule that asks with
        the same `key` (e.g. the estimates all HV5 rules judge); the key names what it depends on."""
        if key not in self._shared:
            self._shared[key] = compute()
        return self._shared[key]

    def finding(
        self,
        obj: Node,
        message: str,
        at: str | None = None,
        *,
        index: int | None = None,
        severity: str | None = None,
    ) -> RuleFinding:
        """A finding at `obj`'s block header, or at its attribute `at` (at item `index` of a list)."""
        return RuleFinding(obj, obj.positions.of(at, index), message, severity)


def ancestors(node: Node) -> Iterator[Node]:
    """The node and every node whose block encloses it, innermost first."""
    current: Node | None = node
    while current is not None:
        yield current
        current = current.parent
