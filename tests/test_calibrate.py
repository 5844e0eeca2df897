"""`hvlint calibrate`: reading measurements, the fit, the report and `--write` (docs/calibrate.md)."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hvlint.calibrate.fitting import (
    CalibrationError,
    _best_setup,
    fit,
    fitted_keys,
    predict,
    spread,
)
from hvlint.calibrate.measurements import Measurement, MeasurementError, read_measurements
from hvlint.calibrate.optimise import grid_minimum
from hvlint.calibrate.report import magnitude, percent
from hvlint.calibrate.settings_file import (
    SettingsFileError,
    settings_text,
    updated_text,
    write_settings,
)
from hvlint.cli import main
from hvlint.config import load
from hvlint.estimator import Parameters, precopy
from hvlint.records import replace as replace_record

GiB = 1024**3
GBPS = 1e9 / 8


def run(capsys, *args: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    status = main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


# -- the optimiser ------------------------------------------------------------------------------------


def test_grid_minimum_finds_a_minimum_between_grid_points() -> None:
    (x,) = grid_minimum(lambda p: (p[0] - 0.3141) ** 2, [(0.0, 1.0)], points=11)
    assert x == pytest.approx(0.3141, abs=1e-6)


def test_grid_minimum_in_two_dimensions_and_at_the_edge_of_the_box() -> None:
    x, y = grid_minimum(lambda p: (p[0] - 2.5) ** 2 + (p[1] + 4) ** 2, [(0.0, 5.0), (-1.0, 1.0)])
    assert x == pytest.approx(2.5, abs=1e-6)
    assert y == -1.0


def test_grid_minimum_sees_past_a_local_minimum() -> None:
    def two_valleys(p: tuple[float, ...]) -> float:
        return min((p[0] - 0.1) ** 2 + 0.05, (p[0] - 0.8) ** 2)

    (x,) = grid_minimum(two_valleys, [(0.0, 1.0)])
    assert x == pytest.approx(0.8, abs=1e-6)


def test_grid_minimum_breaks_ties_towards_the_first_point() -> None:
    assert grid_minimum(lambda p: 1.0, [(0.0, 1.0)]) == (0.0,)
    assert grid_minimum(lambda p: 0.0, [(2.0, 2.0)]) == (2.0,)


def test_grid_minimum_needs_two_points() -> None:
    with pytest.raises(ValueError, match="at least 2"):
        grid_minimum(lambda p: 0.0, [(0.0, 1.0)], points=1)


def test_the_best_setup_solves_the_least_squares_and_is_never_negative() -> None:
    assert _best_setup([8.0, 18.0], [10.0, 20.0]) == pytest.approx(2.0)
    assert _best_setup([30.0], [10.0]) == 0.0


# -- the fit ------------------------------------------------------------------------------------------


def row(line: int, memory: float, bandwidth: float, total: float, **extra: object) -> Measurement:
    return Measurement(line, f"vm{line}", memory, bandwidth, total, **extra)  # type: ignore[arg-type]


def measured(truth: Parameters, rows: list[Measurement]) -> list[Measurement]:
    """The rows with the totals the model gives under `truth`."""
    return [replace(r, total=predict(r, truth).total) for r in rows]


SITE = [
    row(2, 64 * GiB, 10 * GBPS, 1.0),
    row(3, 8 * GiB, 10 * GBPS, 1.0, dirty_rate=50e6),
    row(4, 8 * GiB, 1 * GBPS, 1.0, platform="ws2012"),
    row(5, 16 * GiB, 10 * GBPS, 1.0, simultaneous=2),
]


def test_the_fit_recovers_the_settings_the_measurements_were_made_with() -> None:
    truth = replace_record(Parameters(), link_efficiency=0.35, setup=1.5)
    calibration = fit(measured(truth, SITE), Parameters())
    assert calibration.keys == ("link_efficiency", "setup")
    assert calibration.after.link_efficiency == pytest.approx(0.35, abs=0.001)
    assert calibration.after.setup == pytest.approx(1.5, abs=0.01)
    assert calibration.toml_values() == {"link_efficiency": 0.35, "setup": "1.5s"}
    assert spread(calibration.errors(calibration.after))[1] < 0.005
    assert spread(calibration.errors(calibration.before))[0] > 0.5


def test_the_fit_recovers_the_compression_ratio_when_rows_of_both_kinds_exist() -> None:
    truth = replace_record(Parameters(), link_efficiency=0.6, setup=3.0, compression_ratio=1.6)
    rows = [*SITE, row(6, 32 * GiB, 10 * GBPS, 1.0, transport="compression")]
    calibration = fit(measured(truth, rows), Parameters())
    assert calibration.keys == ("link_efficiency", "compression_ratio", "setup")
    assert calibration.after.compression_ratio == pytest.approx(1.6, abs=0.011)
    assert calibration.after.link_efficiency == pytest.approx(0.6, abs=0.002)
    assert spread(calibration.errors(calibration.after))[1] < 0.01


def test_when_every_row_uses_compression_the_ratio_is_kept() -> None:
    rows = [replace(r, transport="compression") for r in SITE]
    assert fitted_keys(rows) == ("link_efficiency", "setup")
    truth = replace_record(Parameters(), link_efficiency=0.3, setup=2.0)
    calibration = fit(measured(truth, rows), Parameters())
    assert calibration.after.compression_ratio == Parameters().compression_ratio
    assert calibration.after.link_efficiency == pytest.approx(0.3, abs=0.002)


def test_smb_rows_are_not_compressed() -> None:
    assert fitted_keys([row(2, GiB, GBPS, 1.0, transport="smb")]) == ("link_efficiency", "setup")


def test_a_row_without_a_dirty_rate_uses_the_configured_default_else_none() -> None:
    idle = row(2, 8 * GiB, GBPS, 1.0)
    assert predict(idle, Parameters()).inputs.dirty_rate == 0.0
    assert predict(idle, replace_record(Parameters(), default_dirty_rate=5e6)).inputs.dirty_rate == 5e6


def test_simultaneous_migrations_share_the_link_equally() -> None:
    shared = predict(row(2, 8 * GiB, GBPS, 1.0, simultaneous=4), Parameters())
    assert shared.total == pytest.approx(precopy(8 * GiB, 0.0, GBPS, sharing=4, max_rounds=5).total)


def test_fewer_rows_than_keys_cannot_be_fitted() -> None:
    with pytest.raises(CalibrationError, match="needs at least 2 measurements, found 1"):
        fit([row(2, GiB, GBPS, 10.0)], Parameters())


@settings(max_examples=15, deadline=None)
@given(
    efficiency=st.floats(0.05, 1.0),
    setup=st.floats(0.0, 20.0),
)
def test_the_fit_is_never_worse_than_the_defaults(efficiency: float, setup: float) -> None:
    truth = replace_record(Parameters(), link_efficiency=efficiency, setup=setup)
    calibration = fit(measured(truth, SITE), Parameters())
    after = sum(e * e for e in calibration.errors(calibration.after))
    before = sum(e * e for e in calibration.errors(calibration.before))
    assert after <= before + 1e-6
    assert after < 1e-3


# -- the measurements file ----------------------------------------------------------------------------


def test_a_file_with_every_column() -> None:
    text = (
        "\ufeffvm,memory,bandwidth,total,transport,platform,simultaneous,dirty_rate,downtime\n"
        "sql01, 64GiB ,10Gbps,3.4min,compression,ws2019,2,80MB/s,300ms\n"
        "\n"
        "web01,8GiB,1Gbps,80s,,,,,\n"
    )
    first, second = read_measurements(text.encode(), "m.csv")
    assert first == Measurement(2, "sql01", 64 * GiB, 10 * GBPS, 204.0, "compression", "ws2019", 2, 80e6, 0.3)
    assert second == Measurement(4, "web01", 8 * GiB, GBPS, 80.0)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("vm,memory,bandwidth\n", "m.csv:1: column `total`: missing (required"),
        ("vm,memory,bandwidth,total,speed\n", "m.csv:1: column `speed`: unknown column"),
        ("", "m.csv: empty"),
        ("vm,memory,bandwidth,total\n", "m.csv: no measurements"),
        ("vm,memory,bandwidth,total\na,8GB2,1Gbps,1s\n", "m.csv:2: column `memory`: '8GB2' is not a size"),
        ("vm,memory,bandwidth,total\na,8Gi,1Gbps,1s\n", "did you mean `8GiB`?"),
        ("vm,memory,bandwidth,total\na,8GiB,1Gbps,-1s\n", "m.csv:2: column `total`: negative value '-1s'"),
        (
            "vm,memory,bandwidth,total\na,8GiB,0Gbps,1s\n",
            "column `bandwidth`: '0Gbps' must be above 0",
        ),
        (
            "vm,memory,bandwidth,total\na,8GiB,1Gbps,1GiB\n",
            "`total`: '1GiB' is a size, expected a duration",
        ),
        ("vm,memory,bandwidth,total\na,8GiB,1Gbps\n", "m.csv:2: column `total`: missing"),
        ("vm,memory,bandwidth,total\na,8GiB,1Gbps,1s,x\n", "m.csv:2: column `total`: 5 cells"),
        ("vm,memory,bandwidth,total,transport\na,8GiB,1Gbps,1s,rdma\n", "column `transport`: 'rdma'"),
        ("vm,memory,bandwidth,total,platform\na,8GiB,1Gbps,1s,ws2003\n", "column `platform`: 'ws2003'"),
        ("vm,memory,bandwidth,total,simultaneous\na,8GiB,1Gbps,1s,-2\n", "`simultaneous`: negative value"),
        ("vm,memory,bandwidth,total,simultaneous\na,8GiB,1Gbps,1s,0\n", "`simultaneous`: '0' is not a whole"),
        ('vm,memory,bandwidth,total\n"a,8GiB,1Gbps,1s\n', "m.csv:2: unexpected end of data"),
    ],
)
def test_a_bad_file_names_the_row_and_the_column(text: str, message: str) -> None:
    with pytest.raises(MeasurementError) as raised:
        read_measurements(text.encode(), "m.csv")
    assert message in str(raised.value)


def test_a_file_that_is_not_utf8() -> None:
    with pytest.raises(MeasurementError, match=r"m.csv: not UTF-8 \(byte offset 3\)"):
        read_measurements(b"vm,\xff", "m.csv")


def test_a_header_that_is_not_csv() -> None:
    with pytest.raises(MeasurementError, match=r"m\.csv:1: unexpected end of data"):
        read_measurements(b'"vm,memory\n', "m.csv")


# -- the report ---------------------------------------------------------------------------------------


def test_percentages() -> None:
    assert [percent(x) for x in (0.4512, -0.02, 0.0001, -0.1)] == ["+45.1%", "-2%", "0%", "-10%"]
    assert magnitude(-0.25) == "25%"
    assert magnitude(0.0) == "0%"


# -- the command --------------------------------------------------------------------------------------

CSV = "vm,memory,bandwidth,total\n" + "".join(
    f"{name},{memory},{link},{total}\n"
    for name, memory, link, total in (
        ("sql01", "64GiB", "10Gbps", "158.623s"),
        ("web01", "8GiB", "10Gbps", "21.184s"),
        ("web02", "8GiB", "1Gbps", "197.891s"),
    )
)
"""Made with link_efficiency 0.35 and setup 1.5s from ws2012r2 defaults (5 passes, idle VMs)."""


def test_the_command_prints_each_row_the_fitted_keys_and_the_errors(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    measurements = tmp_path / "m.csv"
    measurements.write_text(CSV)
    status, out, err = run(capsys, "calibrate", str(measurements))
    assert (status, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].split() == ["line", "VM", "measured", "before", "error", "after", "error"]
    assert lines[1].split()[:3] == ["2", "sql01", "158.6s"]
    assert lines[1].split()[4].startswith("-")
    assert "link_efficiency = 0.35" in lines
    assert 'setup = "1.5s"' in lines
    assert lines[-1].startswith("median error 0%, worst 0%")
    assert "(before: median " in lines[-1]


def test_the_configuration_applies_to_before(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "m.csv").write_text(CSV)
    (tmp_path / "hvlint.toml").write_text('[estimator]\nlink_efficiency = 0.35\nsetup = "1.5s"\n')
    status, out, _ = run(capsys, "calibrate", str(tmp_path / "m.csv"))
    assert status == 0
    assert "(before: median 0%, worst 0%)" in out


def test_write_sets_the_keys_and_keeps_every_other_byte(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "m.csv").write_text(CSV)
    config = tmp_path / "hvlint.toml"
    original = (
        '# site settings\nselect = ["HV5"]   # only the estimator\n\n'
        '[estimator]\nlink_efficiency = 0.9  # the default\nmax_downtime = "300ms"\n\n'
        "[rules.HV501]\n"
    )
    config.write_text(original)
    status, _, _ = run(capsys, "calibrate", str(tmp_path / "m.csv"), "--write", str(config))
    assert status == 0
    assert config.read_text() == original.replace("0.9  #", "0.35  #").replace(
        '"300ms"\n', '"300ms"\nsetup = "1.5s"\n'
    )
    written = load(config)
    assert written.estimator_value("link_efficiency") == 0.35
    assert written.estimator_value("setup") == 1.5


def test_write_creates_the_file_or_the_table(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "m.csv").write_text(CSV)
    fresh = tmp_path / "new" / "hvlint.toml"
    fresh.parent.mkdir()
    assert run(capsys, "calibrate", str(tmp_path / "m.csv"), "--write", str(fresh))[0] == 0
    assert fresh.read_text() == '[estimator]\nlink_efficiency = 0.35\nsetup = "1.5s"\n'
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\nname = "site"\n')
    assert run(capsys, "calibrate", str(tmp_path / "m.csv"), "--write", str(pyproject))[0] == 0
    assert pyproject.read_text().startswith('[project]\nname = "site"\n\n[tool.hvlint.estimator]\n')
    assert load(pyproject).estimator_value("link_efficiency") == 0.35


def test_a_table_added_before_another_keeps_them_apart() -> None:
    text = "[tool.hvlint]\nselect = []\n\n[tool.ruff]\nline-length = 1\n"
    new = updated_text(text, ("tool", "hvlint", "estimator"), {"setup": "1s"}, "p")
    assert new == (
        '[tool.hvlint]\nselect = []\n\n[tool.hvlint.estimator]\nsetup = "1s"\n\n'
        "[tool.ruff]\nline-length = 1\n"
    )
    last = updated_text("[rules]\nx = 1\n", ("estimator",), {"setup": "1s"}, "c")
    assert last == '[rules]\nx = 1\n\n[estimator]\nsetup = "1s"\n'


def test_write_reports_a_file_it_cannot_read_or_write(tmp_path: Path) -> None:
    binary = tmp_path / "hvlint.toml"
    binary.write_bytes(b"\xff")
    with pytest.raises(SettingsFileError, match="not UTF-8"):
        settings_text(binary, {"setup": "1s"})
    with pytest.raises(SettingsFileError, match="cannot read"):
        settings_text(tmp_path, {"setup": "1s"})
    with pytest.raises(SettingsFileError, match="cannot write"):
        write_settings(tmp_path / "nowhere" / "hvlint.toml", b"")


@pytest.mark.parametrize(
    ("text", "message"),
    [("estimator = 3\n", "`estimator` is not a table"), ("[estimator\n", "invalid TOML")],
)
def test_write_refuses_a_file_it_cannot_change(text: str, message: str) -> None:
    with pytest.raises(SettingsFileError, match=message):
        updated_text(text, ("estimator",), {"setup": "1s"}, "c")


def test_a_bad_row_is_exit_2_and_nothing_is_written(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    measurements = tmp_path / "m.csv"
    measurements.write_text(CSV + "db,8GiB,1Gbps,-3s\n")
    config = tmp_path / "hvlint.toml"
    config.write_text("[estimator]\n")
    status, out, err = run(capsys, "calibrate", str(measurements), "--write", str(config))
    assert (status, out) == (2, "")
    assert "m.csv:5: column `total`: negative value '-3s'" in err
    assert config.read_text() == "[estimator]\n"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["missing.csv"], "missing.csv: cannot read"),
        (["m.csv", "--config", "nowhere.toml"], "--config nowhere.toml: no such file"),
        (["one.csv"], "needs at least 2 measurements, found 1"),
        (["m.csv", "--write", "bad.toml"], "invalid TOML"),
        (["m.csv", "--config", "good.toml", "--write", "bad.toml"], "--write bad.toml: invalid TOML"),
    ],
)
def test_unusable_inputs_are_exit_2(tmp_path: Path, capsys, monkeypatch, arguments, message) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.csv").write_text(CSV)
    (tmp_path / "one.csv").write_text(CSV.splitlines()[0] + "\n" + CSV.splitlines()[1] + "\n")
    (tmp_path / "bad.toml").write_text("[estimator\n")
    (tmp_path / "good.toml").write_text("")
    status, out, err = run(capsys, "calibrate", *arguments)
    assert (status, out) == (2, "")
    assert message in err


def test_the_explicit_configuration_wins(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "m.csv").write_text(CSV)
    given = tmp_path / "given.toml"
    given.write_text('[estimator]\nlink_efficiency = 0.35\nsetup = "1.5s"\n')
    status, out, _ = run(capsys, "calibrate", str(tmp_path / "m.csv"), "--config", str(given))
    assert status == 0
    assert "(before: median 0%, worst 0%)" in out


def test_standard_input(capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(CSV.encode())))
    status, out, _ = run(capsys, "calibrate", "-")
    assert status == 0
    assert "link_efficiency = 0.35" in out
    assert math.isfinite(float(out.split("link_efficiency = ")[1].split()[0]))


def test_the_documented_example_is_what_the_command_prints(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    docs = (Path(__file__).resolve().parent.parent / "docs" / "calibrate.md").read_text()
    example = docs.split("```\nline  VM", 1)[1].split("```", 1)[0]
    (tmp_path / "m.csv").write_text(CSV)
    status, out, _ = run(capsys, "calibrate", str(tmp_path / "m.csv"))
    assert status == 0
    assert out == "line  VM" + example


def test_the_documented_leave_one_out_table_is_what_the_benchmark_prints() -> None:
    import runpy

    root = Path(__file__).resolve().parent.parent
    accuracy = runpy.run_path(str(root / "benchmarks" / "accuracy.py"), run_name="accuracy")
    docs = (root / "docs" / "estimator.md").read_text(encoding="utf-8")
    assert accuracy["leave_one_out"](Parameters()) in docs
    assert accuracy["fit"](accuracy["TIMED"][:3], Parameters()).link_efficiency == 1.0
