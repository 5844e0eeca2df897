"""Units of the `.hvc` language (language.md §1): parsing quantity text into base units."""

from __future__ import annotations

import re

from hvlint.lean_typing import NamedTuple
from hvlint.regex import compiled

SIZE = "size"
RATE = "rate"
DURATION = "duration"
RATIO = "ratio"

KIND_EXAMPLES = {SIZE: "`16GiB`", RATE: "`10Gbps` or `80MB/s`", DURATION: "`500ms`", RATIO: "`50%`"}

_K, _KI = 1000, 1024
UNITS: dict[str, tuple[str, float]] = {
    "B": (SIZE, 1),
    "KB": (SIZE, _K),
    "MB": (SIZE, _K**2),
    "GB": (SIZE, _K**3),
    "TB": (SIZE, _K**4),
    "KiB": (SIZE, _KI),
    "MiB": (SIZE, _KI**2),
    "GiB": (SIZE, _KI**3),
    "TiB": (SIZE, _KI**4),
    "bps": (RATE, 1 / 8),
    "Kbps": (RATE, _K / 8),
    "Mbps": (RATE, _K**2 / 8),
    "Gbps": (RATE, _K**3 / 8),
    "Tbps": (RATE, _K**4 / 8),
    "B/s": (RATE, 1),
    "KB/s": (RATE, _K),
    "MB/s": (RATE, _K**2),
    "GB/s": (RATE, _K**3),
    "TB/s": (RATE, _K**4),
    "KiB/s": (RATE, _KI),
    "MiB/s": (RATE, _KI**2),
    "GiB/s": (RATE, _KI**3),
    "TiB/s": (RATE, _KI**4),
    "ms": (DURATION, 0.001),
    "s": (DURATION, 1),
    "min": (DURATION, 60),
    "h": (DURATION, 3600),
    "%": (RATIO, 0.01),
}

_QUANTITY = compiled(
    r"(0x[0-9A-Fa-f]+?|[0-9]+(?:\.[0-9]+)?)("
    + "|".join(re.escape(unit) for unit in sorted(UNITS, key=len, reverse=True))
    + r")\Z"
)
_NUMBER = compiled(r"(0x[0-9A-Fa-f]+|[0-9]+(?:\.[0-9]+)?)\Z")


_UNIT_ALIASES = {
    DURATION: {
        "m": "min",
        "mn": "min",
        "mins": "min",
        "sec": "s",
        "secs": "s",
        "msec": "ms",
        "hr": "h",
        "hrs": "h",
    },
    SIZE: {"k": "KB", "m": "MB", "g": "GB", "t": "TB", "kb": "KB", "gi": "GiB", "mi": "MiB"},
    RATE: {
        "gb": "Gbps",
        "mb": "Mbps",
        "g": "Gbps",
        "m": "Mbps",
        "gbit": "Gbps",
        "mbit": "Mbps",
        "gbe": "Gbps",
        "mbe": "Mbps",
    },
}


_EXACT_ALIASES = {
    RATE: {
        "Bps": "B/s",
        "KBps": "KB/s",
        "MBps": "MB/s",
        "GBps": "GB/s",
        "TBps": "TB/s",
        "MiBps": "MiB/s",
        "GiBps": "GiB/s",
        "mbps": "Mbps",
        "gbps": "Gbps",
    },
}


class Quantity(NamedTuple):
    """A quantity in base units: bytes, bytes per second, seconds, or a plain ratio."""

    kind: str
    value: float


def parse_number(text: str) -> int | float | None:
    """The value of a decimal, decimal-fraction or hexadecimal number, or None when `text` is none."""
    if not _NUMBER.match(text):
        return None
    if text.startswith("0x"):
        return int(text, 16)
    return float(text) if "." in text else int(text)


def parse_quantity(text: str) -> Quantity | None:
    """The quantity `text` denotes, in base units, or None when it is not a number with a known unit."""
    match = _QUANTITY.match(text)
    if not match or match.group(2) not in UNITS:
        return None
    number = parse_number(match.group(1))
    assert number is not None
    kind, scale = UNITS[match.group(2)]
    return Quantity(kind, number * scale)


def suggest_unit(text: str, kind: str) -> str | None:
    """A spelling of `text` with a unit of `kind`, when `text` is a number with a near-miss unit (`10m`)."""
    match = re.match(r"(0x[0-9A-Fa-f]+|[0-9]+(?:\.[0-9]+)?)([A-Za-z/%]*)\Z", text)
    if not match:
        return None
    from hvlint.language.spelling import closest

    units = [unit for unit, (unit_kind, _) in UNITS.items() if unit_kind == kind]
    unit = match.group(2)
    best = _EXACT_ALIASES.get(kind, {}).get(unit) or _UNIT_ALIASES.get(kind, {}).get(unit.lower())
    best = best or closest(unit, units)
    return match.group(1) + best if best else None


def format_size(value: float) -> str:
    """A byte count in the largest binary unit that keeps it at or above 1 (`16GiB`, `512MiB`)."""
    return _format(value, [("TiB", _KI**4), ("GiB", _KI**3), ("MiB", _KI**2), ("KiB", _KI), ("B", 1)])


def format_rate(value: float) -> str:
    """A rate in bytes per second, written in decimal bytes per second (`80MB/s`)."""
    return _format(value, [("TB/s", _K**4), ("GB/s", _K**3), ("MB/s", _K**2), ("KB/s", _K), ("B/s", 1)])


def format_bit_rate(value: float) -> str:
    """A rate in bytes per second, written in bits per second (`1Gbps`)."""
    bits = value * 8
    return _format(bits, [("Tbps", _K**4), ("Gbps", _K**3), ("Mbps", _K**2), ("Kbps", _K), ("bps", 1)])


def format_duration(seconds: float) -> str:
    """A duration in milliseconds below one second, in seconds below ten minutes, else in minutes; rounded
    to four significant figures before the unit is chosen (so 0.99996s is `1s`, 119.99s is `120s`)."""
    seconds = significant(seconds)
    if seconds < 1:
        return f"{_trim(seconds * 1000)}ms"
    if seconds < 600:
        return f"{_trim(seconds)}s"
    return f"{_trim(seconds / 60)}min"


def significant(number: float) -> float:
    """`number` rounded to four significant figures."""
    return float(f"{number:.4g}")


def _format(value: float, scale: list[tuple[str, float]]) -> str:
    for unit, factor in scale:
        if value >= factor:
            return f"{_trim(value / factor)}{unit}"
    return f"{_trim(value)}{scale[-1][0]}"


def _trim(number: float) -> str:
    """Three significant figures below 100, else one decimal at most; no trailing `.0`."""
    if number >= 100 or float(number).is_integer():
        text = f"{number:.0f}" if float(round(number)) == round(number, 6) else f"{number:.1f}"
    else:
        text = f"{number:.3g}"
    return text[:-2] if text.endswith(".0") else text
