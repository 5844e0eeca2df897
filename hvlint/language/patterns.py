"""The lexer's token and whitespace patterns, which a valid file needs and nothing more of Lark.

They ship in `_token_patterns.py` (generated with the tables by `python -m hvlint.language.tables`),
stamped with the grammar's SHA-256: reading them costs neither Lark, nor the LALR tables, nor `hashlib`.
When the grammar changed since, they are made from it with Lark, so a stale file is only slower."""

from __future__ import annotations

import os
import re
from functools import lru_cache

from hvlint.hashing import sha256
from hvlint.regex import compiled


def grammar_text() -> str:
    """The Lark grammar of the language, as shipped in the package."""
    from hvlint import grammars

    with open(os.path.join(os.path.dirname(grammars.__file__), "hvc.lark"), encoding="utf-8") as handle:
        return handle.read()


def grammar_digest(text: str) -> str:
    """The SHA-256 of the grammar's text."""
    return str(sha256(text.encode("utf-8")).hexdigest())


@lru_cache(maxsize=1)
def token_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The lexer's token and whitespace patterns (`lexer.token_pattern`); made from the grammar, with
    Lark, when the shipped ones are stale."""
    from hvlint.language import _token_patterns as shipped

    if grammar_digest(grammar_text()) == shipped.GRAMMAR_SHA256:
        return compiled(shipped.TOKEN_PATTERN), compiled(shipped.WHITESPACE_PATTERN)
    from hvlint.language.lexer import token_pattern
    from hvlint.language.tables import build

    return token_pattern(build().terminals)
