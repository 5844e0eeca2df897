"""The hooks a plugin may implement (plugins.md). Every rule, hvlint's own included, comes through them.

pluggy is imported only when a plugin other than hvlint's own is loaded (`specifications`): hvlint's rule
modules are marked with `hookimpl` alone, which needs nothing imported, and a run with no other plugin
calls their hooks itself (a fifth of the start-up of a check of one small file was pluggy's).
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from types import ModuleType
    from typing import TypeVar

    F = TypeVar("F", bound=Callable[..., object])

PROJECT = "hvlint"
IMPLEMENTATION = PROJECT + "_impl"
"""The attribute pluggy reads a hook implementation's options from."""


class HookimplMarker:
    """Marks a plugin's function as the implementation of the hook of the same name: what
    `pluggy.HookimplMarker(PROJECT)` does, with the same options, without importing pluggy."""

    def __init__(self, project_name: str) -> None:
        self.project_name = project_name

    def __call__(
        self,
        function: F | None = None,
        hookwrapper: bool = False,
        optionalhook: bool = False,
        tryfirst: bool = False,
        trylast: bool = False,
        specname: str | None = None,
        wrapper: bool = False,
    ) -> Callable[[F], F] | F:
        def mark(marked: F) -> F:
            options = {
                "wrapper": wrapper,
                "hookwrapper": hookwrapper,
                "optionalhook": optionalhook,
                "tryfirst": tryfirst,
                "trylast": trylast,
                "specname": specname,
            }
            setattr(marked, self.project_name + "_impl", options)
            return marked

        return mark if function is None else mark(function)


hookimpl = HookimplMarker(PROJECT)
"""Marks a plugin's function as the implementation of the hook of the same name."""


def implementation(plugin: object, hook: str) -> Callable[..., object] | None:
    """The function of `plugin` marked as the implementation of `hook`, or None."""
    function = getattr(plugin, hook, None)
    return function if isinstance(getattr(function, IMPLEMENTATION, None), dict) else None


def specifications() -> ModuleType:
    """This module with its hooks marked as pluggy's specifications, for a plugin manager."""
    import sys

    import pluggy

    pluggy.HookspecMarker(PROJECT)(hvlint_rules)
    return sys.modules[__name__]


def hvlint_rules() -> list[type]:  # type: ignore[empty-body]
    """The rule classes this plugin provides.

    Called once per run, after every plugin is loaded and before any file is read, with no arguments.
    Returns a list of `hvlint.Rule` subclasses. Each class's `code` must start with the plugin's own prefix
    and be unique across all loaded plugins: a code another plugin already owns stops the run with exit
    status 2. The classes are instantiated once per checked file; their `check(ctx)` must not read files
    or the network.
    """
