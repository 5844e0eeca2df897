"""A VM with dynamic memory, imported and compared (docs/import.md): the import writes
`dynamic_memory = true` and the startup memory the inventory reports, and drift compares what stays put
(whether memory is dynamic, the startup memory), not the assigned memory, which moves by the minute."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from hvlint.cli import main
from hvlint.importer.command import import_inventory
from hvlint.language.document import load
from tests.conftest import FIXTURES
from tests.drift_support import drift_lint, inventory_of

GIB = 1 << 30
ESTATE = """\
cluster "HVC-PROD" {
  platform = ws2019

  network "LM" { roles = [live_migration] }

  storage "Volume1" { kind = csv; path = 'C:\\ClusterStorage\\Volume1' }

  host "HV01" { processor = "intel-xeon-scalable"; memory = 384GiB; switches = ["External"] }
  host "HV02" { processor = "intel-xeon-scalable"; memory = 384GiB; switches = ["External"] }

  vm "VDI01" {
    host           = "HV01"
    memory         = 12GiB
    dynamic_memory = true
    startup_memory = 8GiB
    adapters       = ["External"]
  }

  vm "SQL01" { host = "HV02"; memory = 32GiB; adapters = ["External"] }
}
"""


def _inventory(**vdi01: object) -> bytes:
    """The estate's inventory, VDI01's members replaced by `vdi01`."""
    document = json.loads(inventory_of(ESTATE))
    vm = next(vm for vm in document["vms"] if vm["name"] == "VDI01")
    vm.update(vdi01)
    return json.dumps(document).encode()


def _vm_lines(text: str, name: str) -> list[str]:
    block = text.split(f'vm "{name}" {{', 1)[1].split("\n  }", 1)[0]
    return [line.strip() for line in block.splitlines() if line.strip()]


def test_the_import_writes_dynamic_memory_and_the_startup_memory() -> None:
    imported = import_inventory(_inventory(memory_assigned_bytes=11 * GIB), "inventory.json")
    lines = _vm_lines(imported.text, "VDI01")
    assert "memory         = 11GiB" in lines
    assert "dynamic_memory = true" in lines and "startup_memory = 8GiB" in lines
    vm = next(vm for vm in load(imported.text, "out.hvc").model.all_vms() if vm.name == "VDI01")
    assert (vm.dynamic_memory, vm.startup_memory, vm.memory) == (True, 8 * GIB, 11 * GIB)
    assert not [line for line in _vm_lines(imported.text, "SQL01") if "dynamic" in line or "startup" in line]


def test_an_off_vm_with_dynamic_memory_holds_its_startup_memory() -> None:
    imported = import_inventory(_inventory(state="Off", memory_assigned_bytes=0), "inventory.json")
    lines = _vm_lines(imported.text, "VDI01")
    assert {"memory         = 8GiB", "dynamic_memory = true", "startup_memory = 8GiB"} <= set(lines)


def test_dynamic_memory_without_a_startup_memory_writes_the_switch_alone() -> None:
    imported = import_inventory(_inventory(memory_startup_bytes=None), "inventory.json")
    lines = _vm_lines(imported.text, "VDI01")
    assert "dynamic_memory = true" in lines and not [line for line in lines if "startup_memory" in line]


def test_the_worked_example_s_dynamic_vm_is_written_with_its_startup_memory() -> None:
    imported = import_inventory((FIXTURES / "import" / "example.json").read_bytes(), "inventory.json")
    lines = _vm_lines(imported.text, "WEB01")
    assert lines[0] == "# dynamic memory: startup 4GiB, minimum 512MiB, maximum 8GiB"
    assert {"memory           = 4GiB", "dynamic_memory   = true", "startup_memory   = 4GiB"} <= set(lines)


def _messages(inventory: bytes, described: str = ESTATE) -> list[tuple[int, int, str]]:
    return [(f.line, f.column, f.message) for f in drift_lint(inventory, described)]


@pytest.mark.parametrize("assigned", [8, 9, 12, 20])
def test_the_assigned_memory_of_a_dynamic_vm_is_never_drift(assigned: int) -> None:
    assert _messages(_inventory(memory_assigned_bytes=assigned * GIB)) == []


def _at(text: str, needle: str) -> tuple[int, int]:
    index = text.index(needle)
    return text.count("\n", 0, index) + 1, index - text.rfind("\n", 0, index)


def test_a_changed_startup_memory_is_drift_at_the_described_value() -> None:
    message = "startup_memory of vm VDI01 is 6GiB in the estate, 8GiB in the description"
    assert _messages(_inventory(memory_startup_bytes=6 * GIB)) == [(*_at(ESTATE, "8GiB"), message)]


def test_without_a_written_startup_memory_the_memory_stands_for_it() -> None:
    described = ESTATE.replace("    startup_memory = 8GiB\n", "").replace("= 12GiB", "= 8GiB")
    assert _messages(_inventory(memory_assigned_bytes=14 * GIB), described) == []
    message = "startup_memory of vm VDI01 is 6GiB in the estate, 8GiB in the description"
    assert _messages(_inventory(memory_startup_bytes=6 * GIB), described) == [
        (*_at(described, "8GiB"), message)
    ]


def test_dynamic_memory_switched_on_or_off_is_drift_and_the_memory_is_then_left_alone() -> None:
    on = "dynamic_memory of vm SQL01 is true in the estate, false in the description"
    document = json.loads(_inventory())
    sql01 = next(vm for vm in document["vms"] if vm["name"] == "SQL01")
    sql01.update(dynamic_memory=True, memory_assigned_bytes=30 * GIB)
    assert _messages(json.dumps(document).encode()) == [(*_at(ESTATE, 'vm "SQL01"'), on)]
    off = "dynamic_memory of vm VDI01 is false in the estate, true in the description"
    assert _messages(_inventory(dynamic_memory=False, memory_assigned_bytes=8 * GIB)) == [
        (*_at(ESTATE, "true"), off)
    ]


def test_an_untold_dynamic_memory_is_not_compared() -> None:
    assert _messages(_inventory(dynamic_memory=None, memory_assigned_bytes=20 * GIB)) == []


def test_import_then_drift_a_day_later_reports_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The issue's case: the description imported yesterday, the inventory collected today, the dynamic
    VM's assigned memory having moved in between."""
    monkeypatch.chdir(tmp_path)
    shutil.copy(FIXTURES / "import" / "example.json", "yesterday.json")
    assert main(["import", "yesterday.json", "-o", "prod.hvc", "--quiet"]) == 0
    today = json.loads(Path("yesterday.json").read_text(encoding="utf-8"))
    web01 = next(vm for vm in today["vms"] if vm["name"] == "WEB01")
    web01.update(state="Running", memory_assigned_bytes=6 * GIB)
    Path("today.json").write_text(json.dumps(today), encoding="utf-8")
    capsys.readouterr()
    status = main(["drift", "today.json", "prod.hvc", "--select", "HV903"])
    out = capsys.readouterr().out
    assert "memory" not in out
    assert "state of vm WEB01 is running in the estate, off in the description" in out and status == 1
