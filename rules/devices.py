"""HV701-HV709: devices and storage kinds that keep a VM from live-migrating (rules-v2.md §HV7xx, §F):
devices assigned by Discrete Device Assignment, GPU partitions, virtual Fibre Channel, pass-through disks
and standard checkpoints."""

from __future__ import annotations

from collections.abc import Iterable

from hvlint.hookspecs import hookimpl
from hvlint.language.model import VM, Host, Storage, platform_at_least
from hvlint.owner_conditions import (
    GPU_CONFIG_VERSION,
    GPU_PLATFORM,
    dda_blocks_high_availability,
    dda_high_availability_finding,
    disk_stays,
    disk_storage,
    gpu_unsupported,
    movable_standalone,
    needs_gpu,
    owners_lacking_san,
)
from hvlint.rule import Context, Rule, RuleFinding

from ._judged import agree, count, destinations, judged_vms, may_move, names


class DDAVMCannotLiveMigrate(Rule):
    """A running VM with devices assigned by Discrete Device Assignment may move to another host.

    **What it checks.** Every running or paused `vm` with a non-empty `dda_devices` and a possible owner
    other than its host, in a cluster or on a standalone host. The finding points at `dda_devices`. A VM
    that HV702 reports (highly available before ws2025) is left to HV702.

    **Why it matters.** A VM with a device assigned by DDA can be neither live-migrated nor saved: moving
    it means shutting it down. Even on a ws2025 failover cluster, which can run VMs with assigned GPUs,
    such VMs are restarted where a GPU of their pool is free, not live-migrated. hvlint gives such a VM
    no pre-copy estimate.

    **How to fix it.** If the VM is meant to stay, say so: `possible_owners = [its host]`. Otherwise plan
    its moves as shutdowns, or replace the assigned device by a GPU partition (ws2025).

    **Example.**
    ```hvc
    vm "CAD01" { host = HV01  memory = 32GiB  dda_devices = ["PCIROOT(0)#PCI(0300)"] }   # HV701
    ```
    passes when the VM stays on its host:
    ```hvc
    vm "CAD01" {
      host = HV01  memory = 32GiB  highly_available = false  possible_owners = [HV01]
      dda_devices = ["PCIROOT(0)#PCI(0300)"]
    }
    ```
    """

    code = "HV701"
    name = "dda-vm-cannot-live-migrate"
    severity = "warning"
    summary = "a running VM with devices assigned by DDA has another possible owner"

    def check(self, ctx: Context) -> Iterable[RuleFinding]:
        for vm in judged_vms(ctx.model):
            if not vm.dda_devices or not vm.live_migrated or not vm.valid("dda_devices", "state"):
                continue
            if not may_move(vm) or dda_blocks_high_availability(vm):
                continue
            devices = count(len(vm.dda_devices), "device")
            message = (
                f"{vm.describe()} has {devices} assigned by Discrete Device Assignment: it cannot be "
                f"live-migrated or saved, so moving it to {names(destinations(vm), 'or')} means shutting it "
                f"down"
            )
            if vm.cluster is not None and platform_at_least(vm.cluster.platform, "ws2025"):
                message += "; a drain restarts it where a GPU of its pool is free"
            yield ctx.finding(vm, message, at="dda_devices")


class DDAVMHighlyAvailable(Rule):
    """A highly available VM has devices assigned by Discrete Device Assignment.

    **What it checks.** Every `vm` with a non-empty `dda_devices` in a cluster, while `highly_available`
    is true (written, or by default). Before ws2025 (the cluster's `platform`) it is an error. On a ws2025
    cluster it is a warning when the VM names no `dda_pool`, and silent when it names one. The finding
    points at `highly_available`, or at the VM's header when the attribute is left at its default.

    **Why it matters.** Before ws2025, "adding the VM to a high availability cluster" is among the
    features not available with DDA: the VM cannot be a clustered role. From ws2025 a failover cluster
    can run VMs with assigned GPUs, but only GPUs assigned from a cluster resource pool are documented to
    fail over.

    **How to fix it.** Before ws2025: set `highly_available = false` (and `possible_owners = [its host]`),
    or upgrade the cluster to ws2025. On ws2025: assign the GPU from a cluster resource pool and name it,
    `dda_pool = "GPU-POOL"`.

    **Example.**
    ```hvc
    cluster "HVC-CAD" {
      platform = ws2022
      failover_clustering = true
      host "HV01" { processor = "intel-xeon-scalable"  memory = 256GiB }
      host "HV02" { processor = "intel-xeon-scalable"  memory = 256GiB }
      vm "CAD01" { host = HV01  memory = 32GiB  dda_devices = ["GPU0"] }   # HV702 (highly available)
    }
    ```
    passes with `highly_available = false  possible_owners = [HV01]` on the VM.
    """

    code = "HV702"
    name = "dda-vm-highly-available"
    severity = "error"
    severity_note = "error before ws2025; warning on ws2025 without dda_pool"
    summary = "a VM with DDA devices is highly available in a cluster before ws2025"

    def check(self, ctx: Context) -> Iterable[RuleFinding]:
        for cluster in ctx.model.clusters:
            for vm in cluster.vms:
                if not dda_high_availability_finding(vm):
                    continue
                if dda_blocks_high_availability(vm):
                    message = (
                        f"{vm.describe()} has devices assigned by Discrete Device Assignment and is highly "
                        f"available: before ws2025 such a VM cannot be added to a failover cluster "
                        f"({cluster.name} runs at {cluster.platform}); set highly_available = false"
                    )
                    yield ctx.finding(vm, message, at="highly_available")
                else:
                    message = (
                        f"{vm.describe()} has devices assigned by Discrete Device Assignment but names no "
                        f"dda_pool: only GPUs from a cluster resource pool are documented to fail over"
                    )
                    yield ctx.finding(vm, message, at="highly_available", severity="warning")


def _partitioned(vm: VM) -> bool:
    return vm.gpu_partitions >= 1 and vm.valid("gpu_partitions")


class GPUPartitioningUnsupported(Rule):
    """A VM with GPU partitions runs where GPU partitioning is not supported.

    **What it checks.** Every `vm` with `gpu_partitions` of 1 or more, whose host runs a release before
    ws2025 (its own `platform`, else its cluster's), or whose `config_version` is below 12.0. The finding
    points at `gpu_partitions`.

    **Why it matters.** On Windows Server, GPU partitioning is documented for ws2025, and needs VM
    configuration version 12.0. Such a VM cannot get its partition, let alone move with it.

    **How to fix it.** Run the VM on ws2025 hosts and upgrade its configuration version
    (`Update-VMVersion`), or remove its GPU partitions.

    **Example.**
    ```hvc
    host "HV01" { processor = "intel-xeon-scalable"  memory = 256GiB  platform = ws2022
      vm "VDI07" { memory = 8GiB  gpu_partitions = 1 } }                  # HV703
    ```
    passes with `platform = ws2025` on the host.
    """

    code = "HV703"
    name = "gpu-partitioning-unsupported"
    severity = "error"
    summary = "a VM with GPU partitions is on a host before ws2025, or has a config_version below 12.0"

    def check(self, ctx: Context) -> Iterable[RuleFinding]:
        for vm in judged_vms(ctx.model):
            if not _partitioned(vm) or (reason := gpu_unsupported(vm)) is None:
                continue
            if vm.gpu_partitions == 1:
                partitions = "a GPU partition, which needs"
            else:
                partitions = f"{vm.gpu_partitions} GPU partitions, which need"
            message = (
                f"{vm.describe()} has {partitions} {GPU_PLATFORM} and configuration version "
                f"{GPU_CONFIG_VERSION:.1f}: {reason}"
            )
            yield ctx.finding(vm, message, at="gpu_partitions")


def _gpu_key(host: Host) -> str:
    return " ".join((host.gpu or "").split()).casefold()


def _describe_gpu(host: Host, unit: str = " partitions") -> str:
    partitions = f" in {host.gpu_partition_count}{unit}" if host.gpu_partition_count is not None else ""
    return f"{' '.join((host.gpu or '').split())}{partitions}"


def _mismatched(host: Host, other: Host) -> bool:
    if _gpu_key(host) != _gpu_key(other):
        return True
    counts = (host.gpu_partition_count, other.gpu_partition_count)
    return None not in counts and counts[0] != counts[1]


def _gpu_judged(vm: VM) -> bool:
    return needs_gpu(vm) and may_move(vm)


class GPUPartitionHostMissing(Rule):
    """A possible owner of a VM with GPU partitions has no partitionable GPU, or another one.

    **What it checks.** Every `vm` with `gpu_partitions` of 1 or more that HV703 does not report, against
    each of its possible owners other than its host. An owner without `gpu` is an error. An owner whose
    `gpu` (compared case-insensitively, spaces ignored) or `gpu_partition_count` differs from the VM's
    host's is a warning (an unset count is no difference). The findings point at `gpu_partitions`: at most
    one error and one warning per VM.

    **Why it matters.** A VM's GPU partition has to come from a partitionable GPU on the host it runs on:
    without one it cannot start there or move there. Microsoft supports GPU partitioning only on a
    homogeneous configuration (same make, model and partition count), so a move between different GPUs is
    unsupported even where it works.

    **How to fix it.** Install the same partitionable GPU, split into as many partitions, on every
    possible owner, or remove the hosts without it from `possible_owners`.

    **Example.**
    ```hvc
    host "HV01" { ...  gpu = "NVIDIA A16"  gpu_partition_count = 8 }
    host "HV02" { ... }                                            # HV704: no partitionable GPU
    vm "VDI07" { host = HV01  memory = 8GiB  gpu_partitions = 1 }
    ```
    passes with `gpu = "NVIDIA A16"  gpu_partition_count = 8` on HV02 too.
    """

    code = "HV704"
    name = "gpu-partition-host-missing"
    severity = "error"
    severity_note = "error for a missing GPU; warning for a mismatched GPU"
    summary = "a possible owner of a VM with GPU partitions has no partitionable GPU, or another one"

    def check(self, ctx: Context) -> Iterable[RuleFinding]:
        for vm in judged_vms(ctx.model):
            if not _gpu_judged(vm):
                continue
            owners = destinations(vm)
            missing = [owner for owner in owners if owner.gpu is None]
            if missing:
                message = (
                    f"{vm.describe()} has a GPU partition but {names(missing)} "
                    f"{agree(missing, 'has', 'have')} no partitionable GPU: it cannot start on or "
                    f"move to {names(missing, 'or')}"
                )
                yield ctx.finding(vm, message, at="gpu_partitions")
            host = vm.host
            if host is None or host.gpu is None:
                continue
            differing = [owner for owner in owners if owner.gpu is not None and _mismatched(owner, host)]
            if differing:
                others = ", ".join(
                    f"{owner.name} has {_describe_gpu(owner)}"
                    for owner in sorted(differing, key=lambda h: h.name.casefold())
                )
                message = (
                    f"{vm.describe()}'s possible owners differ in GPUs: {others}, its host {host.name} "
                    f"{_describe_gpu(host, '')}; GPU partitioning is unsupported on a mixed configuration"
                )
                yield ctx.finding(vm, message, at="gpu_partitions", severity="warning")


class GPUPartitionRestartNotLive(Rule):
    """A GPU-partitioned VM would be restarted, not live-migrated, for lack of IOMMU DMA bit tracking.

    **What it checks.** Every running or paused `vm` with `gpu_partitions` of 1 or more that HV703 does
    not report, and each of its other possible owners that has a `gpu`. It fires when the VM's host or
    that owner does not have `iommu_dirty_tracking = true`. The finding points at `gpu_partitions`, once
    per VM, naming the hosts without it.

    **Why it matters.** Live-migrating a VM with a GPU partition needs processors that track DMA writes in
    the IOMMU (AMD EPYC 7002 and later, 4th Gen Intel Xeon Scalable). Without them, "the VMs are
    automatically restarted where GPU resources are available": the move completes, with the downtime of
    a restart. hvlint leaves such moves out of the pre-copy estimate.

    **How to fix it.** Move the VM only between hosts with such processors, and write
    `iommu_dirty_tracking = true` on them; or accept the restart.

    **Example.**
    ```hvc
    host "HV01" { ...  gpu = "NVIDIA A16"  iommu_dirty_tracking = true }
    host "HV02" { ...  gpu = "NVIDIA A16" }                         # HV705: no IOMMU DMA bit tracking
    ```
    passes with `iommu_dirty_tracking = true` on HV02 too.
    """

    code = "HV705"
    name = "gpu-partition-restart-not-live"
    severity = "warning"
    summary = "a host of a GPU-partitioned VM's move lacks IOMMU DMA bit tracking: the VM is restarted"

    def check(self, ctx: Context) -> Iterable[RuleFinding]:
        for vm in judged_vms(ctx.model):
            if not _gpu_judged(vm) or not vm.live_migrated or vm.host is None:
                continue
            targets = [owner for owner in destinations(vm) if owner.gpu is not None]
            lacking = [host for host in (vm.host, *targets) if not host.iommu_dirty_tracking]
            if not targets or not lacking:
                continue
            affected = targets if not vm.host.iommu_dirty_tracking else [t for t in targets if t in lacking]
            verb = agree(lacking, "lacks", "lack")
            message = (
                f"{vm.describe()} has a GPU partition and {names(lacking)} {verb} IOMMU DMA bit tracking: a "
                f"move to {names(affected, 'or')} restarts the VM instead of live-migrating it"
            )
            yield ctx.finding(vm, message, at="gpu_partitions")


class VirtualSANMissing(Rule):
    """A VM's virtual Fibre Channel adapter connects to a virtual SAN that a possible owner lacks.

    **What it checks.** Each entry of every `vm`'s `fibre_channel` (the virtual SAN an adapter connects
    to), against every possible owner, its host included: the owner's `virtual_sans` must list a SAN of
    that name (case-insensitive). The finding points at the entry, naming every host that lacks it.

    **Why it matters.** A virtual Fibre Channel adapter is bound to a virtual SAN by name. For a live
    migration Hyper-V switches the adapter to its second WWN set on the destination, which needs the same
    SAN there; failover cluster validation checks that the nodes' virtual SANs are compatible. What a
    live migration to a host without the SAN reports is unverified.

    **How to fix it.** Create the virtual SAN on every possible owner (`New-VMSan -Name Production`) and
    add it to their `virtual_sans`, or remove the hosts from `possible_owners`.

    **Example.**
    ```hvc
    host "HV01" { ...  virtual_sans = ["Production"] }
    host "HV02" { ... }                                          # lacks the SAN
    vm "SQL01" { host = HV01  memory = 16GiB  fibre_channel = ["Production"] }   # HV706
    ```
    passes with `virtual_sans = ["Production"]` on HV02 too.
    """

    code = "HV706"
    name = "virtual-san-missing"
    severity = "error"
    summary = "a VM's virtual Fibre Channel adapter connects to a virtual SAN that a possible owner lacks"

    def check(self, ctx: Context) -> Iterable[RuleFinding]:
        lacking_of: dict[tuple[tuple[Host, ...], str], list[Host]] = {}
        for vm in judged_vms(ctx.model):
            if not vm.fibre_channel or not vm.valid("fibre_channel", "possible_owners"):
                continue
            for index, san in enumerate(vm.fibre_channel):
                lacking = owners_lacking_san(vm.possible_owners, san, lacking_of)
                if lacking:
                    verb = agree(lacking, "lacks", "lack")
                    message = (
                        f"virtual Fibre Channel adapter of {vm.describe()} connects to virtual SAN '{san}', "
                        f"which {names(lacking)} {verb}; create it there (New-VMSan) and list it in "
                        f"virtual_sans"
                    )
                    yield ctx.finding(vm, message, at="fibre_channel", index=index)


class PassthroughDiskCannotMove(Rule):
    """A pass-through disk cannot follow its VM to a possible owner.

    **What it checks.** Each entry of `passthrough_disks` of a `vm` that has a possible owner other than
    its host. For a VM on a standalone host it always fires. For a clustered VM it fires when the entry is
    not a `storage` of kind `disk`, or is one whose `hosts` lacks one of the VM's possible owners. The
    finding points at the entry.

    **Why it matters.** A highly available VM's pass-through disk must be a cluster physical disk
    resource, which the cluster moves to the node the VM moves to; a disk of one host alone stays behind.
    Between standalone hosts a move copies the storage first, and storage migration moves only virtual
    hard disks, never pass-through storage.

    **How to fix it.** Convert the disk to a VHDX (or to virtual Fibre Channel). In a cluster, make it a
    cluster disk resource that every possible owner can own: `storage "Disk 4" { kind = disk }`.

    **Example.**
    ```hvc
    vm "SQL01" { host = HV01  memory = 16GiB  passthrough_disks = ["Disk 4"] }   # HV707
    ```
    passes in a cluster that declares `storage "Disk 4" { kind = disk }`.
    """

    code = "HV707"
    name = "passthrough-disk-cannot-move"
    severity = "error"
    summary = "a pass-through disk cannot follow the VM to a possible owner"

    def check(self, ctx: Context) -> Iterable[RuleFinding]:
        unreachable_of: dict[tuple[Storage, tuple[Host, ...]], list[Host]] = {}
        for vm in judged_vms(ctx.model):
            if not vm.passthrough_disks or not vm.valid("passthrough_disks") or not may_move(vm):
                continue
            for index, entry in enumerate(vm.passthrough_disks):
                message = self._message(vm, entry, unreachable_of)
                if message is not None:
                    yield ctx.finding(vm, message, at="passthrough_disks", index=index)

    @staticmethod
    def _message(
        vm: VM, entry: str, unreachable_of: dict[tuple[Storage, tuple[Host, ...]], list[Host]]
    ) -> str | None:
        targets = destinations(vm)
        if movable_standalone(vm):
            return (
                f"pass-through disk '{entry}' of {vm.describe()} cannot be copied to {names(targets, 'or')}: "
                f"storage migration moves only virtual hard disks"
            )
        assert vm.cluster is not None  # judged_vms: a VM that is not a movable standalone one is clustered
        storage = disk_storage(vm.cluster, entry)
        if storage is None:
            return (
                f"pass-through disk '{entry}' of {vm.describe()} is not a cluster disk resource: it cannot "
                f"follow the VM to {names(targets, 'or')}"
            )
        key = (storage, vm.possible_owners)
        unreachable = unreachable_of.get(key)
        if unreachable is None:
            owners = vm.possible_owners
            unreachable = unreachable_of[key] = [o for o in owners if disk_stays(False, storage, o)]
        if not unreachable:
            return None
        return (
            f"pass-through disk '{entry}' of {vm.describe()} is cluster disk {storage.qualified_name}, which "
            f"{names(unreachable)} cannot own: it cannot follow the VM to {names(unreachable, 'or')}"
        )


class PassthroughDiskLegacy(Rule):
    """A clustered VM keeps a pass-through disk as a cluster disk resource.

    **What it checks.** Each entry of a clustered `vm`'s `passthrough_disks` that names a `storage` of
    kind `disk` every possible owner can own (so that HV707 is silent). The finding points at the entry:
    info on a ws2008r2 cluster, a warning from ws2012 on (by the cluster's `platform`).

    **Why it matters.** On ws2008r2 Microsoft documents highly available VMs with pass-through cluster
    disks: the disk moves with the VM, but its storage can never be live-migrated. From ws2012 Microsoft's
    live-migration overview asks for virtual hard disks or virtual Fibre Channel; support for a
    pass-through disk there is unverified, so this is a warning rather than an error.

    **How to fix it.** Convert the disk to a VHDX on a CSV, or attach the LUN through virtual Fibre
    Channel, and remove it from `passthrough_disks`.

    **Example.**
    ```hvc
    storage "Disk 4" { kind = disk }
    vm "SQL01" { host = HV01  memory = 16GiB  passthrough_disks = ["Disk 4"] }   # HV708
    ```
    passes with the data on a VHDX: `disks = ['C:\\ClusterStorage\\Volume1\\SQL01\\data.vhdx']`.
    """

    code = "HV708"
    name = "passthrough-disk-legacy"
    severity = "warning"
    severity_note = "info on ws2008r2, else warning"
    summary = "a clustered VM keeps a pass-through disk as a cluster disk resource"

    def check(self, ctx: Context) -> Iterable[RuleFinding]:
        for cluster in ctx.model.clusters:
            for vm in cluster.vms:
                if not vm.passthrough_disks or not vm.valid("passthrough_disks", "possible_owners"):
                    continue
                for index, entry in enumerate(vm.passthrough_disks):
                    storage = disk_storage(cluster, entry)
                    if storage is None or storage.kind != "disk":
                        continue
                    if any(owner not in storage.hosts for owner in vm.possible_owners):
                        continue
                    moves = (
                        f"pass-through disk '{entry}' of {vm.describe()} moves with it as a cluster disk "
                        f"resource"
                    )
                    if cluster.platform == "ws2008r2":
                        message = f"{moves}; its storage can never be live-migrated"
                        yield ctx.finding(vm, message, at="passthrough_disks", index=index, severity="info")
                    else:
                        message = (
                            f"{moves}; live migration with a pass-through disk is not documented as "
                            f"supported on {cluster.platform}; convert it to VHDX or virtual Fibre Channel"
                        )
                        yield ctx.finding(vm, message, at="passthrough_disks", index=index)


class StandardCheckpoints(Rule):
    """A VM that may live-migrate has standard checkpoints.

    **What it checks.** Every running or paused `vm` with `checkpoint_type = standard`, at least one
    checkpoint (`checkpoints` of 1 or more) and a possible owner other than its host. The finding points
    at `checkpoint_type`. Without `checkpoints` the VM is not judged: the setting alone does no harm.

    **Why it matters.** Standard checkpoints hold the VM's memory state. Live-migrating a VM that has some
    is slow and may time out (Microsoft KB 4502868).

    **How to fix it.** Delete (merge) the standard checkpoints before moving the VM, and switch it to
    production checkpoints: `Set-VM -CheckpointType Production`, `checkpoint_type = production`.

    **Example.**
    ```hvc
    vm "DEV01" { host = HV01  memory = 8GiB  checkpoint_type = standard  checkpoints = 3 }   # HV709
    vm "DEV01" { host = HV01  memory = 8GiB  checkpoint_type = production  checkpoints = 3 } # passes
    ```
    """

    code = "HV709"
    name = "standard-checkpoints"
    severity = "warning"
    summary = "a VM that may live-migrate has standard checkpoints"

    def check(self, ctx: Context) -> Iterable[RuleFinding]:
        for vm in judged_vms(ctx.model):
            if vm.checkpoint_type != "standard" or not vm.checkpoints or not vm.live_migrated:
                continue
            if not may_move(vm) or not vm.valid("checkpoint_type", "checkpoints", "state"):
                continue
            message = (
                f"{vm.describe()} uses standard checkpoints and has {count(vm.checkpoints, 'checkpoint')}: "
                f"live-migrating a VM with standard checkpoints is slow and may time out (KB 4502868); "
                f"use production checkpoints"
            )
            yield ctx.finding(vm, message, at="checkpoint_type")


@hookimpl
def hvlint_rules() -> list[type[Rule]]:
    """hvlint's device and storage-kind rules."""
    return [
        DDAVMCannotLiveMigrate,
        DDAVMHighlyAvailable,
        GPUPartitioningUnsupported,
        GPUPartitionHostMissing,
        GPUPartitionRestartNotLive,
        VirtualSANMissing,
        PassthroughDiskCannotMove,
        PassthroughDiskLegacy,
        StandardCheckpoints,
    ]
