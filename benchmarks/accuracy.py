"""How far the pre-copy estimator's predictions are from the published measurements of estimator.md.

Run `python benchmarks/accuracy.py` from the repository: it prints the Markdown table that
docs/estimator.md shows. Every prediction uses the estimator's defaults (`hvlint.estimator.Parameters()`):
nothing here is fitted to the measurements.

The measurements (estimator.md, "Published measurements to compare with"):
- Aidan Finn's lab notes (aidanfinn.com, post 12228): Windows Server 2012 beta, idle 512 MB VMs, the
  peak transfer rate and the time to move 1, 10 and 20 VMs over 1 GbE, and 1 VM over 10 GbE;
- Clark et al. (NSDI 2005, Xen, gigabit Ethernet): downtimes of 210 ms (SPECweb99) and 60 ms (Quake 3).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hvlint.estimator import Parameters, format_duration, precopy, schedule

MB_512 = 512 * 1024**2
"""Hyper-V's "512 MB" of memory is 512 MiB."""
GBE_1 = 1e9 / 8
GBE_10 = 10e9 / 8
WS2012_ROUNDS = 10  # n_max for ws2012
WS2012_DEFAULT_SLOTS = 2  # max_migrations for ws2012 (language.md)
CONFIGURED_SLOTS = 20  # "I had configured the 2 hosts to allow 20 simultaneous live migrations"


@dataclass(frozen=True)
class Row:
    """One line of the table, as printed."""

    case: str
    inputs: str
    quantity: str
    predicted: str
    measured: str
    error: str


def compared(case: str, inputs: str, quantity: str, predicted: float, measured: float, unit: str) -> Row:
    """A row comparing a predicted number with a measured one (error relative to the measurement)."""

    def show(value: float) -> str:
        return f"{value:,.0f} B/s" if unit == "B/s" else format_duration(value)

    error = (predicted - measured) / measured * 100
    return Row(case, inputs, quantity, show(predicted), show(measured), f"{error:+.0f}%")


def idle_migration_total(link: float, slots: int, params: Parameters) -> float:
    """The total of one idle 512 MiB VM (D = 0) sharing the link with `slots` - 1 others (ws2012: tcp)."""
    return precopy(
        MB_512,
        0.0,
        link,
        efficiency=params.link_efficiency,
        sharing=slots,
        max_rounds=WS2012_ROUNDS,
        stop_copy_target=params.stop_copy_target,
        switchover=params.switchover,
        setup=params.setup,
    ).total


def drain(count: int, link: float, max_migrations: int, params: Parameters) -> float:
    """The drain time of `count` idle 512 MiB VMs with `max_migrations` slots (estimator.md's drain plan)."""
    slots = min(max_migrations, count)
    return schedule([idle_migration_total(link, slots, params)] * count, slots)


def rows(params: Parameters) -> list[Row]:
    """Every row of the table."""
    eta = params.link_efficiency
    ws2012 = f"M = 512 MiB, D = 0 (idle), tcp, η = {eta:g}"
    found = [
        compared("1 VM, 1 GbE", f"{ws2012}, L = 1 Gbps", "rate R", eta * GBE_1, 119_509_089, "B/s"),
        compared("1 VM, 1 GbE", "same", "total", idle_migration_total(GBE_1, 1, params), 7, "s"),
    ]
    for count, measured in ((10, 40.0), (20, 80.0)):
        case = f"{count} VMs, 1 GbE"
        for inputs, slots in (
            (f"{ws2012}; max_migrations = {CONFIGURED_SLOTS} as the lab allowed", CONFIGURED_SLOTS),
            (f"same, ws2012's default max_migrations = {WS2012_DEFAULT_SLOTS}", WS2012_DEFAULT_SLOTS),
            ("same, one at a time (max_migrations = 1)", 1),
        ):
            k = min(slots, count)
            predicted = drain(count, GBE_1, slots, params)
            found.append(compared(case, f"{inputs}: k = {k}", "drain time", predicted, measured, "s"))
    found.append(
        compared("20 VMs, 1 GbE", "same, any k", "rate, all migrations", eta * GBE_1, 122_842_926, "B/s")
    )
    found += [
        compared("1 VM, 10 GbE", f"{ws2012}, L = 10 Gbps", "rate R", eta * GBE_10, 338_530_495, "B/s"),
        compared("1 VM, 10 GbE", "same", "total", idle_migration_total(GBE_10, 1, params), 5, "s"),
    ]
    low, high = params.switchover, params.stop_copy_target + params.switchover
    band = f"{format_duration(low)} to {format_duration(high)}"
    for case, measured in (("SPECweb99 server (Xen, 1 GbE)", 0.210), ("Quake 3 server (Xen, 1 GbE)", 0.060)):
        verdict = "inside the band" if low <= measured <= high else "outside the band"
        found.append(
            Row(
                case,
                "M, D and W not in estimator.md: only the band of any VM that meets the stop-copy target",
                "downtime",
                band,
                format_duration(measured),
                verdict,
            )
        )
    return found


def table(params: Parameters) -> str:
    """The Markdown table."""
    header = ["case", "inputs", "quantity", "predicted", "measured", "error"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows(params):
        cells = [row.case, row.inputs, row.quantity, row.predicted, row.measured, row.error]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main() -> None:
    print(table(Parameters()), end="")


if __name__ == "__main__":
    main()
