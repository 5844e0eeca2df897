"""What the drift tests share: `hvlint drift`'s findings for texts held in memory, and the inverse of the
importer's mapping (a model written back as the inventory document that imports to it)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from hvlint.drift import DIFFERENCES
from hvlint.drift.command import import_estate
from hvlint.drift.compare import compare
from hvlint.engine import Linter
from hvlint.findings import Finding
from hvlint.language.document import load
from hvlint.language.model import VM, Cluster, Host, Model, Processor
from hvlint.plugins import load_plugins
from tests.conftest import make_config


def drift_lint(
    inventory: bytes,
    text: str | bytes,
    select: Sequence[str] | None = None,
    settings: Mapping[str, Any] | None = None,
    path: str = "test.hvc",
) -> list[Finding]:
    """The findings `hvlint drift` gives for one described file against an inventory's bytes."""
    config = make_config(settings, select)
    linter = Linter(load_plugins(config.plugins), config, command="drift")
    document = load(text, path)
    estate = import_estate(inventory, "inventory.json")
    found = compare(estate.model, [document.model], estate.untold)
    return linter.check(document, None, {DIFFERENCES: found.get(path, {})}).findings


BUILDS = {
    "ws2008r2": 7601,
    "ws2012": 9200,
    "ws2012r2": 9600,
    "ws2016": 14393,
    "ws2019": 17763,
    "ws2022": 20348,
    "ws2025": 26100,
}
MANUFACTURERS = {"intel": "GenuineIntel", "amd": "AuthenticAMD"}
CAPTION_VENDORS = {"intel": "Intel64", "amd": "AMD64"}
VM_STATES = {"running": "Running", "off": "Off", "saved": "Saved", "paused": "Paused"}
MODES = {"minimum": "MinimumFeatureSet", "cluster": "CommonClusterFeatureSet"}
STEPPING = 4
"""The stepping a processor is exported with: `intel-xeon-scalable` is family 6, model 85, stepping 0-4."""


def export_inventory(model: Model) -> dict[str, Any]:
    """The inventory document (import.md §3) of the estate `model` describes: what the collector would
    write for it, so that importing it gives a description of the same estate."""
    ids = _Ids()
    return {
        "schema": "hvlint-inventory/1",
        "collector": {"name": "Export-HvlintInventory.ps1", "version": "0.4.0"},
        "collected_at": "2025-01-31T14:05:09Z",
        "collected_on": None,
        "powershell_version": "5.1.17763.6414",
        "clusters": [_cluster(cluster, ids) for cluster in model.clusters],
        "hosts": [_host(host) for host in model.all_hosts()],
        "vms": [_vm(vm, ids) for vm in model.all_vms()],
        "errors": [],
    }


class _Ids:
    """A GUID per object, the same each time it is asked for."""

    def __init__(self) -> None:
        self.known: dict[int, str] = {}

    def of(self, node: object) -> str:
        number = self.known.setdefault(id(node), len(self.known) + 1)
        return f"00000000-0000-4000-8000-{number:012x}"


def _cluster(cluster: Cluster, ids: _Ids) -> dict[str, Any]:
    return {
        "name": cluster.name,
        "nodes": [{"name": host.name, "state": "Up"} for host in cluster.hosts],
        "networks": [
            {"name": n.name, "id": ids.of(n), "role": "ClusterAndClient" if n.roles else "None"}
            for n in cluster.networks
        ],
        "network_interfaces": [
            {"node": host.name, "network": network.name, "adapter": None, "address": None}
            for host in cluster.hosts
            for network in host.networks
        ],
        "migration_exclude_networks": [],
        "shared_volumes": [
            {"name": s.name, "owner_node": None, "paths": [s.path]}
            for s in cluster.storage
            if s.kind == "csv"
        ],
        "vm_groups": [
            {
                "name": vm.name,
                "vm_id": ids.of(vm),
                "owner_node": vm.host.name if vm.host else None,
                "possible_owners": [host.name for host in vm.possible_owners],
            }
            for vm in cluster.vms
            if vm.highly_available
        ],
    }


def _host(host: Host) -> dict[str, Any]:
    return {
        "name": host.name,
        "cluster": host.cluster.name if host.cluster else None,
        "os": {"build": BUILDS[host.platform]},
        "installed_memory_bytes": round(host.memory),
        "processors": [_processor(host.processor)] if host.processor else [],
        "switches": [{"name": name, "type": "External"} for name in host.switches],
    }


def _processor(processor: Processor) -> dict[str, Any]:
    """A socket with the processor's CPUID signature, when it has one (import.md §6.4.2, inverted)."""
    found: dict[str, Any] = {"manufacturer": MANUFACTURERS[processor.vendor], "name": processor.name}
    family, model = processor.family, processor.model
    if family is not None and model is not None:
        base, extended = (family, 0) if family < 0xF else (0xF, family - 0xF)
        eax = STEPPING | (model & 0xF) << 4 | base << 8 | extended << 20
        if base in (6, 0xF):
            eax |= (model >> 4) << 16
        found["processor_id"] = f"BFEBFBFF{eax:08X}"
        found["caption"] = (
            f"{CAPTION_VENDORS[processor.vendor]} Family {family} Model {model} Stepping {STEPPING}"
        )
    return found


def _vm(vm: VM, ids: _Ids) -> dict[str, Any]:
    memory = round(vm.memory)
    startup = round(vm.startup_memory) if vm.startup_memory is not None else memory
    paths = vm.config_path
    return {
        "name": vm.name,
        "id": ids.of(vm),
        "host": vm.host.name if vm.host else None,
        "state": VM_STATES[vm.state],
        "memory_startup_bytes": startup,
        "memory_assigned_bytes": 0 if vm.state == "off" else memory,
        "dynamic_memory": vm.dynamic_memory,
        "compatibility_for_migration_enabled": vm.compatibility_mode != "off",
        "compatibility_for_migration_mode": MODES.get(vm.compatibility_mode),
        "configuration_version": str(vm.config_version) if vm.config_version is not None else None,
        "is_clustered": vm.highly_available,
        "paths": {"configuration": paths, "snapshots": paths, "smart_paging": paths} if paths else None,
        "disks": [
            {"path": path, "controller_type": "SCSI", "controller_number": 0, "controller_location": index}
            for index, path in enumerate([*vm.disks, *(disk.path for disk in vm.disk_blocks)])
        ],
        "dvd_drives": [
            {
                "path": path,
                "media_type": "ISO",
                "controller_type": "SCSI",
                "controller_number": 1,
                "controller_location": index,
            }
            for index, path in enumerate(vm.dvd)
        ],
        "network_adapters": [
            {"name": "Network Adapter", "switch_name": name, "connected": True} for name in vm.adapters
        ],
    }


def inventory_of(text: str) -> bytes:
    """The inventory document of the estate a `.hvc` text describes, as the bytes of a file."""
    import json

    return json.dumps(export_inventory(load(text, "estate.hvc").model)).encode("utf-8")
