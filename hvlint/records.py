"""Records: classes with `__slots__` and a plain `__init__` that compare, hash and print as a dataclass
with the same fields does. Making a dataclass compiles its methods when its module is imported (about
0.5 ms each, and `dataclasses` imports `inspect`): a check of a small file paid for 52 of them on every
run (docs/performance.md)."""

from __future__ import annotations

from operator import attrgetter

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, ClassVar, TypeVar

    _R = TypeVar("_R", bound="Record")
    _T = TypeVar("_T")


class Record:
    """A mutable record, whose fields are its `__match_args__` (a subclass sets `__slots__` to the same
    names, and `__init__`): equal to a record of the same class with equal fields, and unhashable (Python
    sets `__hash__` to None beside `__eq__`), as a dataclass with `eq=True` and without `frozen` is."""

    __slots__ = ()
    __match_args__: tuple[str, ...] = ()
    _fields: ClassVar[Callable[[Any], tuple[Any, ...]]] = staticmethod(lambda record: ())

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        names = cls.__match_args__
        if len(names) > 1:  # the fields' values in one call (in C), for equality and hashing
            cls._fields = staticmethod(attrgetter(*names))
        elif names:
            cls._fields = staticmethod(lambda record, name=names[0]: (getattr(record, name),))

    def _assign(self, *values: object) -> None:
        """Sets the fields, in `__match_args__` order (what a record's `__init__` does, frozen or not)."""
        setattr_ = object.__setattr__
        for name, value in zip(self.__match_args__, values, strict=True):
            setattr_(self, name, value)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__ or not isinstance(other, Record):
            return NotImplemented
        return type(self)._fields(self) == type(other)._fields(other)

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__match_args__)
        return f"{self.__class__.__qualname__}({fields})"

    def __reduce__(self) -> tuple[Callable[..., Record], tuple[Any, ...]]:
        return _rebuilt, (type(self), type(self)._fields(self))


class FrozenRecord(Record):
    """An immutable record, hashable by its fields (as a frozen dataclass is): its `__init__` sets the
    fields with `_assign`."""

    __slots__ = ()

    def __hash__(self) -> int:
        return hash(type(self)._fields(self))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r} of a {self.__class__.__name__}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r} of a {self.__class__.__name__}")


def replace(obj: _T, **changes: Any) -> _T:
    """A copy of a record, or of a model object, with the fields `changes` names set to new values
    (`dataclasses.replace`): a record's fields are its `__match_args__`, a model object's its `__slots__`;
    both take them as keywords."""
    kind = type(obj)
    fields = getattr(kind, "__match_args__", None) or kind.__slots__  # type: ignore[attr-defined]
    unknown = set(changes) - set(fields)
    if unknown:
        raise TypeError(f"{kind.__name__} has no field {sorted(unknown)[0]!r}")
    kept = {name: getattr(obj, name) for name in fields if name not in changes}
    return kind(**kept, **changes)


def _rebuilt(kind: type[_R], values: tuple[Any, ...]) -> _R:
    """A record of class `kind` with these field values, made without its `__init__` (what unpickling
    calls: a frozen record refuses `setattr`)."""
    record = object.__new__(kind)
    record._assign(*values)
    return record
