"""`NamedTuple`, `Generic`, `TypeVar`, `overload` and `cast` for hvlint's modules, without importing `typing`.

Importing `typing` is about 4% of a check of a small file, which a pre-commit hook or an editor pays on
every run (docs/performance.md), and `typing.NamedTuple` compiles each string annotation of its class. mypy
reads `typing`'s own names from here; at run time a named tuple is made from its class body as
`typing.NamedTuple` makes it (fields from the annotations, in order; defaults from the values; methods and
docstrings kept) and behaves as `collections.namedtuple`'s do, but its methods are shared rather than
compiled for each class; `Generic[...]` is a plain base class, and `overload` and `cast` give back what
they are given.

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
    try:
        from _collections import _tuplegetter
    except ImportError:  # pragma: no cover - CPython has it; what collections falls back to
        from operator import itemgetter

        def _tuplegetter(index, doc):
            return property(itemgetter(index), doc=doc)

    _PROHIBITED = frozenset(("__new__", "__init__", "__slots__", "__getnewargs__", "_fields"))
    _PROHIBITED |= {"_field_defaults", "_make", "_replace", "_asdict", "_source"}
    _new_tuple = tuple.__new__

    class _LeanTuple(tuple):
        """What every named tuple made here shares: the methods `collections.namedtuple` writes into each
        class it makes (compiling its `__new__` from source, about 0.4 M instructions a class)."""

        __slots__ = ()
        _fields: tuple[str, ...] = ()
        _field_defaults: dict[str, object] = {}  # noqa: RUF012 - each class sets its own

        def __new__(cls, *values, **named):
            if named or len(values) != len(cls._fields):
                values = cls._completed(values, named)
            return _new_tuple(cls, values)

        @classmethod
        def _completed(cls, values, named):
            """The field values from positional and keyword arguments and the defaults (TypeError as a
            function with the fields as its parameters would raise)."""
            fields = cls._fields
            if len(values) > len(fields):
                raise TypeError(
                    f"{cls.__name__}() takes {len(fields)} arguments but {len(values)} were given"
                )
            given = [*values]
            for name in fields[len(values) :]:
                if name in named:
                    given.append(named.pop(name))
                elif name in cls._field_defaults:
                    given.append(cls._field_defaults[name])
                else:
                    raise TypeError(f"{cls.__name__}() missing required argument: {name!r}")
            for name in named:
                what = "multiple values for" if name in fields else "an unexpected keyword"
                raise TypeError(f"{cls.__name__}() got {what} argument {name!r}")
            return given

        @classmethod
        def _make(cls, iterable):
            """Makes a new instance from a sequence or iterable."""
            made = _new_tuple(cls, iterable)
            if len(made) != len(cls._fields):
                raise TypeError(f"Expected {len(cls._fields)} arguments, got {len(made)}")
            return made

        def _replace(self, /, **changes):
            """A new instance with the named fields replaced by new values."""
            made = self._make(map(changes.pop, self._fields, self))
            if changes:
                raise ValueError(f"Got unexpected field names: {list(changes)!r}")
            return made

        def __repr__(self):
            fields = ", ".join(f"{name}={value!r}" for name, value in zip(self._fields, self, strict=True))
            return f"{self.__class__.__name__}({fields})"

        def _asdict(self):
            """A new dict which maps field names to their values."""
            return dict(zip(self._fields, self, strict=True))

        def __getnewargs__(self):
            return tuple(self)

    class _NamedTupleMeta(type):
        """Makes the class of a `class X(NamedTuple)` statement: a subclass of tuple with the fields of
        the class's annotations, in order, its defaults from the values, and its methods and docstring."""

        def __new__(cls, typename, bases, namespace):
            if "__annotations__" not in namespace and "__annotate__" in namespace:
                raise TypeError(
                    f"{typename}: its module needs `from __future__ import annotations` (from Python 3.14, "
                    "a class's annotations are otherwise evaluated lazily, and its fields unknown here)"
                )
            annotations = namespace.get("__annotations__", {})
            fields = tuple(annotations)
            for name in fields:
                if name.startswith("_"):
                    raise ValueError(f"{typename}: a field name cannot start with an underscore: {name!r}")
            defaults = {name: namespace[name] for name in fields if name in namespace}
            if any(name not in defaults for name in fields[len(fields) - len(defaults) :]):
                raise TypeError(f"{typename}: a field without a default follows one with a default")
            body = {
                "__slots__": (),
                "__doc__": f"{typename}({', '.join(fields)}{',' if len(fields) == 1 else ''})",
                "_fields": fields,
                "_field_defaults": defaults,
                "__match_args__": fields,
                "__annotations__": dict(annotations),
            }
            for index, name in enumerate(fields):
                body[name] = _tuplegetter(index, f"Alias for field number {index}")
            for key, value in namespace.items():
                if key in _PROHIBITED:
                    raise AttributeError(f"{typename}: cannot overwrite the named tuple's {key}")
                if key != "__annotations__" and key not in fields:
                    body[key] = value
            return type(typename, (_LeanTuple,), body)

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
