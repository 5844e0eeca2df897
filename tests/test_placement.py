"""Placement P, HV603, HV604 and the memory-aware drain (estimator-v2.md §3-§5), with their properties."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hvlint.capacity import free_memory, memory_for_vms
from hvlint.estimate_cli import render_drain, render_drain_json
from hvlint.estimator import Parameters, plan_drain
from hvlint.failover import plan_failover
from hvlint.language.document import load
from hvlint.language.model import Model
from hvlint.move_blockers import MoveBlockers
from hvlint.records import replace
from tests.conftest import FIXTURES, lint

GIB = 1024**3
WORKED = (FIXTURES / "capacity" / "hv604-fires.hvc").read_text(encoding="utf-8")
V1 = Parameters(memory_aware_drain=False)


def model_of(text: str) -> Model:
    return load(text, "test.hvc").model


def host_named(model: Model, name: str):  # type: ignore[no-untyped-def]
    found = model.find_host(name)
    assert found is not None
    return found


def test_the_worked_drain_of_hv01() -> None:
    model = model_of(WORKED)
    plan = plan_drain(host_named(model, "HV01"), Parameters())
    moves = [(m.vm.name, m.destination.name, round(m.end, 1)) for m in plan.migrations]
    assert moves == [("DB01", "HV03", 33.8), ("APP01", "HV02", 51.7), ("WEB01", "HV02", 58.1)]
    assert round(plan.drain_time, 1) == 58.1 and plan.slots == 1
    (left,) = plan.left
    assert (left.vm.name, left.reason, left.need, left.best_host.name if left.best_host else None) == (
        "BIG01",
        "memory",
        96 * GIB,
        "HV03",
    )
    assert left.best_free == 83.875 * GIB
    assert "not moved: BIG01 (memory: needs 96GiB, most free 83.9GiB on HV03)" in render_drain(plan)
    entry = render_drain_json(plan)["drain"]["left_behind"][0]
    assert entry == {
        "vm": "BIG01",
        "reason": "memory",
        "need_bytes": 96 * GIB,
        "best_free_bytes": 90060095488,
        "best_host": "HV03",
        "blocked_by": None,
    }


def test_the_worked_drain_in_version_1_sends_everything_to_hv02() -> None:
    model = model_of(WORKED)
    plan = plan_drain(host_named(model, "HV01"), V1)
    assert {m.destination.name for m in plan.migrations} == {"HV02"}
    assert plan.left == () and len(plan.migrations) == 4


def test_the_worked_failover_of_hv01() -> None:
    plan = plan_failover(host_named(model_of(WORKED), "HV01"))
    assert [(vm.name, host.name) for vm, host in plan.placement.placed] == [
        ("DB01", "HV03"),
        ("APP01", "HV02"),
        ("WEB01", "HV03"),
    ]
    assert [item.vm.name for item in plan.left] == ["BIG01"]


def test_hv604_is_silent_with_version_1_s_drain() -> None:
    assert [f.code for f in lint(WORKED, select=["HV604"])] == ["HV604"]
    assert lint(WORKED, select=["HV604"], settings={"estimator": {"memory_aware_drain": False}}) == []


V1_FIXTURES = sorted(
    path
    for path in FIXTURES.rglob("*.hvc")
    if "robustness" not in path.parts and "capacity" not in path.parts
)


@pytest.mark.parametrize("path", V1_FIXTURES, ids=lambda path: str(path.relative_to(FIXTURES)))
def test_memory_aware_drain_false_is_version_1_s_plan(path: Path) -> None:
    """Every host of every version 1 fixture drains exactly as version 1 planned, and where nothing is
    left behind for memory or blocked, the memory-aware plan is the same plan."""
    model = load(path.read_bytes(), str(path)).model
    for host in model.all_hosts():
        old = plan_drain(host, V1)
        assert old.left == ()
        new = plan_drain(host, Parameters())
        if not any(item.reason in ("memory", "blocked") for item in new.left):
            assert [(m.vm, m.destination, m.slot, m.start, m.end) for m in new.migrations] == [
                (m.vm, m.destination, m.slot, m.start, m.end) for m in old.migrations
            ]
            assert [vm for vm, _ in new.left_behind] == [vm for vm, _ in old.left_behind]


def cluster_text(hosts: list[int], vms: list[tuple[int, int, str]], order: list[int] | None = None) -> str:
    """A ws2022 cluster with hosts H0.. of `hosts` GiB and VMs (host index, GiB, switch)."""
    lines = [
        "  " + f'host "H{i}" {{ processor = "intel-xeon-scalable"; memory = {memory}GiB; switches = ["S"] }}'
        for i, memory in enumerate(hosts)
    ]
    lines += [
        "  "
        + f'vm "V{i}" {{ host = H{host}; memory = {memory}GiB; dirty_rate = 10MB/s; '
        + f'adapters = ["{switch}"] }}'
        for i, (host, memory, switch) in enumerate(vms)
    ]
    if order is not None:
        lines = [lines[i] for i in order]
    body = "\n".join(lines)
    return (
        'cluster "C" {\n  platform = ws2022\n  failover_clustering = true\n'
        '  network "LM" { roles = [live_migration]; bandwidth = 10Gbps }\n'
        f"{body}\n}}\n"
    )


clusters = st.tuples(
    st.lists(st.integers(min_value=8, max_value=96), min_size=2, max_size=4),
    st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=3),
            st.integers(min_value=1, max_value=40),
            st.sampled_from("SST"),
        ),
        min_size=1,
        max_size=10,
    ),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(clusters, st.randoms(use_true_random=False))
def test_drain_properties(cluster: tuple[list[int], list[tuple[int, int, str]]], random) -> None:  # type: ignore[no-untyped-def]
    hosts, vms = cluster
    vms = [(host % len(hosts), memory, switch) for host, memory, switch in vms]
    model = model_of(cluster_text(hosts, vms))
    source = host_named(model, "H0")
    plan = plan_drain(source, Parameters())
    placed: dict[str, float] = {}
    for migration in plan.migrations:
        destination = migration.destination
        assert MoveBlockers().codes(migration.vm, destination) == ()
        placed[destination.name] = placed.get(destination.name, 0) + migration.vm.memory
    for name, amount in placed.items():
        assert amount <= free_memory(host_named(model, name))
    by_turn = plan.migrations
    for item in plan.left:
        if item.reason != "memory":
            continue
        used: dict[str, float] = {}
        for migration in by_turn:
            before = (-migration.vm.memory, migration.vm.name.casefold()) < (
                -item.need,
                item.vm.name.casefold(),
            )
            if not before:
                continue
            used[migration.destination.name] = used.get(migration.destination.name, 0) + migration.vm.memory
        for owner in item.vm.possible_owners:
            if owner is source or MoveBlockers().codes(item.vm, owner):
                continue
            assert free_memory(owner) - used.get(owner.name, 0) < item.need
    order = list(range(len(hosts) + len(vms)))
    random.shuffle(order)
    shuffled = plan_drain(host_named(model_of(cluster_text(hosts, vms, order)), "H0"), Parameters())
    assert [(m.vm.name, m.destination.name, m.start) for m in shuffled.migrations] == [
        (m.vm.name, m.destination.name, m.start) for m in plan.migrations
    ]
    assert [(i.vm.name, i.reason) for i in shuffled.left] == [(i.vm.name, i.reason) for i in plan.left]


def test_a_blocked_vm_lists_the_codes_of_each_owner() -> None:
    text = cluster_text([256, 16, 64], [(0, 32, "T")])
    model = model_of(text)
    plan = plan_drain(host_named(model, "H0"), Parameters())
    (left,) = plan.left
    assert left.reason == "blocked"
    assert left.blocked_by == (("H1", ("HV305", "HV601")), ("H2", ("HV305",)))
    assert "not moved: V0 (blocked: H1 HV305, HV601; H2 HV305)" in render_drain(plan)
    entry = render_drain_json(plan)["drain"]["left_behind"][0]
    assert entry["blocked_by"] == {"H1": ["HV305", "HV601"], "H2": ["HV305"]}
    assert entry["need_bytes"] is None
    json.dumps(entry)


def test_a_rule_deselected_blocks_nothing() -> None:
    model = model_of(cluster_text([256, 64], [(0, 32, "T")]))
    plan = plan_drain(host_named(model, "H0"), Parameters(), enabled=lambda code: code != "HV305")
    assert [m.destination.name for m in plan.migrations] == ["H1"]


def test_memory_for_vms_bounds_the_placement() -> None:
    model = model_of(cluster_text([256, 24], [(0, 20, "S"), (0, 4, "S")]))
    plan = plan_drain(host_named(model, "H0"), Parameters())
    assert [m.vm.name for m in plan.migrations] == ["V0"]
    assert memory_for_vms(host_named(model, "H1")) < 24 * GIB
    assert [(i.vm.name, i.reason) for i in plan.left] == [("V1", "memory")]


def test_replace_keeps_parameters_frozen() -> None:
    assert replace(Parameters(), memory_aware_drain=False) == V1


def test_estimate_failover_text_json_and_usage_errors(tmp_path: Path) -> None:
    from tests.conftest import run_cli

    path = FIXTURES / "capacity" / "hv603-fires.hvc"
    text = run_cli("estimate", "--failover", "hv01", str(path))
    assert text.returncode == 0, text.stderr
    assert (
        text.stdout.splitlines()[0]
        == "failover of HV01 (cluster LAB): 4 highly available VMs, 3 restart elsewhere"
    )
    assert "WEB01  HV03          8GiB" in text.stdout
    assert text.stdout.endswith("not restarted: BIG01 (memory: needs 96GiB, most free 83.9GiB on HV03)\n")
    data = json.loads(run_cli("estimate", "--failover", "HV01", "--format", "json", str(path)).stdout)
    assert [(r["vm"], r["destination"]) for r in data["failover"]["restarts"]] == [
        ("DB01", "HV03"),
        ("APP01", "HV02"),
        ("WEB01", "HV03"),
    ]
    assert data["failover"]["left_behind"][0]["best_free_bytes"] == 90060095488
    unknown = run_cli("estimate", "--failover", "HV09", str(path))
    assert unknown.returncode == 2 and "--failover HV09: no host `HV09`" in unknown.stderr
    both = run_cli("estimate", "--failover", "HV01", "--drain", "HV01", str(path))
    assert both.returncode == 2 and "give one of them" in both.stderr
    copy = tmp_path / "copy.hvc"
    copy.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    twice = run_cli("estimate", "--failover", "HV01", str(path), str(copy))
    assert twice.returncode == 2 and "declared in 2 files" in twice.stderr


def test_failover_lists_pinned_vms_and_an_empty_host() -> None:
    from hvlint.estimate_cli import render_failover, render_failover_json

    model = model_of(
        cluster_text([64, 64], [(0, 8, "S")]).replace(
            'adapters = ["S"] }', 'adapters = ["S"]; possible_owners = [H0] }'
        )
    )
    plan = plan_failover(host_named(model, "H0"))
    assert render_failover(plan).splitlines() == [
        "failover of H0 (cluster C): 1 highly available VM, 0 restart elsewhere",
        "not restarted: V0 (no other possible owner)",
    ]
    assert render_failover_json(plan)["failover"]["left_behind"][0]["reason"] == "no-destination"
    empty = plan_failover(host_named(model, "H1"))
    assert render_failover(empty) == "failover of H1 (cluster C): no highly available running or paused VM\n"


NEW01 = Path(__file__).parent / "data" / "capacity-new01.hvc"


def test_a_drain_never_plans_a_move_check_rejects() -> None:
    model = model_of(NEW01.read_text(encoding="utf-8"))
    plan = plan_drain(host_named(model, "NEW01"), Parameters())
    assert [(m.vm.name, m.destination.name) for m in plan.migrations] == [("APP03", "OLD01")]
    assert {item.vm.name: item.blocked_by for item in plan.left} == {
        "APP01": (("OLD01", ("HV305", "HV402")),),
        "APP02": (("OLD01", ("HV201", "HV305", "HV402")), ("OLD02", ("HV201",))),
    }
    blockers = MoveBlockers()
    app03 = next(vm for vm in model.all_vms() if vm.name == "APP03")
    assert blockers.codes(app03, host_named(model, "OLD02")) == ("HV202", "HV203")
    assert blockers.codes(app03, host_named(model, "AMD01")) == ("HV202", "HV203", "HV401")
    assert MoveBlockers(lambda code: code.startswith("HV4")).codes(app03, host_named(model, "AMD01")) == (
        "HV401",
    )


def test_compatibility_modes_decide_between_hv402_and_hv405() -> None:
    text = NEW01.read_text(encoding="utf-8").replace(
        "compatibility_mode = minimum", "compatibility_mode = cluster"
    )
    model = model_of(text)
    app03 = next(vm for vm in model.all_vms() if vm.name == "APP03")
    assert MoveBlockers().codes(app03, host_named(model, "OLD01")) == ()
    model = model_of(text.replace("compatibility_mode = cluster", "compatibility_mode = off"))
    app03 = next(vm for vm in model.all_vms() if vm.name == "APP03")
    assert MoveBlockers().codes(app03, host_named(model, "OLD01")) == ("HV402",)


def test_estimate_drain_rules_out_moves_by_the_configuration_s_selection(tmp_path: Path) -> None:
    from tests.conftest import run_cli

    path = tmp_path / "new01.hvc"
    path.write_text(NEW01.read_text(encoding="utf-8"), encoding="utf-8")
    blocked = run_cli("estimate", "--drain", "NEW01", str(path), cwd=tmp_path)
    assert "not moved: APP01 (blocked: OLD01 HV305, HV402)" in blocked.stdout
    (tmp_path / "hvlint.toml").write_text('ignore = ["HV3", "HV4"]\n', encoding="utf-8")
    ignored = run_cli("estimate", "--drain", "NEW01", str(path), cwd=tmp_path)
    assert "APP01  OLD01" in ignored.stdout
    assert "not moved: APP02 (blocked: OLD01 HV201; OLD02 HV201)" in ignored.stdout
    (tmp_path / "hvlint.toml").write_text("[estimator]\nmemory_aware_drain = false\n", encoding="utf-8")
    version_1 = run_cli("estimate", "--drain", "NEW01", str(path), cwd=tmp_path)
    assert "APP01  OLD01" in version_1.stdout and "not moved" not in version_1.stdout


def test_memory_aware_drain_must_be_a_boolean(tmp_path: Path) -> None:
    from tests.conftest import run_cli

    (tmp_path / "hvlint.toml").write_text('[estimator]\nmemory_aware_drain = "no"\n', encoding="utf-8")
    (tmp_path / "a.hvc").write_text("", encoding="utf-8")
    result = run_cli("check", "a.hvc", cwd=tmp_path)
    assert result.returncode == 2
    assert "memory_aware_drain" in result.stderr and "true or false" in result.stderr


def test_the_docs_show_what_hvlint_prints_for_the_worked_example() -> None:
    from hvlint.estimate_cli import render_failover
    from tests.conftest import ROOT

    docs = (ROOT / "docs" / "estimator.md").read_text(encoding="utf-8")
    blocks = [block.split("```", 1)[0] for block in docs.split("```text\n")[1:]]
    model = model_of(WORKED)
    assert render_drain(plan_drain(host_named(model, "HV01"), Parameters())) in blocks
    assert render_failover(plan_failover(host_named(model, "HV01"))) in blocks


def test_failover_plans_in_process_name_their_errors() -> None:
    from hvlint.estimate_cli import (
        DrainHostError,
        failover_plan_models,
        render_failover,
        render_failover_json,
    )

    model = model_of(WORKED)
    assert failover_plan_models([model], "hv01").host.name == "HV01"
    with pytest.raises(DrainHostError, match=r"--failover HV9: no host `HV9` in test.hvc"):
        failover_plan_models([model], "HV9")
    other = load(WORKED, "other.hvc").model
    with pytest.raises(DrainHostError, match="declared in 2 files"):
        failover_plan_models([model, other], "HV01")
    plan = failover_plan_models([model], "HV01")
    assert render_failover(plan).startswith("failover of HV01")
    assert render_failover_json(plan)["failover"]["host"] == "HV01"


def test_a_drain_prefers_the_faster_link_over_name_order() -> None:
    text = cluster_text([256, 64, 64], [(0, 8, "S")]).replace(
        '  network "LM" { roles = [live_migration]; bandwidth = 10Gbps }\n',
        '  network "LM" { roles = [live_migration]; bandwidth = 1Gbps }\n'
        '  network "FAST" { roles = [live_migration]; bandwidth = 10Gbps }\n',
    )
    text = text.replace(
        'memory = 64GiB; switches = ["S"] }\n  vm',
        'memory = 64GiB; switches = ["S"]; networks = [LM, FAST] }\n  vm',
    )
    text = text.replace(
        'host "H1" { processor = "intel-xeon-scalable"; memory = 64GiB; switches = ["S"] }',
        'host "H1" { processor = "intel-xeon-scalable"; memory = 64GiB; switches = ["S"]; networks = [LM] }',
    )
    model = model_of(text)
    plan = plan_drain(host_named(model, "H0"), Parameters())
    assert [m.destination.name for m in plan.migrations] == ["H2"]


def test_a_drain_whose_estimate_fails_leaves_the_vm_with_the_reason() -> None:
    model = model_of(WORKED)
    plan = plan_drain(host_named(model, "HV01"), Parameters(max_rounds=0))
    assert plan.migrations == () and not plan.complete
    assert {item.reason for item in plan.left} == {"no-destination"}
    assert "n_max" in plan.left[0].detail


def test_move_blockers_judge_cluster_mode_and_stay_silent_on_storage_in_error() -> None:
    text = NEW01.read_text(encoding="utf-8").replace(
        "compatibility_mode = minimum", "compatibility_mode = cluster"
    )
    model = model_of(text.replace("kind = local;", "kind = lokal;"))
    app02 = next(vm for vm in model.all_vms() if vm.name == "APP02")
    assert "HV201" not in MoveBlockers().codes(app02, host_named(model, "OLD02"))
    model = model_of(text)
    app03 = next(vm for vm in model.all_vms() if vm.name == "APP03")
    assert MoveBlockers().codes(app03, host_named(model, "OLD01")) == ()
    standalone = model_of(
        'host "H" { platform = ws2022; processor = "intel-xeon-scalable"; memory = 64GiB\n'
        "  vm \"V\" { memory = 8GiB; disks = ['D:\\\\a.vhdx'] }\n}\n"
    )
    vm = standalone.hosts[0].vms[0]
    assert MoveBlockers().codes(vm, standalone.hosts[0]) == ()


def test_hv603_and_hv604_name_five_vms_then_count_the_rest() -> None:
    import importlib

    capacity_rules = importlib.import_module("hvlint.rules.capacity")
    model = model_of(cluster_text([256, 16], [(0, 20, "S")] * 7))
    plan = plan_failover(host_named(model, "H0"))
    text = capacity_rules.left_behind_text(plan.left)
    assert text.startswith("V0 needs 20GiB, the most free memory was 15.2GiB on H1; V1 needs")
    assert text.endswith("; and 2 more")
    assert (
        capacity_rules.left_behind_text([replace(plan.left[0], best_host=None, best_free=None)])
        == "V0 needs 20GiB"
    )
    findings = lint(cluster_text([256, 16, 64], [(0, 20, "S")] * 7), select=["HV603", "HV604"])
    assert [(f.code, f.line) for f in findings] == [("HV603", 5), ("HV604", 5)]
