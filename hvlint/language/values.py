"""Attribute types of the schema (language.md §3): each makes a raw value typed, or says why not."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from hvlint.language import units
from hvlint.language.spelling import closest
from hvlint.language.syntax import RawList, RawValue, Span, token_span, value_span

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_WORDS = {
    "STRING": "a string",
    "NAME": "a name",
    "NUMBER": "a number",
    "QUANTITY": "a quantity",
    "BOOLEAN": "a boolean",
}


LARGEST = 1e18
"""The largest magnitude a number or quantity may have, in base units (an exabyte, 10^18 seconds): beyond
it, arithmetic on the value overflows, and no cluster is that large."""
SMALLEST = 1e-9
"""The smallest magnitude a number or quantity other than 0 may have, in base units (a nanosecond)."""
_BASE_UNITS = {
    units.SIZE: " bytes",
    units.RATE: " bytes/s",
    units.DURATION: " seconds",
    units.RATIO: "",
}


_REMEMBERED = 4096
"""How many converted values a type keeps, at most, for the next time the same text is written."""


class ValueProblem(Exception):
    """A value that does not fit its attribute: HV004 (or HV002 for references) at `span`."""

    def __init__(self, span: Span, message: str) -> None:
        super().__init__(message)
        self.span = span
        self.message = message


def found(value: RawValue) -> str:
    """How a value found in the wrong place is named in a message."""
    if isinstance(value, RawList):
        return "a list"
    text = str(value)
    if len(text) > 40:
        text = text[:37] + "..."
    return f"{_WORDS.get(value.type, 'a value')} `{text}`"


def string_value(token: Any) -> str:
    """The text a STRING or NAME token stands for (quotes removed, escapes applied)."""
    text = str(token)
    if token.type != "STRING":
        return text
    if text[0] == "'":
        return text[1:-1]
    body = text[1:-1]
    if "\\" not in body:
        return body
    out = []
    index = 0
    while index < len(body):
        char = body[index]
        if char == "\\":
            index += 1
            out.append({"n": "\n", "t": "\t"}.get(body[index], body[index]))
        else:
            out.append(char)
        index += 1
    return "".join(out)


def _out_of_range(raw: Any, kind: str | None = None) -> ValueProblem:
    text = str(raw)
    if len(text) > 40:
        text = text[:37] + "..."
    unit = _BASE_UNITS.get(kind, "") if kind else ""
    return ValueProblem(
        token_span(raw),
        f"attribute `{{attribute}}` is out of range: `{text}` must be 0 "
        f"or between {SMALLEST:g} and {LARGEST:g}{unit}",
    )


def _in_range(value: int | float, raw: Any, kind: str | None = None) -> int | float:
    """`value` when it is 0 or its magnitude lies between SMALLEST and LARGEST, else ValueProblem: larger
    or smaller values would overflow the estimator's arithmetic to infinity."""
    try:
        magnitude = abs(float(value))
    except OverflowError:
        raise _out_of_range(raw, kind) from None
    if not math.isfinite(magnitude) or magnitude > LARGEST or 0 < magnitude < SMALLEST:
        raise _out_of_range(raw, kind)
    return value


class ValueType:
    """A kind of attribute value; `convert` gives the typed value or raises ValueProblem."""

    description = "a value"
    example = ""

    def convert(self, raw: RawValue) -> Any:
        """The typed value of `raw`, or ValueProblem."""
        raise NotImplementedError

    def expected(self, raw: RawValue, attribute: str) -> ValueProblem:
        """The problem of finding `raw` where this type was expected."""
        example = f" such as {self.example}" if self.example else ""
        return ValueProblem(
            value_span(raw),
            f"attribute `{attribute}` expects {self.description}{example}, found {found(raw)}",
        )


class Text(ValueType):
    """A string, or a bare name written where a string is expected."""

    description = "a string"

    def convert(self, raw: RawValue) -> Any:
        if isinstance(raw, RawList) or raw.type not in ("STRING", "NAME"):
            raise self.expected(raw, "{attribute}")
        return string_value(raw)


class Cidr(Text):
    """An IPv4 or IPv6 network in CIDR notation (`"10.0.50.0/24"`)."""

    description = "a network in CIDR notation"
    example = '`"10.0.50.0/24"`'

    def convert(self, raw: RawValue) -> Any:
        text = super().convert(raw)
        import ipaddress

        try:
            ipaddress.ip_network(text, strict=True)
        except ValueError as error:
            raise ValueProblem(value_span(raw), f"invalid subnet `{text}`: {error}") from None
        if "/" not in text:
            raise ValueProblem(
                value_span(raw), f"invalid subnet `{text}`: give a prefix length, e.g. `{text}/24`"
            )
        return text


class Reference(Text):
    """The name of a declared object of `target` kind; resolved by the resolver."""

    def __init__(self, target: str) -> None:
        self.target = target
        self.description = f"the name of a {target}"


class Enum(ValueType):
    """One of a fixed set of names, compared case-insensitively; `aliases` maps other spellings to them."""

    def __init__(self, choices: Sequence[str], aliases: Mapping[str, str] = {}) -> None:
        self.choices = choices
        self.aliases = aliases
        self._known = {choice: choice for choice in choices}  # every accepted spelling, folded
        self._known.update(aliases)

    @property
    def description(self) -> str:  # type: ignore[override]
        return "one of " + ", ".join(self.choices)

    def convert(self, raw: RawValue) -> Any:
        if isinstance(raw, RawList) or raw.type not in ("STRING", "NAME", "BOOLEAN"):
            raise self.expected(raw, "{attribute}")
        if raw.type != "STRING" and (choice := self._known.get(raw)) is not None:
            return choice
        text = string_value(raw)
        choice = self._known.get(text.casefold())
        if choice is not None:
            return choice
        hint = closest(text, self.choices)
        did_you_mean = f"; did you mean `{hint}`?" if hint else ""
        raise ValueProblem(
            token_span(raw),
            f"unknown value `{text}` for `{{attribute}}`{did_you_mean} "
            f"(expected one of {', '.join(self.choices)})",
        )


class Boolean(ValueType):
    """`true` or `false`."""

    description = "`true` or `false`"

    def convert(self, raw: RawValue) -> Any:
        if isinstance(raw, RawList) or raw.type != "BOOLEAN":
            problem = self.expected(raw, "{attribute}")
            named = not isinstance(raw, RawList) and raw.type == "NAME"
            if named and (hint := closest(str(raw), ("true", "false"))):
                raise ValueProblem(problem.span, f"{problem.message}; did you mean `{hint}`?")
            raise problem
        return str(raw) == "true"


class Number(ValueType):
    """A plain number; `integer` limits it to whole numbers, `minimum` bounds it from below."""

    def __init__(self, integer: bool = False, minimum: float | None = None) -> None:
        self.integer = integer
        self.minimum = minimum

    @property
    def description(self) -> str:  # type: ignore[override]
        what = "a whole number" if self.integer else "a number"
        return what if self.minimum is None else f"{what} of at least {self.minimum:g}"

    def convert(self, raw: RawValue) -> Any:
        if isinstance(raw, RawList) or raw.type != "NUMBER":
            problem = self.expected(raw, "{attribute}")
            text = str(raw)
            if not isinstance(raw, RawList) and raw.type == "QUANTITY" and _is_hex_then_b(text):
                problem = ValueProblem(
                    problem.span,
                    f"{problem.message}; its final `B` reads as bytes, so for the hexadecimal number write "
                    f"`{text.lower()}`",
                )
            raise problem
        try:
            number = units.parse_number(str(raw))
        except ValueError:  # more digits than Python converts to an integer
            raise _out_of_range(raw) from None
        assert number is not None
        number = _in_range(number, raw)
        if self.integer and not isinstance(number, int):
            raise self.expected(raw, "{attribute}")
        if self.minimum is not None and number < self.minimum:
            raise ValueProblem(
                token_span(raw), f"attribute `{{attribute}}` must be at least {self.minimum:g}, found `{raw}`"
            )
        return number


def _is_hex_then_b(text: str) -> bool:
    """Whether a quantity is a hexadecimal number whose last digit `B` the lexer read as bytes (`0x1B`)."""
    digits = text[2:-1]
    return (
        text.startswith("0x")
        and text.endswith("B")
        and bool(digits)
        and all(digit in "0123456789abcdefABCDEF" for digit in digits)
    )


class Quantity(ValueType):
    """A number with a unit of one kind (size, rate, duration, ratio), in base units."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.description = f"a {kind}"
        self.example = units.KIND_EXAMPLES[kind]
        self._valid: dict[str, float] = {}
        """The values of quantities converted already, by their text: a large file writes the same few
        quantities thousands of times."""

    def convert(self, raw: RawValue) -> Any:
        if not isinstance(raw, RawList):
            if raw.type == "QUANTITY" and (known := self._valid.get(raw)) is not None:
                return known
            try:
                quantity = units.parse_quantity(str(raw)) if raw.type == "QUANTITY" else None
            except (ValueError, OverflowError):  # too many digits, or beyond a float
                raise _out_of_range(raw, self.kind) from None
            if quantity is not None and quantity.kind == self.kind:
                value = _in_range(quantity.value, raw, self.kind)
                if len(self._valid) >= _REMEMBERED:
                    self._valid.clear()
                self._valid[str(raw)] = value
                return value
            if quantity is not None:
                raise ValueProblem(
                    token_span(raw),
                    f"attribute `{{attribute}}` expects a {self.kind} such as {self.example}, "
                    f"found the {quantity.kind} `{raw}`",
                )
            if raw.type == "NUMBER":
                raise ValueProblem(
                    token_span(raw),
                    f"attribute `{{attribute}}` expects a {self.kind} such as {self.example}, "
                    f"found the plain number `{raw}`: add a unit",
                )
            suggestion = units.suggest_unit(str(raw), self.kind) if raw.type == "NAME" else None
            if suggestion:
                raise ValueProblem(
                    token_span(raw),
                    f"value `{raw}` is not a {self.kind}; did you mean `{suggestion}`?",
                )
        raise self.expected(raw, "{attribute}")


class ListOf(ValueType):
    """A list whose items are all of one scalar type."""

    def __init__(self, item: ValueType) -> None:
        self.item = item
        self.description = f"a list of {item.description.removeprefix('a ').removeprefix('an ')}s"
        self.example = "`[a, b]`"

    def convert(self, raw: RawValue) -> Any:
        if not isinstance(raw, RawList):
            raise ValueProblem(
                value_span(raw),
                f"attribute `{{attribute}}` expects a list such as `[{raw}]`, found {found(raw)}",
            )
        return raw.items
