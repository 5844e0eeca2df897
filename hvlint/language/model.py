"""The resolved model of a `.hvc` file: typed, immutable objects with positions (language.md §3, §4).

Quantities are in base units (bytes, bytes per second, seconds); references are the objects themselves.
Every object knows where it was declared (`span`, the kind keyword of its block), where each attribute's
key and value stand, and which attributes the file got wrong (`errors`), so that rules can stay silent
about what follows from a value in error.

Objects are built with keyword arguments and never change once made. Where two point at each other (a
cluster and its hosts, a host and its VMs), the one made first holds a `Later` that the resolver gives,
once, what it contains.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, NamedTuple, TypeVar

from hvlint.language.syntax import Span, value_span

PLATFORMS = ("ws2008r2", "ws2012", "ws2012r2", "ws2016", "ws2019", "ws2022", "ws2025")


def name_key(node: Node) -> tuple[str, str]:
    """Name order: case-insensitive, as Windows compares names, then by spelling (deterministic)."""
    return (node.name.casefold(), node.name)


def platform_at_least(platform: str, release: str) -> bool:
    """Whether `platform` is `release` or a later Windows Server release."""
    return PLATFORMS.index(platform) >= PLATFORMS.index(release)


_T = TypeVar("_T")


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


_FIELD = 32
_MASK = (1 << _FIELD) - 1

PackedSpan = int
"""A span as one integer, 32 bits for each of its four numbers: a model keeps one for every attribute of
every object, and a token or a span object kept for it costs four to five times as much."""

PackedValue = PackedSpan | tuple[PackedSpan, ...]
"""A scalar's packed span, or a list's: its own, then each item's."""


def pack_token(token: Any) -> PackedSpan:
    """The packed span of one token."""
    return ((token.line << _FIELD | token.column) << _FIELD | token.end_line) << _FIELD | token.end_column


def pack_span(span: Span) -> PackedSpan:
    """The packed form of `span`."""
    return ((span.line << _FIELD | span.column) << _FIELD | span.end_line) << _FIELD | span.end_column


def pack_value(value: Any) -> PackedValue:
    """The packed span of a scalar token, or of a raw list and each of its items."""
    items = getattr(value, "items", None)
    if items is None:
        return pack_token(value)
    return (pack_span(value.span), *(pack_span(value_span(item)) for item in items))


def unpack(packed: PackedValue) -> Span:
    """The span of a packed scalar, or of a whole packed list."""
    if isinstance(packed, tuple):
        packed = packed[0]
    return Span(
        packed >> 3 * _FIELD,
        packed >> 2 * _FIELD & _MASK,
        packed >> _FIELD & _MASK,
        packed & _MASK,
    )


class SpanView(Mapping[str, Span]):
    """Attribute name to span, unpacked only when asked (most are never asked for)."""

    __slots__ = ("_packed",)

    def __init__(self, packed: Mapping[str, PackedValue]) -> None:
        self._packed = packed

    def __getitem__(self, name: str) -> Span:
        return unpack(self._packed[name])

    def __contains__(self, name: object) -> bool:
        return name in self._packed

    def __iter__(self) -> Iterator[str]:
        return iter(self._packed)

    def __len__(self) -> int:
        return len(self._packed)


@dataclass(frozen=True, slots=True)
class Positions:
    """Where an object's parts stand in its file: its block's kind keyword and label, and the key and
    value of each attribute it sets (packed spans: `values` and the methods give spans)."""

    header_at: PackedSpan
    label_at: PackedSpan | None = None
    key_spans: Mapping[str, PackedSpan] = field(default_factory=dict)
    value_spans: Mapping[str, PackedValue] = field(default_factory=dict)

    @property
    def header(self) -> Span:
        """The kind keyword of the block."""
        return unpack(self.header_at)

    @property
    def label(self) -> Span | None:
        """The block's name as written, if it has one."""
        return unpack(self.label_at) if self.label_at is not None else None

    @property
    def keys(self) -> SpanView:
        """The span of each attribute's key."""
        return SpanView(self.key_spans)

    @property
    def values(self) -> SpanView:
        """The span of each attribute's value (a whole list, for a list)."""
        return SpanView(self.value_spans)

    def items(self, attribute: str) -> tuple[Span, ...]:
        """The spans of the items of a list attribute (none for a scalar or an absent attribute)."""
        value = self.value_spans.get(attribute)
        return tuple(unpack(item) for item in value[1:]) if isinstance(value, tuple) else ()

    def of(self, attribute: str | None = None, index: int | None = None) -> Span:
        """The most specific span: a list item, else the attribute's value, else its key, else the header."""
        if attribute is None:
            return self.header
        value = self.value_spans.get(attribute)
        if value is None:
            key = self.key_spans.get(attribute)
            return unpack(key) if key is not None else self.header
        if index is not None and isinstance(value, tuple) and 0 <= index < len(value) - 1:
            return unpack(value[index + 1])
        return unpack(value)


class Node:
    """What every model object shares: its block kind, its name, its positions and the attributes in error."""

    __slots__ = ()
    block_kind: ClassVar[str]
    name: str
    positions: Positions
    errors: frozenset[str]

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


@dataclass(frozen=True, slots=True, eq=False, kw_only=True)
class Processor(Node):
    """A processor model: vendor, CPUID family and model, and feature flags (lower-case)."""

    block_kind: ClassVar[str] = "processor"
    name: str
    vendor: str
    family: int | None
    model: int | None
    features: frozenset[str]
    positions: Positions
    errors: frozenset[str] = frozenset()
    cluster: Cluster | None = None
    origin: str = "file"

    @property
    def qualified_name(self) -> str:
        return f"{self.cluster.name}/{self.name}" if self.cluster else self.name

    @property
    def parent(self) -> Node | None:
        return self.cluster


@dataclass(frozen=True, slots=True, eq=False, kw_only=True)
class Network(Node):
    """A network of a cluster: the traffic it carries and each host adapter's link speed."""

    block_kind: ClassVar[str] = "network"
    name: str
    cluster: Cluster
    roles: frozenset[str]
    bandwidth: float
    subnet: str | None
    positions: Positions
    errors: frozenset[str] = frozenset()

    @property
    def qualified_name(self) -> str:
        return f"{self.cluster.name}/{self.name}"

    @property
    def parent(self) -> Node | None:
        return self.cluster


@dataclass(frozen=True, slots=True, eq=False, kw_only=True)
class Storage(Node):
    """A storage of a cluster: a CSV, an SMB share, or one host's local disk."""

    block_kind: ClassVar[str] = "storage"
    name: str
    cluster: Cluster
    kind: str
    path: str
    hosts: tuple[Host, ...]
    positions: Positions
    errors: frozenset[str] = frozenset()

    @property
    def shared(self) -> bool:
        """Whether every host it lists reaches it over the cluster (CSV or SMB)."""
        return self.kind in ("csv", "smb")

    @property
    def qualified_name(self) -> str:
        return f"{self.cluster.name}/{self.name}"

    @property
    def parent(self) -> Node | None:
        return self.cluster


@dataclass(frozen=True, slots=True, eq=False, kw_only=True)
class Host(Node):
    """A Hyper-V host, in a cluster or standalone (`cluster` is None). The live-migration settings from
    `domain` on are a standalone host's (language-v2.md §3); None means not written, and the delegation
    lists hold host names as declared."""

    block_kind: ClassVar[str] = "host"
    name: str
    cluster: Cluster | None
    processor: Processor | None
    memory: float
    networks: tuple[Network, ...]
    switches: tuple[str, ...]
    platform: str
    positions: Positions
    errors: frozenset[str] = frozenset()
    gpu: str | None = None
    gpu_partition_count: int | None = None
    iommu_dirty_tracking: bool = False
    virtual_sans: tuple[str, ...] = ()
    guarded: bool = False
    guardians: tuple[str, ...] = ()
    guests: Later[tuple[VM, ...]] = field(default_factory=lambda: Later(()), repr=False)
    domain: str | None = None
    trusted_domains: tuple[str, ...] = ()
    live_migration: bool = True
    migration_networks: tuple[str, ...] | None = None
    migration_bandwidth: float | None = None
    migration_authentication: str | None = None
    delegate_migration: tuple[str, ...] = ()
    delegate_cifs: tuple[str, ...] = ()
    max_migrations: int | None = None
    migration_transport: str | None = None
    max_downtime: float | None = None
    memory_reserve: float | None = None
    """None: the default formula (`hvlint.capacity.host_reserve`)."""
    logical_processors: int | None = None
    numa_nodes: int = 1
    numa_spanning: bool = True

    @property
    def vms(self) -> tuple[VM, ...]:
        """The VMs that run on the host now."""
        return self.guests.get()

    @property
    def qualified_name(self) -> str:
        return f"{self.cluster.name}/{self.name}" if self.cluster else self.name

    @property
    def parent(self) -> Node | None:
        return self.cluster

    def has_switch(self, switch: str) -> bool:
        """Whether the host has a virtual switch of that name (compared case-insensitively)."""
        wanted = switch.casefold()
        return any(own.casefold() == wanted for own in self.switches)


@dataclass(frozen=True, slots=True, eq=False, kw_only=True)
class Disk:
    """A `disk 'PATH' { size = ... }` block of a VM: a virtual hard disk and the bytes its file occupies
    (None: unknown)."""

    path: str
    size: float | None
    positions: Positions
    errors: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True, eq=False, kw_only=True)
class VM(Node):
    """A virtual machine: where it runs, what it may move to, and what a live migration copies."""

    block_kind: ClassVar[str] = "vm"
    name: str
    cluster: Cluster | None
    host: Host | None
    state: str
    memory: float
    dirty_rate: float | None
    working_set: float | None
    compatibility_mode: str
    config_version: float | None
    highly_available: bool
    possible_owners: tuple[Host, ...]
    disks: tuple[str, ...]
    dvd: tuple[str, ...]
    config_path: str | None
    adapters: tuple[str, ...]
    max_downtime: float | None
    positions: Positions
    errors: frozenset[str] = frozenset()
    declared_in_host: bool = False
    disk_blocks: tuple[Disk, ...] = ()
    processors: int | None = None
    dynamic_memory: bool = False
    startup_memory: float | None = None
    """None: `memory` (static memory, or dynamic memory with no startup memory given)."""
    dda_devices: tuple[str, ...] = ()
    dda_pool: str | None = None
    gpu_partitions: int = 0
    fibre_channel: tuple[str, ...] = ()
    passthrough_disks: tuple[str, ...] = ()
    checkpoint_type: str | None = None
    checkpoints: int | None = None
    vtpm: bool = False
    shielded: bool = False
    key_protector: str | None = None

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


@dataclass(frozen=True, slots=True, eq=False, kw_only=True)
class Cluster(Node):
    """A failover cluster and everything declared inside it."""

    block_kind: ClassVar[str] = "cluster"
    name: str
    platform: str
    failover_clustering: bool
    max_migrations: int
    migration_transport: str
    max_downtime: float | None
    positions: Positions
    errors: frozenset[str] = frozenset()
    domain: str | None = None
    contents: Later[ClusterContents] = field(default_factory=lambda: Later(ClusterContents()), repr=False)

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


@dataclass(frozen=True, slots=True, eq=False)
class Model:
    """Everything one file declares: clusters, standalone hosts and top-level processors."""

    path: str
    clusters: tuple[Cluster, ...] = ()
    hosts: tuple[Host, ...] = ()
    processors: tuple[Processor, ...] = ()

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
