"""Records (hvlint/records.py) compare, hash, print and refuse changes as the dataclasses they replace."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from hvlint.diagnostics import SYNTAX_ERROR, Diagnostic
from hvlint.plugins import Registry
from hvlint.records import FrozenRecord, Record, replace


class _Pair(FrozenRecord):
    __match_args__ = ("left", "right")
    __slots__ = __match_args__
    left: int
    right: str

    def __init__(self, left: int, right: str = "r") -> None:
        object.__setattr__(self, "left", left)
        object.__setattr__(self, "right", right)


class _Box(Record):
    __match_args__ = ("items",)
    __slots__ = __match_args__

    def __init__(self, items: list[int]) -> None:
        self.items = items


@dataclasses.dataclass(frozen=True, slots=True)
class _Pair_:  # the dataclass _Pair stands for
    left: int
    right: str = "r"


def test_a_frozen_record_is_a_frozen_dataclass() -> None:
    assert repr(_Pair(1, "x")) == repr(_Pair_(1, "x")).replace("_Pair_", "_Pair")
    assert _Pair(1) == _Pair(1, "r") and _Pair(1) != _Pair(2) and _Pair(1) != _Pair_(1)
    assert hash(_Pair(1, "x")) == hash(_Pair_(1, "x")) == hash((1, "x"))
    assert len({_Pair(1), _Pair(1), _Pair(2)}) == 2
    with pytest.raises(AttributeError):
        _Pair(1).left = 2  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del _Pair(1).left
    with pytest.raises(AttributeError):
        _Pair(1).other = 3  # type: ignore[attr-defined]
    match _Pair(1, "x"):
        case _Pair(left, right):
            assert (left, right) == (1, "x")


def test_a_record_is_a_mutable_dataclass() -> None:
    box = _Box([1])
    box.items.append(2)
    assert box == _Box([1, 2]) and box != _Box([1]) and box != [1, 2]
    with pytest.raises(TypeError):
        hash(box)
    assert repr(Registry()) == "Registry(plugins=[], rules={}, code=set())"


def test_the_diagnostics_are_records() -> None:
    assert Diagnostic("HV001", "syntax-error", "error", "the file does not parse", True) == SYNTAX_ERROR
    assert "code='HV001'" in repr(SYNTAX_ERROR)


def test_replace_copies_a_record_with_new_fields_as_dataclasses_replace_does() -> None:
    pair = _Pair(1, "x")
    assert replace(pair, right="y") == _Pair(1, "y") and pair == _Pair(1, "x")
    assert replace(_Box([1]), items=[2]).items == [2]
    assert dataclasses.replace(_Pair_(1, "x"), right="y") == _Pair_(1, "y")
    with pytest.raises(TypeError, match="'middle'"):
        replace(pair, middle=3)


def test_records_pickle_as_dataclasses_do() -> None:
    from hvlint.estimator.settings import Parameters

    for record in (_Pair(1, "x"), _Box([1, 2]), Parameters(link_efficiency=0.5)):
        assert pickle.loads(pickle.dumps(record)) == record
