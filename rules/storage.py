"""HV2xx: shared storage (rules.md). Whether every host a VM may move to can open its disks, its
configuration and its mounted ISOs. Only VMs in clusters are judged: a standalone host's VMs get HV104."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence

from hvlint.hookspecs import hookimpl
from hvlint.language.model import VM, Cluster, Host, Storage, platform_at_least
from hvlint.language.paths import normalize
from hvlint.language.syntax import Span
from hvlint.rule import Context, Rule, RuleFinding


def _names(names: Sequence[str]) -> str:
    """`A`, `A and B`, `A, B and C`: every name, since the message must name every one."""
    if len(names) == 1:
        return names[0]
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _owners(hosts: Sequence[Host]) -> str:
    """`possible owner HV01` or `possible owners HV01 and HV02`."""
    return f"possible {'owner' if len(hosts) == 1 else 'owners'} {_names([host.name for host in hosts])}"


def _them(hosts: Sequence[Host]) -> str:
    return "it" if len(hosts) == 1 else "them"


def storage_finder(ctx: Context) -> Callable[[Cluster, str], Storage | None]:
    """The storage a path of a cluster lies on (the longest root winning; None: on none), found with the
    placement the storage rules share, so that a path they looked up costs one dictionary look-up."""
    placements: dict[Cluster, _Placement] = {}

    def storage_of(cluster: Cluster, path: str) -> Storage | None:
        placement = placements.get(cluster)
        if placement is None:
            placement = placements[cluster] = _placement(ctx, cluster)
        return placement.storage_of(path)

    return storage_of


def _placement(ctx: Context, cluster: Cluster) -> _Placement:
    """The cluster's placement, computed once per file for the three storage rules."""
    return ctx.shared(("storage.placement", cluster), lambda: _Placement(cluster))


class _Placement:
    """Which storage of one cluster each path lies on, and which of the cluster's hosts cannot reach it.

    Computed once per cluster: the storage by normalized root, so that finding a path's storage costs one
    dictionary look-up per separator of the path (language.md §3: the longest matching root wins, which
    `hvlint.language.paths.containing` also implements), and for each storage the hosts it does not list.
    """

    def __init__(self, cluster: Cluster) -> None:
        self.cluster = cluster
        self.roots: dict[str, Storage] = {}
        self.complete = True
        """False when some storage's `path` is in error: a path on no known storage may lie on it."""
        for storage in cluster.storage:
            if storage.valid("kind") and storage.kind == "disk":
                continue
            if not storage.valid("path"):
                self.complete = False
                continue
            self.roots.setdefault(normalize(storage.path), storage)
        self._unreached: dict[int, tuple[tuple[Host, ...], tuple[Host, ...]]] = {}
        self._storage_of: dict[str, Storage | None] = {}

    def storage_of(self, path: str) -> Storage | None:
        """The storage `path` lies on, the one with the longest root when several do; None when none does."""
        if path in self._storage_of:
            return self._storage_of[path]
        found = self._storage_of[path] = self._find(path)
        return found

    def _find(self, path: str) -> Storage | None:
        key = normalize(path)
        found = self.roots.get(key)
        index = key.rfind("\\")
        while found is None and index >= 0:
            found = self.roots.get(key[:index])
            index = key.rfind("\\", 0, index)
        return found

    def unreached(self, storage: Storage) -> tuple[Host, ...]:
        """The cluster's hosts that `storage` does not list in `hosts`, in declaration order."""
        cached = self._unreached.get(id(storage.hosts))
        if cached is None or cached[0] is not storage.hosts:
            reach = set(storage.hosts)
            cached = (storage.hosts, tuple(host for host in self.cluster.hosts if host not in reach))
            self._unreached[id(storage.hosts)] = cached
        return cached[1]

    def lacking(self, storage: Storage, vm: VM) -> list[Host]:
        """The VM's possible owners that cannot reach `storage` (none when its `hosts` is in error)."""
        unreached = self.unreached(storage)
        if not unreached or not storage.valid("hosts"):
            return []
        owners = set(vm.possible_owners)
        return [host for host in unreached if host in owners]


def _vm_paths(vm: VM) -> Iterator[tuple[str, str, int]]:
    """The VM's disks (its `disks`, then its `disk` blocks) and configuration path: (what, path, place),
    the place for `_span` (a span is worked out only for a path reported)."""
    if vm.valid("disks"):
        for index, path in enumerate(vm.disks):
            yield "disk", path, index
    for index, disk in enumerate(vm.disk_blocks, start=len(vm.disks) if vm.valid("disks") else 0):
        yield "disk", disk.path, index
    if vm.config_path is not None and vm.valid("config_path"):
        yield "config_path", vm.config_path, -1


def _span(vm: VM, place: int) -> Span:
    """Where `_vm_paths` found the path at `place`: the item of `disks`, the `disk` block's label (as
    `hvlint.language.standalone.vm_disks` places them), or the `config_path` value."""
    if place < 0:
        return vm.positions.of("config_path")
    listed = len(vm.disks) if vm.valid("disks") else 0
    if place < listed:
        return vm.positions.of("disks", place)
    block = vm.disk_blocks[place - listed].positions
    return block.label or block.header


def _where(storage: Storage | None, cluster: Cluster) -> str:
    """Where a path that is not on shared storage lies, for a message."""
    if storage is None:
        return f"lies on no storage declared in cluster {cluster.name}"
    owner = f" of host {storage.hosts[0].name}" if storage.valid("hosts") and storage.hosts else ""
    return f"lies on local storage {storage.name} (`{storage.path}`){owner}"


SMB_VMS_PLATFORM = "ws2012"
"""The first platform that runs VMs from SMB 3 shares (rules-v2.md §E)."""


def _smb_too_early(storage: Storage | None, cluster: Cluster) -> bool:
    """Whether `storage` is an SMB share on a cluster whose platform cannot run VMs from one (ISOs on it
    stay acceptable)."""
    return (
        storage is not None
        and storage.valid("kind")
        and storage.kind == "smb"
        and cluster.valid("platform")
        and not platform_at_least(cluster.platform, SMB_VMS_PLATFORM)
    )


def _unshared(placement: _Placement, storage: Storage | None) -> bool:
    """Whether a path on `storage` (None: on none) is known not to lie on shared storage."""
    if storage is None:
        return placement.complete
    return storage.valid("kind") and not storage.shared


class VMStorageNotShared(Rule):
    r"""A VM's disk or configuration does not lie on shared storage of its cluster.

    **What it checks.** Every path in a clustered VM's `disks`, and its `config_path`, lies on a `csv` or
    `smb` storage of its cluster (language.md §3: case-insensitive, either slash, the longest matching
    storage `path` wins, and `Volume10` does not lie on `Volume1`). The finding points at the path: one
    that lies on `local` storage, or on no storage the cluster declares. On a ws2008r2 cluster a path on
    an `smb` storage is reported too (such a path gets no HV202): Hyper-V runs VMs from SMB 3 shares
    from ws2012 on. ISOs (`dvd`) on an SMB share stay acceptable there (HV203 judges them).

    **Why it matters.** A live migration moves a VM's memory and state, not its files: the destination
    host must open the same virtual hard disks and configuration. A file on one host's local disk is
    reachable from that host only, so the VM cannot move (and does not fail over).

    **How to fix it.** Move the file to a Cluster Shared Volume or an SMB 3 share (Move-VMStorage), or, if
    it already is on one, declare that storage in the cluster. Before ws2012, use a Cluster Shared Volume.

    **Example.**
    ```hvc
    storage "Volume1" { kind = csv  path = 'C:\ClusterStorage\Volume1' }
    vm "SQL01" { host = HV01  memory = 16GiB  disks = ['D:\VMs\SQL01\os.vhdx'] }   # HV201
    ```
    passes with the disk on the CSV:
    ```hvc
    vm "SQL01" { host = HV01  memory = 16GiB  disks = ['C:\ClusterStorage\Volume1\SQL01\os.vhdx'] }
    ```
    """

    code = "HV201"
    name = "vm-storage-not-shared"
    severity = "error"
    summary = "a VM's disk or config_path does not lie on shared storage of its cluster"

    def check(self, ctx: Context) -> Iterable[RuleFinding]:
        for cluster in ctx.model.clusters:
            placement = _placement(ctx, cluster)
            for vm in cluster.vms:
                for what, path, place in _vm_paths(vm):
                    storage = placement.storage_of(path)
                    if _smb_too_early(storage, cluster):
                        yield RuleFinding(vm, _span(vm, place), self._smb_message(vm, what, path, storage))
                        continue
                    if not _unshared(placement, storage):
                        continue
                    message = (
                        f"{vm.describe()} {what} `{path}` {_where(storage, cluster)}, so the other hosts "
                        f"cannot open it and the VM cannot live-migrate; move it to a csv or smb storage of "
                        f"cluster {cluster.name}"
                    )
                    yield RuleFinding(vm, _span(vm, place), message)

    @staticmethod
    def _smb_message(vm: VM, what: str, path: str, storage: Storage | None) -> str:
        assert storage is not None and vm.cluster is not None
        cluster = vm.cluster
        return (
            f"{vm.describe()} {what} `{path}` lies on smb storage {storage.name}, but cluster {cluster.name} "
            f"is {cluster.platform} and Hyper-V runs VMs from SMB shares from {SMB_VMS_PLATFORM} on; move "
            f"it to a csv storage of cluster {cluster.name}, or upgrade the cluster to {SMB_VMS_PLATFORM} "
            f"or later"
        )


class StorageUnreachable(Rule):
    r"""A VM's disk or configuration lies on shared storage that one of its possible owners cannot reach.

    **What it checks.** For each path in a clustered VM's `disks`, and its `config_path`, that lies on a
    `csv` or `smb` storage: every host in the VM's `possible_owners` is listed in that storage's `hosts`
    (which defaults to every host of the cluster). The finding points at the path and names the hosts
    that cannot reach it.

    **Why it matters.** The cluster may place or move the VM on any possible owner; on a host that cannot
    reach the storage the VM cannot open its disks, so the live migration to that host fails.

    **How to fix it.** Give those hosts access to the storage (add them to the CSV's cluster nodes or to
    the share's permissions) and to its `hosts`, or remove them from the VM's `possible_owners`.

    **Example.**
    ```hvc
    storage "Share" { kind = smb  path = '\\fs01\vms'  hosts = [HV01, HV02] }
    vm "SQL01" { host = HV01  memory = 16GiB  disks = ['\\fs01\vms\SQL01\os.vhdx'] }   # HV202: HV03
    ```
    passes with every possible owner listed:
    ```hvc
    storage "Share" { kind = smb  path = '\\fs01\vms'  hosts = [HV01, HV02, HV03] }
    ```
    """

    code = "HV202"
    name = "storage-unreachable"
    severity = "error"
    summary = "a VM's disk or config_path lies on shared storage one of its possible owners cannot reach"

    def check(self, ctx: Context) -> Iterable[RuleFinding]:
        for cluster in ctx.model.clusters:
            placement = _placement(ctx, cluster)
            for vm in cluster.vms:
                if not vm.valid("possible_owners"):
                    continue
                for what, path, place in _vm_paths(vm):
                    storage = placement.storage_of(path)
                    if storage is None or not storage.valid("kind") or not storage.shared:
                        continue
                    if _smb_too_early(storage, cluster):
                        continue
                    lacking = placement.lacking(storage, vm)
                    if not lacking:
                        continue
                    names = _names([host.name for host in lacking])
                    message = (
                        f"{vm.describe()} {what} `{path}` lies on {storage.kind} storage {storage.name}, "
                        f"which its {_owners(lacking)} cannot reach, so the VM cannot live-migrate there; "
                        f"give {names} access to {storage.name} and add {_them(lacking)} to its hosts, or "
                        f"remove {_them(lacking)} from possible_owners"
                    )
                    yield RuleFinding(vm, _span(vm, place), message)


class MediaNotShared(Rule):
    r"""A VM has an ISO mounted from storage that not all of its possible owners can reach.

    **What it checks.** Every path in a clustered VM's `dvd` lies on a `csv` or `smb` storage of its
    cluster that lists each of the VM's possible owners in `hosts`. The finding points at the ISO's path:
    one on a local drive (a `local` storage or no storage declared), or on shared storage a possible owner
    cannot reach.

    **Why it matters.** The classic reason a live migration fails: an ISO mounted from a local drive
    (`D:\iso\tools.iso`) of one host. The destination must attach the same image, and cannot.

    **How to fix it.** Eject the ISO (`Set-VMDvdDrive -Path $null`) when it is no longer needed, or copy it
    to a library share or CSV that every possible owner reaches and mount it from there.

    **Example.**
    ```hvc
    vm "BUILD01" { host = LAB02  memory = 8GiB  dvd = ['D:\iso\tools.iso'] }                  # HV203
    vm "BUILD01" { host = LAB02  memory = 8GiB  dvd = ['\\fs01\library\iso\tools.iso'] }   # passes
    ```
    (with `storage "Library" { kind = smb  path = '\\fs01\library' }` in the cluster).
    """

    code = "HV203"
    name = "media-not-shared"
    severity = "error"
    summary = "an ISO in dvd does not lie on shared storage every possible owner reaches"

    def check(self, ctx: Context) -> Iterable[RuleFinding]:
        for cluster in ctx.model.clusters:
            placement = _placement(ctx, cluster)
            for vm in cluster.vms:
                if not vm.valid("dvd"):
                    continue
                for index, path in enumerate(vm.dvd):
                    message = self._problem(placement, vm, path)
                    if message is not None:
                        yield ctx.finding(vm, message, at="dvd", index=index)

    @staticmethod
    def _problem(placement: _Placement, vm: VM, path: str) -> str | None:
        cluster = placement.cluster
        storage = placement.storage_of(path)
        if _unshared(placement, storage):
            return (
                f"{vm.describe()} mounts ISO `{path}`, which {_where(storage, cluster)}, so the other hosts "
                f"cannot attach it and the VM cannot live-migrate; eject it, or copy it to a csv or smb "
                f"storage of cluster {cluster.name} and mount it from there"
            )
        if storage is None or not storage.valid("kind") or not vm.valid("possible_owners"):
            return None
        lacking = placement.lacking(storage, vm)
        if not lacking:
            return None
        names = _names([host.name for host in lacking])
        return (
            f"{vm.describe()} mounts ISO `{path}` from {storage.kind} storage {storage.name}, which its "
            f"{_owners(lacking)} cannot reach, so the VM cannot live-migrate there; eject it, or give "
            f"{names} access to {storage.name} and add {_them(lacking)} to its hosts"
        )


@hookimpl
def hvlint_rules() -> list[type[Rule]]:
    """hvlint's HV2xx rules."""
    return [VMStorageNotShared, StorageUnreachable, MediaNotShared]
