"""rules-v2.md §B, the rows about moves between standalone hosts (with §F 2 and the interactions HV802 and
HV506 state): one case per row, each asserting what is reported and what stays silent."""

from __future__ import annotations

import pytest

from tests.conftest import lint


def host(name: str, platform: str = "ws2022", extra: str = "", vms: str = "") -> str:
    """A standalone host block."""
    return (
        f'host "{name}" {{\n  platform = {platform}\n  processor = "intel-xeon-scalable"\n  memory = 256GiB\n'
        f"  {extra}\n{vms}}}\n"
    )


APP01 = '  vm "APP01" { memory = 8GiB  dirty_rate = 20MB/s  possible_owners = [BR01, BR02] }\n'
APP01_DISK = (
    '  vm "APP01" { memory = 8GiB  dirty_rate = 20MB/s  possible_owners = [BR01, BR02]\n'
    "    disk 'D:\\VMs\\APP01\\os.vhdx' { size = 60GiB } }\n"
)
APP01_UNSIZED = (
    APP01_DISK.replace(" { size = 60GiB }", "").replace("disk '", "disks = ['").replace("vhdx'", "vhdx']")
)
RESTRICTIVE = (
    "live_migration = false  migration_networks = []  domain = workgroup  migration_authentication = kerberos"
)

ROWS = [
    pytest.param(
        host("BR01", "ws2008r2", vms=APP01) + host("BR02"),
        {"HV104"},
        ("HV4", "HV5", "HV6", "HV7", "HV8"),
        id="movable standalone VM on a ws2008r2 host: HV104 alone",
    ),
    pytest.param(
        host("BR01", vms=APP01) + host("BR02", "ws2008r2", RESTRICTIVE),
        {"HV801"},
        ("HV802", "HV803", "HV804", "HV805", "HV806", "HV5"),
        id="owner on ws2008r2: HV801, other HV8 rules silent for pairs with that host",
    ),
    pytest.param(
        host("BR01", "ws2025", vms=APP01_DISK) + host("BR02", extra="migration_authentication = kerberos"),
        {"HV805"},
        ("HV806",),
        id="no delegation, ws2025 source, destination on kerberos: HV805",
    ),
    pytest.param(
        host("BR01", "ws2025", vms=APP01_DISK) + host("BR02", extra="migration_authentication = credssp"),
        {"HV806"},
        ("HV805",),
        id="no delegation, ws2025 source, destination on credssp: HV806",
    ),
    pytest.param(
        host("BR01", vms=APP01) + host("BR02", extra="live_migration = false"),
        {"HV802"},
        ("HV501", "HV502", "HV503", "HV505"),
        id="HV802: pairs with the host are left out of estimates",
    ),
    pytest.param(
        host("BR01", vms=APP01_UNSIZED) + host("BR02"),
        {"HV503", "HV506"},
        (),
        id="HV506: a lower bound that exceeds max_migration_time is still HV503",
    ),
]


@pytest.mark.parametrize(("text", "reported", "silent"), ROWS)
def test_which_rule_wins(text: str, reported: set[str], silent: tuple[str, ...]) -> None:
    settings = {"estimator": {"max_migration_time": "1s"}} if "HV503" in reported else None
    codes = {finding.code for finding in lint(text, settings=settings)} - {"HV109"}
    assert reported <= codes, codes
    assert not {code for code in codes - reported if silent and code.startswith(silent)}, codes
    assert not {code for code in codes if code.startswith(("HV8", "HV5"))} - reported, codes
