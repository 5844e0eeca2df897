"""The resolved model of a `.hvc` file: typed, immutable objects with positions (language.md §3, §4).

Quantities are in base units (bytes, bytes per second, seconds); references are the objects themselves.
Every object knows where it was declared (`span`, the kind keyword of its block), where each attribute's
key and value stand, and which attributes the file got wrong (`errors`), so that rules can stay silent
about what follows from a value in error.

Objects are built with keyword arguments and never change once made: their attributes are `Final`, so mypy
refuses an assignment, and under `strict_model` (which hvlint's tests turn on) Python does too (the classes
are plain slots classes: a frozen dataclass set each attribute through `object.__setattr__`, which cost a
check of the largest cluster more than building its VMs needs). `replace` makes a changed copy. Where two
point at each other (a cluster and its hosts, a host and its VMs), the one made first holds a `Later` that the
resolver gives, once, what it contains.
"""

from __future__ import annotations

from hvlint.language.positions import (
    PackedSpan,
    PackedValue,
    Positions,
    SpanView,
    pack_span,
    pack_token,
    pack_value,
    unpack,
)
from hvlint.language.syntax import Span
from hvlint.lean_typing import Generic, NamedTuple, TypeVar
from hvlint.records import replace

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import ClassVar, Final

__all__ = [
    "PLATFORMS",
    "VM",
    "Cluster",
    "ClusterContents",
    "Disk",
    "Host",
    "Later",
    "Model",
    "Network",
    "Node",
    "PackedSpan",
    "PackedValue",
    "Positions",
    "Processor",
    "SpanView",
    "Storage",
    "name_key",
    "pack_span",
    "pack_token",
    "pack_value",
    "platform_at_least",
    "replace",
    "unpack",
]

PLATFORMS = ("ws2008r2", "ws2012", "ws2012r2", "ws2016", "ws2019", "ws2022", "ws2025")


def name_key(node: Node) -> tuple[str, str]:
    """Name order: case-insensitive, as Windows compares names, then by spelling (deterministic)."""
    return (node.name.casefold(), node.name)


def platform_at_least(platform: str, release: str) -> bool:
    """Whether `platform` is `release` or a later Windows Server release."""
    return PLATFORMS.index(platform) >= PLATFORMS.index(release)


_T = TypeVar("_T")


def _set_once(obj: object, name: str, value: object) -> None:
    """Sets an attribute not set yet: what a model object does under `strict_model`."""
    if hasattr(obj, name):
        raise AttributeError(f"cannot assign to {name!r} of a {type(obj).__name__}: the model never changes")
    object.__setattr__(obj, name, value)


def strict_model() -> None:
    """Makes every model object refuse, from now on and in this process, an assignment to an attribute it
    already has (building objects stays as it is). hvlint's own tests run this way, so that no rule of
    theirs changes the model; a check does not, since the test of each assignment would slow it down."""
    for kind in (Node, Disk, Model):
        kind.__setattr__ = _set_once  # type: ignore[method-assign]


class Later(Generic[_T]):
    """A value given once, after the object that holds it was made (until then, the default it was made
    with): how a frozen cluster comes to hold hosts that point back at it."""

    __slots__ = ("_given", "_value")

    def __init__(self, default: _T) -> None:
        self._value = default
        self._given = False

    def give(self, value: _T) -> None:
        """Sets the value; a second call is a bug in the resolver (RuntimeError)."""
        if self._given:
            raise RuntimeError("a model object's contents were given twice")
        self._value = value
        self._given = True

    def get(self) -> _T:
        """The value given, or the default."""
        return self._value


class Node:
    """What every model object shares: its block kind, its name, its positions and the attributes in error."""

    __slots__ = ()
    block_kind: ClassVar[str]
    if TYPE_CHECKING:  # each kind of object sets them

        @property
        def name(self) -> str: ...

        @property
        def positions(self) -> Positions: ...

        @property
        def errors(self) -> frozenset[str]: ...

    @property
    def span(self) -> Span:
        """The kind keyword of the object's block."""
        return self.positions.header

    def valid(self, *attributes: str) -> bool:
        """Whether none of `attributes` was in error in the file (so rules may judge them)."""
        return not self.errors or self.errors.isdisjoint(attributes)

    @property
    def qualified_name(self) -> str:
        """The object's name within its file, e.g. `HVC-PROD/SQL01`."""
        return self.name

    @property
    def parent(self) -> Node | None:
        """The object whose block encloses this one's, or None at top level."""
        return None

    def describe(self) -> str:
        """`kind qualified-name`, as findings name the object they are about."""
        return f"{self.block_kind} {self.qualified_name}"

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.qualified_name}>"


class _InCluster(Node):
    """An object that belongs to its cluster, if it has one, and is named within it."""

    __slots__ = ()
    if TYPE_CHECKING:

        @property
        def cluster(self) -> Cluster | None: ...

    @property
    def qualified_name(self) -> str:
        return f"{self.cluster.name}/{self.name}" if self.cluster else self.name

    @property
    def parent(self) -> Node | None:
        return self.cluster


class Processor(_InCluster):
    """A processor model: vendor, CPUID family and model, and feature flags (lower-case)."""

    __slots__ = ("cluster", "errors", "family", "features", "model", "name", "origin", "positions", "vendor")
    block_kind: ClassVar[str] = "processor"
    name: Final[str]
    vendor: Final[str]
    family: Final[int | None]
    model: Final[int | None]
    features: Final[frozenset[str]]
    positions: Final[Positions]
    errors: Final[frozenset[str]]
    cluster: Final[Cluster | None]
    origin: Final[str]

    def __init__(
        self,
        *,
        name: str,
        vendor: str,
        family: int | None,
        model: int | None,
        features: frozenset[str],
        positions: Positions,
        errors: frozenset[str] = frozenset(),
        cluster: Cluster | None = None,
        origin: str = "file",
    ) -> None:
        self.name = name
        self.vendor = vendor
        self.family = family
        self.model = model
        self.features = features
        self.positions = positions
        self.errors = errors
        self.cluster = cluster
        self.origin = origin


class Network(_InCluster):
    """A network of a cluster: the traffic it carries and each host adapter's link speed."""

    __slots__ = ("bandwidth", "cluster", "errors", "name", "positions", "roles", "subnet")
    block_kind: ClassVar[str] = "network"
    name: Final[str]
    cluster: Final[Cluster]
    roles: Final[frozenset[str]]
    bandwidth: Final[float]
    subnet: Final[str | None]
    positions: Final[Positions]
    errors: Final[frozenset[str]]

    def __init__(
        self,
        *,
        name: str,
        cluster: Cluster,
        roles: frozenset[str],
        bandwidth: float,
        subnet: str | None,
        positions: Positions,
        errors: frozenset[str] = frozenset(),
    ) -> None:
        self.name = name
        self.cluster = cluster
        self.roles = roles
        self.bandwidth = bandwidth
        self.subnet = subnet
        self.positions = positions
        self.errors = errors


class Storage(_InCluster):
    """A storage of a cluster: a CSV, an SMB share, or one host's local disk."""

    __slots__ = ("cluster", "errors", "hosts", "kind", "name", "path", "positions")
    block_kind: ClassVar[str] = "storage"
    name: Final[str]
    cluster: Final[Cluster]
    kind: Final[str]
    path: Final[str]
    hosts: Final[tuple[Host, ...]]
    positions: Final[Positions]
    errors: Final[frozenset[str]]

    def __init__(
        self,
        *,
        name: str,
        cluster: Cluster,
        kind: str,
        path: str,
        hosts: tuple[Host, ...],
        positions: Positions,
        errors: frozenset[str] = frozenset(),
    ) -> None:
        self.name = name
        self.cluster = cluster
        self.kind = kind
        self.path = path
        self.hosts = hosts
        self.positions = positions
        self.errors = errors

    @property
    def shared(self) -> bool:
        """Whether every host it lists reaches it over the cluster (CSV or SMB)."""
        return self.kind in ("csv", "smb")


class Host(_InCluster):
    """A Hyper-V host, in a cluster or standalone (`cluster` is None). The live-migration settings from
    `domain` on are a standalone host's (language-v2.md §3); None means not written, and the delegation
    lists hold host names as declared."""

    __slots__ = (
        "cluster",
        "delegate_cifs",
        "delegate_migration",
        "domain",
        "errors",
        "gpu",
        "gpu_partition_count",
        "guarded",
        "guardians",
        "guests",
        "iommu_dirty_tracking",
        "live_migration",
        "logical_processors",
        "max_downtime",
        "max_migrations",
        "memory",
        "memory_reserve",
        "migration_authentication",
        "migration_bandwidth",
        "migration_networks",
        "migration_transport",
        "name",
        "networks",
        "numa_nodes",
        "numa_spanning",
        "platform",
        "positions",
        "processor",
        "switches",
        "trusted_domains",
        "virtual_sans",
    )
    block_kind: ClassVar[str] = "host"
    name: Final[str]
    cluster: Final[Cluster | None]
    processor: Final[Processor | None]
    memory: Final[float]
    networks: Final[tuple[Network, ...]]
    switches: Final[tuple[str, ...]]
    platform: Final[str]
    positions: Final[Positions]
    errors: Final[frozenset[str]]
    gpu: Final[str | None]
    gpu_partition_count: Final[int | None]
    iommu_dirty_tracking: Final[bool]
    virtual_sans: Final[tuple[str, ...]]
    guarded: Final[bool]
    guardians: Final[tuple[str, ...]]
    guests: Final[Later[tuple[VM, ...]]]
    domain: Final[str | None]
    trusted_domains: Final[tuple[str, ...]]
    live_migration: Final[bool]
    migration_networks: Final[tuple[str, ...] | None]
    migration_bandwidth: Final[float | None]
    migration_authentication: Final[str | None]
    delegate_migration: Final[tuple[str, ...]]
    delegate_cifs: Final[tuple[str, ...]]
    max_migrations: Final[int | None]
    migration_transport: Final[str | None]
    max_downtime: Final[float | None]
    memory_reserve: Final[float | None]
    """None: the default formula (`hvlint.capacity.host_reserve`)."""
    logical_processors: Final[int | None]
    numa_nodes: Final[int]
    numa_spanning: Final[bool]

    def __init__(
        self,
        *,
        name: str,
        cluster: Cluster | None,
        processor: Processor | None,
        memory: float,
        networks: tuple[Network, ...],
        switches: tuple[str, ...],
        platform: str,
        positions: Positions,
        errors: frozenset[str] = frozenset(),
        gpu: str | None = None,
        gpu_partition_count: int | None = None,
        iommu_dirty_tracking: bool = False,
        virtual_sans: tuple[str, ...] = (),
        guarded: bool = False,
        guardians: tuple[str, ...] = (),
        guests: Later[tuple[VM, ...]] | None = None,
        domain: str | None = None,
        trusted_domains: tuple[str, ...] = (),
        live_migration: bool = True,
        migration_networks: tuple[str, ...] | None = None,
        migration_bandwidth: float | None = None,
        migration_authentication: str | None = None,
        delegate_migration: tuple[str, ...] = (),
        delegate_cifs: tuple[str, ...] = (),
        max_migrations: int | None = None,
        migration_transport: str | None = None,
        max_downtime: float | None = None,
        memory_reserve: float | None = None,
        logical_processors: int | None = None,
        numa_nodes: int = 1,
        numa_spanning: bool = True,
    ) -> None:
        self.name = name
        self.cluster = cluster
        self.processor = processor
        self.memory = memory
        self.networks = networks
        self.switches = switches
        self.platform = platform
        self.positions = positions
        self.errors = errors
        self.gpu = gpu
        self.gpu_partition_count = gpu_partition_count
        self.iommu_dirty_tracking = iommu_dirty_tracking
        self.virtual_sans = virtual_sans
        self.guarded = guarded
        self.guardians = guardians
        self.guests = Later(()) if guests is None else guests
        self.domain = domain
        self.trusted_domains = trusted_domains
        self.live_migration = live_migration
        self.migration_networks = migration_networks
        self.migration_bandwidth = migration_bandwidth
        self.migration_authentication = migration_authentication
        self.delegate_migration = delegate_migration
        self.delegate_cifs = delegate_cifs
        self.max_migrations = max_migrations
        self.migration_transport = migration_transport
        self.max_downtime = max_downtime
        self.memory_reserve = memory_reserve
        self.logical_processors = logical_processors
        self.numa_nodes = numa_nodes
        self.numa_spanning = numa_spanning

    @property
    def vms(self) -> tuple[VM, ...]:
        """The VMs that run on the host now."""
        return self.guests.get()

    def has_switch(self, switch: str) -> bool:
        """Whether the host has a virtual switch of that name (compared case-insensitively)."""
        wanted = switch.casefold()
        return any(own.casefold() == wanted for own in self.switches)


class Disk:
    """A `disk 'PATH' { size = ... }` block of a VM: a virtual hard disk and the bytes its file occupies
    (None: unknown)."""

    __slots__ = ("errors", "path", "positions", "size")
    path: Final[str]
    size: Final[float | None]
    positions: Final[Positions]
    errors: Final[frozenset[str]]

    def __init__(
        self, *, path: str, size: float | None, positions: Positions, errors: frozenset[str] = frozenset()
    ) -> None:
        self.path = path
        self.size = size
        self.positions = positions
        self.errors = errors


class VM(Node):
    """A virtual machine: where it runs, what it may move to, and what a live migration copies."""

    __slots__ = (
        "adapters",
        "checkpoint_type",
        "checkpoints",
        "cluster",
        "compatibility_mode",
        "config_path",
        "config_version",
        "dda_devices",
        "dda_pool",
        "declared_in_host",
        "dirty_rate",
        "disk_blocks",
        "disks",
        "dvd",
        "dynamic_memory",
        "errors",
        "fibre_channel",
        "gpu_partitions",
        "highly_available",
        "host",
        "key_protector",
        "max_downtime",
        "memory",
        "name",
        "passthrough_disks",
        "positions",
        "possible_owners",
        "processors",
        "shielded",
        "startup_memory",
        "state",
        "vtpm",
        "working_set",
    )
    block_kind: ClassVar[str] = "vm"
    name: Final[str]
    cluster: Final[Cluster | None]
    host: Final[Host | None]
    state: Final[str]
    memory: Final[float]
    dirty_rate: Final[float | None]
    working_set: Final[float | None]
    compatibility_mode: Final[str]
    config_version: Final[float | None]
    highly_available: Final[bool]
    possible_owners: Final[tuple[Host, ...]]
    disks: Final[tuple[str, ...]]
    dvd: Final[tuple[str, ...]]
    config_path: Final[str | None]
    adapters: Final[tuple[str, ...]]
    max_downtime: Final[float | None]
    positions: Final[Positions]
    errors: Final[frozenset[str]]
    declared_in_host: Final[bool]
    disk_blocks: Final[tuple[Disk, ...]]
    processors: Final[int | None]
    dynamic_memory: Final[bool]
    startup_memory: Final[float | None]
    """None: `memory` (static memory, or dynamic memory with no startup memory given)."""
    dda_devices: Final[tuple[str, ...]]
    dda_pool: Final[str | None]
    gpu_partitions: Final[int]
    fibre_channel: Final[tuple[str, ...]]
    passthrough_disks: Final[tuple[str, ...]]
    checkpoint_type: Final[str | None]
    checkpoints: Final[int | None]
    vtpm: Final[bool]
    shielded: Final[bool]
    key_protector: Final[str | None]

    def __init__(
        self,
        *,
        name: str,
        cluster: Cluster | None,
        host: Host | None,
        state: str,
        memory: float,
        dirty_rate: float | None,
        working_set: float | None,
        compatibility_mode: str,
        config_version: float | None,
        highly_available: bool,
        possible_owners: tuple[Host, ...],
        disks: tuple[str, ...],
        dvd: tuple[str, ...],
        config_path: str | None,
        adapters: tuple[str, ...],
        max_downtime: float | None,
        positions: Positions,
        errors: frozenset[str] = frozenset(),
        declared_in_host: bool = False,
        disk_blocks: tuple[Disk, ...] = (),
        processors: int | None = None,
        dynamic_memory: bool = False,
        startup_memory: float | None = None,
        dda_devices: tuple[str, ...] = (),
        dda_pool: str | None = None,
        gpu_partitions: int = 0,
        fibre_channel: tuple[str, ...] = (),
        passthrough_disks: tuple[str, ...] = (),
        checkpoint_type: str | None = None,
        checkpoints: int | None = None,
        vtpm: bool = False,
        shielded: bool = False,
        key_protector: str | None = None,
    ) -> None:
        self.name = name
        self.cluster = cluster
        self.host = host
        self.state = state
        self.memory = memory
        self.dirty_rate = dirty_rate
        self.working_set = working_set
        self.compatibility_mode = compatibility_mode
        self.config_version = config_version
        self.highly_available = highly_available
        self.possible_owners = possible_owners
        self.disks = disks
        self.dvd = dvd
        self.config_path = config_path
        self.adapters = adapters
        self.max_downtime = max_downtime
        self.positions = positions
        self.errors = errors
        self.declared_in_host = declared_in_host
        self.disk_blocks = disk_blocks
        self.processors = processors
        self.dynamic_memory = dynamic_memory
        self.startup_memory = startup_memory
        self.dda_devices = dda_devices
        self.dda_pool = dda_pool
        self.gpu_partitions = gpu_partitions
        self.fibre_channel = fibre_channel
        self.passthrough_disks = passthrough_disks
        self.checkpoint_type = checkpoint_type
        self.checkpoints = checkpoints
        self.vtpm = vtpm
        self.shielded = shielded
        self.key_protector = key_protector

    @property
    def qualified_name(self) -> str:
        if self.cluster is not None:
            return f"{self.cluster.name}/{self.name}"
        return f"{self.host.name}/{self.name}" if self.host else self.name

    @property
    def parent(self) -> Node | None:
        if self.declared_in_host:
            return self.host
        return self.cluster

    @property
    def live_migrated(self) -> bool:
        """Whether moving it is a live migration (it is running or paused)."""
        return self.state in ("running", "paused")


class Cluster(Node):
    """A failover cluster and everything declared inside it."""

    __slots__ = (
        "contents",
        "domain",
        "errors",
        "failover_clustering",
        "max_downtime",
        "max_migrations",
        "migration_transport",
        "name",
        "platform",
        "positions",
    )
    block_kind: ClassVar[str] = "cluster"
    name: Final[str]
    platform: Final[str]
    failover_clustering: Final[bool]
    max_migrations: Final[int]
    migration_transport: Final[str]
    max_downtime: Final[float | None]
    positions: Final[Positions]
    errors: Final[frozenset[str]]
    domain: Final[str | None]
    contents: Final[Later[ClusterContents]]

    def __init__(
        self,
        *,
        name: str,
        platform: str,
        failover_clustering: bool,
        max_migrations: int,
        migration_transport: str,
        max_downtime: float | None,
        positions: Positions,
        errors: frozenset[str] = frozenset(),
        domain: str | None = None,
        contents: Later[ClusterContents] | None = None,
    ) -> None:
        self.name = name
        self.platform = platform
        self.failover_clustering = failover_clustering
        self.max_migrations = max_migrations
        self.migration_transport = migration_transport
        self.max_downtime = max_downtime
        self.positions = positions
        self.errors = errors
        self.domain = domain
        self.contents = Later(ClusterContents()) if contents is None else contents

    @property
    def processors(self) -> tuple[Processor, ...]:
        """The processors declared inside the cluster."""
        return self.contents.get().processors

    @property
    def networks(self) -> tuple[Network, ...]:
        """The cluster's networks."""
        return self.contents.get().networks

    @property
    def storage(self) -> tuple[Storage, ...]:
        """The cluster's storage."""
        return self.contents.get().storage

    @property
    def hosts(self) -> tuple[Host, ...]:
        """The cluster's nodes."""
        return self.contents.get().hosts

    @property
    def vms(self) -> tuple[VM, ...]:
        """The cluster's VMs: those declared at cluster level, then those declared inside each host."""
        return self.contents.get().vms


class ClusterContents(NamedTuple):
    """Everything declared inside a cluster."""

    processors: tuple[Processor, ...] = ()
    networks: tuple[Network, ...] = ()
    storage: tuple[Storage, ...] = ()
    hosts: tuple[Host, ...] = ()
    vms: tuple[VM, ...] = ()


class Model:
    """Everything one file declares: clusters, standalone hosts and top-level processors."""

    __slots__ = ("clusters", "hosts", "path", "processors")
    path: Final[str]
    clusters: Final[tuple[Cluster, ...]]
    hosts: Final[tuple[Host, ...]]
    processors: Final[tuple[Processor, ...]]

    def __init__(
        self,
        path: str,
        clusters: tuple[Cluster, ...] = (),
        hosts: tuple[Host, ...] = (),
        processors: tuple[Processor, ...] = (),
    ) -> None:
        self.path = path
        self.clusters = clusters
        self.hosts = hosts
        self.processors = processors

    def all_hosts(self) -> list[Host]:
        """Every host of the file, in clusters and standalone."""
        return [host for cluster in self.clusters for host in cluster.hosts] + list(self.hosts)

    def all_vms(self) -> list[VM]:
        """Every VM of the file, in clusters and on standalone hosts."""
        return [vm for cluster in self.clusters for vm in cluster.vms] + [
            vm for host in self.hosts for vm in host.vms
        ]

    def find_host(self, name: str) -> Host | None:
        """The host of that name (compared case-insensitively), or None."""
        wanted = name.casefold()
        return next((host for host in self.all_hosts() if host.name.casefold() == wanted), None)
