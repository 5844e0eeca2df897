"""HV004 for the version 2 attributes of devices, storage kinds, VM security and mixed-OS clusters whose
values are each valid but do not go together (rules-v2.md §A8, §F point 11; language-v2.md §3).

Each check marks the attribute it reports as in error, so that the model takes its default and no rule
judges what follows from it.
"""

from __future__ import annotations

from collections.abc import Mapping

from hvlint.diagnostics import INVALID_VALUE, Message
from hvlint.language.model import Cluster, Storage, platform_at_least
from hvlint.language.syntax import token_span

TYPE_CHECKING = False
if TYPE_CHECKING:
    from hvlint.language.resolve import Resolver, _Read
    from hvlint.language.syntax import RawBlock

MAX_FIBRE_CHANNEL_ADAPTERS = 4
"""Virtual Fibre Channel adapters a VM may have [S10]."""

NODE_PLATFORM_BEFORE_ROLLING_UPGRADE = Message(
    INVALID_VALUE,
    "host {host} sets its own platform, but cluster {cluster} runs at functional level {level}: rolling "
    "upgrades (mixed-OS clusters) start at ws2012r2; remove `platform` from the host",
)
NODE_OLDER_THAN_CLUSTER = Message(
    INVALID_VALUE,
    "host {host} runs {platform}, older than its cluster's functional level {level}: a node older than the "
    "functional level cannot join; write the release it runs on the cluster, or upgrade the host",
)
PARTITION_COUNT_WITHOUT_GPU = Message(
    INVALID_VALUE,
    '{subject} sets gpu_partition_count but no `gpu`: name its partitionable GPU, e.g. gpu = "NVIDIA A16"',
)
DISK_STORAGE_PATH = Message(
    INVALID_VALUE,
    "{subject} is a cluster disk resource (kind = disk), which has no path; remove `path` and name the "
    "storage in a VM's `passthrough_disks`",
)
NEEDS_RELEASE = Message(
    INVALID_VALUE,
    "{feature} needs {release} or later, but host {host} of {subject} runs {platform}",
)
NEEDS_CONFIG_VERSION = Message(
    INVALID_VALUE,
    "{feature} needs configuration version {needed} or later, but {subject} has {version}: upgrade it "
    "(Update-VMVersion) or {instead}",
)
TOO_MANY_FIBRE_CHANNEL = Message(
    INVALID_VALUE,
    "{subject} has {count} virtual Fibre Channel adapters, but a VM has at most {limit}: remove {extra}",
)
SHIELDED_WITHOUT_VTPM = Message(
    INVALID_VALUE,
    "{subject} is shielded, and a shielded VM has a virtual TPM: remove `vtpm = false`",
)
DYNAMIC_MEMORY_WITH_DDA = Message(
    INVALID_VALUE,
    "{subject} has devices assigned by Discrete Device Assignment (`dda_devices`), and Hyper-V does not "
    "allow dynamic memory with an assigned device: set dynamic_memory = false",
)
PASSTHROUGH_NOT_DISK_STORAGE = Message(
    INVALID_VALUE,
    "pass-through disk '{entry}' of {subject} names storage {storage}, of kind {kind}: only a storage of "
    "kind `disk` (a cluster disk resource) can be a pass-through disk",
)


_VM_DEVICE_ATTRIBUTES = frozenset(
    {"dda_devices", "fibre_channel", "checkpoint_type", "shielded", "vtpm", "passthrough_disks"}
)
"""The attributes `check_vm` judges: a VM that sets none of them has nothing to check."""


def _version(value: float) -> str:
    return f"{value:.1f}" if float(value).is_integer() else f"{value:g}"


def check_cluster_node(resolver: Resolver, read: _Read, cluster: Cluster, host: str) -> None:
    """A node's own `platform`: only in a cluster at ws2012r2 or later, and never older than the cluster's
    (language-v2.md, host `platform`)."""
    if "platform" not in read.values or not cluster.valid("platform"):
        return
    platform = read.values["platform"]
    span = read.value_span("platform")
    if not platform_at_least(cluster.platform, "ws2012r2"):
        message = NODE_PLATFORM_BEFORE_ROLLING_UPGRADE
    elif not platform_at_least(platform, cluster.platform):
        message = NODE_OLDER_THAN_CLUSTER
    else:
        return
    resolver.emit(
        message,
        span,
        f"host {cluster.name}/{host}",
        host=host,
        cluster=cluster.name,
        level=cluster.platform,
        platform=platform,
    )
    read.errors.add("platform")


def check_host_gpu(resolver: Resolver, read: _Read, subject: str) -> None:
    """`gpu_partition_count` only with `gpu`."""
    if "gpu_partition_count" in read.values and "gpu" not in read.keys:
        resolver.emit(
            PARTITION_COUNT_WITHOUT_GPU, read.value_span("gpu_partition_count"), subject, subject=subject
        )
        read.errors.add("gpu_partition_count")


def check_storage_path(resolver: Resolver, read: _Read, block: RawBlock, subject: str) -> None:
    """`path` is required on every storage but a `disk` one, which takes none."""
    if "kind" in read.errors:
        return
    if read.get("kind") == "disk":
        if "path" in read.keys:
            resolver.emit(DISK_STORAGE_PATH, read.value_span("path"), subject, subject=subject)
            read.errors.add("path")
    elif "path" not in read.keys:
        from hvlint.diagnostics import MISSING_ATTRIBUTE

        resolver.emit(MISSING_ATTRIBUTE, token_span(block.kind), subject, subject=subject, name="path")
        read.errors.add("path")


def check_dda_memory(resolver: Resolver, read: _Read, subject: str) -> None:
    """`dynamic_memory = true` never with `dda_devices` (language-v2.md, vm `dda_devices`): HV004 at
    `dynamic_memory`, which is then read as false. Runs before the VM's memory is read."""
    if read.get("dda_devices") and read.get("dynamic_memory"):
        resolver.emit(DYNAMIC_MEMORY_WITH_DDA, read.value_span("dynamic_memory"), subject, subject=subject)
        read.errors.add("dynamic_memory")


def check_vm(
    resolver: Resolver,
    read: _Read,
    subject: str,
    host: str | None,
    platform: str,
    storage: Mapping[str, Storage],
) -> None:
    """The VM's devices and security settings against its host's release, its configuration version and
    each other; `platform` is the effective platform of its host, `storage` its cluster's by folded name."""
    if read.values.keys().isdisjoint(_VM_DEVICE_ATTRIBUTES):
        return
    release = {"host": host or "?", "subject": subject, "platform": platform}

    def needs(attribute: str, feature: str, wanted: str) -> bool:
        if host is None or platform_at_least(platform, wanted):
            return False
        resolver.emit(
            NEEDS_RELEASE, read.value_span(attribute), subject, feature=feature, release=wanted, **release
        )
        read.errors.add(attribute)
        return True

    version = read.get("config_version")

    def needs_version(attribute: str, feature: str, needed: float, instead: str) -> None:
        if version is None or version >= needed:
            return
        resolver.emit(
            NEEDS_CONFIG_VERSION,
            read.value_span(attribute),
            subject,
            feature=feature,
            needed=_version(needed),
            subject=subject,
            version=_version(version),
            instead=instead,
        )
        read.errors.add(attribute)

    if read.get("dda_devices"):
        needs("dda_devices", "assigning devices by Discrete Device Assignment", "ws2016")
    channels = read.get("fibre_channel") or []
    over = len(channels) > MAX_FIBRE_CHANNEL_ADAPTERS
    if channels and not needs("fibre_channel", "virtual Fibre Channel", "ws2012") and over:
        extra = len(channels) - MAX_FIBRE_CHANNEL_ADAPTERS
        resolver.emit(
            TOO_MANY_FIBRE_CHANNEL,
            token_span(channels[MAX_FIBRE_CHANNEL_ADAPTERS][1]),
            subject,
            subject=subject,
            count=len(channels),
            limit=MAX_FIBRE_CHANNEL_ADAPTERS,
            extra=extra,
        )
        read.errors.add("fibre_channel")
    checkpoints = read.get("checkpoint_type")
    if checkpoints in ("production", "production_only"):
        feature = f"checkpoint_type = {checkpoints}"
        if not needs("checkpoint_type", feature, "ws2016"):
            needs_version("checkpoint_type", feature, 6.2, "use checkpoint_type = standard")
    vtpm_off = "vtpm" in read.values and read.get("vtpm") is False
    if read.get("shielded") and not needs("shielded", "a shielded VM", "ws2016") and vtpm_off:
        resolver.emit(SHIELDED_WITHOUT_VTPM, read.value_span("vtpm"), subject, subject=subject)
        read.errors.add("vtpm")
    if read.get("vtpm") and not needs("vtpm", "a virtual TPM", "ws2016"):
        needs_version("vtpm", "a virtual TPM", 7.0, "remove vtpm = true")
    for entry, token in read.get("passthrough_disks") or []:
        named = storage.get(entry.casefold())
        if named is not None and named.kind != "disk":
            resolver.emit(
                PASSTHROUGH_NOT_DISK_STORAGE,
                token_span(token),
                subject,
                entry=entry,
                subject=subject,
                storage=named.qualified_name,
                kind=named.kind,
            )
            read.errors.add("passthrough_disks")
