"""Near-miss spellings for "did you mean" hints."""

from __future__ import annotations

from collections.abc import Iterable


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice most like `word` (compared case-insensitively), when one is close enough to be a typo."""
    import difflib  # only a misspelling is looked up: a valid file is checked without difflib

    by_lower = {choice.lower(): choice for choice in choices}
    found = difflib.get_close_matches(word.lower(), list(by_lower), n=1, cutoff=0.6)
    return by_lower[found[0]] if found else None
