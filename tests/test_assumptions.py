"""Saying what an estimate assumed (issue 18, part 3): `assumed` in the JSON, the `*` of the table, and
the note of HV501 and HV502 on fast links with the default link efficiency."""

from __future__ import annotations

import pytest

from hvlint.estimate_cli import MARK_NOTE, estimate_documents, render_json, render_table
from hvlint.estimator import ASSUMABLE_KEYS, Parameters, assumed_keys
from hvlint.language.document import load
from hvlint.records import replace
from tests.conftest import lint, make_config

NOTE = "(assuming the default link efficiency 0.9; calibrate with `hvlint calibrate`)"


def cluster(bandwidth: str, vms: str, transport: str = "tcp") -> str:
    return (
        f'cluster "LAB" {{\n  platform = ws2016\n  migration_transport = {transport}\n'
        f'  network "LM" {{ roles = [live_migration]  bandwidth = {bandwidth} }}\n'
        '  host "HV01" { processor = "amd-opteron-2300"  memory = 256GiB }\n'
        '  host "HV02" { processor = "amd-opteron-2300"  memory = 256GiB }\n'
        f"{vms}}}\n"
    )


FAST = cluster(
    "10Gbps",
    '  vm "BUSY" { host = HV01  memory = 64GiB  dirty_rate = 1GB/s }\n'
    '  vm "STUCK" { host = HV01  memory = 8GiB  dirty_rate = 2GB/s }\n'
    '  vm "CALM" { host = HV01  memory = 4GiB  dirty_rate = 10MB/s }\n',
)
SLOW = cluster(
    "1Gbps",
    '  vm "BUSY" { host = HV01  memory = 16GiB  dirty_rate = 100MB/s }\n'
    '  vm "STUCK" { host = HV01  memory = 8GiB  dirty_rate = 300MB/s }\n'
    '  vm "CALM" { host = HV01  memory = 4GiB  dirty_rate = 1MB/s }\n'
    '  vm "IDLE" { host = HV01  memory = 4GiB }\n'
    '  vm "ASLEEP" { host = HV01  memory = 4GiB  state = paused }\n',
    transport="compression",
)


def estimates(text: str, estimator: dict[str, object] | None = None) -> dict[str, list[str]]:
    config = make_config({"estimator": estimator or {}})
    data = render_json(estimate_documents([load(text, "a.hvc")], config))
    return {entry["vm"]: entry["assumed"] for entry in data["estimates"]}


def test_assumed_keys_are_the_defaults_the_configuration_does_not_set() -> None:
    defaults = Parameters()
    assert assumed_keys(defaults, True, True) == ASSUMABLE_KEYS
    assert "compression_ratio" not in assumed_keys(defaults, False, True)
    assert assumed_keys(defaults, False, False)[-1] == "dirty_rate"
    configured = replace(defaults, configured=frozenset(ASSUMABLE_KEYS))
    assert assumed_keys(configured, True, True) == ()


def test_json_lists_every_default_used_and_the_missing_dirty_rate() -> None:
    found = estimates(SLOW)
    assert found["CALM"] == list(ASSUMABLE_KEYS)
    assert found["IDLE"] == [*ASSUMABLE_KEYS, "dirty_rate"]
    assert found["ASLEEP"] == list(ASSUMABLE_KEYS)
    assert "compression_ratio" not in estimates(FAST)["CALM"]


def test_a_key_the_configuration_sets_is_not_assumed_even_at_its_default_value() -> None:
    found = estimates(SLOW, {"link_efficiency": 0.9, "max_rounds": 5, "default_dirty_rate": "5MB/s"})
    assert found["CALM"] == ["compression_ratio", "setup", "switchover", "stop_copy_target"]
    assert found["IDLE"][-1] == "dirty_rate"


def table(text: str, estimator: dict[str, object] | None = None) -> list[str]:
    config = make_config({"estimator": estimator or {}})
    return render_table(estimate_documents([load(text, "a.hvc")], config)).splitlines()


def test_the_table_marks_fast_links_with_the_default_efficiency_and_missing_dirty_rates() -> None:
    fast = table(FAST)
    assert sorted(line.split()[0] for line in fast[1:4]) == ["BUSY*", "CALM*", "STUCK*"]
    assert fast[-1] == MARK_NOTE
    slow = table(SLOW)
    assert sorted(line.split()[0] for line in slow[1:6]) == ["ASLEEP", "BUSY", "CALM", "IDLE*", "STUCK"]
    assert slow[-1] == MARK_NOTE


def test_no_mark_and_no_note_when_nothing_is_assumed_that_matters() -> None:
    lines = table(FAST, {"link_efficiency": 0.3})
    assert not any("*" in line for line in lines)
    assert lines[-1].startswith("3 VMs estimated")


@pytest.mark.parametrize("code", ["HV501", "HV502"])
def test_hv501_and_hv502_say_the_default_efficiency_was_assumed_on_fast_links(code: str) -> None:
    fast = [f.message for f in lint(FAST, select=[code])]
    assert fast and all(message.endswith(NOTE) for message in fast)
    slow = [f.message for f in lint(SLOW, select=[code])]
    assert slow and not any(NOTE in message for message in slow)
    calibrated = lint(FAST, select=[code], settings={"estimator": {"link_efficiency": 0.95}})
    assert calibrated and not any(NOTE in f.message for f in calibrated)
