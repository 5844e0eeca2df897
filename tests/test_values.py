"""Converted values are remembered by their text, and the memory stays bounded."""

from __future__ import annotations

from hvlint.language import units, values
from hvlint.language.syntax import parse


def _value(text: str):  # type: ignore[no-untyped-def]
    (block,) = parse(f"c {{ a = {text} }}").blocks
    return block.attributes[0].value


def test_a_quantity_converts_the_same_the_second_time_and_the_memory_is_bounded() -> None:
    size = values.Quantity(units.SIZE)
    assert size.convert(_value("2GiB")) == size.convert(_value("2GiB")) == 2 * 1024**3
    for count in range(values._REMEMBERED + 1):
        assert size.convert(_value(f"{count}KiB")) == count * 1024
    assert len(size._valid) <= values._REMEMBERED


def test_an_enum_takes_any_spelling_of_its_choices_and_aliases() -> None:
    mode = values.Enum(("off", "minimum"), aliases={"true": "minimum"})
    assert [mode.convert(_value(text)) for text in ("off", "OFF", '"Minimum"', "true")] == [
        "off",
        "off",
        "minimum",
        "minimum",
    ]
