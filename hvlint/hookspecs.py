"""The hooks a plugin may implement (plugins.md). Every rule, hvlint's own included, comes through them."""

from __future__ import annotations

import pluggy

PROJECT = "hvlint"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)
"""Marks a plugin's function as the implementation of the hook of the same name."""


@hookspec
def hvlint_rules() -> list[type]:  # type: ignore[empty-body]
    """The rule classes this plugin provides.

    Called once per run, after every plugin is loaded and before any file is read, with no arguments.
    Returns a list of `hvlint.Rule` subclasses. Each class's `code` must start with the plugin's own prefix
    and be unique across all loaded plugins: a code another plugin already owns stops the run with exit
    status 2. The classes are instantiated once per checked file; their `check(ctx)` must not read files
    or the network.
    """
