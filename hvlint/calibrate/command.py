"""`hvlint calibrate MEASUREMENTS.csv [--write CONFIG]` (docs/calibrate.md): read measured migrations,
fit the estimator to them, print the comparison and the fitted keys, and optionally write them."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from hvlint import config
from hvlint.calibrate.fitting import CalibrationError, fit
from hvlint.calibrate.measurements import read_measurements
from hvlint.calibrate.report import render
from hvlint.calibrate.settings_file import settings_text, write_settings
from hvlint.errors import HvlintError
from hvlint.estimator import Parameters


def configuration(given: str | None, write: str | None, measurements: str) -> config.Config:
    """The configuration whose settings the calibration starts from: `--config FILE`, else the file
    `--write` names when it exists, else the one that applies to the measurements' directory."""
    if given:
        if not os.path.isfile(given):
            raise HvlintError(f"--config {given}: no such file")
        return config.load(given)
    if write and os.path.isfile(write):
        return config.load(write)
    return config.load(config.discover(measurements if measurements != "-" else os.getcwd()))


def run(measurements: str, write: str | None, given_config: str | None) -> int:
    """The command: 0 when the fit is printed (and written); raises HvlintError (exit status 2, nothing
    printed or written) for an unreadable or bad measurements file, an unusable configuration or
    `--write` file, or too few rows."""
    try:
        data = sys.stdin.buffer.read() if measurements == "-" else Path(measurements).read_bytes()
    except OSError as error:
        raise HvlintError(f"{measurements}: cannot read: {error.strerror or error}") from None
    rows = read_measurements(data, measurements)
    params = Parameters.from_config(configuration(given_config, write, measurements))
    try:
        calibration = fit(rows, params)
    except CalibrationError as error:
        raise HvlintError(f"{measurements}: {error}") from None
    target = Path(write) if write else None
    pending = settings_text(target, calibration.toml_values()) if target else b""
    sys.stdout.write(render(calibration))
    if target:
        write_settings(target, pending)
    return 0
