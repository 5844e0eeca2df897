"""hvlint.lean_typing's stand-ins behave as `typing`'s own where hvlint uses them."""

from __future__ import annotations

import pickle
import typing

import pytest

from hvlint.lean_typing import Generic, NamedTuple, TypeVar, cast, overload


class Lean(NamedTuple):
    """A lean named tuple."""

    name: str
    size: int = 0
    tags: tuple[str, ...] = ()

    def label(self) -> str:
        """The name and size."""
        return f"{self.name}:{self.size}"

    @property
    def empty(self) -> bool:
        return not self.size


class Typed(typing.NamedTuple):
    """A lean named tuple."""

    name: str
    size: int = 0
    tags: tuple[str, ...] = ()


def test_a_lean_named_tuple_has_the_fields_defaults_and_methods_of_typings():
    lean = Lean("a", 2)
    assert lean.label() == "a:2" and not lean.empty and Lean("b").empty
    assert lean == ("a", 2, ())
    assert lean == Typed("a", 2)
    assert Lean._fields == Typed._fields
    assert Lean._field_defaults == Typed._field_defaults
    assert Lean.__doc__ == Typed.__doc__
    assert list(Lean.__annotations__) == list(Typed.__annotations__)
    assert lean._replace(size=5) == Lean("a", 5)
    assert repr(lean) == "Lean(name='a', size=2, tags=())"
    assert Lean.__module__ == __name__ and Lean.__qualname__ == "Lean"
    assert isinstance(lean, tuple)


def test_a_lean_named_tuple_pickles():
    assert pickle.loads(pickle.dumps(Lean("a", 1, ("x",)))) == Lean("a", 1, ("x",))


def test_a_field_without_a_default_after_one_with_a_default_is_refused():
    with pytest.raises(TypeError, match="without a default follows"):

        class Bad(NamedTuple):
            first: int = 0
            second: int  # type: ignore[misc]


def test_a_lean_named_tuple_may_not_replace_what_namedtuple_makes():
    with pytest.raises(AttributeError, match="_replace"):

        class Bad(NamedTuple):
            first: int

            def _replace(self) -> None: ...  # type: ignore[misc]


def test_the_call_syntax_is_refused():
    with pytest.raises(TypeError, match="class syntax"):
        NamedTuple("Point", [("x", int)])


def test_generic_and_typevar_cost_nothing_at_run_time():
    parameter = TypeVar("parameter")

    class Box(Generic[parameter]):
        __slots__ = ("value",)

        def __init__(self, value: parameter) -> None:
            self.value = value

    assert Box[int] is Box and Box(3).value == 3
    assert parameter == "parameter"


def test_overload_and_cast_give_back_what_they_are_given():
    def double(value: int) -> int:
        return value * 2

    assert overload(double) is double
    marker = object()
    assert cast(int, marker) is marker
