"""How the import spells values in `.hvc` (import.md §6.1-§6.2): strings quoted as `hvlint format` quotes
them, sizes and link speeds in exact units, Windows paths in one form, names that cannot be written."""

from __future__ import annotations

import re

_SIZE_UNITS = (("TiB", 1024**4), ("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024))
_SPEED_UNITS = (("Tbps", 10**12), ("Gbps", 10**9), ("Mbps", 10**6), ("Kbps", 10**3))
_UNWRITABLE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f\ud800-\udfff]")
LIMIT = 10**18
"""The largest number of base units the language accepts (docs/decisions.md)."""


def quoted(value: str) -> str:
    """`value` as a `.hvc` string: `'...'` for a value with a backslash and neither `'` nor a tab, else
    `"..."` with `\\\\`, `\\"` and `\\t` escaped (format.md rule 18)."""
    if "\\" in value and "'" not in value and "\t" not in value:
        return f"'{value}'"
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t") + '"'


def writable(text: str) -> bool:
    """Whether `text` can stand in a `.hvc` string: not empty, no control character but tab, no lone
    surrogate (import.md §6.2)."""
    return bool(text) and (text.isprintable() or _UNWRITABLE.search(text) is None)


def size(number: int) -> str:
    """Bytes in the largest binary unit that divides them exactly (`16GiB`, `16385MiB`, `1000B`)."""
    for unit, scale in _SIZE_UNITS:
        if number and number % scale == 0:
            return f"{number // scale}{unit}"
    return f"{number}B"


def speed(bits: int) -> str:
    """Bits per second in the largest decimal unit that divides them exactly (`10Gbps`, `2500Mbps`)."""
    for unit, scale in _SPEED_UNITS:
        if bits and bits % scale == 0:
            return f"{bits // scale}{unit}"
    return f"{bits}bps"


def in_range(number: int | None) -> bool:
    """Whether a count of base units is one the language accepts: 0, or 1 to 10^18."""
    return number is not None and 0 <= number <= LIMIT


def windows_path(path: str) -> str:
    """A collected path with `/` read as `\\` and without a long-path prefix (import.md, Amendment)."""
    path = path.replace("/", "\\")
    if path.startswith("\\\\?\\"):
        if path[:8].casefold() == "\\\\?\\unc\\":
            return "\\\\" + path[8:]
        if _is_drive(path[4:6]):
            return path[4:]
    return path


def _is_drive(text: str) -> bool:
    """Whether `text` is a drive letter and its colon, `C:`."""
    return len(text) == 2 and text[1] == ":" and text[0].isascii() and text[0].isalpha()


def path_key(path: str) -> str:
    """The form paths compare in: separators as `\\`, without trailing ones but a drive root's, folded."""
    path = path.replace("/", "\\")
    stripped = path.rstrip("\\")
    if _is_drive(stripped):
        stripped += "\\"
    return (stripped or path).casefold()


def below(root_key: str) -> str:
    """What the key of a path below the root whose key is `root_key` starts with."""
    return root_key if root_key.endswith("\\") else root_key + "\\"


def name_sort_key(name: str) -> tuple[str, str]:
    """Sorting by name: case-folded, then as written (import.md §6.1)."""
    return name.casefold(), name
