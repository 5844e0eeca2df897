"""Which rules rule out moving a VM from its host to a destination (estimator-v2.md §4, "Only moves that
`check` allows"): the conditions of HV201/HV202/HV203 (storage), HV305 (switches), HV401/HV402/HV405
(processors) and HV601 (the move need), each evaluated for one move, whatever the findings' suppressions.

HV106 and HV704/HV706/HV707 judge attributes this version of the language does not have yet; they rule
nothing out here.
"""

from __future__ import annotations

from collections.abc import Callable

from hvlint.capacity import memory_for_vms, memory_known, move_need
from hvlint.language.catalogue import BASELINES, catalogue, guest_features
from hvlint.language.model import VM, Cluster, Host, Storage, platform_at_least
from hvlint.language.paths import containing

Enabled = Callable[[str], bool]
"""Whether a rule code is enabled (by `select` and `ignore`)."""


def every_rule(code: str) -> bool:
    """Every rule is enabled."""
    return True


class MoveBlockers:
    """The codes that rule out each move, for the VMs of one model; facts shared between VMs are computed
    once (a host's guest features, a cluster's common features, each path's storage)."""

    def __init__(self, enabled: Enabled = every_rule) -> None:
        self.enabled = enabled
        self._features: dict[Host, frozenset[str] | None] = {}
        self._common: dict[Cluster, frozenset[str]] = {}
        self._storage: dict[tuple[Cluster, str], Storage | None] = {}

    def codes(self, vm: VM, destination: Host) -> tuple[str, ...]:
        """The enabled rules whose conditions hold for moving `vm` from its host to `destination`, sorted."""
        source = vm.host
        found: set[str] = set()
        if source is not None:
            found.update(self._processor_codes(vm, source, destination))
        found.update(self._storage_codes(vm, destination))
        if self._lacks_switch(vm, destination):
            found.add("HV305")
        if memory_known(destination) and move_need(vm) > memory_for_vms(destination):
            found.add("HV601")
        return tuple(sorted(code for code in found if self.enabled(code)))

    @staticmethod
    def _lacks_switch(vm: VM, destination: Host) -> bool:
        if not vm.valid("adapters") or not destination.valid("switches"):
            return False
        return any(not destination.has_switch(switch) for switch in vm.adapters)

    # -- processors ------------------------------------------------------------------------------------

    def features(self, host: Host) -> frozenset[str] | None:
        """What the host's processor offers a guest; None when the processor is unknown or in error."""
        if host not in self._features:
            processor = host.processor
            usable = (
                processor is not None
                and host.valid("processor")
                and processor.valid("vendor", "features")
                and processor.vendor in BASELINES
            )
            self._features[host] = guest_features(processor) if usable and processor else None
        return self._features[host]

    def _common_features(self, cluster: Cluster) -> frozenset[str]:
        if cluster not in self._common:
            sets = [found for host in cluster.hosts if (found := self.features(host)) is not None]
            self._common[cluster] = frozenset.intersection(*sets) if sets else frozenset()
        return self._common[cluster]

    def _processor_codes(self, vm: VM, source: Host, destination: Host) -> set[str]:
        theirs, ours = self.features(destination), self.features(source)
        if theirs is None or ours is None or not vm.valid("compatibility_mode"):
            return set()
        assert source.processor is not None and destination.processor is not None
        vendor = source.processor.vendor
        if vendor != destination.processor.vendor:
            return {"HV401"}
        mode = vm.compatibility_mode
        if mode == "cluster" and vm.cluster is not None:
            seen = self._common_features(vm.cluster)
        elif mode == "minimum":
            seen = ours & guest_features(catalogue()[BASELINES[vendor]])
        else:
            seen = ours
        if seen <= theirs:
            return set()
        return {"HV402" if mode == "off" else "HV405"}

    # -- storage ---------------------------------------------------------------------------------------

    def _storage_of(self, cluster: Cluster, path: str) -> Storage | None:
        key = (cluster, path)
        if key not in self._storage:
            roots = [(storage.path, storage) for storage in cluster.storage if storage.valid("path")]
            self._storage[key] = containing(path, roots)
        return self._storage[key]

    def _storage_codes(self, vm: VM, destination: Host) -> set[str]:
        cluster = vm.cluster
        if cluster is None or not vm.valid("disks", "dvd", "config_path"):
            return set()
        if any(not storage.valid("path", "kind", "hosts") for storage in cluster.storage):
            return set()
        found = set()
        files = [*vm.disks, *([vm.config_path] if vm.config_path else [])]
        for path in files:
            storage = self._storage_of(cluster, path)
            if storage is None or not storage.shared or _smb_too_early(storage, cluster):
                found.add("HV201")
            elif destination not in storage.hosts:
                found.add("HV202")
        for path in vm.dvd:
            storage = self._storage_of(cluster, path)
            if storage is None or not storage.shared or destination not in storage.hosts:
                found.add("HV203")
        return found


def _smb_too_early(storage: Storage, cluster: Cluster) -> bool:
    """An SMB share on a cluster before ws2012, which runs no VM from SMB (rules-v2.md §E)."""
    return (
        storage.kind == "smb"
        and cluster.valid("platform")
        and not platform_at_least(cluster.platform, "ws2012")
    )
