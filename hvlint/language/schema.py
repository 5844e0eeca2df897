"""The schema of language.md §3: which blocks stand where and which attributes each takes."""

from __future__ import annotations

from hvlint.language import units
from hvlint.language.model import PLATFORMS
from hvlint.language.values import (
    Boolean,
    Cidr,
    Enum,
    ListOf,
    Number,
    Quantity,
    Reference,
    Text,
    ValueType,
)

PLATFORM = Enum(PLATFORMS)

PROCESSOR: dict[str, ValueType] = {
    "vendor": Enum(("amd", "intel")),
    "family": Number(integer=True),
    "model": Number(integer=True),
    "features": ListOf(Text()),
}

CLUSTER: dict[str, ValueType] = {
    "platform": PLATFORM,
    "failover_clustering": Boolean(),
    "max_migrations": Number(integer=True, minimum=1),
    "migration_transport": Enum(("tcp", "compression", "smb")),
    "max_downtime": Quantity(units.DURATION),
    "domain": Text(),
}

NETWORK: dict[str, ValueType] = {
    "roles": ListOf(Enum(("live_migration", "management", "client", "cluster", "storage"))),
    "bandwidth": Quantity(units.RATE),
    "subnet": Cidr(),
}

STORAGE: dict[str, ValueType] = {
    "kind": Enum(("csv", "smb", "local", "disk")),
    "path": Text(),
    "hosts": ListOf(Reference("host")),
}

HOST: dict[str, ValueType] = {
    "processor": Reference("processor"),
    "memory": Quantity(units.SIZE),
    "networks": ListOf(Reference("network")),
    "switches": ListOf(Text()),
    "platform": PLATFORM,
    "memory_reserve": Quantity(units.SIZE),
    "logical_processors": Number(integer=True, minimum=1),
    "numa_nodes": Number(integer=True, minimum=1),
    "numa_spanning": Boolean(),
    "gpu": Text(),
    "gpu_partition_count": Number(integer=True, minimum=1),
    "iommu_dirty_tracking": Boolean(),
    "virtual_sans": ListOf(Text()),
    "guarded": Boolean(),
    "guardians": ListOf(Text()),
    "domain": Text(),
    "trusted_domains": ListOf(Text()),
    "live_migration": Boolean(),
    "migration_networks": ListOf(Cidr()),
    "migration_bandwidth": Quantity(units.RATE),
    "migration_authentication": Enum(("credssp", "kerberos")),
    "delegate_migration": ListOf(Reference("host")),
    "delegate_cifs": ListOf(Reference("host")),
    "max_migrations": Number(integer=True, minimum=1),
    "migration_transport": Enum(("tcp", "compression", "smb")),
    "max_downtime": Quantity(units.DURATION),
}

STANDALONE_ONLY = (
    "domain",
    "trusted_domains",
    "live_migration",
    "migration_networks",
    "migration_bandwidth",
    "migration_authentication",
    "delegate_migration",
    "delegate_cifs",
    "max_migrations",
    "migration_transport",
    "max_downtime",
)
"""Host attributes that only a standalone host takes: inside a cluster, the cluster's settings govern
live migration (language-v2.md §3)."""

DISK: dict[str, ValueType] = {
    "size": Quantity(units.SIZE),
}

VM: dict[str, ValueType] = {
    "host": Reference("host"),
    "state": Enum(("running", "off", "saved", "paused")),
    "memory": Quantity(units.SIZE),
    "dirty_rate": Quantity(units.RATE),
    "working_set": Quantity(units.SIZE),
    "compatibility_mode": Enum(("off", "minimum", "cluster"), aliases={"false": "off", "true": "minimum"}),
    "config_version": Number(),
    "highly_available": Boolean(),
    "possible_owners": ListOf(Reference("host")),
    "disks": ListOf(Text()),
    "dvd": ListOf(Text()),
    "config_path": Text(),
    "adapters": ListOf(Text()),
    "max_downtime": Quantity(units.DURATION),
    "processors": Number(integer=True, minimum=1),
    "dynamic_memory": Boolean(),
    "startup_memory": Quantity(units.SIZE),
    "dda_devices": ListOf(Text()),
    "dda_pool": Text(),
    "gpu_partitions": Number(integer=True, minimum=0),
    "fibre_channel": ListOf(Text()),
    "passthrough_disks": ListOf(Text()),
    "checkpoint_type": Enum(("production", "production_only", "standard", "disabled")),
    "checkpoints": Number(integer=True, minimum=0),
    "vtpm": Boolean(),
    "shielded": Boolean(),
    "key_protector": Text(),
}

ATTRIBUTES = {
    "processor": PROCESSOR,
    "cluster": CLUSTER,
    "network": NETWORK,
    "storage": STORAGE,
    "host": HOST,
    "vm": VM,
    "disk": DISK,
}

REQUIRED = {
    "processor": ("vendor", "features"),
    "cluster": (),
    "network": ("roles",),
    "storage": ("kind",),
    "host": ("processor", "memory"),
    "vm": ("memory",),
    "disk": (),
}

BLOCKS = {
    "file": ("processor", "cluster", "host"),
    "cluster": ("processor", "network", "storage", "host", "vm"),
    "host": ("processor", "vm"),
    "vm": ("disk",),
}

DEFAULT_BANDWIDTH = 1e9 / 8


def default_max_migrations(platform: str) -> int:
    """Simultaneous live migrations a host runs by default on `platform`."""
    return 2 if platform in ("ws2012", "ws2012r2", "ws2016", "ws2019") else 1


def default_transport(platform: str) -> str:
    """How memory is sent by default on `platform`: TCP up to ws2012, compression from ws2012r2."""
    return "tcp" if platform in ("ws2008r2", "ws2012") else "compression"
