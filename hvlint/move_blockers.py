"""Which rules rule out moving a VM from its host to a destination (estimator-v2.md §4, "Only moves that
`check` allows"): the conditions of HV106 (configuration version), HV201/HV202/HV203 (storage), HV305
(switches), HV401/HV402/HV405 (processors), HV601 (the move need), HV704 (no partitionable GPU), HV706
(virtual SAN), HV707 (pass-through disk) and HV710 (a shielded VM and a host that is not guarded), each
evaluated for one move, whatever the findings' suppressions.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from hvlint.capacity import memory_for_vms, memory_known, move_need
from hvlint.language.catalogue import BASELINES, catalogue, guest_features
from hvlint.language.model import VM, Cluster, Host, Storage, platform_at_least
from hvlint.language.paths import normalize
from hvlint.owner_conditions import (
    disk_stays,
    disk_storage,
    has_san,
    movable_standalone,
    needs_gpu,
    refuses_version,
)
from hvlint.records import FrozenRecord

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Protocol, TypeVar

    class _Kinded(Protocol):
        """Destinations alike for the rules here, by their `kind`."""

        @property
        def kind(self) -> Host: ...

    K = TypeVar("K", bound=_Kinded)

Enabled = Callable[[str], bool]
"""Whether a rule code is enabled (by `select` and `ignore`)."""


StorageOf = Callable[[Cluster, str], "Storage | None"]
"""The storage a path of a cluster lies on, the longest root winning (None: on none)."""


def every_rule(code: str) -> bool:
    """Every rule is enabled."""
    return True


class _Profile(FrozenRecord):
    """What decides every code but HV601's for a VM: VMs alike in it share their codes per destination."""

    __match_args__ = ("cluster", "vendor", "seen", "mode", "adapters", "files", "media", "devices")
    __slots__ = __match_args__
    cluster: Cluster | None
    vendor: str | None
    """The vendor of the VM's host's processor; None when the processors are not judged."""
    seen: frozenset[str]
    """What the VM sees on its host, by its compatibility mode."""
    mode: str
    adapters: tuple[str, ...]
    files: tuple[Storage | None, ...] | None
    """The storage of each disk and of the configuration path; None when storage is not judged."""
    media: tuple[Storage | None, ...]
    devices: _Devices

    def __init__(
        self,
        cluster: Cluster | None,
        vendor: str | None,
        seen: frozenset[str],
        mode: str,
        adapters: tuple[str, ...],
        files: tuple[Storage | None, ...] | None,
        media: tuple[Storage | None, ...],
        devices: _Devices,
    ) -> None:
        self._assign(cluster, vendor, seen, mode, adapters, files, media, devices)


class _Devices(FrozenRecord):
    """What decides HV106, HV704, HV706, HV707 and HV710 for a VM and a destination."""

    __match_args__ = ("config_version", "gpu", "sans", "shielded", "standalone", "passthrough")
    __slots__ = __match_args__
    config_version: float | None
    """None when HV106 does not judge the VM."""
    gpu: bool
    """The VM needs a partitionable GPU on its destination (HV704)."""
    sans: tuple[str, ...]
    shielded: bool
    """A shielded VM, which only a guarded host receives (HV710)."""
    standalone: bool
    """A movable standalone VM, whose pass-through disks never follow it."""
    passthrough: tuple[Storage | None, ...]
    """The cluster storage each pass-through disk names (None: none)."""

    def __init__(
        self,
        config_version: float | None,
        gpu: bool,
        sans: tuple[str, ...],
        shielded: bool,
        standalone: bool,
        passthrough: tuple[Storage | None, ...],
    ) -> None:
        self._assign(config_version, gpu, sans, shielded, standalone, passthrough)


class MoveBlockers:
    """The codes that rule out each move, for the VMs of one model; facts shared between VMs are computed
    once (a host's guest features, a cluster's common features, each path's storage, each profile's codes
    for each destination)."""

    def __init__(self, enabled: Enabled = every_rule, storage_of: StorageOf | None = None) -> None:
        self.enabled = _remembered(enabled)
        self.storage_of = storage_of
        """Finds a path's storage for a caller that knows it already; the paths are looked up here else."""
        self._features: dict[Host, frozenset[str] | None] = {}
        self._common: dict[Cluster, frozenset[str]] = {}
        self._roots: dict[Cluster, dict[str, Storage] | None] = {}
        self._reach: dict[int, tuple[tuple[Host, ...], frozenset[Host]]] = {}
        self._profiles: dict[VM, _Profile] = {}
        self._interned: dict[tuple[Any, ...], _Profile] = {}
        self._by_profile: dict[tuple[int, Host], tuple[str, ...]] = {}
        self._room: dict[Host, float] = {}
        self._minimum: dict[tuple[str, frozenset[str]], frozenset[str]] = {}
        self._by_processor: dict[tuple[object, ...], frozenset[str]] = {}
        self._by_storage: dict[tuple[object, ...], frozenset[str]] = {}
        self._kind_of: dict[Host, Host] = {}
        self._kinds: dict[tuple[object, ...], Host] = {}
        self._reaching: dict[Cluster, dict[Host, frozenset[int]]] = {}
        self._open_kinds: dict[tuple[int, int], tuple[Sequence[Any], list[Any]]] = {}

    judgments = 0
    """Profiles judged against a destination, by every instance (what the scaling tests count)."""

    def codes(self, vm: VM, destination: Host) -> tuple[str, ...]:
        """The enabled rules whose conditions hold for moving `vm` from its host to `destination`, sorted."""
        found = self._profile_codes(self._shared_profile(vm), self.kind(destination))
        if self.too_small(vm, destination):
            return tuple(sorted((*found, "HV601")))
        return found

    def too_small(self, vm: VM, destination: Host) -> bool:
        """Whether HV601, enabled, rules out the move for memory: the VM's move need exceeds the memory for
        VMs of `destination`."""
        return move_need(vm) > self._room_of(destination) and self.enabled("HV601")

    def room(self, host: Host) -> float:
        """The host's memory for VMs as HV601 judges a move to it (unknown memory: infinite)."""
        return self._room_of(host)

    def kind(self, host: Host) -> Host:
        """The first host seen of those alike in every fact the rules here read of a destination (its
        cluster, processor, storage reach, switches, virtual SANs, platform, GPU and guarded state): the
        one judged for them all."""
        found = self._kind_of.get(host)
        if found is None:
            found = self._kind_of[host] = self._kinds.setdefault(self._facts(host), host)
        return found

    def open_kinds(self, vm: VM, groups: Sequence[K]) -> list[K]:
        """Those of `groups` (a sequence this object keeps, of destinations alike) that no enabled rule
        but HV601 rules out for a move of `vm` from its host, in the order given."""
        profile = self._shared_profile(vm)
        key = (id(profile), id(groups))
        found = self._open_kinds.get(key)
        if found is None:
            found = self._open_kinds[key] = (
                groups,
                [group for group in groups if not self._profile_codes(profile, group.kind)],
            )
        return found[1]

    def _facts(self, host: Host) -> tuple[object, ...]:
        """What the rules here read of a destination."""
        features = self.features(host)
        processor = (features, host.processor.vendor) if features is not None and host.processor else None
        cluster = host.cluster
        reach = self._reaching_of(cluster).get(host, frozenset()) if cluster is not None else frozenset()
        switches = (
            frozenset(switch.casefold() for switch in host.switches) if host.valid("switches") else None
        )
        sans = frozenset(san.casefold() for san in host.virtual_sans)
        platform = host.platform if host.valid("platform") else None
        return (cluster, processor, reach, switches, sans, platform, host.gpu is None, host.guarded)

    def _reaching_of(self, cluster: Cluster) -> dict[Host, frozenset[int]]:
        """For each host, which of the cluster's distinct `hosts` lists of storage name it (by number): hosts
        alike in it are listed by the same storages. Storages that list no hosts share one list object (every
        host of the cluster), which is read once."""
        found = self._reaching.get(cluster)
        if found is None:
            lists = {id(storage.hosts): storage.hosts for storage in cluster.storage}
            named: dict[Host, list[int]] = {}
            for number, hosts in enumerate(lists.values()):
                for host in hosts:
                    named.setdefault(host, []).append(number)
            found = self._reaching[cluster] = {host: frozenset(numbers) for host, numbers in named.items()}
        return found

    # -- memory (HV601 for the move need) ----------------------------------------------------------------

    def _room_of(self, host: Host) -> float:
        """The host's memory for VMs; unknown memory rules nothing out."""
        room = self._room.get(host)
        if room is None:
            room = self._room[host] = memory_for_vms(host) if memory_known(host) else float("inf")
        return room

    # -- the other codes, per profile ----------------------------------------------------------------------

    def _shared_profile(self, vm: VM) -> _Profile:
        """The VM's profile, as the one instance every VM alike shares (so that it is known by identity)."""
        found = self._profiles.get(vm)
        if found is None:
            facts = self._profile_facts(vm)
            found = self._interned.get(facts)
            if found is None:
                cluster, vendor, seen, mode, adapters, files, media, devices = facts
                found = _Profile(cluster, vendor, seen, mode, adapters, files, media, _Devices(*devices))
                self._interned[facts] = found
            self._profiles[vm] = found
        return found

    def _profile_facts(self, vm: VM) -> tuple[Any, ...]:
        """The fields of the VM's profile, its devices' as a tuple (VMs alike share their profile by them)."""
        source = vm.host
        features = self.features(source) if source is not None else None
        mode = vm.compatibility_mode if vm.valid("compatibility_mode") else ""
        vendor = source.processor.vendor if features is not None and source and source.processor else None
        seen = self._seen(vm, vendor, features, mode) if vendor and features is not None else frozenset()
        adapters = vm.adapters if vm.valid("adapters") else ()
        files, media = self._storages(vm)
        return (vm.cluster, vendor if mode else None, seen, mode, adapters, files, media, _devices(vm))

    def _profile_codes(self, profile: _Profile, destination: Host) -> tuple[str, ...]:
        """The codes but HV601's for a VM of `profile` and a destination alike to `destination` (a kind)."""
        key = (id(profile), destination)
        found = self._by_profile.get(key)
        if found is None:
            MoveBlockers.judgments += 1
            codes = (
                self._processor_codes(profile, destination)
                | self._storage_codes(profile, destination)
                | _device_codes(profile, destination)
            )
            if destination.valid("switches") and any(
                not destination.has_switch(switch) for switch in profile.adapters
            ):
                codes.add("HV305")
            found = self._by_profile[key] = tuple(sorted(code for code in codes if self.enabled(code)))
        return found

    # -- processors ----------------------------------------------------------------------------------------

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

    def _seen(self, vm: VM, vendor: str, features: frozenset[str], mode: str) -> frozenset[str]:
        """What the VM sees on its host in its compatibility mode."""
        if mode == "cluster" and vm.cluster is not None:
            cluster = vm.cluster
            if cluster not in self._common:
                sets = [found for host in cluster.hosts if (found := self.features(host)) is not None]
                self._common[cluster] = frozenset.intersection(*sets) if sets else frozenset()
            return self._common[cluster]
        if mode == "minimum":
            key = (vendor, features)
            if key not in self._minimum:
                self._minimum[key] = features & guest_features(catalogue()[BASELINES[vendor]])
            return self._minimum[key]
        return features

    def _processor_codes(self, profile: _Profile, destination: Host) -> set[str]:
        key = (profile.vendor, profile.seen, profile.mode, destination)
        return _judged_once(self._by_processor, key, lambda: self._judge_processors(profile, destination))

    def _judge_processors(self, profile: _Profile, destination: Host) -> set[str]:
        theirs = self.features(destination)
        if profile.vendor is None or theirs is None or destination.processor is None:
            return set()
        if profile.vendor != destination.processor.vendor:
            return {"HV401"}
        if profile.seen <= theirs:
            return set()
        return {"HV402" if profile.mode == "off" else "HV405"}

    # -- storage ---------------------------------------------------------------------------------------

    def _storages(self, vm: VM) -> tuple[tuple[Storage | None, ...] | None, tuple[Storage | None, ...]]:
        """The storage of each of the VM's disks and configuration path, and of each ISO; None for the
        files when they cannot be judged (a value in error)."""
        cluster = vm.cluster
        if cluster is None or not vm.valid("disks", "dvd", "config_path"):
            return None, ()
        roots = self._roots_of(cluster)
        if roots is None:
            return None, ()
        files = [*vm.disks, *([vm.config_path] if vm.config_path else [])]
        known = self.storage_of
        if known is not None:
            return tuple([known(cluster, path) for path in files]), tuple([known(cluster, p) for p in vm.dvd])
        return tuple([_storage_of(roots, path) for path in files]), tuple(
            [_storage_of(roots, p) for p in vm.dvd]
        )

    def _roots_of(self, cluster: Cluster) -> dict[str, Storage] | None:
        """Each storage by its normalized path (the first declared of equal paths); None when a storage is
        in error, so that no path's storage is known for sure."""
        if cluster not in self._roots:
            roots: dict[str, Storage] | None = {}
            for storage in cluster.storage:
                if roots is None or not storage.valid("path", "kind", "hosts"):
                    roots = None
                    continue
                if storage.kind != "disk":
                    roots.setdefault(normalize(storage.path), storage)
            self._roots[cluster] = roots
        return self._roots[cluster]

    def _reaches(self, storage: Storage, host: Host) -> bool:
        hosts = storage.hosts
        found = self._reach.get(id(hosts))
        if found is None:
            found = self._reach[id(hosts)] = (hosts, frozenset(hosts))
        return host in found[1]

    def _storage_codes(self, profile: _Profile, destination: Host) -> set[str]:
        key = (profile.cluster, profile.files, profile.media, destination)
        return _judged_once(self._by_storage, key, lambda: self._judge_storage(profile, destination))

    def _judge_storage(self, profile: _Profile, destination: Host) -> set[str]:
        cluster = profile.cluster
        if profile.files is None or cluster is None:
            return set()
        found = set()
        for storage in profile.files:
            if storage is None or not storage.shared or _smb_too_early(storage, cluster):
                found.add("HV201")
            elif not self._reaches(storage, destination):
                found.add("HV202")
        for storage in profile.media:
            if storage is None or not storage.shared or not self._reaches(storage, destination):
                found.add("HV203")
        return found


def _judged_once(
    known: dict[tuple[object, ...], frozenset[str]], key: tuple[object, ...], judge: Callable[[], set[str]]
) -> set[str]:
    """The codes `judge()` finds, judged once per `key` (a copy, which the caller may extend)."""
    found = known.get(key)
    if found is None:
        found = known[key] = frozenset(judge())
    return set(found)


def _remembered(enabled: Enabled) -> Enabled:
    """`enabled`, asked once per code (every VM's move asks it)."""
    known: dict[str, bool] = {}

    def remembered(code: str) -> bool:
        found = known.get(code)
        if found is None:
            found = known[code] = enabled(code)
        return found

    return remembered


def _storage_of(roots: dict[str, Storage], path: str) -> Storage | None:
    """The storage `path` lies on, the longest root winning."""
    key = normalize(path)
    found = roots.get(key)
    index = key.rfind("\\")
    while found is None and index >= 0:
        found = roots.get(key[:index])
        index = key.rfind("\\", 0, index)
    return found


def _smb_too_early(storage: Storage, cluster: Cluster) -> bool:
    """An SMB share on a cluster before ws2012, which runs no VM from SMB (rules-v2.md §E)."""
    early = cluster.valid("platform") and not platform_at_least(cluster.platform, "ws2012")
    return storage.kind == "smb" and early


def _devices(vm: VM) -> tuple[Any, ...]:
    """The VM's side of HV106, HV704, HV706, HV707 and HV710: the fields of its `_Devices`."""
    standalone = movable_standalone(vm)
    cluster = vm.cluster
    judged = vm.valid("config_version") and (standalone or cluster is not None)
    entries = vm.passthrough_disks if vm.valid("passthrough_disks") else ()
    return (
        vm.config_version if judged else None,
        needs_gpu(vm),
        vm.fibre_channel if vm.valid("fibre_channel") else (),
        vm.shielded and vm.valid("shielded"),
        standalone,
        tuple(disk_storage(cluster, entry) if cluster is not None else None for entry in entries),
    )


def _device_codes(profile: _Profile, destination: Host) -> set[str]:
    """The codes of HV106, HV704, HV706, HV707 and HV710 for a move of a VM of `profile` to `destination`."""
    devices = profile.devices
    found = set()
    version = devices.config_version
    if version is not None and refuses_version(version, profile.cluster, destination):
        found.add("HV106")
    if devices.gpu and destination.gpu is None:
        found.add("HV704")
    if any(not has_san(destination, san) for san in devices.sans):
        found.add("HV706")
    if devices.shielded and not destination.guarded:
        found.add("HV710")
    if any(disk_stays(devices.standalone, storage, destination) for storage in devices.passthrough):
        found.add("HV707")
    return found
