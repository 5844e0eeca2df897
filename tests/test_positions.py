"""Positions kept as offsets (`hvlint.language.positions.Located`) give the spans Lark's own tokens give."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hvlint.engine import all_nodes
from hvlint.language import syntax
from hvlint.language.catalogue import catalogue
from hvlint.language.model import Model, Positions, replace
from hvlint.language.positions import Located, Locator, _make_layout
from hvlint.language.resolve import resolve

ROOT = Path(__file__).resolve().parent.parent


def _valid(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return False
    return not syntax.parse(text).errors


VALID = sorted(
    path for path in [*ROOT.glob("fixtures/**/*.hvc"), *ROOT.glob("tests/data/**/*.hvc")] if _valid(path)
)


def _positions(model: Model) -> Iterator[tuple[str, Positions]]:
    for node in all_nodes(model):
        yield node.describe(), node.positions
        for disk in getattr(node, "disk_blocks", ()):
            yield f"disk {disk.path} of {node.describe()}", disk.positions


def _spans(positions: Positions) -> dict[str, object]:
    """Every span the positions give, through each way of asking."""
    names = list(positions.values)
    return {
        "header": positions.header,
        "label": positions.label,
        "keys": dict(positions.keys),
        "values": dict(positions.values),
        "items": {name: positions.items(name) for name in names},
        "of": [positions.of(name, index) for name in names for index in (None, 0, 1, 9)]
        + [positions.of(), positions.of("not-an-attribute")],
        "packed": (positions.header_at, positions.label_at, dict(positions.key_spans)),
        "packed values": dict(positions.value_spans),
    }


def test_the_fixtures_are_many() -> None:
    assert len(VALID) > 100


@pytest.mark.parametrize("path", VALID, ids=lambda path: str(path.relative_to(ROOT)))
def test_offsets_give_the_spans_of_lark_tokens(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    fast, _ = resolve(syntax.parse(text).blocks, str(path), catalogue())
    lark, _ = resolve(syntax._parse_recovering(text).blocks, str(path), catalogue())
    located = list(_positions(fast))
    packed = list(_positions(lark))
    assert [name for name, _ in located] == [name for name, _ in packed]
    for (name, lazy), (_, eager) in zip(located, packed, strict=True):
        assert type(eager) is Positions
        assert isinstance(lazy, Located), name
        assert _spans(lazy) == _spans(eager), name


def test_objects_with_the_same_attributes_share_one_layout() -> None:
    line = 'host "H{n}" {{ memory = 2GiB; switches = [a, b] }}'
    text = "\n".join(line.format(n=n) for n in range(3))
    model, _ = resolve(syntax.parse(text).blocks, "x.hvc", {})
    layouts = {id(host.positions._layout) for host in model.hosts}  # type: ignore[attr-defined]
    assert len(layouts) == 1
    column = line.format(n=0).index("b]") + 1
    assert [host.positions.of("switches", 1) for host in model.hosts] == [
        (n, column, n, column + 1) for n in (1, 2, 3)
    ]


def test_a_layout_places_each_attribute_after_the_last() -> None:
    layout = _make_layout((True, "a", "b", 2, "c"))
    assert layout.labelled
    assert layout.fields == {"a": (4, -1), "b": (7, 2), "c": (14, -1)}
    assert _make_layout((False,)).fields == {}


def test_a_locator_packs_the_positions_of_lark_tokens() -> None:
    blocks = syntax._parse_recovering('vm "V" { memory = 2GiB }').blocks
    (block,) = blocks
    (attribute,) = block.attributes
    positions = Locator().positions(
        block.kind, block.label, {"memory": attribute.key}, {"memory": attribute.value}
    )
    assert type(positions) is Positions
    assert positions.values["memory"] == (1, 19, 1, 23)


def test_replace_copies_a_model_object_with_changes() -> None:
    model, _ = resolve(syntax.parse('host "H" { memory = 2GiB }').blocks, "x.hvc", {})
    (host,) = model.hosts
    assert repr(host) == "<Host H>"
    assert host.positions.items("memory") == host.positions.items("absent") == ()
    with pytest.raises(KeyError):
        host.positions.keys["absent"]
    changed = replace(host, memory=1.0)
    assert (changed.memory, changed.name, changed.positions) == (1.0, "H", host.positions)
    assert replace(model, hosts=()).hosts == () and model.hosts == (host,)


def test_the_language_package_makes_no_dataclass() -> None:
    """Making a dataclass compiles its methods at import, and `dataclasses` imports `inspect`: a check of a
    small file paid for both (docs/performance.md)."""
    import dataclasses
    import sys

    from hvlint.language.document import load

    assert not load(b'host "H" { processor = "intel-xeon-e5-2600"; memory = 4GiB }', "x.hvc").problems
    language = {name: module for name, module in sys.modules.items() if name.startswith("hvlint.language")}
    assert "hvlint.language.model" in language and "hvlint.language.resolve" in language
    for name, module in language.items():
        assert "dataclass" not in vars(module) and "dataclasses" not in vars(module), name
        made = [
            value for value in vars(module).values() if isinstance(value, type) and value.__module__ == name
        ]
        assert not any(dataclasses.is_dataclass(kind) for kind in made), name
