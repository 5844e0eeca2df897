"""hvlint.pure_paths writes paths as pathlib.PurePath does, on generated paths."""

from __future__ import annotations

from pathlib import PurePath

from hypothesis import example, given
from hypothesis import strategies as st

from hvlint import pure_paths

pieces = st.sampled_from(["", "/", "//", "///", ".", "..", "a", "b.hvc", "x y", "é"])
paths = st.lists(pieces, max_size=8).map("".join)


@given(paths)
@example("//a/b")
@example("///a")
@example("")
def test_the_text_of_a_path_is_pathlibs(path):
    pure = PurePath(path)
    assert pure_paths.as_posix(path) == pure.as_posix()
    assert pure_paths.normal(path) == str(pure)
    assert pure_paths.name(path) == pure.name
    assert pure_paths.parent(path) == str(pure.parent)
    assert pure_paths.is_absolute(path) == pure.is_absolute()


@given(paths, paths)
@example("/a/b", "/a")
@example("/a", "/a")
@example("/a/b", "//a")
@example("a/b", "a/./")
def test_a_path_relative_to_another_is_pathlibs(path, base):
    try:
        expected: str | None = PurePath(path).relative_to(base).as_posix()
    except ValueError:
        expected = None
    assert pure_paths.relative_to(path, base) == expected
