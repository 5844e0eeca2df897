"""Which moves of a VM with devices are live migrations at all (rules-v2.md §A6, HV701, HV705): a VM
with devices assigned by DDA is never live-migrated, and a VM with GPU partitions only between hosts that
track DMA writes in the IOMMU."""

from __future__ import annotations

from hvlint.estimator.links import NoEstimate
from hvlint.language.model import VM, Host
from hvlint.language.standalone import destinations


def not_live(vm: VM) -> NoEstimate | None:
    """Why no move of the VM is a live migration, with the reason a drain lists it with (`dda` or
    `gpu-restart`), or None when some may be."""
    if vm.dda_devices:
        return NoEstimate("devices assigned by DDA: it moves only by shutting down (HV701)", False, "dda")
    if vm.gpu_partitions >= 1 and not live_owners(vm):
        reason = "GPU partition without IOMMU DMA bit tracking: every move restarts it (HV705)"
        return NoEstimate(reason, False, "gpu-restart")
    return None


def live_owners(vm: VM) -> tuple[Host, ...]:
    """The possible owners other than its host that the VM may live-migrate to: for a VM with GPU
    partitions, those with a partitionable GPU and IOMMU DMA bit tracking, when its host has it too."""
    others = destinations(vm)
    if vm.gpu_partitions < 1:
        return others
    if vm.host is None or not vm.host.iommu_dirty_tracking:
        return ()
    return tuple(owner for owner in others if owner.gpu is not None and owner.iommu_dirty_tracking)
