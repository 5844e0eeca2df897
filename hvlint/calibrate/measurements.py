"""The measurements `hvlint calibrate` reads: a CSV file of measured live migrations, one per row."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from hvlint.errors import HvlintError
from hvlint.language import units
from hvlint.language.model import PLATFORMS

REQUIRED = ("vm", "memory", "bandwidth", "total")
OPTIONAL = ("transport", "platform", "simultaneous", "dirty_rate", "downtime")
TRANSPORTS = ("tcp", "compression", "smb")
DEFAULT_PLATFORM = "ws2012r2"
_KINDS = {
    "memory": units.SIZE,
    "bandwidth": units.RATE,
    "total": units.DURATION,
    "dirty_rate": units.RATE,
    "downtime": units.DURATION,
}
_POSITIVE = ("bandwidth", "total")


class MeasurementError(HvlintError):
    """A measurements file hvlint cannot use: exit status 2, naming the row and the column."""


@dataclass(frozen=True, slots=True)
class Measurement:
    """One measured live migration, in base units (bytes, bytes per second, seconds)."""

    line: int
    """The line of the file the row starts on (the header is line 1)."""
    vm: str
    memory: float
    bandwidth: float
    total: float
    """The measured time of the whole migration, seconds."""
    transport: str = "tcp"
    platform: str = DEFAULT_PLATFORM
    simultaneous: int = 1
    """How many equal migrations shared the link, started together."""
    dirty_rate: float | None = None
    """None: the configuration's `default_dirty_rate`, else 0."""
    downtime: float | None = None


def read_measurements(data: bytes, name: str) -> list[Measurement]:
    """The rows of the CSV file `data` (called `name` in messages); raises MeasurementError for a file
    that is not UTF-8, a header without a required column or with an unknown one, or a bad value."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise MeasurementError(f"{name}: not UTF-8 (byte offset {error.start})") from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [cell.strip() for cell in next(reader)]
    except StopIteration:
        raise MeasurementError(f"{name}: empty: expected a header naming {', '.join(REQUIRED)}") from None
    except csv.Error as error:
        raise MeasurementError(f"{name}:1: {error}") from None
    for column in header:
        if column not in REQUIRED + OPTIONAL:
            known = ", ".join(REQUIRED + OPTIONAL)
            raise MeasurementError(f"{name}:1: column `{column}`: unknown column (known: {known})")
    for column in REQUIRED:
        if column not in header:
            raise MeasurementError(f"{name}:1: column `{column}`: missing (required: {', '.join(REQUIRED)})")
    rows = []
    line = reader.line_num + 1
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                rows.append(_row(cells, header, _Where(name, line)))
            line = reader.line_num + 1
    except csv.Error as error:
        raise MeasurementError(f"{name}:{line}: {error}") from None
    if not rows:
        raise MeasurementError(f"{name}: no measurements: the file has a header and no row")
    return rows


@dataclass(frozen=True, slots=True)
class _Where:
    name: str
    line: int

    def fail(self, column: str, reason: str) -> MeasurementError:
        return MeasurementError(f"{self.name}:{self.line}: column `{column}`: {reason}")


def _row(cells: list[str], header: list[str], where: _Where) -> Measurement:
    if len(cells) > len(header):
        raise where.fail(header[-1], f"{len(cells)} cells, but the header names {len(header)} columns")
    values = {column: cell.strip() for column, cell in zip(header, cells, strict=False)}
    for column in REQUIRED:
        if not values.get(column):
            raise where.fail(column, "missing (a required column)")
    quantities = {column: _quantity(values[column], column, where) for column in _KINDS if values.get(column)}
    transport = values.get("transport") or "tcp"
    if transport not in TRANSPORTS:
        raise where.fail("transport", f"{transport!r} is not one of {', '.join(TRANSPORTS)}")
    platform = values.get("platform") or DEFAULT_PLATFORM
    if platform not in PLATFORMS:
        raise where.fail("platform", f"{platform!r} is not one of {', '.join(PLATFORMS)}")
    return Measurement(
        line=where.line,
        vm=values["vm"],
        memory=quantities["memory"],
        bandwidth=quantities["bandwidth"],
        total=quantities["total"],
        transport=transport,
        platform=platform,
        simultaneous=_count(values.get("simultaneous") or "1", where),
        dirty_rate=quantities.get("dirty_rate"),
        downtime=quantities.get("downtime"),
    )


def _quantity(text: str, column: str, where: _Where) -> float:
    kind = _KINDS[column]
    example = units.KIND_EXAMPLES[kind]
    if text.startswith("-"):
        raise where.fail(column, f"negative value {text!r}: a {kind} is at least 0")
    quantity = units.parse_quantity(text)
    if quantity is None:
        hint = units.suggest_unit(text, kind)
        suggestion = f"; did you mean `{hint}`?" if hint else ""
        raise where.fail(column, f"{text!r} is not a {kind} with a unit, such as {example}{suggestion}")
    if quantity.kind != kind:
        raise where.fail(column, f"{text!r} is a {quantity.kind}, expected a {kind} such as {example}")
    if column in _POSITIVE and quantity.value <= 0:
        raise where.fail(column, f"{text!r} must be above 0")
    return quantity.value


def _count(text: str, where: _Where) -> int:
    if text.startswith("-"):
        raise where.fail("simultaneous", f"negative value {text!r}: a count is at least 1")
    if not text.isdigit() or int(text) < 1:
        raise where.fail("simultaneous", f"{text!r} is not a whole number of migrations, 1 or more")
    return int(text)
