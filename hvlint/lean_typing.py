"""`NamedTuple`, `Generic`, `TypeVar`, `overload` and `cast` for hvlint's modules, without importing `typing`.

Importing `typing` is about 4% of a check of a small file, which a pre-commit hook or an editor pays on
every run (docs/performance.md), and `typing.NamedTuple` compiles each string annotation of its class. mypy
reads `typing`'s own names from here; at run time a named tuple is made from its class body by
`collections.namedtuple`, as `typing.NamedTuple` makes it (fields from the annotations, in order; defaults
from the values; methods and docstrings kept), `Generic[...]` is a plain base class, and `overload` and
`cast` give back what they are given.

A module imports `from hvlint.lean_typing import NamedTuple` where it would import it from `typing`, and
keeps every other `typing` name under `if TYPE_CHECKING:` (`TYPE_CHECKING = False` first: mypy reads the
name as true)."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Generic as Generic
    from typing import NamedTuple as NamedTuple
    from typing import TypeVar as TypeVar
    from typing import cast as cast
    from typing import overload as overload
else:
    from collections import namedtuple

    _PROHIBITED = frozenset(("__new__", "__init__", "__slots__", "__getnewargs__", "_fields"))
    _PROHIBITED |= {"_field_defaults", "_make", "_replace", "_asdict", "_source"}
    _KEPT_OUT = frozenset({"__module__", "__annotations__"})

    class _NamedTupleMeta(type):
        """Makes the class of a `class X(NamedTuple)` statement: a `collections.namedtuple`."""

        def __new__(cls, typename, bases, namespace):
            fields = tuple(namespace.get("__annotations__", ()))
            defaults = [namespace[name] for name in fields if name in namespace]
            if any(name not in namespace for name in fields[len(fields) - len(defaults) :]):
                raise TypeError(f"{typename}: a field without a default follows one with a default")
            made = namedtuple(typename, fields, defaults=defaults, module=namespace["__module__"])
            made.__annotations__ = dict(namespace.get("__annotations__", {}))
            for key, value in namespace.items():
                if key in _PROHIBITED:
                    raise AttributeError(f"{typename}: cannot overwrite the named tuple's {key}")
                if key not in _KEPT_OUT and key not in fields:
                    setattr(made, key, value)
            return made

    _NamedTupleBase = type.__new__(_NamedTupleMeta, "NamedTuple", (), {})

    def NamedTuple(typename, fields=None, /, **kwargs):
        """Only the class syntax is supported: `class Name(NamedTuple): field: type`."""
        raise TypeError("hvlint.lean_typing.NamedTuple takes the class syntax only")

    NamedTuple.__mro_entries__ = lambda bases: (_NamedTupleBase,)

    class Generic:
        """A base class that `Generic[T]` names at run time (type parameters matter to mypy alone)."""

        __slots__ = ()

        def __class_getitem__(cls, parameters):
            return cls

    def TypeVar(name, *constraints, **options):
        """A type variable's name (type variables matter to mypy alone)."""
        return name

    def overload(function):
        """The function itself (overloads matter to mypy alone; the last definition is the one called)."""
        return function

    def cast(kind, value):
        """The value itself (a cast matters to mypy alone)."""
        return value
