"""Where a model object's parts stand in its file: its block's kind keyword and label, and the key and value
of each attribute it sets.

A model keeps positions for every attribute of every object and a check asks for a few dozen, so the
resolver keeps offsets (`Located`): one array of integers per object, and a `Layout`, shared by the objects
that set the same attributes in the same order, that says where each attribute's offsets are in it. A
line and a column are worked out, from the file's `Lines`, only when a finding or a message asks.
`Positions` holds spans already worked out, packed (the processor catalogue, and raw syntax from Lark's
parser, whose tokens have no `Lines`).
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping

from hvlint.language.syntax import Span, token_span, value_span
from hvlint.language.tokens import Lines, Token

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_FIELD = 32
_MASK = (1 << _FIELD) - 1

PackedSpan = int
"""A span as one integer, 32 bits for each of its four numbers."""

PackedValue = PackedSpan | tuple[PackedSpan, ...]
"""A scalar's packed span, or a list's: its own, then each item's."""

_NOTHING: Mapping[str, Any] = {}


def pack_span(span: Span) -> PackedSpan:
    """The packed form of `span`."""
    return ((span.line << _FIELD | span.column) << _FIELD | span.end_line) << _FIELD | span.end_column


def pack_token(token: Any) -> PackedSpan:
    """The packed span of one token."""
    return pack_span(token_span(token))


def pack_value(value: Any) -> PackedValue:
    """The packed span of a scalar token, or of a raw list and each of its items."""
    items = getattr(value, "items", None)
    if items is None:
        return pack_token(value)
    return (pack_span(value.span), *(pack_span(value_span(item)) for item in items))


def unpack(packed: PackedValue) -> Span:
    """The span of a packed scalar, or of a whole packed list."""
    if isinstance(packed, tuple):
        packed = packed[0]
    return Span(
        packed >> 3 * _FIELD,
        packed >> 2 * _FIELD & _MASK,
        packed >> _FIELD & _MASK,
        packed & _MASK,
    )


class SpanView(Mapping[str, Span]):
    """Attribute name to span, each worked out only when asked (most are never asked for)."""

    __slots__ = ("_names", "_span")

    def __init__(self, names: Mapping[str, Any], span: Callable[[str], Span]) -> None:
        self._names = names
        self._span = span

    def __getitem__(self, name: str) -> Span:
        if name not in self._names:
            raise KeyError(name)
        return self._span(name)

    def __contains__(self, name: object) -> bool:
        return name in self._names

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


class Positions:
    """Spans worked out already, packed: the kind keyword and label of a block, and the key and value of
    each attribute it sets (`keys`, `values` and the methods give spans)."""

    __slots__ = ("_header_at", "_key_spans", "_label_at", "_value_spans")

    def __init__(
        self,
        header_at: PackedSpan,
        label_at: PackedSpan | None = None,
        key_spans: Mapping[str, PackedSpan] = _NOTHING,
        value_spans: Mapping[str, PackedValue] = _NOTHING,
    ) -> None:
        self._header_at = header_at
        self._label_at = label_at
        self._key_spans = key_spans
        self._value_spans = value_spans

    @property
    def header_at(self) -> PackedSpan:
        """The packed span of the kind keyword."""
        return self._header_at

    @property
    def label_at(self) -> PackedSpan | None:
        """The packed span of the label, if the block has one."""
        return self._label_at

    @property
    def key_spans(self) -> Mapping[str, PackedSpan]:
        """The packed span of each attribute's key."""
        return self._key_spans

    @property
    def value_spans(self) -> Mapping[str, PackedValue]:
        """The packed span of each attribute's value, and of a list's items after it."""
        return self._value_spans

    @property
    def header(self) -> Span:
        """The kind keyword of the block."""
        return unpack(self.header_at)

    @property
    def label(self) -> Span | None:
        """The block's name as written, if it has one."""
        return unpack(self.label_at) if self.label_at is not None else None

    @property
    def keys(self) -> Mapping[str, Span]:
        """The span of each attribute's key."""
        return SpanView(self.key_spans, lambda name: unpack(self.key_spans[name]))

    @property
    def values(self) -> Mapping[str, Span]:
        """The span of each attribute's value (a whole list, for a list)."""
        return SpanView(self.value_spans, lambda name: unpack(self.value_spans[name]))

    def items(self, attribute: str) -> tuple[Span, ...]:
        """The spans of the items of a list attribute (none for a scalar or an absent attribute)."""
        value = self.value_spans.get(attribute)
        return tuple(unpack(item) for item in value[1:]) if isinstance(value, tuple) else ()

    def of(self, attribute: str | None = None, index: int | None = None) -> Span:
        """The most specific span: a list item, else the attribute's value, else its key, else the header."""
        if attribute is None:
            return self.header
        if attribute not in self.value_spans:
            return self.keys[attribute] if attribute in self.key_spans else self.header
        items = self.items(attribute)
        if index is not None and 0 <= index < len(items):
            return items[index]
        return self.values[attribute]


class Layout:
    """Where, in the offsets of the objects that share it, each attribute's offsets are: for each name,
    the index of its key's offset (its value's first and last character follow), and how many items its
    list has (-1 for a scalar), whose first and last characters follow in turn."""

    __slots__ = ("fields", "labelled")

    def __init__(self, labelled: bool, fields: dict[str, tuple[int, int]]) -> None:
        self.labelled = labelled
        self.fields = fields


class Located(Positions):
    """Positions kept as offsets in the file's text (see the module's docstring): `header_at`, `label_at`,
    `key_spans` and `value_spans` are worked out from them when asked (the slots it inherits for them
    stay empty)."""

    __slots__ = ("_layout", "_lines", "_offsets")

    def __init__(self, lines: Lines, layout: Layout, offsets: array[int]) -> None:
        self._lines = lines
        self._layout = layout
        self._offsets = offsets

    def _span(self, index: int) -> Span:
        """The span from the character at the offset at `index` to the one at the next offset."""
        place, offsets = self._lines.place, self._offsets
        line, column = place(offsets[index])
        end_line, end_column = place(offsets[index + 1])
        return Span(line, column, end_line, end_column + 1)

    @property
    def header(self) -> Span:
        return self._span(0)

    @property
    def label(self) -> Span | None:
        return self._span(2) if self._layout.labelled else None

    def _key(self, name: str) -> Span:
        line, column = self._lines.place(self._offsets[self._layout.fields[name][0]])
        return Span(line, column, line, column + len(name))

    def _value(self, name: str) -> Span:
        return self._span(self._layout.fields[name][0] + 1)

    @property
    def keys(self) -> Mapping[str, Span]:
        return SpanView(self._layout.fields, self._key)

    @property
    def values(self) -> Mapping[str, Span]:
        return SpanView(self._layout.fields, self._value)

    def items(self, attribute: str) -> tuple[Span, ...]:
        found = self._layout.fields.get(attribute)
        if found is None:
            return ()
        at, count = found
        return tuple(self._span(at + 3 + 2 * item) for item in range(count))

    def of(self, attribute: str | None = None, index: int | None = None) -> Span:
        found = self._layout.fields.get(attribute) if attribute is not None else None
        if found is None:
            return self.header
        at, count = found
        if index is not None and 0 <= index < count:
            return self._span(at + 3 + 2 * index)
        return self._span(at + 1)

    @property
    def header_at(self) -> PackedSpan:
        return pack_span(self.header)

    @property
    def label_at(self) -> PackedSpan | None:
        label = self.label
        return pack_span(label) if label is not None else None

    @property
    def key_spans(self) -> Mapping[str, PackedSpan]:
        return {name: pack_span(self._key(name)) for name in self._layout.fields}

    @property
    def value_spans(self) -> Mapping[str, PackedValue]:
        spans: dict[str, PackedValue] = {}
        for name, (_, count) in self._layout.fields.items():
            value = pack_span(self._value(name))
            spans[name] = value if count < 0 else (value, *map(pack_span, self.items(name)))
        return spans


def _extent(value: Any) -> tuple[int, int]:
    """The offsets of the first and the last character of a scalar token or a raw list."""
    opening = getattr(value, "opening", None)
    if opening is None:
        return value.start_pos, value.start_pos + len(value) - 1
    return opening.start_pos, value.closing.start_pos


class Locator:
    """Makes the positions of a file's objects, sharing one `Layout` among those that set the same
    attributes in the same order."""

    __slots__ = ("_layouts",)

    def __init__(self) -> None:
        self._layouts: dict[tuple[Any, ...], Layout] = {}

    def positions(
        self, kind: Any, label: Any, keys: Mapping[str, Any], values: Mapping[str, Any]
    ) -> Positions:
        """The positions of a block (its `kind` and `label` tokens) whose attributes `keys` and `values`
        are, by name, the key tokens and the raw values."""
        if kind.__class__ is not Token:
            return Positions(
                header_at=pack_token(kind),
                label_at=pack_token(label) if label is not None else None,
                key_spans={name: pack_token(key) for name, key in keys.items()},
                value_spans={name: pack_value(value) for name, value in values.items()},
            )
        offsets = [kind.start_pos, kind.start_pos + len(kind) - 1]
        if label is not None:
            offsets += _extent(label)
        shape: list[Any] = [label is not None]
        for name, key in keys.items():
            value = values[name]
            if value.__class__ is Token:
                start = value.start_pos
                offsets += (key.start_pos, start, start + len(value) - 1)
                shape.append(name)
            else:
                items = value.items
                offsets += (key.start_pos, value.opening.start_pos, value.closing.start_pos)
                shape += (name, len(items))
                for item in items:
                    offsets += _extent(item)
        return Located(kind.lines, self._layout(tuple(shape)), array("I", offsets))

    def _layout(self, shape: tuple[Any, ...]) -> Layout:
        layout = self._layouts.get(shape)
        if layout is None:
            layout = self._layouts[shape] = _make_layout(shape)
        return layout


def _make_layout(shape: tuple[Any, ...]) -> Layout:
    """The layout of a shape: whether the block has a label, then each attribute's name, followed by its
    number of items for a list."""
    labelled = bool(shape[0])
    fields: dict[str, tuple[int, int]] = {}
    at = 4 if labelled else 2
    names: Iterable[Any] = iter(shape[1:])
    pending: str | None = None
    for part in names:
        if isinstance(part, str):
            if pending is not None:
                fields[pending] = (at, -1)
                at += 3
            pending = part
        else:
            assert pending is not None
            fields[pending] = (at, part)
            at += 3 + 2 * part
            pending = None
    if pending is not None:
        fields[pending] = (at, -1)
    return Layout(labelled, fields)
