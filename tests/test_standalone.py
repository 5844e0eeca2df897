"""Moves between standalone hosts: the language-v2.md attributes and disk blocks, HV801-HV806, and the
shared-nothing estimate of estimator-v2.md §2 with its worked example."""

from __future__ import annotations

import importlib
import inspect
from typing import Any

import pytest

from hvlint.estimate_cli import drain_plan, estimate_documents, render_json, render_table
from hvlint.estimator import Parameters, estimate_vm
from hvlint.estimator.shared_nothing import storage_time
from hvlint.language.document import load
from hvlint.language.model import VM, Model
from hvlint.language.standalone import is_unc, name_list, vm_disks
from tests.conftest import DATA, ROOT, lint, make_config

standalone_rules = importlib.import_module("hvlint.rules.standalone")

GiB = 1024**3
EXAMPLE = ROOT / "examples" / "standalone-pair.hvc"

PAIR = """
host "BR01" {
  platform = ws2022
  processor = "intel-xeon-scalable"
  memory = 256GiB
  migration_bandwidth = 10Gbps
  %(source)s
  vm "APP01" {
    memory = 8GiB
    dirty_rate = 20MB/s
    possible_owners = [BR01, BR02]
    %(vm)s
  }
}
host "BR02" {
  platform = ws2022
  processor = "intel-xeon-scalable"
  memory = 256GiB
  migration_bandwidth = 10Gbps
  %(destination)s
}
"""


def pair(
    source: str = "", vm: str = "disk 'D:\\VMs\\APP01\\os.vhdx' { size = 60GiB }", destination: str = ""
) -> str:
    """Two ws2022 hosts at 10Gbps and APP01 (8GiB at 20MB/s) that may move from BR01 to BR02."""
    return PAIR % {"source": source, "vm": vm, "destination": destination}


def model_of(text: str) -> Model:
    document = load(text.encode(), "pair.hvc")
    assert not document.problems, [problem.message for problem in document.problems]
    return document.model


def app01(model: Model) -> VM:
    return model.hosts[0].vms[0]


# -- the worked example of estimator-v2.md §2 ------------------------------------------------------------


def test_the_worked_example_step_by_step() -> None:
    estimate = estimate_vm(app01(model_of(pair())), Parameters())
    move = estimate.move
    assert move is not None and move.destination.name == "BR02" and move.kind == "shared-nothing"
    assert move.storage_bytes == 64_424_509_440
    assert move.storage_time == pytest.approx(57.27, abs=0.005)
    precopy = move.precopy
    assert precopy.rate == pytest.approx(2.25e9)
    assert precopy.pass_times[0] == pytest.approx(3.818, abs=0.0005)
    assert precopy.volumes[1] == pytest.approx(76.4e6, rel=1e-3)
    assert precopy.passes == 1
    assert precopy.downtime == pytest.approx(0.0839, abs=0.00005)
    assert precopy.total == pytest.approx(63.67, abs=0.005)
    assert precopy.total == pytest.approx(2.5 + move.storage_time + precopy.pass_times[0] + precopy.downtime)


def test_the_worked_example_on_a_share_copies_nothing() -> None:
    estimate = estimate_vm(
        app01(model_of(pair(vm="disks = ['\\\\fs01\\vms\\APP01\\os.vhdx']"))), Parameters()
    )
    assert estimate.move is not None and estimate.move.storage_bytes == 0 and estimate.move.storage_time == 0
    assert f"{estimate.move.precopy.total:.2f}" == "6.40"


def test_hvlint_estimate_prints_the_worked_example() -> None:
    table = render_table(estimate_documents([load(pair().encode(), "pair.hvc")], make_config()))
    row = table.splitlines()[1].split()
    assert row[:8] == ["APP01*", "BR01", "->", "BR02", "1", "63.7s", "83.9ms", "ok"]
    assert table.splitlines()[1].endswith("storage 60GiB in 57.3s")


def test_the_json_of_a_shared_nothing_estimate() -> None:
    (entry,) = render_json(estimate_documents([load(pair().encode(), "pair.hvc")], make_config()))[
        "estimates"
    ]
    assert entry["cluster"] is None and entry["source"] == "BR01" and entry["kind"] == "shared-nothing"
    assert entry["storage_bytes"] == 60 * GiB and entry["storage_s"] == pytest.approx(57.266, abs=0.001)


def test_the_storage_phase_shares_the_link_in_a_drain() -> None:
    assert storage_time(60 * GiB, 1.25e9, Parameters(), sharing=2) == pytest.approx(2 * 57.266, abs=0.002)
    assert storage_time(0, 1.25e9, Parameters()) == 0


def test_the_example_checks_clean_and_estimates_as_the_spec_says() -> None:
    text = EXAMPLE.read_bytes()
    assert lint(text) == []
    table = render_table(estimate_documents([load(text, "standalone-pair.hvc")], make_config()))
    lines = {line.split()[0].rstrip("*"): line for line in table.splitlines()[1:3]}
    assert (
        "63.7s" in lines["APP01"]
        and "83.9ms" in lines["APP01"]
        and "storage 60GiB in 57.3s" in lines["APP01"]
    )
    assert "6.4s" in lines["WEB01"] and "storage 0B in 0s" in lines["WEB01"]


# -- destinations left out, thresholds and drains ----------------------------------------------------------


def ws2008r2_destination(text: str) -> str:
    head, tail = text.rsplit("platform = ws2022", 1)
    return head + "platform = ws2008r2" + tail


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (ws2008r2_destination(pair()), "BR02 runs ws2008r2 (HV801)"),
        (pair(source="live_migration = false"), "live migration is disabled on BR01 (HV802)"),
        (pair(destination="migration_networks = []"), "BR02 accepts live migrations on no network (HV803)"),
        (
            pair().replace("migration_bandwidth = 10Gbps", "migration_bandwidth = 0Gbps", 1),
            "BR01 has a migration_bandwidth of 0",
        ),
    ],
)
def test_destinations_the_rules_rule_out_are_not_estimated(text: str, reason: str) -> None:
    estimate = estimate_vm(app01(model_of(text)), Parameters())
    assert estimate.move is None and estimate.reason == f"no destination: {reason}"


def test_a_link_of_zero_is_no_destination_for_the_rules_either() -> None:
    text = pair().replace("migration_bandwidth = 10Gbps", "migration_bandwidth = 0B/s")
    assert not [finding for finding in lint(text) if finding.code == "HV000"]


def test_a_ws2008r2_source_is_left_to_hv104() -> None:
    model = model_of(pair().replace("platform = ws2022", "platform = ws2008r2", 1))
    estimate = estimate_vm(app01(model), Parameters())
    assert estimate.move is None and "HV104" in (estimate.reason or "")


def test_the_threshold_of_a_standalone_vm_comes_from_its_host() -> None:
    model = model_of(pair(source="max_downtime = 50ms"))
    assert estimate_vm(app01(model), Parameters()).threshold == pytest.approx(0.05)
    findings = lint(pair(source="max_downtime = 50ms"), select=["HV501"])
    assert [(f.code, f.line) for f in findings] == [("HV501", 8)]
    assert "storage 60GiB in 57.3s" in findings[0].message


def test_draining_a_standalone_host_runs_its_max_migrations_at_once() -> None:
    vms = "".join(
        f'\n  vm "V{i}" {{ memory = 4GiB  dirty_rate = 1MB/s  possible_owners = [BR01, BR02] }}'
        for i in range(3)
    )
    text = pair(source=vms)
    plan = drain_plan(model_of(text), "BR01", make_config())
    assert plan.slots == 2 and len(plan.migrations) == 4 and plan.complete
    plan = drain_plan(model_of(pair(source="max_migrations = 1" + vms)), "br01", make_config())
    assert plan.slots == 1 and [m.slot for m in plan.migrations] == [0, 0, 0, 0]


# -- the language -------------------------------------------------------------------------------------------


def test_a_standalone_hosts_migration_settings_and_their_defaults() -> None:
    model = model_of(
        pair(
            source='domain = "contoso.com"  trusted_domains = ["fabrikam.com"]  live_migration = false\n'
            '  migration_networks = ["10.0.50.0/24"]  migration_authentication = kerberos\n'
            "  delegate_migration = [br02]  delegate_cifs = [BR02]  max_migrations = 4\n"
            "  migration_transport = smb  max_downtime = 1s"
        )
    )
    br01, br02 = model.hosts
    assert (br01.domain, br01.trusted_domains, br01.live_migration) == (
        "contoso.com",
        ("fabrikam.com",),
        False,
    )
    assert br01.migration_networks == ("10.0.50.0/24",) and br01.migration_authentication == "kerberos"
    assert br01.delegate_migration == ("BR02",) and br01.delegate_cifs == ("BR02",)
    assert (br01.max_migrations, br01.migration_transport, br01.max_downtime) == (4, "smb", 1.0)
    assert br01.migration_bandwidth == 1.25e9
    assert (br02.domain, br02.live_migration, br02.migration_networks) == (None, True, None)
    assert (br02.migration_authentication, br02.delegate_migration, br02.max_migrations) == (None, (), None)
    vm = app01(model)
    assert vm.possible_owners == (br01, br02)


def test_a_vms_disks_are_its_list_then_its_blocks() -> None:
    vm = app01(
        model_of(
            pair(
                vm="disks = ['\\\\fs01\\a.vhdx']\n    disk 'D:\\b.vhdx' { size = 2GiB }\n"
                "    disk 'E:\\c.vhdx' { }"
            )
        )
    )
    assert [(d.path, d.size) for d in vm_disks(vm)] == [
        ("\\\\fs01\\a.vhdx", None),
        ("D:\\b.vhdx", 2 * GiB),
        ("E:\\c.vhdx", None),
    ]
    assert vm.disks == ("\\\\fs01\\a.vhdx",)


@pytest.mark.parametrize(
    ("text", "code", "message"),
    [
        (
            pair(source="migration_authentication = kerberoz"),
            "HV004",
            "unknown value `kerberoz` for `migration_authentication`; did you mean `kerberos`? "
            "(expected one of credssp, kerberos)",
        ),
        (pair(source="live_migraton = false"), "HV004", "did you mean `live_migration`?"),
        (pair(source='migration_networks = ["10.0.50.0/33"]'), "HV004", "invalid subnet `10.0.50.0/33`"),
        (
            pair(source="delegate_cifs = [BR03]"),
            "HV002",
            "unknown host `BR03` in `delegate_cifs` of host BR01",
        ),
        (pair(vm="disk 'D:\\a.vhdx' { size = 60 }"), "HV004", "attribute `size` expects a size"),
        (pair(vm="disk 'D:\\a.vhdx' { sise = 60GiB }"), "HV004", "did you mean `size`?"),
        (pair(vm="dsk 'D:\\a.vhdx' { }"), "HV004", "unknown block `dsk` inside vm; did you mean `disk`?"),
        (pair(vm="disk { size = 1GiB }"), "HV004", "block `disk` needs a name"),
        (
            pair(vm="disks = ['D:\\VMs\\a.vhdx']\n    disk 'd:/vms/A.vhdx' { }"),
            "HV003",
            "disk `d:/vms/A.vhdx` is given twice in vm BR01/APP01 (first at line 12)",
        ),
        (
            pair(source="platform = ws2012  migration_transport = compression").replace(
                "platform = ws2022\n  processor", "processor", 1
            ),
            "HV004",
            "transport `compression` needs ws2012r2 or later; host BR01 is ws2012",
        ),
    ],
)
def test_bad_values_get_a_clear_message(text: str, code: str, message: str) -> None:
    found = [(f.code, f.message) for f in lint(text) if f.code in ("HV002", "HV003", "HV004")]
    assert len(found) == 1 and found[0][0] == code and message in found[0][1], found


def test_cluster_hosts_refuse_the_standalone_attributes_and_standalone_vms_their_hosts() -> None:
    text = """
cluster "C1" {
  platform = ws2019
  host "HV01" { processor = "intel-xeon-scalable"  memory = 64GiB  delegate_cifs = [HV01] }
}
host "BR01" {
  platform = ws2022
  processor = "intel-xeon-scalable"
  memory = 64GiB
  vm "APP01" { memory = 1GiB  possible_owners = [BR01, hv01] }
}
"""
    found = [(f.line, f.column, f.code, f.message) for f in lint(text) if f.code.startswith("HV00")]
    assert found == [
        (
            4,
            68,
            "HV004",
            "attribute `delegate_cifs` is for standalone hosts: inside a cluster, cluster C1's settings "
            "govern live migration",
        ),
        (
            10,
            56,
            "HV004",
            "host `hv01` in `possible_owners` of vm BR01/APP01 is inside cluster C1: a standalone VM's "
            "possible owners must be standalone hosts; moves between a cluster and a standalone host are not "
            "described in version 2",
        ),
    ]


def test_unc_paths_and_name_lists() -> None:
    assert is_unc("\\\\fs01\\vms") and is_unc("//fs01/vms") and not is_unc("D:\\VMs") and not is_unc("\\VMs")
    assert name_list(["b", "A"]) == "A and b" and name_list(["c"]) == "c"
    assert name_list(["e", "d", "c", "b", "a"]) == "a, b, c and 2 more"


# -- the rules' own documentation ----------------------------------------------------------------------


@pytest.mark.parametrize("rule", standalone_rules.hvlint_rules(), ids=lambda rule: rule.code)
def test_each_rule_documents_itself_with_examples_that_do_what_they_say(rule: Any) -> None:
    doc = inspect.cleandoc(rule.__doc__ or "")
    for heading in ("**What it checks.**", "**Why it matters.**", "**How to fix it.**", "**Example.**"):
        assert heading in doc, heading
    failing = doc.split("```hvc\n")[1].split("```", 1)[0]
    assert {f.code for f in lint(failing, select=[rule.code])} == {rule.code}
    passes_with = doc.split("passes", 1)[1]
    assert "`" in passes_with or "```hvc" in passes_with


@pytest.mark.parametrize(
    ("code", "fix"),
    [
        (
            "HV801",
            (
                'platform = ws2008r2  processor = "intel-xeon-5500"',
                'platform = ws2016  processor = "intel-xeon-5500"',
            ),
        ),
        ("HV802", ("live_migration = false", "live_migration = true")),
        ("HV803", ("migration_networks = []", 'migration_networks = ["10.0.50.0/24"]')),
        (
            "HV804",
            (
                'domain = "fabrikam.com"  trusted_domains = []',
                'domain = "fabrikam.com"  trusted_domains = ["contoso.com"]',
            ),
        ),
        (
            "HV805",
            (
                "migration_authentication = kerberos\n  vm",
                "migration_authentication = kerberos\n"
                "  delegate_migration = [BR02]  delegate_cifs = [BR02]\n  vm",
            ),
        ),
        ("HV806", ("migration_authentication = credssp", "migration_authentication = kerberos")),
    ],
)
def test_each_rules_passing_fix_silences_it(code: str, fix: tuple[str, str]) -> None:
    rule = next(rule for rule in standalone_rules.hvlint_rules() if rule.code == code)
    failing = inspect.cleandoc(rule.__doc__ or "").split("```hvc\n")[1].split("```", 1)[0]
    assert fix[0] in failing
    assert [f.code for f in lint(failing.replace(fix[0], fix[1], 1), select=[code])] == []


def test_the_estimator_docs_show_what_the_example_prints() -> None:
    docs = (ROOT / "docs" / "estimator.md").read_text(encoding="utf-8")
    document = load(EXAMPLE.read_bytes(), "standalone-pair.hvc")
    assert render_table(estimate_documents([document], make_config())) in docs.replace("```\n", "")


def test_hv201_judges_disk_blocks_at_their_label() -> None:
    text = """
cluster "C" {
  platform = ws2019
  storage "V1" { kind = csv  path = 'C:\\ClusterStorage\\Volume1' }
  host "HV01" { processor = "intel-xeon-scalable"  memory = 64GiB }
  host "HV02" { processor = "intel-xeon-scalable"  memory = 64GiB }
  vm "A" {
    host = HV01  memory = 1GiB
    disks = ['C:\\ClusterStorage\\Volume1\\a.vhdx']
    disk 'C:\\ClusterStorage\\Volume1\\b.vhdx' { size = 1GiB }
    disk 'E:\\VMs\\A\\c.vhdx' { size = 1GiB }
  }
}
"""
    found = [(f.line, f.column, f.code) for f in lint(text, select=["HV2"])]
    assert found == [(11, 10, "HV201")]


V1_FILES = sorted((DATA / "v1").rglob("*.hvc"))
"""Every fixture and example of version 1, as version 1 shipped them (tests/data/README.md)."""


@pytest.mark.parametrize("path", V1_FILES, ids=lambda path: path.relative_to(DATA / "v1").as_posix())
def test_version_1_files_mean_what_they_meant(path: Any) -> None:
    """language-v2.md §0: every new attribute takes its default, and no standalone VM can move."""
    model = load(path.read_bytes(), path.name).model
    for host in model.hosts:
        assert (host.domain, host.trusted_domains, host.live_migration) == (None, (), True)
        assert (host.migration_networks, host.migration_bandwidth, host.migration_authentication) == (
            None,
        ) * 3
        assert (host.delegate_migration, host.delegate_cifs, host.max_migrations) == ((), (), None)
        assert all(vm.possible_owners in ((host,), ()) for vm in host.vms)
    assert all(vm.disk_blocks == () for vm in model.all_vms())
    assert [vm.name for vm in model.all_vms() if vm.cluster is None and len(vm.possible_owners) > 1] == []


def test_findings_about_a_pair_of_hosts_name_the_pair() -> None:
    """rules-v2.md §F 13: a finding about a host pair has the object `hosts S -> D`."""
    text = pair(destination="migration_authentication = kerberos")
    objects = {(f.code, f.object) for f in lint(text, select=["HV805"])}
    assert objects == {("HV805", "hosts BR01 -> BR02"), ("HV805", "hosts BR02 -> BR01")}


def test_a_hosts_max_downtime_in_error_leaves_no_threshold() -> None:
    document = load(pair(source="max_downtime = 5").encode(), "pair.hvc")
    assert estimate_vm(app01(document.model), Parameters()).threshold is None


def test_hv401_leaves_a_standalone_vm_with_an_unknown_processor_alone() -> None:
    text = pair(vm="possible_owners = [BR01, BR02, BR09]").replace("possible_owners = [BR01, BR02]\n", "")
    processor = "processor { vendor = amd  features = [fpu, sse, bogus] }"
    text += f'host "BR09" {{ platform = ws2022  {processor}  memory = 8GiB }}\n'
    assert [f.code for f in lint(text, select=["HV401", "HV004"])] == ["HV004"]
    good = text.replace(", bogus", "")
    assert [f.code for f in lint(good, select=["HV401"])] == ["HV401"]


HV306_SHARE = (
    "max_migrations = 3 on host BR01: Microsoft recommends 2; the migrations share 10Gbps, 3.33Gbps each"
)


@pytest.mark.parametrize(
    ("source", "expected"),
    [("max_migrations = 3", [HV306_SHARE]), ("max_migrations = 2", []), ("max_migrations = 0", [])],
)
def test_hv306_on_a_standalone_host_judges_a_written_valid_value_above_the_recommendation(
    source: str, expected: list[str]
) -> None:
    found = lint(pair(source=source), select=["HV306"])
    assert [f.message for f in found if f.code == "HV306"] == expected
