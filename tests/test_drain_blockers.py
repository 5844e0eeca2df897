"""A drain never plans a move `check` rejects (estimator-v2.md §4, "Only moves that `check` allows"): HV106,
HV704, HV706 and HV707 rule destinations out too; VMs with DDA devices are listed with the reason `dda`
and GPU-partitioned ones that would be restarted with `gpu-restart`; HV603 and `--failover` leave out the
VMs HV702 reports (rules-v2.md §B, §F 15b)."""

from __future__ import annotations

import json
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hvlint.estimate_cli import render_drain, render_drain_json, render_failover, render_failover_json
from hvlint.estimator import Parameters, estimate_model, plan_drain
from hvlint.failover import plan_failover
from hvlint.findings import Finding
from hvlint.language.document import load
from hvlint.language.model import Model
from hvlint.move_blockers import MoveBlockers
from tests.conftest import lint

NODE = 'processor = "intel-xeon-scalable"; memory = 256GiB'
BLOCKING = ("HV106", "HV305", "HV601", "HV704", "HV706", "HV707", "HV710")
"""The codes of estimator-v2.md §4 the generated clusters below can fire (one processor, no storage paths)."""


def model_of(text: str) -> Model:
    document = load(text, "test.hvc")
    assert not document.problems, [p.message for p in document.problems]
    return document.model


def host_of(model: Model, name: str):  # type: ignore[no-untyped-def]
    found = model.find_host(name)
    assert found is not None
    return found


def vm_of(model: Model, name: str):  # type: ignore[no-untyped-def]
    return next(vm for vm in model.all_vms() if vm.name == name)


DEVICES = f"""cluster "C" {{
  platform = ws2019
  failover_clustering = true
  network "LM" {{ roles = [live_migration]; bandwidth = 10Gbps }}
  storage "Disk4" {{ kind = disk; hosts = [H0, H1] }}
  host "H0" {{
    {NODE}; platform = ws2025; gpu = "NVIDIA A16"; iommu_dirty_tracking = true; virtual_sans = ["Prod"]
  }}
  host "H1" {{ {NODE}; platform = ws2022; virtual_sans = ["prod"] }}
  host "H2" {{ {NODE}; gpu = "NVIDIA A16"; iommu_dirty_tracking = true }}
  vm "OLD" {{ host = H0; memory = 8GiB; dirty_rate = 1MB/s; config_version = 5.0 }}
  vm "GPU" {{ host = H0; memory = 8GiB; dirty_rate = 1MB/s; config_version = 12.0; gpu_partitions = 1 }}
  vm "SAN" {{ host = H0; memory = 8GiB; dirty_rate = 1MB/s; fibre_channel = ["Prod"] }}
  vm "PT" {{ host = H0; memory = 8GiB; dirty_rate = 1MB/s; passthrough_disks = ["Disk4"] }}
  vm "LOOSE" {{ host = H0; memory = 8GiB; dirty_rate = 1MB/s; passthrough_disks = ["Disk 9"] }}
}}
"""


def test_hv106_hv704_hv706_and_hv707_rule_out_the_destinations_their_rules_name() -> None:
    model = model_of(DEVICES)
    h1, h2 = host_of(model, "H1"), host_of(model, "H2")
    blockers = MoveBlockers()
    codes = {
        name: (blockers.codes(vm_of(model, name), h1), blockers.codes(vm_of(model, name), h2))
        for name in ("OLD", "GPU", "SAN", "PT", "LOOSE")
    }
    assert codes == {
        "OLD": (("HV106",), ()),
        "GPU": (("HV106", "HV704"), ()),
        "SAN": ((), ("HV706",)),
        "PT": ((), ("HV707",)),
        "LOOSE": (("HV707",), ("HV707",)),
    }
    plan = plan_drain(host_of(model, "H0"), Parameters())
    assert sorted((m.vm.name, m.destination.name) for m in plan.migrations) == [
        ("GPU", "H2"),
        ("OLD", "H2"),
        ("PT", "H1"),
        ("SAN", "H1"),
    ]
    (loose,) = plan.left
    assert (loose.vm.name, loose.reason, loose.blocked_by) == (
        "LOOSE",
        "blocked",
        (("H1", ("HV707",)), ("H2", ("HV707",))),
    )
    assert "not moved: LOOSE (blocked: H1 HV707; H2 HV707)" in render_drain(plan)


def test_a_shielded_vm_goes_only_to_a_guarded_host() -> None:
    model = model_of(
        f"""cluster "C" {{
  platform = ws2022
  failover_clustering = true
  network "LM" {{ roles = [live_migration]; bandwidth = 10Gbps }}
  host "H0" {{ {NODE}; guarded = true }}
  host "H1" {{ {NODE} }}
  host "H2" {{ {NODE}; guarded = true }}
  vm "HR01" {{ host = H0; memory = 8GiB; dirty_rate = 1MB/s; shielded = true }}
  vm "APP01" {{ host = H0; memory = 8GiB; dirty_rate = 1MB/s }}
}}
"""
    )
    hr01 = vm_of(model, "HR01")
    assert MoveBlockers().codes(hr01, host_of(model, "H1")) == ("HV710",)
    assert MoveBlockers().codes(vm_of(model, "APP01"), host_of(model, "H1")) == ()
    plan = plan_drain(host_of(model, "H0"), Parameters())
    assert {m.vm.name: m.destination.name for m in plan.migrations}["HR01"] == "H2"


def test_a_deselected_device_rule_rules_nothing_out() -> None:
    model = model_of(DEVICES)
    blockers = MoveBlockers(lambda code: code not in ("HV106", "HV704", "HV706", "HV707", "HV710"))
    for name in ("OLD", "GPU", "SAN", "PT", "LOOSE"):
        assert blockers.codes(vm_of(model, name), host_of(model, "H1")) == ()
        assert blockers.codes(vm_of(model, name), host_of(model, "H2")) == ()


def test_movable_standalone_vms_are_ruled_out_by_version_and_pass_through_disks() -> None:
    model = model_of(
        f"""host "BR01" {{
  {NODE}; platform = ws2019
  vm "OLD" {{ memory = 8GiB; config_version = 5.0; possible_owners = [BR01, BR02] }}
  vm "PT" {{ memory = 8GiB; passthrough_disks = ["Disk 4"]; possible_owners = [BR01, BR02] }}
  vm "OK" {{ memory = 8GiB; config_version = 9.0; possible_owners = [BR01, BR02] }}
}}
host "BR02" {{ {NODE}; platform = ws2022 }}
"""
    )
    br02 = host_of(model, "BR02")
    blockers = MoveBlockers()
    assert [blockers.codes(vm_of(model, name), br02) for name in ("OLD", "PT", "OK")] == [
        ("HV106",),
        ("HV707",),
        (),
    ]
    plan = plan_drain(host_of(model, "BR01"), Parameters())
    assert [m.vm.name for m in plan.migrations] == ["OK"]
    assert [(item.vm.name, item.reason) for item in plan.left] == [("OLD", "blocked"), ("PT", "blocked")]


DDA = f"""cluster "C" {{
  platform = PLATFORM
  failover_clustering = true
  network "LM" {{ roles = [live_migration]; bandwidth = 10Gbps }}
  host "H1" {{ processor = "intel-xeon-scalable"; memory = 64GiB }}
  host "H2" {{ processor = "intel-xeon-scalable"; memory = 32GiB }}
  vm "CAD01" {{ host = H1; memory = 48GiB; dirty_rate = 1MB/s; dda_devices = ["GPU0"]POOL }}
  vm "APP01" {{ host = H1; memory = 8GiB; dirty_rate = 1MB/s }}
}}
host "BR01" {{
  {NODE}; platform = ws2022
  vm "CAD02" {{ memory = 8GiB; dirty_rate = 1MB/s; dda_devices = ["GPU0"]; possible_owners = [BR01, BR02] }}
  vm "APP02" {{ memory = 8GiB; dirty_rate = 1MB/s; possible_owners = [BR01, BR02] }}
}}
host "BR02" {{ {NODE}; platform = ws2022 }}
"""


def dda_text(platform: str, pool: str = "") -> str:
    return DDA.replace("PLATFORM", platform).replace("POOL", pool)


def test_a_drain_lists_dda_vms_with_the_reason_dda_in_text_and_json() -> None:
    model = model_of(dda_text("ws2022"))
    for host, moved, kept in (("H1", "APP01", "CAD01"), ("BR01", "APP02", "CAD02")):
        plan = plan_drain(host_of(model, host), Parameters())
        assert [m.vm.name for m in plan.migrations] == [moved]
        assert [(item.vm.name, item.reason) for item in plan.left] == [(kept, "dda")]
        assert f"not moved: {kept} (dda: devices assigned by DDA; it moves only shut down)" in render_drain(
            plan
        )
        (entry,) = render_drain_json(plan)["drain"]["left_behind"]
        assert entry == {
            "vm": kept,
            "reason": "dda",
            "need_bytes": None,
            "best_free_bytes": None,
            "best_host": None,
            "blocked_by": None,
        }


def test_a_movable_standalone_dda_vm_is_never_estimated() -> None:
    estimates = {e.vm.name: e for e in estimate_model(model_of(dda_text("ws2022")), Parameters())}
    assert estimates["CAD02"].move is None and "DDA" in (estimates["CAD02"].reason or "")
    assert estimates["APP02"].move is not None
    assert [f.code for f in lint(dda_text("ws2022"), select=["HV5"])] == []


def test_hv603_and_failover_leave_out_the_vms_hv702_reports() -> None:
    for platform, pool in (("ws2022", ""), ("ws2025", "")):
        text = dda_text(platform, pool)
        assert "HV603" not in [f.code for f in lint(text)]
        model = model_of(text)
        plan = plan_failover(host_of(model, "H1"))
        assert [vm.name for vm in plan.vms] == ["APP01"] and [vm.name for vm in plan.dda] == ["CAD01"]
        assert render_failover(plan).splitlines() == [
            "failover of H1 (cluster C): 2 highly available VMs, 1 restart elsewhere",
            "",
            "VM     restarts on  needs",
            "APP01  H2            8GiB",
            "",
            "not restarted: CAD01 (dda: devices assigned by DDA, and the cluster cannot fail it over "
            "(HV702))",
        ]
        left = render_failover_json(plan)["failover"]["left_behind"]
        assert [(entry["vm"], entry["reason"]) for entry in left] == [("CAD01", "dda")]
        json.dumps(left)


def test_a_ws2025_dda_vm_of_a_pool_is_placed_by_memory_alone() -> None:
    text = dda_text("ws2025", '; dda_pool = "GPU-POOL"')
    findings = [f for f in lint(text) if f.code == "HV603"]
    assert [f.message for f in findings] == [
        "if H1 fails, 1 of its 2 highly available VMs cannot restart elsewhere: CAD01 needs 48GiB, the most "
        "free memory was 30.7GiB on H2"
    ]
    plan = plan_failover(host_of(model_of(text), "H1"))
    assert plan.dda == () and [item.vm.name for item in plan.left] == ["CAD01"]


GPU = f"""cluster "C" {{
  platform = ws2025
  failover_clustering = true
  max_migrations = 2
  network "LM" {{ roles = [live_migration]; bandwidth = 10Gbps }}
  host "H1" {{ {NODE}; gpu = "A16"; iommu_dirty_tracking = true }}
  host "H2" {{ processor = "intel-xeon-scalable"; memory = 16GiB; gpu = "A16"; iommu_dirty_tracking = true }}
  host "H3" {{ {NODE}; gpu = "A16" }}
  vm "AGPU" {{ host = H1; memory = 8GiB; dirty_rate = 1MB/s; gpu_partitions = 1 }}
  vm "BGPU" {{ host = H1; memory = 8GiB; dirty_rate = 1MB/s; gpu_partitions = 1 }}
  vm "COLD" {{ host = H3; memory = 8GiB; dirty_rate = 1MB/s; gpu_partitions = 1 }}
}}
"""


def test_a_gpu_partitioned_vm_goes_only_where_it_is_live_migrated() -> None:
    model = model_of(GPU)
    plan = plan_drain(host_of(model, "H1"), Parameters())
    assert [(m.vm.name, m.destination.name) for m in plan.migrations] == [("AGPU", "H2")]
    (left,) = plan.left
    assert (left.vm.name, left.reason) == ("BGPU", "memory")


def test_a_gpu_partitioned_vm_that_every_move_restarts_is_listed_as_gpu_restart() -> None:
    plan = plan_drain(host_of(model_of(GPU), "H3"), Parameters())
    assert plan.migrations == ()
    assert [(item.vm.name, item.reason) for item in plan.left] == [("COLD", "gpu-restart")]
    assert "not moved: COLD (restarted, not live-migrated (GPU partition, HV705))" in render_drain(plan)
    assert render_drain_json(plan)["drain"]["left_behind"][0]["reason"] == "gpu-restart"


# -- the property: a VM is never placed on a host a rule rules out ------------------------------------------

hosts_strategy = st.lists(
    st.tuples(
        st.sampled_from(["", "platform = ws2022", "platform = ws2025"]),
        st.booleans(),  # a partitionable GPU
        st.booleans(),  # the virtual SAN
        st.booleans(),  # can own the cluster disk
        st.booleans(),  # the second switch
        st.integers(min_value=16, max_value=96),
        st.booleans(),  # a guarded host
    ),
    min_size=2,
    max_size=4,
)
vms_strategy = st.lists(
    st.tuples(
        st.integers(min_value=1, max_value=24),
        st.sampled_from(["", "config_version = 5.0", "config_version = 9.0"]),
        st.booleans(),  # GPU partition
        st.booleans(),  # virtual Fibre Channel
        st.sampled_from(["", 'passthrough_disks = ["Disk4"]', 'passthrough_disks = ["Disk 9"]']),
        st.sampled_from(["S", "T"]),
        st.booleans(),  # shielded
    ),
    min_size=1,
    max_size=8,
)


def property_text(hosts: list[tuple], vms: list[tuple]) -> str:  # type: ignore[type-arg]
    """A ws2019 cluster in a rolling upgrade whose hosts and VMs differ in what HV106, HV305, HV601, HV704,
    HV706, HV707 and HV710 read."""
    owners = [f"H{i}" for i, host in enumerate(hosts) if host[3]] or ["H0"]
    lines = [f'storage "Disk4" {{ kind = disk; hosts = [{", ".join(owners)}] }}']
    for i, (platform, gpu, san, _, second, memory, guarded) in enumerate(hosts):
        parts = [
            'processor = "intel-xeon-scalable"',
            f"memory = {memory}GiB",
            'switches = ["S", "T"]' if second else 'switches = ["S"]',
            "iommu_dirty_tracking = true",
            platform,
            'gpu = "A16"' if gpu else "",
            'virtual_sans = ["Prod"]' if san else "",
            "guarded = true" if guarded else "",
        ]
        lines.append(f'host "H{i}" {{ {"; ".join(part for part in parts if part)} }}')
    for i, (memory, version, gpu, fibre, passthrough, switch, shielded) in enumerate(vms):
        parts = [
            "host = H0",
            f"memory = {memory}GiB",
            "dirty_rate = 5MB/s",
            f'adapters = ["{switch}"]',
            "config_version = 12.0" if gpu else version,
            "gpu_partitions = 1" if gpu else "",
            'fibre_channel = ["Prod"]' if fibre else "",
            passthrough,
            "shielded = true" if shielded else "",
        ]
        lines.append(f'vm "V{i}" {{ {"; ".join(part for part in parts if part)} }}')
    body = "\n  ".join(lines)
    return (
        'cluster "C" {\n  platform = ws2019\n  failover_clustering = true\n'
        '  network "LM" { roles = [live_migration]; bandwidth = 10Gbps }\n'
        f"  {body}\n}}\n"
    )


def naming(findings: list[Finding], vm: str, code: str, host: str) -> list[Finding]:
    """The findings of `code` about `vm` whose message names `host` (as one word)."""
    return [
        f
        for f in findings
        if f.code == code
        and f.object is not None
        and f.object.endswith(f"/{vm}")
        and re.search(rf"\b{host}\b", f.message)
        and (code != "HV704" or f.severity == "error")
    ]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hosts_strategy, vms_strategy)
def test_a_vm_is_never_placed_on_a_host_a_rule_rules_out(hosts: list[tuple], vms: list[tuple]) -> None:  # type: ignore[type-arg]
    text = property_text(hosts, vms)
    findings = lint(text)
    assert not [f for f in findings if f.code in ("HV000", "HV001", "HV002", "HV004")], findings
    plan = plan_drain(host_of(model_of(text), "H0"), Parameters())
    for migration in plan.migrations:
        for code in BLOCKING:
            assert naming(findings, migration.vm.name, code, migration.destination.name) == [], (code, text)
    for item in plan.left:
        if item.reason != "blocked":
            continue
        for owner, codes in item.blocked_by or ():
            for code in codes:
                assert naming(findings, item.vm.name, code, owner), (item.vm.name, owner, code, text)


def test_values_in_error_rule_nothing_out() -> None:
    """A node whose `platform` is in error is not judged by HV106, and a VM whose `highly_available` is in
    error is not one HV702 reports (nor one a failover restarts: whether it is highly available is
    unknown)."""
    text = f"""cluster "C" {{
  platform = ws2016
  failover_clustering = true
  network "LM" {{ roles = [live_migration]; bandwidth = 10Gbps }}
  host "H0" {{ {NODE} }}
  host "H1" {{ {NODE}; platform = ws2099 }}
  vm "OLD" {{ host = H0; memory = 8GiB; dirty_rate = 1MB/s; config_version = 5.0 }}
  vm "CAD" {{ host = H0; memory = 8GiB; dirty_rate = 1MB/s; dda_devices = ["X"]; highly_available = 3 }}
}}
"""
    assert [f.code for f in lint(text) if f.code in ("HV106", "HV702")] == []
    model = load(text, "test.hvc").model
    assert MoveBlockers().codes(vm_of(model, "OLD"), host_of(model, "H1")) == ()
    plan = plan_failover(host_of(model, "H0"))
    assert plan.dda == () and [vm.name for vm, _ in plan.placement.placed] == ["OLD"]
