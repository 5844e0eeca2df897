"""What `hvlint calibrate` prints: each row's measured and predicted totals, the fitted keys in TOML
form, and the median and worst error before and after."""

from __future__ import annotations

import json

from hvlint.calibrate.fitting import Calibration, relative_error, spread
from hvlint.estimate_cli import _table as table
from hvlint.estimator.wording import format_duration


def percent(error: float) -> str:
    """A relative error as a signed percentage, to a tenth of a percent: `+45.1%`, `-2%`, `0%`."""
    if abs(error) < 0.0005:
        return "0%"
    return f"{error * 100:+.1f}".removesuffix(".0") + "%"


def magnitude(error: float) -> str:
    """A relative error's size as a percentage: `45.1%`, `0%`."""
    return percent(abs(error)).lstrip("+")


def toml_lines(calibration: Calibration) -> list[str]:
    """One line per fitted key, as the configuration writes it: `link_efficiency = 0.35`,
    `setup = "1.5s"`."""
    return [f"{key} = {json.dumps(value)}" for key, value in calibration.toml_values().items()]


def render(calibration: Calibration) -> str:
    """The whole report."""
    before = calibration.totals(calibration.before)
    after = calibration.totals(calibration.after)
    rows = []
    for measurement, old, new in zip(calibration.measurements, before, after, strict=True):
        rows.append(
            [
                str(measurement.line),
                measurement.vm,
                format_duration(measurement.total),
                format_duration(old),
                percent(relative_error(old, measurement.total)),
                format_duration(new),
                percent(relative_error(new, measurement.total)),
            ]
        )
    header = ["line", "VM", "measured", "before", "error", "after", "error"]
    lines = table(header, rows, right=(0, 2, 3, 4, 5, 6))
    lines.append("")
    lines.extend(toml_lines(calibration))
    lines.append("")
    old_median, old_worst = spread(calibration.errors(calibration.before))
    new_median, new_worst = spread(calibration.errors(calibration.after))
    lines.append(
        f"median error {magnitude(new_median)}, worst {magnitude(new_worst)} "
        f"(before: median {magnitude(old_median)}, worst {magnitude(old_worst)})"
    )
    return "\n".join(lines) + "\n"
