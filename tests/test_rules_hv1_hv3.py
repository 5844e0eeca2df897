"""HV1xx (clustering and platform), HV2xx (shared storage) and HV3xx (networks): what the fixtures under
fixtures/clustering, fixtures/storage and fixtures/networks cannot express: the shared examples, settings,
silence after HV002/HV004, suppressions, path matching and linear cost on a large file."""

from __future__ import annotations

import importlib
import re
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hvlint.config import ConfigError, rule_settings
from hvlint.explain import explanation
from hvlint.language.document import load
from hvlint.language.paths import containing
from hvlint.plugins import load_plugins
from hvlint.rule import Context
from tests.conftest import FIXTURES, SHARED, brief, lint, make_config

CODES = (
    [f"HV10{n}" for n in (1, 2, 3, 4, 5, 9)]
    + [f"HV20{n}" for n in range(1, 4)]
    + [f"HV30{n}" for n in (1, 2, 3, 4, 5, 7)]
)
FAMILIES = ["HV1", "HV2", "HV3"]
HOST = '{ processor = "amd-opteron-2300"; memory = 64GiB }'


def ours(findings: Any) -> list[Any]:
    """The findings of the HV1xx-HV3xx rules."""
    return [f for f in findings if f.code[:3] in FAMILIES]


def cluster(body: str, *, platform: str = "ws2008r2", failover: bool = True, hosts: int = 2) -> str:
    """A cluster with a dedicated 10Gbps live-migration network, a CSV, `hosts` plain hosts and `body`."""
    lines = [
        'cluster "C" {',
        f"  platform = {platform}",
        f"  failover_clustering = {'true' if failover else 'false'}",
        '  network "LM" { roles = [live_migration]; bandwidth = 10Gbps }',
        "  storage \"Volume1\" { kind = csv; path = 'C:\\ClusterStorage\\Volume1' }",
        *(f'  host "H{n}" {HOST}' for n in range(1, hosts + 1)),
        body,
        "}",
    ]
    return "\n".join(lines) + "\n"


# -- the shared examples -------------------------------------------------------------------------------------


def test_needs_work_example() -> None:
    findings = lint((SHARED / "examples" / "needs-work.hvc").read_bytes(), select=FAMILIES)
    assert brief(findings) == [(8, 34, "HV302"), (20, 19, "HV203"), (21, 19, "HV305")]
    hv302, hv203, hv305 = findings
    assert hv302.severity == "warning" and "management and client" in hv302.message
    assert hv203.severity == "error" and "D:\\iso\\tools.iso" in hv203.message
    assert hv305.severity == "error"
    assert "`Test`" in hv305.message and "LAB01" in hv305.message and "33012" in hv305.message
    assert "LAB02" not in hv305.message


def test_seed_cluster_example_gets_none_of_these_codes() -> None:
    findings = lint((SHARED / "examples" / "seed-cluster.hvc").read_bytes())
    assert ours(findings) == []


# -- settings and severities ---------------------------------------------------------------------------------


def test_min_bandwidth_setting_raises_the_bar() -> None:
    text = (SHARED / "examples" / "needs-work.hvc").read_bytes()
    assert brief(lint(text, select=["HV304"])) == []
    findings = lint(text, select=["HV304"], settings={"rules": {"HV304": {"min_bandwidth": "10Gbps"}}})
    assert brief(findings) == [(8, 84, "HV304")]
    assert findings[0].severity == "error"
    assert "1Gbps, below the minimum of 10Gbps" in findings[0].message


def test_min_bandwidth_accepts_a_byte_rate() -> None:
    text = cluster("").replace("bandwidth = 10Gbps", "bandwidth = 900Mbps")
    assert brief(lint(text, select=["HV304"])) == [(4, 56, "HV304")]
    relaxed = {"rules": {"HV304": {"min_bandwidth": "100MB/s"}}}  # 800Mbps
    assert lint(text, select=["HV304"], settings=relaxed) == []


def test_min_bandwidth_of_another_kind_is_a_configuration_error() -> None:
    with pytest.raises(ConfigError):
        lint(cluster(""), select=["HV304"], settings={"rules": {"HV304": {"min_bandwidth": "10GiB"}}})


def test_configured_severity_overrides_the_platform_dependent_one() -> None:
    text = cluster('  vm "V" { host = H1; memory = 1GiB }', platform="ws2016", failover=False)
    assert [f.severity for f in lint(text, select=["HV101"])] == ["warning"]
    findings = lint(text, select=["HV101"], settings={"severity": {"HV101": "error"}})
    assert [f.severity for f in findings] == ["error"]


@pytest.mark.parametrize(
    ("platform", "severity"), [("ws2008r2", "error"), ("ws2012", "warning"), ("ws2025", "warning")]
)
def test_hv103_severity_depends_on_the_platform(platform: str, severity: str) -> None:
    text = cluster('  vm "V" { host = H1; memory = 1GiB; highly_available = false }', platform=platform)
    assert [(f.code, f.severity) for f in lint(text, select=["HV103"])] == [("HV103", severity)]


# -- scope: standalone hosts, clusters without hosts ---------------------------------------------------------


def test_standalone_host_vms_get_hv104_alone() -> None:
    text = """
host "LONE" {
  platform  = ws2008r2
  processor = "amd-opteron-2300"
  memory    = 64GiB
  switches  = ["External"]
  vm "V" {
    memory           = 4GiB
    highly_available = false
    config_version   = 99.0
    disks            = ['D:\\VMs\\V\\os.vhdx']
    dvd              = ['D:\\iso\\tools.iso']
    config_path      = 'D:\\VMs\\V'
    adapters         = ["Missing"]
  }
}
"""
    assert brief(ours(lint(text))) == [(2, 1, "HV104")]
    assert ours(lint(text.replace("platform  = ws2008r2", "platform  = ws2012"))) == []
    assert brief(ours(lint(text.replace("platform  = ws2008r2", "")))) == [(2, 1, "HV104"), (2, 1, "HV109")]


def test_cluster_without_hosts() -> None:
    text = 'cluster "EMPTY" {\n  failover_clustering = true\n  vm "V" { host = NOWHERE; memory = 1GiB }\n}\n'
    findings = lint(text, select=["HV102"])
    assert brief(findings) == [(1, 1, "HV102"), (3, 19, "HV002")]
    hv102 = next(f for f in findings if f.code == "HV102")
    assert "has no host for its 1 VM" in hv102.message


def test_vm_declared_inside_a_clustered_host_is_judged() -> None:
    body = """  host "H3" {
    processor = "amd-opteron-2300"
    memory    = 64GiB
    vm "V" { memory = 1GiB; dvd = ['D:\\iso\\x.iso']; adapters = ["Nowhere"] }
  }"""
    assert sorted(f.code for f in ours(lint(cluster(body)))) == ["HV203", "HV305"]


# -- no finding that follows from a value in error (HV002, HV004) --------------------------------------------


def vm(attributes: str = "") -> str:
    """A VM V on host H1 with more attributes."""
    return f'  vm "V" {{ host = H1; memory = 1GiB; {attributes} }}'


def host(attributes: str) -> str:
    """A host H9 with more attributes."""
    return f'  host "H9" {{ processor = "amd-opteron-2300"; memory = 1GiB; {attributes} }}'


def storage(attributes: str) -> str:
    """A storage D with those attributes, and a VM with a disk on it."""
    return f'  storage "D" {{ {attributes} }}\n' + vm(r"disks = ['D:\x.vhdx']")


SMB_D = "  storage \"D\" { kind = smb; path = 'D:\\'; hosts = [H1] }\n"  # reached by H1 only
LONE = 'host "L" {{ processor = "amd-opteron-2300"; memory = 1GiB; {}\n  vm "V" {{ memory = 1GiB }} }}\n'


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (cluster(vm()).replace("failover_clustering = true", "failover_clustering = 1"), "HV101"),
        (cluster(vm("highly_available = maybe")), "HV103"),
        (LONE.format("platform = ws2099"), "HV104"),
        (cluster(vm('config_version = "9.0"'), platform="ws2016"), "HV105"),
        (cluster(vm("config_version = 9.0")).replace("ws2008r2", "ws2017"), "HV105"),
        (cluster(vm(r"disks = ['D:\x.vhdx', ['E:\y.vhdx']]")), "HV201"),
        (cluster(storage("kind = csv; path = 12")), "HV201"),
        (cluster(storage(r"kind = nfs; path = 'D:\'")), "HV201"),
        (cluster(storage(r"kind = nfs; path = 'D:\'; hosts = [H1]")), "HV202"),
        (cluster(storage(r"kind = smb; path = 'D:\'; hosts = [H1, H9]")), "HV202"),
        (
            cluster(SMB_D + vm(r"possible_owners = [H1, H2, H9]; disks = ['D:\x.vhdx']")),
            "HV202",
        ),
        (cluster(SMB_D + vm(r"possible_owners = [H2]; disks = ['D:\x.vhdx']")), "HV202"),
        (cluster(SMB_D + vm(r"possible_owners = [H1, H2, H9]; dvd = ['D:\x.iso']")), "HV203"),
        (cluster(vm(r"dvd = ['D:\x.iso', 12]")), "HV203"),
        (cluster(vm()).replace("roles = [live_migration]", "roles = [live_migraton]"), "HV301"),
        (cluster("").replace("roles = [live_migration]", "roles = [live_migration, managment]"), "HV302"),
        (cluster('  network "X" { roles = [live_migraton] }\n' + host("networks = [X]")), "HV303"),
        (cluster(host("networks = [LM2]")), "HV303"),
        (cluster(vm('possible_owners = [H1, H9]; adapters = ["E"]')), "HV305"),
        (cluster(vm('adapters = ["E", ["F"]]')), "HV305"),
    ],
)
def test_silent_about_what_follows_from_a_value_in_error(text: str, code: str) -> None:
    findings = lint(text, select=[code])
    assert any(f.code in ("HV002", "HV004") for f in findings), "the case must contain a value in error"
    assert [f for f in findings if f.code == code] == []


def test_hv304_silent_about_a_bandwidth_in_error() -> None:
    text = cluster("").replace("bandwidth = 10Gbps", "bandwidth = 10GB")
    findings = lint(text, select=["HV304"], settings={"rules": {"HV304": {"min_bandwidth": "10Gbps"}}})
    assert [f.code for f in findings] == ["HV004"]


def test_hv305_never_says_a_host_with_switches_in_error_lacks_one() -> None:
    body = host('switches = [["E"]]') + "\n" + vm('adapters = ["E"]')
    findings = lint(cluster(body), select=["HV305"])
    assert [f.code for f in findings] == ["HV004", "HV305"]
    assert "hosts H1 and H2 lack" in findings[1].message and "H9" not in findings[1].message


def test_a_valid_owner_list_still_names_only_the_owners_lacking() -> None:
    body = '  host "H3" { processor = "amd-opteron-2300"; memory = 1GiB; switches = ["E"] }\n'
    body += '  vm "V" { host = H3; memory = 1GiB; possible_owners = [H3, h1]; adapters = ["e"] }'
    findings = lint(cluster(body), select=["HV305"])
    assert len(findings) == 1
    assert "host H1 lacks" in findings[0].message and "H2" not in findings[0].message


# -- paths ---------------------------------------------------------------------------------------------------


STORAGE = [
    ("C:\\ClusterStorage\\Volume1", "v1"),
    ("c:/clusterstorage/volume10/", "v10"),
    ("C:\\ClusterStorage", "root"),
    ("\\\\fs01\\vms", "share"),
    ("C:\\ClusterStorage\\Volume1\\Local", "nested"),
    ("D:\\", "d"),
]


def _placement(roots: list[tuple[str, str]]) -> Any:
    """HV2xx's path index over storage with those roots (hvlint.rules is the `rules` directory, installed)."""
    placement = importlib.import_module("hvlint.rules.storage")._Placement
    storage = [
        SimpleNamespace(path=path, name=name, kind="csv", valid=lambda *_: True) for path, name in roots
    ]
    return placement(SimpleNamespace(storage=storage, hosts=()))


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("C:\\ClusterStorage\\Volume1\\vm\\os.vhdx", "v1"),
        ("C:\\ClusterStorage\\Volume10\\vm\\os.vhdx", "v10"),
        ("C:\\ClusterStorage\\Volume100\\vm\\os.vhdx", "root"),
        ("c:/CLUSTERSTORAGE/volume1/", "v1"),
        ("C:\\ClusterStorage\\Volume1\\Local\\x.vhdx", "nested"),
        ("C:\\ClusterStorage\\Volume1\\Locals\\x.vhdx", "v1"),
        ("//FS01/VMs/a.vhdx", "share"),
        ("\\\\fs01\\vmsx\\a.vhdx", None),
        ("D:/iso/x.iso", "d"),
        ("E:\\x", None),
    ],
)
def test_path_lies_on_the_longest_matching_storage(path: str, expected: str | None) -> None:
    found = _placement(STORAGE).storage_of(path)
    assert (found.name if found is not None else None) == expected


@given(
    roots=st.lists(st.text(alphabet="aB\\/:1", max_size=8), max_size=6),
    path=st.text(alphabet="aB\\/:1", max_size=12),
)
def test_placement_agrees_with_the_language_path_rules(roots: list[str], path: str) -> None:
    named = [(root, f"s{index}") for index, root in enumerate(roots)]
    found = _placement(named).storage_of(path)
    assert (found.name if found is not None else None) == containing(path, named)


# -- suppressions, documentation and messages ----------------------------------------------------------------


def test_suppression_on_the_adapters_line() -> None:
    text = (SHARED / "examples" / "needs-work.hvc").read_text(encoding="utf-8")
    text = text.replace('adapters   = ["Test"]  ', 'adapters   = ["Test"]  # hvlint: disable=HV305 ')
    assert [f.code for f in lint(text, select=["HV305", "HV005"])] == []


@pytest.mark.parametrize("code", CODES)
def test_explanation(code: str) -> None:
    info = load_plugins().rules[code]
    text = explanation(info)
    assert info.rule.name and info.rule.summary[0].islower()
    assert "```hvc" in text and "passes" in text
    for heading in ("**Why it matters.**", "**How to fix it.**", "**Example.**"):
        assert heading in text, heading
    if code in ("HV101", "HV103"):
        assert "error on ws2008r2, else warning" in text


def test_messages_are_one_line_lower_case_without_a_full_stop() -> None:
    cases = [
        case for family in ("clustering", "storage", "networks") for case in (FIXTURES / family).glob("*.hvc")
    ]
    messages = [f.message for case in cases for f in ours(lint(case.read_bytes()))]
    assert len(messages) > 30
    for message in messages:
        assert "\n" not in message and message[0].islower() and not message.endswith("."), message
        assert not re.search(r"\b(None|nan)\b", message), message


# -- cost ----------------------------------------------------------------------------------------------------


def _large_file(hosts: int, vms: int) -> str:
    lines = [
        'cluster "BIG" {',
        "  platform = ws2016",
        '  network "LM" { roles = [live_migration]; bandwidth = 10Gbps }',
        "  storage \"Volume1\" { kind = csv; path = 'C:\\ClusterStorage\\Volume1'; hosts = [HV00, HV01] }",
        "  storage \"Library\" { kind = smb; path = '\\\\fs01\\library' }",
    ]
    for h in range(hosts):
        switches = '"External", "Backup"' if h else '"External"'
        lines.append(
            f'  host "HV{h:02}" {{ processor = "amd-opteron-2300"; memory = 1TiB; switches = [{switches}] }}'
        )
    for v in range(vms):
        lines.append(
            f'  vm "VM{v:05}" {{ host = HV{v % 2:02}; memory = 4GiB; config_version = 8.0; '
            f"disks = ['C:\\ClusterStorage\\Volume1\\VM{v:05}\\os.vhdx', 'D:\\VM{v:05}\\data.vhdx']; "
            f"dvd = ['\\\\fs01\\library\\iso\\tools.iso']; "
            f"config_path = 'C:\\ClusterStorage\\Volume1\\VM{v:05}'; "
            f'adapters = ["External", "backup"] }}'
        )
    lines.append("}")
    return "\n".join(lines) + "\n"


def test_rules_report_every_vm_of_a_large_file() -> None:
    """3,000 VMs on 64 hosts, every VM with findings naming many hosts: each VM is reported once per
    problem (speed is measured in benchmarks/run.py, and linearity by the counter tests of test_scaling)."""
    document = load(_large_file(64, 3000), "big.hvc")
    assert not document.problems
    config = make_config()
    registry = load_plugins()
    counts = {}
    for code in CODES:
        info = registry.rules[code]
        ctx = Context(document.model, None, config, rule_settings(config, code, info.rule.settings))
        counts[code] = len(list(info.rule().check(ctx)))
    assert counts["HV201"] == 3000 and counts["HV202"] == 6000 and counts["HV305"] == 3000


# -- issue 11: where version 1 disagreed with Hyper-V, and HV109 --------------------------------------------


def test_hv109_is_silent_about_a_platform_in_error_and_hosts_inside_a_cluster() -> None:
    text = cluster("", platform="ws2030")
    assert [f.code for f in lint(text) if f.code == "HV109"] == []
    assert "HV109" not in {f.code for f in lint(cluster(""))}  # the hosts H1, H2 give no platform


def test_hv307_is_silent_when_the_platform_or_max_migrations_is_in_error() -> None:
    body = "  max_migrations = 4"
    assert [f.code for f in lint(cluster(body), select=["HV307"])] == ["HV307"]
    assert ours(lint(cluster(body, platform="ws2030"), select=["HV307"])) == []
    assert ours(lint(cluster("  max_migrations = many"), select=["HV307"])) == []


def test_hv201_on_smb_before_ws2012_only_when_the_platform_is_known() -> None:
    share = "  storage \"Share\" { kind = smb; path = '\\\\fs01\\vms' }"
    vm = "  vm \"V\" { host = H1; memory = 1GiB; disks = ['\\\\fs01\\vms\\V\\os.vhdx'] }"
    findings = lint(cluster(f"{share}\n{vm}"), select=["HV2"])
    assert [(f.code, "from ws2012 on" in f.message) for f in findings] == [("HV201", True)]
    assert lint(cluster(f"{share}\n{vm}", platform="ws2012"), select=["HV2"]) == []
    assert ours(lint(cluster(f"{share}\n{vm}", platform="ws2030"), select=["HV2"])) == []


def test_hv302_storage_beside_live_migration_depends_on_the_transport() -> None:
    def storage_network(transport: str) -> str:
        return cluster(
            f"  migration_transport = {transport}\n"
            '  network "SMB" { roles = [live_migration, storage]; bandwidth = 25Gbps }',
            platform="ws2016",
        )

    assert lint(storage_network("smb"), select=["HV302"]) == []
    (tcp,) = lint(storage_network("tcp"), select=["HV302"])
    assert tcp.message.endswith("or set migration_transport = smb to migrate over the storage network")
    # a transport in error is HV002's: HV302 does not report what follows from it
    assert ours(lint(storage_network("carrier-pigeon"), select=["HV302"])) == []


def test_hv305_did_you_mean_only_for_a_switch_no_host_has() -> None:
    hosts = (
        '  host "A" { processor = "amd-opteron-2300"; memory = 64GiB; switches = ["Prod"] }\n'
        '  host "B" { processor = "amd-opteron-2300"; memory = 64GiB; switches = ["Prdo"] }\n'
    )
    text = cluster(
        f'{hosts}  vm "V" {{ host = A; memory = 1GiB; possible_owners = [A, B]; adapters = ["Prdo"] }}'
    )
    (finding,) = lint(text, select=["HV305"])
    assert "did you mean" not in finding.message
    assert finding.message.endswith("create the switch on A (the VM's own host)")
    far = text.replace('adapters = ["Prdo"]', 'adapters = ["Storage"]')
    (finding,) = lint(far, select=["HV305"])
    assert "did you mean" not in finding.message and "remove" not in finding.message.split(";")[-1][:30]


def test_a_disk_storage_is_the_root_of_no_path() -> None:
    """A `disk` storage has no path and takes part in no path matching (language-v2 §3): a UNC path is on
    no storage, not on the disk's empty root."""
    vm = "  vm \"V\" { host = H1; memory = 4GiB; disks = ['\\\\fs09\\vms\\V\\os.vhdx'] }"
    findings = lint(cluster('  storage "Q" { kind = disk }\n' + vm, platform="ws2019"), select=["HV201"])
    assert [f.code for f in findings] == ["HV201"]
    assert "lies on no storage declared in cluster C" in findings[0].message
