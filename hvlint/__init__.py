"""hvlint: a static linter for Hyper-V cluster descriptions.

The public plugin API is `hvlint.Rule` and `hvlint.hookimpl` (plugins.md); they are imported on first
use, so that `hvlint --version` and a check of one small file start fast.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing itself is not imported: 10 ms of `hvlint --version`

__version__ = "0.1.0"
__all__ = ["Context", "Rule", "RuleFinding", "__version__", "hookimpl"]

if TYPE_CHECKING:
    from typing import Any

    from hvlint.hookspecs import hookimpl
    from hvlint.rule import Context, Rule, RuleFinding


def __getattr__(name: str) -> Any:
    if name == "hookimpl":
        from hvlint.hookspecs import hookimpl

        return hookimpl
    if name in ("Rule", "Context", "RuleFinding"):
        from hvlint import rule

        return getattr(rule, name)
    raise AttributeError(f"module 'hvlint' has no attribute {name!r}")
