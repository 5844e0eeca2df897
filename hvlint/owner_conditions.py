"""What keeps a possible owner from taking a VM, for the conditions of HV106, HV702, HV703, HV704, HV706
and HV707 (rules-v2.md): shared by the rules that report them and by the drain, which never plans a move
a rule rules out (estimator-v2.md §4, "Only moves that `check` allows")."""

from __future__ import annotations

from hvlint.language.model import VM, Cluster, Host, Storage, platform_at_least

CONFIG_VERSIONS: dict[str, tuple[float, float]] = {
    "ws2012r2": (5.0, 5.0),
    "ws2016": (5.0, 8.0),
    "ws2019": (5.0, 9.0),
    "ws2022": (8.0, 10.0),
    "ws2025": (8.0, 12.0),
}
"""The VM configuration versions each platform runs, lowest and highest (rules.md, HV105). Platforms not
listed (ws2008r2, ws2012) are not checked."""

GPU_PLATFORM = "ws2025"
GPU_CONFIG_VERSION = 12.0
"""GPU partitioning on Windows Server needs ws2025 [S9] and configuration version 12.0 [S12]."""

CLUSTERED_DDA_SINCE = "ws2025"
"""The first functional level whose failover clusters run VMs with assigned devices [S6]."""


def movable_standalone(vm: VM) -> bool:
    """Whether `vm` runs on a standalone host of ws2012 or later and may move to another host
    (a movable standalone VM, language-v2.md § Derived terms, that rules-v2.md §A1 lets rules judge)."""
    host = vm.host
    return (
        vm.cluster is None
        and host is not None
        and platform_at_least(host.platform, "ws2012")
        and any(owner is not host for owner in vm.possible_owners)
    )


def runs_config_version(platform: str, version: float) -> bool:
    """Whether a host of `platform` runs a VM of configuration `version` (True for unlisted platforms)."""
    supported = CONFIG_VERSIONS.get(platform)
    return supported is None or supported[0] <= version <= supported[1]


def refuses_version(version: float, cluster: Cluster | None, owner: Host) -> bool:
    """HV106's condition for a VM of configuration `version` in `cluster` and one of its owners: the
    owner's effective platform does not run the version and differs from the cluster's (None: a movable
    standalone VM, whose every owner is judged)."""
    if not owner.valid("platform"):
        return False
    if cluster is not None and (not cluster.valid("platform") or owner.platform == cluster.platform):
        return False
    return not runs_config_version(owner.platform, version)


def owners_refusing_version(
    version: float,
    cluster: Cluster | None,
    owners: tuple[Host, ...],
    known: dict[tuple[float, Cluster | None, tuple[Host, ...]], list[Host]],
) -> list[Host]:
    """Those of `owners` that `refuses_version` holds for, in order; `known` keeps each answer for the VMs
    alike in version, cluster and owners (most VMs of a cluster share their owners)."""
    key = (version, cluster, owners)
    found = known.get(key)
    if found is None:
        found = known[key] = [owner for owner in owners if refuses_version(version, cluster, owner)]
    return found


def clustered_dda_refused(vm: VM) -> bool:
    """Whether the VM has assigned devices in a cluster whose functional level predates clustered DDA."""
    return (
        bool(vm.dda_devices)
        and vm.cluster is not None
        and not platform_at_least(vm.cluster.platform, CLUSTERED_DDA_SINCE)
    )


def dda_blocks_high_availability(vm: VM) -> bool:
    """Whether HV702 reports the VM as an error, which silences HV701 and HV103 (rules-v2.md §A2, HV702)."""
    return clustered_dda_refused(vm) and vm.highly_available and vm.valid("highly_available")


def dda_high_availability_finding(vm: VM) -> bool:
    """Whether HV702 reports the VM at all: a highly available VM with assigned devices in a cluster before
    ws2025, or on ws2025 without `dda_pool` (rules-v2.md §F 9). Such a VM stays out of HV603 (§F 15b)."""
    cluster = vm.cluster
    if cluster is None or not cluster.valid("platform") or not vm.dda_devices or not vm.highly_available:
        return False
    if not vm.valid("dda_devices", "highly_available"):
        return False
    return clustered_dda_refused(vm) or vm.dda_pool is None


def gpu_unsupported(vm: VM) -> str | None:
    """Why the VM's GPU partitions cannot work at all (HV703), or None."""
    reasons = []
    if vm.host is not None and vm.valid("host") and not platform_at_least(vm.host.platform, GPU_PLATFORM):
        reasons.append(f"its host {vm.host.name} runs {vm.host.platform}")
    if (
        vm.config_version is not None
        and vm.valid("config_version")
        and vm.config_version < GPU_CONFIG_VERSION
    ):
        reasons.append(f"its configuration version is {vm.config_version:.1f}")
    return " and ".join(reasons) or None


def needs_gpu(vm: VM) -> bool:
    """Whether HV704 judges the VM's owners: it has GPU partitions that HV703 does not rule out."""
    return vm.gpu_partitions >= 1 and vm.valid("gpu_partitions") and gpu_unsupported(vm) is None


def has_san(host: Host, san: str) -> bool:
    """Whether the host's `virtual_sans` lists a SAN of that name (case-insensitive), HV706's test."""
    wanted = san.casefold()
    return any(own.casefold() == wanted for own in host.virtual_sans)


def owners_lacking_san(
    owners: tuple[Host, ...], san: str, known: dict[tuple[tuple[Host, ...], str], list[Host]]
) -> list[Host]:
    """Those of `owners` that `has_san` does not hold for, in order; `known` keeps each answer for the
    VMs alike in owners and SAN name (most VMs of a cluster share their owners)."""
    key = (owners, san.casefold())
    found = known.get(key)
    if found is None:
        found = known[key] = [owner for owner in owners if not has_san(owner, san)]
    return found


def disk_storage(cluster: Cluster, entry: str) -> Storage | None:
    """The storage of `cluster` a pass-through disk entry names, if any (case-insensitive)."""
    wanted = entry.casefold()
    return next((s for s in cluster.storage if s.name.casefold() == wanted), None)


def disk_stays(standalone: bool, storage: Storage | None, owner: Host) -> bool:
    """HV707's condition for a pass-through disk and an owner other than its VM's host: the disk cannot
    follow the VM there. Any owner of a movable standalone VM (`standalone`); in a cluster, an entry that
    names no storage (`storage` None), or a `disk` storage the owner cannot own."""
    if standalone or storage is None:
        return True
    return storage.valid("hosts") and owner not in storage.hosts
