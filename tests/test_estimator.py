"""The pre-copy estimator (estimator.md): hand-computed cases with the arithmetic written out, the mapping
from the model of a file, the drain plan, properties checked with hypothesis, the HV5 rules beyond their
fixtures, and what `hvlint estimate` prints (hvlint/estimate_cli.py)."""

from __future__ import annotations

import importlib
import inspect
import json
import math
import runpy
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import hvlint.estimator.links as estimator_links
from hvlint.estimate_cli import (
    DrainHostError,
    drain_plan,
    drain_plan_documents,
    drain_plan_models,
    estimate_documents,
    estimate_models,
    render_drain,
    render_drain_json,
    render_json,
    render_table,
    verdict,
)
from hvlint.estimator import (
    STOP_MAX_ROUNDS,
    STOP_NO_PROGRESS,
    STOP_TARGET,
    Links,
    MigrationInputs,
    Parameters,
    VMEstimate,
    assign_slots,
    estimate_model,
    estimate_vm,
    plan_drain,
    precopy,
    schedule,
    simulate,
)
from hvlint.language.document import load
from hvlint.language.model import VM, Model
from tests.conftest import ROOT, SHARED, lint, make_config

precopy_rules = importlib.import_module("hvlint.rules.precopy")

GiB = 1024**3
MiB = 1024**2
GBPS = 1e9 / 8  # 1Gbps in bytes/s
T_STOP, T_SW, T_SETUP = 0.05, 0.05, 2.5


def close(actual: float, expected: float) -> bool:
    return math.isclose(actual, expected, rel_tol=1e-12, abs_tol=1e-12)


def model_of(text: str) -> Model:
    document = load(text, "test.hvc")
    assert not document.has_syntax_errors, document.problems
    return document.model


def vm_named(model: Model, name: str) -> VM:
    return next(vm for vm in model.all_vms() if vm.name == name)


def estimate_of(text: str, name: str, **settings: Any) -> VMEstimate:
    model = model_of(text)
    return estimate_vm(vm_named(model, name), Parameters(**settings))


def two_hosts(vms: str, platform: str = "ws2008r2", bandwidth: str = "1Gbps", extra: str = "") -> str:
    return f"""
cluster "C" {{
  platform = {platform}
  failover_clustering = true
  {extra}
  network "LM" {{ roles = [live_migration]; bandwidth = {bandwidth} }}
  host "HV01" {{ processor = "amd-opteron-2300"; memory = 256GiB }}
  host "HV02" {{ processor = "amd-opteron-2300"; memory = 256GiB }}
  {vms}
}}
"""


# -- the model over plain numbers: hand-computed cases --------------------------------------------------


def test_convergent_stops_at_the_stop_copy_target() -> None:
    # M = 1e9 B, D = 1e7 B/s, L = 1e8 B/s, η = 1: R = 1e8 B/s, D/R = 0.1
    # pass 0: T0 = 1e9/1e8 = 10s,  V1 = 1e7·10 = 1e8 B,  V1/R = 1s    > 50ms, V1 < V0: go on
    # pass 1: T1 = 1s,             V2 = 1e7 B,          V2/R = 0.1s  > 50ms: go on
    # pass 2: T2 = 0.1s,           V3 = 1e6 B,          V3/R = 10ms <= 50ms: stop (condition 2)
    # downtime = 10ms + 50ms = 60ms;  total = 2.5 + (10 + 1 + 0.1) + 0.06 = 13.66s
    result = precopy(1e9, 1e7, 1e8, efficiency=1.0)
    assert result.rate == 1e8
    assert result.passes == 3
    assert result.stop == STOP_TARGET
    assert result.pass_times == pytest.approx((10.0, 1.0, 0.1))
    assert result.remaining == pytest.approx(1e6)
    assert close(result.downtime, 0.06)
    assert close(result.total, 13.66)
    assert result.converges


def test_capped_by_the_working_set() -> None:
    # M = 1e9, D = 5e7, W = 1e8, R = 1e8 (η = 1): D/R = 0.5
    # pass 0: T0 = 10s, V1 = min(5e8, W, M) = 1e8 (the cap), 1s > 50ms, go on
    # pass 1: T1 = 1s, V2 = 5e7 (0.5s);  pass 2: T2 = 0.5s, V3 = 2.5e7 (0.25s)
    # pass 3: T3 = 0.25s, V4 = 1.25e7 (0.125s);  pass 4: T4 = 0.125s, V5 = 6.25e6 (62.5ms)
    # pass 5: T5 = 62.5ms, V6 = 3.125e6: 31.25ms <= 50ms, stop after 6 passes
    # downtime = 31.25ms + 50ms = 81.25ms; total = 2.5 + 11.9375 + 0.08125 = 14.51875s
    capped = precopy(1e9, 5e7, 1e8, working_set=1e8, efficiency=1.0)
    assert capped.volumes[1] == 1e8
    assert capped.passes == 6
    assert close(capped.downtime, 0.08125)
    assert close(capped.total, 14.51875)
    # without the cap: T_i = 10·0.5^i, and V_i+1/R = 10·0.5^(i+1) <= 0.05 first at i + 1 = 8:
    # 8 passes, downtime = 10/256 + 0.05 = 89.0625ms, total = 2.5 + 10·(1 - 0.5^8)/0.5 + 0.0890625
    free = precopy(1e9, 5e7, 1e8, efficiency=1.0)
    assert free.passes == 8
    assert close(free.downtime, 10 / 256 + 0.05)
    assert close(free.total, 2.5 + 20 * (1 - 0.5**8) + 10 / 256 + 0.05)
    assert capped.downtime < free.downtime


def test_non_convergent_stops_for_lack_of_progress() -> None:
    # M = 1e9, D = 2e8 > R = 1e8: T0 = 10s, V1 = min(2e9, M) = 1e9 >= V0: stop after pass 0 (condition 3)
    # downtime = 1e9/1e8 + 0.05 = 10.05s (the whole memory again); total = 2.5 + 10 + 10.05 = 22.55s
    result = precopy(1e9, 2e8, 1e8, efficiency=1.0)
    assert (result.passes, result.stop, result.converges) == (1, STOP_NO_PROGRESS, False)
    assert close(result.downtime, 10.05)
    assert close(result.total, 22.55)


def test_dirty_rate_equal_to_the_rate_does_not_converge() -> None:
    # D = R = 1e8: V1 = min(1e9, M) = V0: no progress; D < R is false
    result = precopy(1e9, 1e8, 1e8, efficiency=1.0)
    assert (result.passes, result.stop, result.converges) == (1, STOP_NO_PROGRESS, False)


def test_non_convergent_with_a_working_set_stops_after_the_second_pass() -> None:
    # M = 1e9, D = 2e8, W = 1e8, R = 1e8: V1 = min(2e9, 1e8) = 1e8 < V0 (1s left): go on
    # pass 1: T1 = 1s, V2 = min(2e8, 1e8) = 1e8 >= V1: stop (condition 3) after 2 passes
    # downtime = 1 + 0.05 = 1.05s; total = 2.5 + 10 + 1 + 1.05 = 14.55s
    result = precopy(1e9, 2e8, 1e8, working_set=1e8, efficiency=1.0)
    assert (result.passes, result.stop, result.converges) == (2, STOP_NO_PROGRESS, False)
    assert close(result.downtime, 1.05)
    assert close(result.total, 14.55)


def test_passes_run_out() -> None:
    # M = 1e9, D = 5e7, R = 1e8, n_max = 3: T = 10, 5, 2.5s; after pass 2, i + 1 = 3 = n_max: stop
    # V3 = 5e7·2.5 = 1.25e8: downtime = 1.25 + 0.05 = 1.3s; total = 2.5 + 17.5 + 1.3 = 21.3s
    result = precopy(1e9, 5e7, 1e8, efficiency=1.0, max_rounds=3)
    assert (result.passes, result.stop) == (3, STOP_MAX_ROUNDS)
    assert close(result.downtime, 1.3)
    assert close(result.total, 21.3)


def test_stop_conditions_are_checked_in_order() -> None:
    # n_max = 1 with D = 0: after pass 0 both "the passes ran out" and "fits the target" hold; the first is
    # recorded. M = 1e9 over R = 1e8: downtime = 0 + 0.05, total = 2.5 + 10 + 0.05
    result = precopy(1e9, 0.0, 1e8, efficiency=1.0, max_rounds=1)
    assert (result.passes, result.stop) == (1, STOP_MAX_ROUNDS)
    assert close(result.total, 12.55)
    # D = 0 and passes left: V1 = 0 fits the target (condition 2 before condition 3, 0 >= 0)
    assert precopy(1e9, 0.0, 1e8).stop == STOP_TARGET


def test_compression_multiplies_the_rate() -> None:
    # M = 1e9, D = 1.5e8, L = 1e8, η = 1: over tcp R = 1e8 < D (does not converge);
    # with compression c = 2: R = 2e8, D/R = 0.75, n_max = 5:
    # T = 5, 3.75, 2.8125, 2.109375, 1.58203125 s (sum 15.25390625), V5 = 0.75·1.58203125·2e8
    # downtime = 0.75·1.58203125 + 0.05 = 1.2365234375s; total = 2.5 + 15.25390625 + 1.2365234375
    assert not precopy(1e9, 1.5e8, 1e8, efficiency=1.0).converges
    result = precopy(1e9, 1.5e8, 1e8, efficiency=1.0, transport_factor=2.0, max_rounds=5)
    assert result.rate == 2e8 and result.converges
    assert result.pass_times == pytest.approx((5, 3.75, 2.8125, 2.109375, 1.58203125))
    assert close(result.downtime, 1.2365234375)
    assert close(result.total, 18.9904296875)


def test_sharing_divides_the_rate() -> None:
    # k = 2: R = 0.9 · 1e8 / 2 = 4.5e7
    assert precopy(1e9, 0.0, 1e8, sharing=2).rate == pytest.approx(4.5e7)


def test_zero_memory() -> None:
    # nothing to copy: one empty pass, then only the switchover
    result = precopy(0.0, 1e8, 1e8)
    assert (result.passes, result.downtime, result.total) == (1, T_SW, T_SETUP + T_SW)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"link": 0.0},
        {"sharing": 0},
        {"max_rounds": 0},
        {"memory": -1.0},
        {"dirty_rate": -1.0},
        {"working_set": -1.0},
    ],
)
def test_inputs_without_meaning_are_refused(kwargs: dict[str, Any]) -> None:
    inputs: dict[str, Any] = {"memory": 1e9, "dirty_rate": 1e7, "link": 1e8, **kwargs}
    with pytest.raises(ValueError):
        simulate(MigrationInputs(**inputs))


# -- the example of the brief: needs-work.hvc's DB01 ------------------------------------------------------


def test_db01_of_needs_work_by_hand() -> None:
    # DB01: M = 16GiB = 17,179,869,184 B; D = 90MB/s = 9e7 B/s; the shared network is 1Gbps = 1.25e8 B/s;
    # ws2008r2: tcp (c = 1), n_max = 10; R = 0.9 · 1.25e8 = 1.125e8 B/s; D/R = 0.8
    # T0 = 17,179,869,184 / 1.125e8 = 152.7099s; V_i = M·0.8^i, so V_i/R <= 50ms needs 0.8^i <= 3.27e-4,
    # i >= 36: the 10 passes run out first. V10 = M·0.8^10 = 1,844,674,407 B (1.72GiB)
    # downtime = 1,844,674,407 / 1.125e8 + 0.05 = 16.3971 + 0.05 = 16.4471s
    # total = 2.5 + T0·(1 - 0.8^10)/0.2 + downtime = 2.5 + 681.5642 + 16.4471 = 700.5113s
    m, d, r = 16 * GiB, 9e7, 0.9 * GBPS
    t0 = m / r
    downtime = m * 0.8**10 / r + T_SW
    total = T_SETUP + t0 * (1 - 0.8**10) / 0.2 + downtime
    assert downtime == pytest.approx(16.4471, abs=1e-4)
    assert total == pytest.approx(700.5113, abs=1e-4)

    model = load((SHARED / "examples" / "needs-work.hvc").read_bytes(), "needs-work.hvc").model
    estimate = estimate_vm(vm_named(model, "DB01"), Parameters())
    assert estimate.source is not None and estimate.destination is not None
    assert (estimate.source.name, estimate.destination.name) == ("LAB01", "LAB02")
    assert estimate.precopy is not None
    assert estimate.precopy.rate == pytest.approx(r)
    assert estimate.precopy.inputs.dirty_rate == d
    assert (estimate.precopy.passes, estimate.precopy.stop) == (10, STOP_MAX_ROUNDS)
    assert estimate.precopy.downtime == pytest.approx(downtime, rel=1e-12)
    assert estimate.precopy.total == pytest.approx(total, rel=1e-9)

    findings = lint((SHARED / "examples" / "needs-work.hvc").read_bytes(), select=["HV5"])
    assert [(f.line, f.column, f.code, f.message) for f in findings] == [
        (
            24,
            3,
            "HV501",
            "predicted downtime 16.4s exceeds 500ms when moving DB01 from LAB01 to LAB02: "
            "16GiB dirtied at 90MB/s over 1Gbps, 10 passes",
        )
    ]


# -- from the model of a file to the inputs -----------------------------------------------------------------


def test_single_possible_owner_has_no_estimate() -> None:
    text = two_hosts('vm "A" { host = HV01; memory = 8GiB; dirty_rate = 10MB/s; possible_owners = [HV01] }')
    estimate = estimate_of(text, "A")
    assert estimate.move is None
    assert estimate.reason == "a single possible owner"


@pytest.mark.parametrize("state", ["off", "saved"])
def test_off_and_saved_vms_are_not_estimated(state: str) -> None:
    text = two_hosts(f'vm "A" {{ host = HV01; memory = 8GiB; dirty_rate = 500MB/s; state = {state} }}')
    estimate = estimate_of(text, "A")
    assert estimate.move is None
    assert estimate.reason == f"{state}: moves without a live migration"
    assert not lint(text, select=["HV5"])


def test_paused_vms_are_estimated_and_need_no_dirty_rate() -> None:
    text = two_hosts('vm "A" { host = HV01; memory = 8GiB; state = paused }')
    estimate = estimate_of(text, "A")
    assert estimate.move is not None
    assert (estimate.dirty_rate, estimate.dirty_rate_origin) == (0.0, "paused")
    assert not lint(text, select=["HV5"])


THREE_HOSTS = """
cluster "C" {
  platform = ws2012
  network "Fast"  { roles = [live_migration]; bandwidth = 10Gbps }
  network "Slow"  { roles = [live_migration]; bandwidth = 1Gbps }
  network "Mgmt"  { roles = [management]; bandwidth = 10Gbps }
  host "HV01" { processor = "amd-opteron-2300"; memory = 256GiB; networks = [Fast, Slow, Mgmt] }
  host "HV02" { processor = "amd-opteron-2300"; memory = 256GiB; networks = [Fast, Slow] }
  host "HV03" { processor = "amd-opteron-2300"; memory = 256GiB; networks = [Slow] }
  host "HV04" { processor = "amd-opteron-2300"; memory = 256GiB; networks = [Mgmt] }
  vm "A" { host = HV01; memory = 16GiB; dirty_rate = 50MB/s }
  vm "B" { host = HV01; memory = 16GiB; dirty_rate = 50MB/s; possible_owners = [HV01, HV02] }
  vm "C" { host = HV01; memory = 16GiB; dirty_rate = 50MB/s; possible_owners = [HV01, HV04] }
  vm "D" { host = HV04; memory = 16GiB; dirty_rate = 50MB/s }
}
"""


def test_the_link_is_the_fastest_shared_live_migration_network() -> None:
    model = model_of(THREE_HOSTS)
    hosts = {host.name: host for host in model.all_hosts()}
    links = Links()
    assert links.between(hosts["HV01"], hosts["HV02"]) == 10 * GBPS  # Fast and Slow shared: Fast
    assert links.between(hosts["HV01"], hosts["HV03"]) == GBPS  # only Slow
    assert links.between(hosts["HV01"], hosts["HV04"]) is None  # only Mgmt: not live_migration


def test_worst_destination_and_left_out_destinations() -> None:
    model = model_of(THREE_HOSTS)
    params = Parameters()
    by_name = {estimate.vm.name: estimate for estimate in estimate_model(model, params)}
    # A may go to HV02 (10Gbps), HV03 (1Gbps) or HV04 (no live_migration network: left out): the
    # worst is HV03, the slowest link
    assert by_name["A"].destination is not None and by_name["A"].destination.name == "HV03"
    assert by_name["A"].move is not None and by_name["A"].move.link == GBPS
    assert by_name["B"].destination is not None and by_name["B"].destination.name == "HV02"
    # C's only other owner shares no live_migration network with HV01, D's host is on none
    assert by_name["C"].move is None
    assert by_name["C"].reason == "no live_migration network shared with another possible owner of HV01"
    assert by_name["D"].move is None


def test_ties_go_to_the_first_destination_in_name_order() -> None:
    text = """
cluster "C" {
  network "LM" { roles = [live_migration] }
  host "hv03" { processor = "amd-opteron-2300"; memory = 64GiB }
  host "HV01" { processor = "amd-opteron-2300"; memory = 64GiB }
  host "Hv02" { processor = "amd-opteron-2300"; memory = 64GiB }
  vm "A" { host = hv03; memory = 8GiB; dirty_rate = 10MB/s; possible_owners = [hv03, Hv02, HV01] }
}
"""
    estimate = estimate_of(text, "A")
    assert estimate.destination is not None and estimate.destination.name == "HV01"


@pytest.mark.parametrize(
    ("platform", "rounds"),
    [("ws2008r2", 10), ("ws2012", 10), ("ws2012r2", 5), ("ws2016", 5), ("ws2022", 5), ("ws2025", 5)],
)
def test_max_rounds_per_platform(platform: str, rounds: int) -> None:
    text = two_hosts('vm "A" { host = HV01; memory = 8GiB; dirty_rate = 100MB/s }', platform=platform)
    estimate = estimate_of(text, "A")
    assert estimate.precopy is not None
    assert estimate.precopy.inputs.max_rounds == rounds
    assert estimate_of(text, "A", max_rounds=3).precopy.inputs.max_rounds == 3  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("platform", "transport", "factor"),
    [
        ("ws2012", "", 1.0),  # tcp by default up to ws2012
        ("ws2012r2", "", 2.0),  # compression by default from ws2012r2
        ("ws2016", "migration_transport = smb", 1.0),
        ("ws2016", "migration_transport = tcp", 1.0),
        ("ws2016", "migration_transport = compression", 2.0),
    ],
)
def test_transport_factor(platform: str, transport: str, factor: float) -> None:
    text = two_hosts('vm "A" { host = HV01; memory = 8GiB; dirty_rate = 10MB/s }', platform, extra=transport)
    estimate = estimate_of(text, "A")
    assert estimate.precopy is not None
    assert estimate.precopy.inputs.transport_factor == factor
    assert estimate.precopy.rate == pytest.approx(0.9 * GBPS * factor)
    assert estimate_of(text, "A", compression_ratio=3.0).precopy.inputs.transport_factor == (  # type: ignore[union-attr]
        3.0 if factor != 1.0 else 1.0
    )


def test_configuration_reaches_the_inputs() -> None:
    config = make_config(
        {
            "estimator": {
                "link_efficiency": 0.5,
                "stop_copy_target": "10ms",
                "switchover": "20ms",
                "setup": "1s",
                "default_dirty_rate": "5MB/s",
                "max_downtime": "2s",
            }
        }
    )
    params = Parameters.from_config(config)
    assert params == Parameters(
        default_dirty_rate=5e6,
        link_efficiency=0.5,
        stop_copy_target=0.01,
        switchover=0.02,
        setup=1.0,
        max_downtime=2.0,
        configured=frozenset(config.estimator),
    )
    estimate = estimate_vm(
        vm_named(model_of(two_hosts('vm "A" { host = HV01; memory = 1GiB }')), "A"), params
    )
    assert estimate.precopy is not None
    inputs = estimate.precopy.inputs
    assert (inputs.efficiency, inputs.stop_copy_target, inputs.switchover, inputs.setup) == (
        0.5,
        0.01,
        0.02,
        1.0,
    )
    assert (estimate.dirty_rate, estimate.dirty_rate_origin, estimate.threshold) == (5e6, "default", 2.0)


def test_downtime_threshold_vm_then_cluster_then_configuration() -> None:
    vms = """
  vm "OWN"  { host = HV01; memory = 1GiB; dirty_rate = 1MB/s; max_downtime = 2s }
  vm "BARE" { host = HV01; memory = 1GiB; dirty_rate = 1MB/s }
"""
    assert estimate_of(two_hosts(vms), "OWN").threshold == 2.0
    assert estimate_of(two_hosts(vms), "BARE").threshold == 0.5
    assert estimate_of(two_hosts(vms), "BARE", max_downtime=0.3).threshold == 0.3
    with_cluster = two_hosts(vms, extra="max_downtime = 1s")
    assert estimate_of(with_cluster, "OWN").threshold == 2.0
    assert estimate_of(with_cluster, "BARE", max_downtime=0.3).threshold == 1.0


def test_values_in_error_give_no_estimate_and_no_finding() -> None:
    # memory = 16 is a number where a size is expected (HV004): nothing follows from it
    text = two_hosts('vm "A" { host = HV01; memory = 16; dirty_rate = 900MB/s }')
    estimate = estimate_of(text, "A")
    assert (estimate.move, estimate.reason, estimate.reason_in_error) == (None, "`memory` is in error", True)
    assert [f.code for f in lint(text)] == ["HV004"]
    # a bandwidth in error: the link is unknown
    text = two_hosts('vm "A" { host = HV01; memory = 16GiB; dirty_rate = 100MB/s }', bandwidth="1GB")
    assert estimate_of(text, "A").reason == "network LM is in error"
    assert not [f for f in lint(text) if f.code.startswith("HV5")]
    # a max_downtime in error: HV501 cannot judge, the others still can
    text = two_hosts('vm "A" { host = HV01; memory = 16GiB; dirty_rate = 90MB/s; max_downtime = 5 }')
    assert estimate_of(text, "A").threshold is None
    findings = lint(text, select=["HV5"], settings={"estimator": {"max_migration_time": "1min"}})
    assert sorted(f.code for f in findings) == ["HV004", "HV503"]


# -- the rules, beyond their fixtures ------------------------------------------------------------------


def test_hv502_points_at_the_dirty_rate_and_replaces_hv501() -> None:
    text = two_hosts('vm "A" { host = HV01; memory = 8GiB; dirty_rate = 150MB/s }')
    findings = lint(text, select=["HV5"])
    assert [(f.code, f.line, f.column) for f in findings] == [("HV502", 9, 53)]


def test_hv502_with_the_default_dirty_rate_points_at_the_header() -> None:
    text = two_hosts('vm "A" { host = HV01; memory = 8GiB }')
    findings = lint(text, select=["HV5"], settings={"estimator": {"default_dirty_rate": "150MB/s"}})
    assert [(f.code, f.line, f.column) for f in findings] == [("HV502", 9, 3)]


def test_hv501_message_names_the_default_dirty_rate_and_the_working_set() -> None:
    text = two_hosts('vm "A" { host = HV01; memory = 16GiB; working_set = 4GiB }', platform="ws2012r2")
    findings = lint(text, select=["HV501"], settings={"estimator": {"default_dirty_rate": "200MB/s"}})
    # ws2012r2: compression, n_max = 5. R = 0.9 · 1.25e8 · 2 = 225MB/s; D/R = 8/9
    # V1 = min(D·T0, W) = 4GiB (the cap), then ·(8/9) per pass: the 5 passes run out with
    # V5 = 4GiB·(8/9)^4 = 2.681e9 B: 2.681e9 / 2.25e8 = 11.92s + 50ms = 11.97s, printed 12s
    assert [f.message for f in findings] == [
        "predicted downtime 12s exceeds 500ms when moving A from HV01 to HV02: 16GiB (working set 4GiB) "
        "dirtied at 200MB/s (estimator.default_dirty_rate) over 1Gbps with 2x compression, 5 passes"
    ]


def test_hv504_is_silent_when_the_plan_depends_on_an_error() -> None:
    vms = """
  vm "A" { host = HV01; memory = 16GiB; dirty_rate = 90MB/s }
  vm "B" { host = HV01; memory = 16; dirty_rate = 90MB/s }
"""
    settings = {"estimator": {"drain_window": "1min"}}
    assert [f.code for f in lint(two_hosts(vms), select=["HV504"], settings=settings)] == ["HV004"]
    fine = vms.replace("memory = 16;", "memory = 16GiB;")
    assert [f.code for f in lint(two_hosts(fine), select=["HV504"], settings=settings)] == ["HV504"]


def test_hv504_counts_vms_without_a_dirty_rate_as_idle() -> None:
    text = two_hosts('vm "A" { host = HV01; memory = 64GiB }')
    findings = lint(text, select=["HV504"], settings={"estimator": {"drain_window": "1min"}})
    # 64GiB / 112.5MB/s = 610.8s + 2.5s + 50ms
    assert [f.message for f in findings] == [
        "draining HV01 takes 10.2min, more than the 1min window: 1 VM, 1 at a time; the longest, A to HV02, "
        "takes 10.2min; 1 VM without a dirty rate counted as idle"
    ]


def test_rules_are_silent_outside_clusters() -> None:
    text = 'host "SOLO" { processor = "amd-opteron-2300"; memory = 64GiB; platform = ws2016\n'
    text += '  vm "A" { memory = 16GiB; dirty_rate = 900MB/s }\n}\n'
    settings = {"estimator": {"drain_window": "1s", "max_migration_time": "1s"}}
    assert not lint(text, select=["HV5"], settings=settings)


def test_rules_share_one_computation_per_file(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = precopy_rules.estimate_model

    def counting(model: Model, params: Parameters) -> list[VMEstimate]:
        calls.append(model)
        return real(model, params)

    monkeypatch.setattr(precopy_rules, "estimate_model", counting)
    lint(two_hosts('vm "A" { host = HV01; memory = 8GiB; dirty_rate = 150MB/s }'), select=["HV5"])
    assert len(calls) == 1


def test_links_are_computed_once_per_pair_of_hosts(monkeypatch: pytest.MonkeyPatch) -> None:
    # linear in the number of VMs: 400 VMs on 16 hosts look up at most 16 · 15 pairs
    hosts = "\n".join(
        f'  host "H{i:02d}" {{ processor = "amd-opteron-2300"; memory = 1TiB }}' for i in range(16)
    )
    vms = "\n".join(
        f'  vm "V{i:03d}" {{ host = H{i % 16:02d}; memory = {1 + i % 7}GiB; dirty_rate = {i % 50}MB/s }}'
        for i in range(400)
    )
    text = f'cluster "C" {{\n  network "LM" {{ roles = [live_migration] }}\n{hosts}\n{vms}\n}}\n'
    calls = []
    real = estimator_links._fastest_shared

    def counting(source: Any, destination: Any) -> float | None:
        calls.append((source, destination))
        return real(source, destination)

    monkeypatch.setattr(estimator_links, "_fastest_shared", counting)
    model = model_of(text)
    estimates = estimate_model(model, Parameters())
    assert len(estimates) == 400 and all(e.move is not None for e in estimates)
    assert len(calls) <= 16 * 15
    links = Links()
    for host in model.clusters[0].hosts:
        plan_drain(host, Parameters(), links)
    assert len(calls) <= 2 * 16 * 15


# -- draining a host ----------------------------------------------------------------------------------


def test_slots_longest_first_on_the_slot_that_frees_first() -> None:
    # durations already longest first: 10 -> slot 0 [0, 10], 7 -> slot 1 [0, 7], 5 -> slot 1 (frees at 7)
    # [7, 12], 3 -> slot 0 (frees at 10) [10, 13]; drain time 13
    assert assign_slots([10, 7, 5, 3], 2) == [(0, 0, 10), (1, 0, 7), (1, 7, 12), (0, 10, 13)]
    # ties: both slots free at 5, the lowest takes the third
    assert assign_slots([5, 5, 5], 2) == [(0, 0, 5), (1, 0, 5), (0, 5, 10)]
    assert schedule([3, 10, 5, 7], 2) == 13
    assert schedule([], 3) == 0


DRAIN = """
cluster "C" {
  platform = ws2012
  network "Fast" { roles = [live_migration]; bandwidth = 10Gbps }
  network "Slow" { roles = [live_migration]; bandwidth = 1Gbps }
  host "SRC" { processor = "amd-opteron-2300"; memory = 1TiB; networks = [Fast, Slow] }
  host "B-SLOW" { processor = "amd-opteron-2300"; memory = 1TiB; networks = [Slow] }
  host "C-FAST" { processor = "amd-opteron-2300"; memory = 1TiB; networks = [Fast] }
  host "D-FAST" { processor = "amd-opteron-2300"; memory = 1TiB; networks = [Fast] }
  vm "small"  { host = SRC; memory = 4500MB; state = paused }
  vm "BIG"    { host = SRC; memory = 9000MB; state = paused }
  vm "medium" { host = SRC; memory = 4500MB; state = paused }
  vm "slow"   { host = SRC; memory = 9000MB; state = paused; possible_owners = [SRC, B-SLOW] }
  vm "alone"  { host = SRC; memory = 9000MB; possible_owners = [SRC] }
  vm "down"   { host = SRC; memory = 9000MB; state = off }
}
"""


def test_drain_plan_by_hand() -> None:
    # ws2012: max_migrations = 2; 4 VMs can move (alone has a single owner, down is off): k = min(2, 4) = 2
    # paused VMs dirty nothing: total = 2.5 + M/R + 0.05 with R = 0.9·L/2
    #   over Fast: R = 0.9·1.25e9/2 = 562.5MB/s;  over Slow: R = 0.9·1.25e8/2 = 56.25MB/s
    #   BIG (9e9): to C-FAST (first in name order of the two fast ones): 2.5 + 16 + 0.05 = 18.55s
    #   medium, small (4.5e9): 2.5 + 8 + 0.05 = 10.55s each;  slow (9e9 over Slow): 2.5 + 160 + 0.05 = 162.55s
    # longest first: slow -> slot 0; BIG -> slot 1; then medium and small tie at 10.55s, name order.
    # The drain shares the link among the migrations copying (setup and switch-over use none of it), so a
    # migration copying alone gets 0.9·L: slow copies 900MB at 56.25MB/s while BIG copies [2.5, 18.5], then
    # alone while BIG switches over and medium sets up [18.5, 21.05]: 286.875MB; 450MB beside medium
    # [21.05, 29.05]; 286.875MB alone [29.05, 31.6]; 450MB beside small [31.6, 39.6]; the last 6,626.25MB
    # alone in 58.9s: slow ends at 39.6 + 58.9 + 0.05 = 98.55s. BIG [0, 18.55], medium [18.55, 29.1] and
    # small [29.1, 39.65] each copy beside slow all along: their fixed-share times. Drain 98.55s.
    model = model_of(DRAIN)
    host = model.find_host("SRC")
    assert host is not None
    plan = plan_drain(host, Parameters())
    assert plan.slots == 2
    rows = [(m.vm.name, m.destination.name, m.slot, m.start, m.end) for m in plan.migrations]
    expected = [
        ("slow", "B-SLOW", 0, 0.0, 98.55),
        ("BIG", "C-FAST", 1, 0.0, 18.55),
        ("medium", "C-FAST", 1, 18.55, 29.1),
        ("small", "C-FAST", 1, 29.1, 39.65),
    ]
    assert [row[:3] for row in rows] == [row[:3] for row in expected]
    assert [row[3:] for row in rows] == [pytest.approx(row[3:], rel=1e-12) for row in expected]
    assert plan.drain_time == pytest.approx(98.55, rel=1e-12)
    assert [(vm.name, reason) for vm, reason in plan.left_behind] == [("alone", "a single possible owner")]
    assert plan.complete


def test_drain_goes_to_the_smallest_total() -> None:
    # "BIG" could go to B-SLOW or C-FAST or D-FAST: the fast ones give the smaller total, C-FAST first by name
    model = model_of(DRAIN)
    host = model.find_host("SRC")
    assert host is not None
    plan = plan_drain(host, Parameters())
    assert next(m for m in plan.migrations if m.vm.name == "BIG").destination.name == "C-FAST"


def test_drain_of_a_host_with_nothing_to_move() -> None:
    model = model_of(DRAIN)
    host = model.find_host("b-slow")
    assert host is not None
    plan = plan_drain(host, Parameters())
    assert (plan.slots, plan.migrations, plan.drain_time) == (0, (), 0.0)


# -- properties ------------------------------------------------------------------------------------------

sizes = st.floats(min_value=0, max_value=1e12, allow_nan=False, allow_infinity=False)
rates = st.floats(min_value=0, max_value=1e10, allow_nan=False, allow_infinity=False)
links = st.floats(min_value=1e5, max_value=1e11, allow_nan=False, allow_infinity=False)
factors = st.floats(min_value=1, max_value=100, allow_nan=False, allow_infinity=False)
rounds = st.integers(min_value=1, max_value=12)
SLACK = 1e-9  # relative: sums of the same terms in another order
BAND = T_STOP + T_SW  # what a migration that meets its stop-copy target pauses at most
PROPERTY = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def at_most(a: float, b: float) -> bool:
    return a <= b * (1 + SLACK) + 1e-12


@PROPERTY
@given(sizes, rates, links, factors, rounds)
def test_more_bandwidth_never_lengthens_downtime_beyond_the_target(
    m: float, d: float, low: float, f: float, n: int
) -> None:
    # Literally "never lengthens" does not hold, by a sawtooth within the stop-copy target: more bandwidth
    # can meet the target one pass earlier with a little more left (test_the_stop_copy_sawtooth). Beyond
    # t_stop + t_sw it holds.
    slow, fast = precopy(m, d, low, max_rounds=n), precopy(m, d, low * f, max_rounds=n)
    assert at_most(fast.downtime, max(slow.downtime, BAND))


@PROPERTY
@given(sizes, rates, links, factors, rounds)
def test_more_bandwidth_never_lengthens_total_on_the_same_side_of_convergence(
    m: float, d: float, low: float, f: float, n: int
) -> None:
    # Across D = R it does not hold: test_total_jumps_where_the_migration_starts_to_converge.
    slow, fast = precopy(m, d, low, max_rounds=n), precopy(m, d, low * f, max_rounds=n)
    assume(slow.converges == fast.converges)
    assert at_most(fast.total, slow.total)


@PROPERTY
@given(sizes, rates, factors, links, rounds)
def test_higher_dirty_rate_never_shortens_downtime_beyond_the_target(
    m: float, d: float, f: float, link: float, n: int
) -> None:
    calm, busy = precopy(m, d, link, max_rounds=n), precopy(m, d * f, link, max_rounds=n)
    assert busy.downtime >= calm.downtime * (1 - SLACK) or calm.downtime <= BAND * (1 + SLACK)


@PROPERTY
@given(sizes, rates, links, st.floats(min_value=0, max_value=1, allow_nan=False), rounds)
def test_a_working_set_cap_never_lengthens_downtime_beyond_the_target(
    m: float, d: float, link: float, share: float, n: int
) -> None:
    free = precopy(m, d, link, max_rounds=n)
    capped = precopy(m, d, link, working_set=m * share, max_rounds=n)
    assert at_most(capped.downtime, max(free.downtime, BAND))


@PROPERTY
@given(sizes, rates, links, st.one_of(st.none(), sizes), rounds, st.integers(min_value=1, max_value=8))
def test_same_input_same_output(m: float, d: float, link: float, w: float | None, n: int, k: int) -> None:
    first = precopy(m, d, link, working_set=w, max_rounds=n, sharing=k)
    second = precopy(m, d, link, working_set=w, max_rounds=n, sharing=k)
    assert first == second
    assert repr(first) == repr(second)


@PROPERTY
@given(st.lists(st.floats(min_value=0, max_value=1e6, allow_nan=False), max_size=30), st.integers(1, 8))
def test_drain_time_between_the_longest_and_the_sum(durations: list[float], slots: int) -> None:
    drain = schedule(durations, slots)
    assert drain >= max(durations, default=0.0)
    assert drain <= math.fsum(durations) * (1 + SLACK)
    assert drain >= math.fsum(durations) / slots * (1 - SLACK)


vm_specs = st.lists(
    st.tuples(
        st.integers(min_value=1, max_value=64 * 1024),  # MiB
        st.integers(min_value=0, max_value=400),  # MB/s
        st.sampled_from(["running", "paused", "off"]),
        st.booleans(),  # may go to the slow host only
    ),
    min_size=1,
    max_size=8,
)


@PROPERTY
@given(vm_specs, st.integers(min_value=1, max_value=4), st.sampled_from(["ws2008r2", "ws2012", "ws2016"]))
def test_drain_plan_between_the_longest_migration_and_the_sum(
    specs: list[tuple[int, int, str, bool]], slots: int, platform: str
) -> None:
    vms = "\n".join(
        f'  vm "V{i}" {{ host = SRC; memory = {mib}MiB; dirty_rate = {mbs}MB/s; state = {state}'
        + ("; possible_owners = [SRC, SLOW]" if slow else "")
        + " }"
        for i, (mib, mbs, state, slow) in enumerate(specs)
    )
    text = f"""
cluster "C" {{
  platform = {platform}
  max_migrations = {slots}
  network "Fast" {{ roles = [live_migration]; bandwidth = 10Gbps }}
  network "Slow" {{ roles = [live_migration]; bandwidth = 1Gbps }}
  host "SRC" {{ processor = "amd-opteron-2300"; memory = 1TiB; networks = [Fast, Slow] }}
  host "FAST" {{ processor = "amd-opteron-2300"; memory = 1TiB; networks = [Fast] }}
  host "SLOW" {{ processor = "amd-opteron-2300"; memory = 1TiB; networks = [Slow] }}
{vms}
}}
"""
    host = model_of(text).find_host("SRC")
    assert host is not None
    plan = plan_drain(host, Parameters())
    live = [spec for spec in specs if spec[2] != "off"]
    assert len(plan.migrations) == len(live)
    # ws2008r2 runs one live migration per node at a time, whatever max_migrations says (HV307)
    assert plan.slots == min(1 if platform == "ws2008r2" else slots, len(live))
    durations = [migration.duration for migration in plan.migrations]
    assert plan.drain_time >= max(durations, default=0.0)
    assert plan.drain_time <= math.fsum(durations) * (1 + SLACK)
    for migration in plan.migrations:
        assert migration.move.precopy.inputs.sharing == plan.slots
    starts = [migration.start for migration in plan.migrations]
    assert starts == sorted(starts)  # longest first, each on the slot that frees first


# -- where the literal properties fail, on purpose -------------------------------------------------------


def test_the_stop_copy_sawtooth() -> None:
    # M = 1e9, D = 1e6, η = 1. At R = 1.40e8: V1/R = D·M/R² = 51.0ms > 50ms, one more pass leaves
    # D²·M/R³ = 0.36ms: downtime 50.4ms. At R = 1.42e8: V1/R = 49.6ms meets the target at once: downtime
    # 99.6ms. More bandwidth, longer pause, both within t_stop + t_sw = 100ms.
    slower = precopy(1e9, 1e6, 1.40e8, efficiency=1.0)
    faster = precopy(1e9, 1e6, 1.42e8, efficiency=1.0)
    assert (slower.passes, faster.passes) == (2, 1)
    assert slower.downtime == pytest.approx(0.0503644, abs=1e-6)
    assert faster.downtime == pytest.approx(0.0995933, abs=1e-6)
    assert slower.downtime < faster.downtime <= BAND


def test_total_jumps_where_the_migration_starts_to_converge() -> None:
    # M = 1e9, D = 1.01e8, η = 1. At R = 1e8 (D >= R) pre-copy stops after one pass: total 2.5 + 10 + 10.05.
    # At R = 1.02e8 it converges (D/R = 0.99) and runs all 10 passes, each nearly the whole memory:
    # T0 = 1e9/1.02e8 = 9.8039s, ρ = 1.01/1.02: total = 2.5 + T0·(1 - ρ^10)/(1 - ρ) + T0·ρ^10 + 0.05 = 105.26s
    stuck = precopy(1e9, 1.01e8, 1e8, efficiency=1.0)
    moving = precopy(1e9, 1.01e8, 1.02e8, efficiency=1.0)
    assert (stuck.converges, stuck.passes, moving.converges, moving.passes) == (False, 1, True, 10)
    assert stuck.total == pytest.approx(22.55)
    t0, rho = 1e9 / 1.02e8, 1.01 / 1.02
    assert moving.total == pytest.approx(2.5 + t0 * (1 - rho**10) / (1 - rho) + t0 * rho**10 + 0.05, rel=1e-9)
    assert moving.total == pytest.approx(105.26, abs=0.01)
    assert moving.downtime < stuck.downtime


# -- hvlint estimate ----------------------------------------------------------------------------------

MIXED = two_hosts(
    """
  vm "OK"     { host = HV01; memory = 4GiB; dirty_rate = 10MB/s }
  vm "SLOW"   { host = HV01; memory = 16GiB; dirty_rate = 90MB/s }
  vm "STUCK"  { host = HV02; memory = 8GiB; dirty_rate = 150MB/s }
  vm "IDLE"   { host = HV02; memory = 8GiB }
  vm "OFF"    { host = HV02; memory = 8GiB; state = off }
  vm "ALONE"  { host = HV02; memory = 8GiB; dirty_rate = 1MB/s; possible_owners = [HV02] }
"""
)


def test_render_table() -> None:
    config = make_config({"estimator": {"max_migration_time": "10min"}})
    estimates = estimate_documents([load(MIXED, "mixed.hvc")], config)
    table = render_table(estimates)
    lines = table.splitlines()
    assert lines[0].split() == ["VM", "move", "passes", "total", "downtime", "verdict"]
    assert [line.split()[0] for line in lines[1:7]] == ["STUCK", "SLOW", "IDLE*", "OK", "ALONE", "OFF"]
    assert lines[1].split()[1:] == ["HV02", "->", "HV01", "1", "155.3s", "76.4s", "does", "not", "converge"]
    assert lines[2].split()[1:] == [
        "HV01", "->", "HV02", "10", "11.7min", "16.4s", "exceeds", "500ms,", "total", "exceeds", "10min"
    ]  # fmt: skip
    assert lines[3].endswith("dirty rate unknown")
    assert lines[4].endswith("  ok")
    assert lines[5].endswith("no estimate (a single possible owner)")
    assert lines[6].endswith("no estimate (off: moves without a live migration)")
    # aligned: every column starts at the same place on every row
    assert len({line.index("->") for line in lines[1:5]}) == 1
    assert lines[-2] == (
        "4 VMs estimated: 1 does not converge, 1 exceeds its downtime threshold, 1 has no dirty rate, 1 ok; "
        "2 without an estimate"
    )
    assert lines[-1].startswith("*: assumed: the VM gives no dirty_rate, or its link is 10Gbps or faster")


def test_render_json_has_exactly_the_fields_of_cli_md() -> None:
    estimates = estimate_documents([model_of(MIXED)], make_config())
    data = render_json(estimates)
    assert list(data) == ["estimates"]
    assert [entry["vm"] for entry in data["estimates"]] == ["OK", "SLOW", "STUCK", "IDLE"]
    fields = [
        "cluster", "vm", "source", "destination", "memory_bytes", "dirty_rate_bytes_per_s",
        "rate_bytes_per_s", "passes", "total_s", "downtime_s", "converges", "threshold_s", "assumed",
        "storage_bytes", "storage_s", "kind",
    ]  # fmt: skip
    assert all(list(entry) == fields for entry in data["estimates"])
    slow = data["estimates"][1]
    assert slow["cluster"] == "C" and (slow["source"], slow["destination"]) == ("HV01", "HV02")
    assert (slow["memory_bytes"], slow["dirty_rate_bytes_per_s"], slow["rate_bytes_per_s"]) == (
        16 * GiB,
        90_000_000,
        112_500_000,
    )
    assert (slow["passes"], slow["converges"], slow["threshold_s"]) == (10, True, 0.5)
    assert slow["downtime_s"] == pytest.approx(16.447105843, rel=1e-9)
    assert data["estimates"][2]["converges"] is False
    idle = data["estimates"][3]
    assert (idle["dirty_rate_bytes_per_s"], idle["converges"]) == (None, None)
    assert json.loads(json.dumps(data)) == data


def test_verdict_without_a_threshold() -> None:
    text = two_hosts('vm "A" { host = HV01; memory = 1GiB; dirty_rate = 1MB/s; max_downtime = 5 }')
    assert verdict(estimate_of(text, "A")) == "no threshold (max_downtime in error)"


def test_drain_text_and_json() -> None:
    model = model_of(DRAIN)
    plan = drain_plan(model, "src", make_config())
    text = render_drain(plan)
    lines = text.splitlines()
    assert lines[0] == "drain of SRC (cluster C): 4 VMs, 2 migrations at a time"
    assert lines[2].split() == ["VM", "to", "slot", "start", "end", "takes", "downtime"]
    assert lines[3].split()[:6] == ["slow", "B-SLOW", "1", "0s", "98.5s", "98.5s"]
    assert lines[5].split()[:6] == ["medium", "C-FAST", "2", "18.6s", "29.1s", "10.6s"]
    assert "drain time: 98.5s" in lines
    assert lines[-1] == "not moved: alone (a single possible owner)"
    data = render_drain_json(plan)
    assert list(data) == ["drain"]
    assert list(data["drain"]) == ["host", "drain_time_s", "slots", "migrations", "left_behind"]
    assert (data["drain"]["host"], data["drain"]["slots"]) == ("SRC", 2)
    assert data["drain"]["drain_time_s"] == pytest.approx(98.55)
    assert [list(m) for m in data["drain"]["migrations"]] == [["vm", "destination", "start_s", "end_s"]] * 4
    assert [m["vm"] for m in data["drain"]["migrations"]] == ["slow", "BIG", "medium", "small"]
    assert json.loads(json.dumps(data)) == data


def test_unknown_drain_host() -> None:
    with pytest.raises(DrainHostError, match=r"no host `SCR` in test.hvc; did you mean `SRC`\?"):
        drain_plan(model_of(DRAIN), "SCR", make_config())
    documents = [load("cluster {", "broken.hvc"), load(DRAIN, "drain.hvc")]
    assert drain_plan_documents(documents, "SRC", make_config()).host.name == "SRC"
    with pytest.raises(DrainHostError, match=r"no host `nowhere` in drain\.hvc$"):
        drain_plan_documents(documents, "nowhere", make_config())
    with pytest.raises(DrainHostError, match="in the files given"):
        drain_plan_documents([*documents, load(MIXED, "mixed.hvc")], "nowhere", make_config())


def test_documents_with_syntax_errors_are_skipped() -> None:
    documents = [load("cluster {", "broken.hvc"), load(MIXED, "mixed.hvc")]
    assert len(estimate_documents(documents, make_config())) == 6
    assert render_table([]) == "no VM in a cluster to estimate\n"


def test_a_drain_can_end_before_one_of_its_vms_would_move_alone() -> None:
    # docs/estimator.md: sharing the link can push a VM past D = R, where its total is shorter.
    # 1GiB dirtied at 1.1GB/s over 10Gbps: alone R = 1.125GB/s (converges slowly over 10 passes);
    # two at a time (ws2012), R = 562.5MB/s each: no progress after one pass, a shorter total.
    text = two_hosts(
        'vm "A" { host = HV01; memory = 1GiB; dirty_rate = 1100MB/s }\n'
        '  vm "B" { host = HV01; memory = 1GiB; dirty_rate = 1100MB/s }',
        platform="ws2012",
        bandwidth="10Gbps",
    )
    model = model_of(text)
    alone = estimate_vm(vm_named(model, "A"), Parameters())
    assert alone.precopy is not None and alone.precopy.converges and alone.precopy.passes == 10
    host = model.find_host("HV01")
    assert host is not None
    plan = plan_drain(host, Parameters())
    assert plan.slots == 2
    assert all(not m.move.precopy.converges for m in plan.migrations)
    assert plan.drain_time < alone.precopy.total


def test_the_documentation_shows_what_the_code_prints() -> None:
    docs = (ROOT / "docs" / "estimator.md").read_text(encoding="utf-8")
    accuracy = runpy.run_path(str(ROOT / "benchmarks" / "accuracy.py"), run_name="accuracy")
    assert accuracy["table"](Parameters()) in docs
    document = load((SHARED / "examples" / "needs-work.hvc").read_bytes(), "needs-work.hvc")
    assert render_table(estimate_documents([document], make_config())) in docs.replace("```\n", "")


EXAMPLE_SETTINGS = {
    "HV503": {"estimator": {"max_migration_time": "5min"}},
    "HV504": {"estimator": {"drain_window": "10min"}},
}


@pytest.mark.parametrize("rule", precopy_rules.hvlint_rules(), ids=lambda rule: rule.code)
def test_each_rule_documents_itself_with_examples_that_do_what_they_say(rule: Any) -> None:
    doc = inspect.cleandoc(rule.__doc__ or "")
    assert rule.summary and rule.summary[0].islower() and not rule.summary.endswith(".")
    for heading in ("**What it checks.**", "**Why it matters.**", "**How to fix it.**", "**Example.**"):
        assert heading in doc, heading
    blocks = [block.split("```", 1)[0] for block in doc.split("```hvc\n")[1:]]
    assert len(blocks) == 2, "a failing and a passing example"
    failing, passing = blocks
    settings = EXAMPLE_SETTINGS.get(rule.code)
    assert [f.code for f in lint(failing, select=[rule.code], settings=settings)] == [rule.code]
    assert [f.code for f in lint(passing, select=[rule.code], settings=settings)] == []


def test_the_rule_codes_and_severities() -> None:
    assert [(r.code, r.name, r.severity) for r in precopy_rules.hvlint_rules()] == [
        ("HV501", "downtime-exceeds-threshold", "warning"),
        ("HV502", "migration-does-not-converge", "error"),
        ("HV503", "migration-time-exceeds-threshold", "warning"),
        ("HV504", "host-drain-exceeds-window", "warning"),
        ("HV505", "dirty-rate-unknown", "info"),
        ("HV506", "disk-size-unknown", "info"),
    ]


def test_estimates_over_several_files_name_the_file_and_a_drain_host_must_be_in_one() -> None:
    first, second = load(DRAIN, "east.hvc"), load(DRAIN, "west.hvc")
    estimates = estimate_documents([first, second], make_config())
    assert {estimate.path for estimate in estimates} == {"east.hvc", "west.hvc"}
    table = render_table(estimates)
    rows = [line.split(":")[0] for line in table.splitlines()[2:] if line.strip()][:-1]
    assert sorted(set(rows)) == ["east.hvc", "west.hvc"]
    assert "east.hvc: " not in render_table(estimate_documents([first], make_config()))
    with pytest.raises(DrainHostError, match=r"host `SRC` is declared in 2 files \(east\.hvc, west\.hvc\)"):
        drain_plan_documents([first, second], "SRC", make_config())


def test_a_file_given_twice_is_estimated_and_drained_once(tmp_path: Path) -> None:
    path = tmp_path / "east.hvc"
    path.write_text(DRAIN, encoding="utf-8")
    twice = [load(DRAIN, str(path)), load(DRAIN, str(tmp_path / "." / "east.hvc"))]
    assert drain_plan_documents(twice, "SRC", make_config()).host.name == "SRC"
    once = estimate_documents(twice[:1], make_config())
    assert len(estimate_documents(twice, make_config())) == len(once) > 0


# -- issue 11: paused VMs, ws2008r2's single slot, a drain with nothing to move ---------------------------


def test_a_paused_vm_dirties_nothing_whatever_its_dirty_rate_says() -> None:
    # its processors do not run: at 200MB/s over 1Gbps it would not converge (HV502) and pause for minutes
    text = two_hosts('vm "A" { host = HV01; memory = 8GiB; dirty_rate = 200MB/s; state = paused }')
    estimate = estimate_of(text, "A")
    assert (estimate.dirty_rate, estimate.dirty_rate_origin) == (0.0, "paused")
    assert estimate.precopy is not None and estimate.precopy.passes == 1
    assert estimate.precopy.downtime == pytest.approx(T_SW)
    assert not lint(text, select=["HV5"])
    running = two_hosts('vm "A" { host = HV01; memory = 8GiB; dirty_rate = 200MB/s }')
    assert [f.code for f in lint(running, select=["HV5"])] == ["HV502"]


def test_a_ws2008r2_drain_runs_one_migration_at_a_time_whatever_max_migrations_says() -> None:
    vms = "\n".join(f'vm "V{i}" {{ host = HV01; memory = 4GiB; dirty_rate = 1MB/s }}' for i in range(3))
    for platform, slots in (("ws2008r2", 1), ("ws2012", 3)):
        model = model_of(two_hosts(vms, platform=platform, extra="max_migrations = 4"))
        plan = drain_plan(model, "HV01", make_config())
        assert plan.slots == slots
        assert {m.move.precopy.inputs.sharing for m in plan.migrations} == {slots}


STANDALONE = """
host "BACKUP01" {
  platform = ws2016
  processor = "amd-opteron-2300"
  memory = 64GiB
  %s
}
"""


def test_a_drain_with_nothing_to_move_says_so_and_nothing_about_errors() -> None:
    model = model_of(STANDALONE % 'vm "OLD" { memory = 4GiB; state = off }')
    assert not lint(STANDALONE % 'vm "OLD" { memory = 4GiB; state = off }')
    plan = drain_plan(model, "BACKUP01", make_config())
    assert plan.complete
    text = render_drain(plan)
    assert text == "drain of BACKUP01 (a standalone host): nothing to drain: no running or paused VM\n"
    data = render_drain_json(plan)["drain"]
    assert (data["migrations"], data["drain_time_s"], data["slots"]) == ([], 0, 0)
    assert json.dumps(data["drain_time_s"]) == "0"


def test_a_drain_whose_running_vms_cannot_move_lists_them() -> None:
    plan = drain_plan(model_of(STANDALONE % 'vm "APP" { memory = 4GiB }'), "BACKUP01", make_config())
    assert plan.complete and plan.live == 1
    assert render_drain(plan).splitlines() == [
        "drain of BACKUP01 (a standalone host): nothing to drain: no running or paused VM can be moved",
        "not moved: APP (not in a cluster)",
    ]


def test_resolved_models_are_estimated_without_parsing_again() -> None:
    mixed, drain = model_of(MIXED), model_of(DRAIN)
    estimates = estimate_models([mixed, drain], make_config())
    assert all(estimate.vm.cluster in (*mixed.clusters, *drain.clusters) for estimate in estimates)
    assert [e.vm.name for e in estimates] == [
        e.vm.name for e in estimate_documents([load(MIXED, "mixed.hvc"), drain], make_config())
    ]
    assert drain_plan_models([mixed, drain], "src", make_config()).host is drain.find_host("SRC")
    with pytest.raises(DrainHostError, match="declared in 2 files"):
        drain_plan_models([drain, model_of(DRAIN)], "SRC", make_config())
