"""hvlint.lean_typing's stand-ins behave as `typing`'s own where hvlint uses them."""

from __future__ import annotations

import copy
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


class Bare(NamedTuple):
    first: int
    second: int = 2


class TypedBare(typing.NamedTuple):
    first: int
    second: int = 2


CALLS = [
    ((1,), {}),
    ((1, 3), {}),
    ((), {"first": 1}),
    ((), {"second": 5, "first": 1}),
    ((1,), {"second": 5}),
    ((), {}),
    ((1, 2, 3), {}),
    ((1,), {"first": 1}),
    ((1,), {"third": 1}),
]


@pytest.mark.parametrize(("args", "kwargs"), CALLS)
def test_a_lean_named_tuple_takes_the_arguments_typings_takes(args, kwargs):
    try:
        expected: object = tuple(TypedBare(*args, **kwargs))
    except TypeError:
        expected = TypeError
    try:
        got: object = tuple(Bare(*args, **kwargs))
    except TypeError:
        got = TypeError
    assert got == expected


def test_the_named_tuple_methods_behave_as_namedtuples():
    lean, typed = Bare(1), TypedBare(1)
    assert Bare._make([4, 5]) == TypedBare._make([4, 5]) == (4, 5)
    with pytest.raises(TypeError):
        Bare._make([1])
    assert lean._replace(second=9) == typed._replace(second=9)
    with pytest.raises(ValueError, match="unexpected field names"):
        lean._replace(third=1)
    assert lean._asdict() == typed._asdict()
    assert lean.__getnewargs__() == typed.__getnewargs__()
    assert repr(lean) == repr(typed).replace("TypedBare", "Bare")
    assert Bare.__doc__ == "Bare(first, second)"
    assert Bare.first.__doc__ == TypedBare.first.__doc__
    assert Bare.__match_args__ == ("first", "second")
    match lean:
        case Bare(first, second):
            assert (first, second) == (1, 2)
    assert copy.copy(lean) == lean and copy.deepcopy(Lean("a", 1, ("x",))) == Lean("a", 1, ("x",))
    assert hash(lean) == hash((1, 2)) and lean == (1, 2) and lean < (1, 3)
    assert not hasattr(lean, "__dict__")


def test_a_subclass_of_a_lean_named_tuple_keeps_its_fields():
    class Labelled(Bare):
        __slots__ = ()

        def label(self) -> str:
            return f"{self.first}/{self.second}"

    assert Labelled(first=3).label() == "3/2" and Labelled._fields == ("first", "second")
    assert isinstance(Labelled(1)._replace(first=2), Labelled)


def test_a_field_name_may_not_start_with_an_underscore():
    """As `collections.namedtuple` refuses it (and `_fields` would hide the class's own)."""
    with pytest.raises(ValueError, match="underscore"):

        class Bad(NamedTuple):
            _fields: int  # type: ignore[misc]


def test_a_class_body_whose_annotations_are_lazy_is_refused():
    """Python 3.14 gives a class without the future import an `__annotate__` function, not annotations."""
    from hvlint.lean_typing import _NamedTupleMeta  # type: ignore[attr-defined]

    with pytest.raises(TypeError, match="from __future__ import annotations"):
        _NamedTupleMeta("Lazy", (), {"__module__": __name__, "__annotate__": lambda format: {"first": int}})


def test_the_default_docstring_is_namedtuples():
    class One(NamedTuple):
        only: int

    assert One.__doc__ == "One(only,)" and Bare.__doc__ == "Bare(first, second)"
