"""hvlint's tests. Importing this package first makes sure that the tests exercise the hvlint that is
installed (see `_import_the_installed_hvlint`)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def without_the_checkout(path: list[str]) -> list[str]:
    """`sys.path` as the `hvlint` command has it: without the checkout's root (`""` or `.` in it), which
    pytest and `python -m` put there."""
    return [entry for entry in path if Path(entry or os.curdir).resolve() != ROOT]


def _import_the_installed_hvlint() -> None:
    """With hvlint installed as a plain package (`pip install .`, not `-e`), the tests exercise that
    installation: the checkout's own `hvlint/` directory, which pytest puts on `sys.path` through the
    repository's root, would shadow it, and it lacks the `hvlint.rules` and `hvlint.grammars` packages
    that installing maps into it. An editable install, or none, imports from the checkout as before."""
    import importlib.util

    if without_the_checkout(sys.path) == sys.path:
        return
    saved = list(sys.path)
    sys.path[:] = without_the_checkout(sys.path)
    try:
        spec = importlib.util.find_spec("hvlint")
        origin = Path(spec.origin).resolve() if spec is not None and spec.origin else None
        if origin is not None and origin.parent != ROOT / "hvlint":
            import hvlint  # noqa: F401 - the installed package, for every later `import hvlint...`
    finally:
        sys.path[:] = saved


_import_the_installed_hvlint()
