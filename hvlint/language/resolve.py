"""From raw syntax to the model: schema, defaults, units and references (language.md §2, §3).

Reports HV002 (unresolved reference), HV003 (duplicate declaration or attribute) and HV004 (invalid value,
unknown or misplaced attribute or block, missing required attribute). Every problem marks the attribute it
concerns as in error on the object, so that rules can stay silent about what follows from it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from hvlint import diagnostics as msg
from hvlint.diagnostics import Message, Problem
from hvlint.language import device_values, schema
from hvlint.language.caption import match_caption
from hvlint.language.feature_names import unknown_features
from hvlint.language.model import (
    VM,
    Cluster,
    ClusterContents,
    Disk,
    Host,
    Model,
    Network,
    Positions,
    Processor,
    Storage,
    platform_at_least,
)
from hvlint.language.paths import normalize
from hvlint.language.positions import Locator
from hvlint.language.spelling import closest
from hvlint.language.syntax import RawBlock, RawList, RawValue, Span, token_span, value_span
from hvlint.language.values import ListOf, ValueProblem, string_value

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["Problem", "Resolver", "resolve"]


_NO_ERRORS: frozenset[str] = frozenset()


class _Read:
    """One block's attributes, converted, with their positions and the names of those in error."""

    __slots__ = ("errors", "keys", "locator", "raw", "values")

    def __init__(self, locator: Locator) -> None:
        self.values: dict[str, Any] = {}
        self.keys: dict[str, Any] = {}
        self.raw: dict[str, Any] = {}
        self.errors: set[str] = set()
        self.locator = locator

    def get(self, name: str, default: Any = None) -> Any:
        """The attribute's value, or `default` when it is absent or in error."""
        if name in self.errors:
            return default
        return self.values.get(name, default)

    def valid(self) -> dict[str, Any]:
        """The values of the attributes not in error (now: later errors do not change it)."""
        if not self.errors:
            return self.values
        return {name: value for name, value in self.values.items() if name not in self.errors}

    def given(self, name: str) -> bool:
        """Whether the file sets the attribute (validly or not)."""
        return name in self.keys

    def positions(self, block: RawBlock) -> Positions:
        """The positions of the block and of every attribute read."""
        return self.locator.positions(block.kind, block.label, self.keys, self.raw)

    def value_span(self, name: str) -> Span:
        """Where the attribute's value stands."""
        return value_span(self.raw[name])

    def frozen_errors(self) -> frozenset[str]:
        """The names of the attributes in error (objects without any share one empty set)."""
        return frozenset(self.errors) if self.errors else _NO_ERRORS


class _Decl:
    """A declared block, its name and where it stands: in a cluster, inside a host (`host`), or both."""

    __slots__ = ("block", "cluster", "host", "inner", "name")

    def __init__(
        self, block: RawBlock, name: str, cluster: _Decl | None = None, host: _Decl | None = None
    ) -> None:
        self.block = block
        self.name = name
        self.cluster = cluster
        self.host = host
        self.inner: dict[str, list[_Decl]] = {}

    @property
    def line(self) -> int:
        """The line of the block's kind keyword."""
        return token_span(self.block.kind).line

    def describe(self, kind: str) -> str:
        """`kind qualified-name`, as the model object of this declaration describes itself."""
        within = self.cluster or (self.host if kind == "vm" else None)
        return f"{kind} {within.name}/{self.name}" if within is not None else f"{kind} {self.name}"

    def place(self) -> str:
        """Where the block stands, in words: `in cluster C` or `at top level`."""
        return f"in cluster {self.cluster.name}" if self.cluster is not None else "at top level"


def _firsts(items: list[tuple[Any, Any]] | None) -> tuple[Any, ...]:
    """The converted values of a list attribute's items (each read with its token), or none."""
    return tuple([value for value, _ in items]) if items else ()


def block_name(block: RawBlock) -> str | None:
    """The block's label as text, or None when it has none."""
    return string_value(block.label) if block.label is not None else None


def _consume(block: RawBlock) -> None:
    """Empties a block whose object is made: a file's VMs are most of it, and their raw syntax, freed as
    each VM is made, then does not stay in memory beside the whole model."""
    block.attributes.clear()
    block.blocks.clear()


def _forget(scopes: Mapping[str, list[_Decl]]) -> None:
    """Empties the scopes of the declarations once the model is made: a declaration points back at its
    cluster or host, so the raw syntax would otherwise stay in memory, as a cycle, until the collector
    runs (which `hvlint` does between files only)."""
    for decls in scopes.values():
        for decl in decls:
            if decl.inner:
                _forget(decl.inner)
                decl.inner.clear()


HINT_BUDGET = 50_000
"""How many names, in all, the "did you mean" hints of unresolved references may compare with in one file:
each hint compares with every name in scope, so a file of thousands of unresolved references to
thousands of hosts would otherwise take minutes. Past the budget, references are still reported, without
a hint."""


class Resolver:
    """Resolves one file's raw blocks into a Model, collecting problems."""

    def __init__(self, path: str, catalogue: Mapping[str, Processor]) -> None:
        self.path = path
        self.catalogue = catalogue
        self.problems: list[Problem] = []
        self._ignored: dict[tuple[str, str, str], tuple[_Decl, _Decl]] = {}
        """(kind, cluster, name) -> a declaration ignored as a duplicate there, and the one it duplicates."""
        self._hint_budget = HINT_BUDGET
        self._every_cache: dict[int, tuple[Mapping[str, Any], tuple[Any, ...]]] = {}
        self._cluster_storage: dict[str, Storage] = {}
        """The storage of the cluster whose VMs are being resolved, by folded name (for passthrough_disks)."""
        self._standalone: dict[str, _Decl] = {}
        """The top-level host declarations by folded name: what standalone hosts' references resolve among."""
        self._locator = Locator()

    def _every(self, table: Mapping[str, Any]) -> tuple[Any, ...]:
        """`tuple(table.values())`, made once per (complete) table: the VMs, hosts and storage that
        default to all of their cluster's hosts or networks share one tuple, where a tuple each would
        make memory grow with hosts times VMs."""
        cached = self._every_cache.get(id(table))
        if cached is None or cached[0] is not table:
            cached = (table, tuple(table.values()))
            self._every_cache[id(table)] = cached
        return cached[1]

    def emit(self, message: Message, span: Span, about: str | None, **fields: object) -> None:
        """Records one problem about the object `about` describes: `message` with its placeholders filled
        from `fields`."""
        self.problems.append(Problem(message.diagnostic, span, message.format(**fields), about))

    def report_invalid(self, span: Span, text: str, subject: str | None) -> None:
        """Records an HV004 worded already (by a value's type, or by the caller of `read`)."""
        self.problems.append(Problem(msg.INVALID_VALUE, span, text, subject))

    # -- declarations -------------------------------------------------------------------------------------

    def _declare(
        self,
        blocks: Iterable[RawBlock],
        where: str,
        scopes: Mapping[str, dict[str, _Decl]],
        parent: _Decl | None,
        cluster: _Decl | None,
        declare_inner: Callable[[_Decl, str, Mapping[str, dict[str, _Decl]]], None],
    ) -> dict[str, list[_Decl]]:
        """The blocks allowed `where`, by kind, each name checked for uniqueness in its scope in file
        order; `declare_inner` declares a block's own inner blocks as soon as the block is declared, so
        that a name declared inside a host and again after it is a duplicate at the later one."""
        allowed = schema.BLOCKS[where]
        found: dict[str, list[_Decl]] = {kind: [] for kind in allowed}
        for block in blocks:
            kind = str(block.kind)
            if kind not in allowed:
                self._misplaced_block(block, where)
                continue
            name = block_name(block)
            inline_processor = kind == "processor" and where == "host"
            if name is None and not inline_processor:
                self.emit(msg.BLOCK_NEEDS_NAME, token_span(block.kind), None, kind=kind)
                continue
            if inline_processor and found["processor"] and parent is not None:
                host = parent.describe("host")
                self.emit(msg.SECOND_INLINE_PROCESSOR, token_span(block.kind), host, host=host)
                continue
            decl = _Decl(
                block,
                name or (parent.name if parent else ""),
                cluster=cluster,
                host=parent if where == "host" else None,
            )
            if not inline_processor and not self._unique(scopes[kind], decl, kind):
                continue
            found[kind].append(decl)
            declare_inner(decl, kind, scopes)
        return found

    def _declare_inner(self, decl: _Decl, kind: str, scopes: Mapping[str, dict[str, _Decl]]) -> None:
        """Declares the blocks inside a cluster or a host; `scopes` are those `decl` was declared in."""
        if kind == "cluster":
            inner = {"processor": {}, "network": {}, "storage": {}, "host": scopes["host"], "vm": {}}
            decl.inner = self._declare(decl.block.blocks, "cluster", inner, decl, decl, self._declare_inner)
        elif kind == "host":
            vms = scopes["vm"] if decl.cluster is not None else {}
            decl.inner = self._declare(
                decl.block.blocks,
                "host",
                {"processor": {}, "vm": vms},
                decl,
                decl.cluster,
                self._declare_inner,
            )

    def _unique(self, scope: dict[str, _Decl], decl: _Decl, kind: str) -> bool:
        key = decl.name.casefold()
        first = scope.get(key)
        if first is not None:
            span = (
                token_span(decl.block.label) if decl.block.label is not None else token_span(decl.block.kind)
            )
            self.emit(
                msg.DECLARED_TWICE,
                span,
                decl.describe(kind),
                kind=kind,
                name=decl.name,
                first_line=first.line,
            )
            scope_name = decl.cluster.name.casefold() if decl.cluster is not None else ""
            self._ignored.setdefault((kind, scope_name, key), (decl, first))
            return False
        scope[key] = decl
        return True

    def _misplaced_block(self, block: RawBlock, where: str) -> None:
        kind = str(block.kind)
        allowed = schema.BLOCKS[where]
        place = "at the top level" if where == "file" else f"inside {where}"
        expected = ", ".join(allowed)
        span = token_span(block.kind)
        if kind in schema.ATTRIBUTES:
            self.emit(msg.BLOCK_NOT_ALLOWED, span, None, kind=kind, place=place, expected=expected)
        elif kind in schema.ATTRIBUTES.get(where, {}):
            self.emit(msg.BLOCK_IS_ATTRIBUTE, span, None, kind=kind, where=where)
        else:
            hint = closest(kind, allowed)
            did_you_mean = f"; did you mean `{hint}`?" if hint else ""
            self.emit(
                msg.UNKNOWN_BLOCK,
                span,
                None,
                kind=kind,
                place=place,
                did_you_mean=did_you_mean,
                expected=expected,
            )

    # -- attributes ---------------------------------------------------------------------------------------

    def read(
        self,
        block: RawBlock,
        kind: str,
        subject: str,
        *,
        not_here: Mapping[str, str] = {},
        supplied: frozenset[str] = frozenset(),
    ) -> _Read:
        """Converts the block's attributes by the schema of `kind`; `not_here` names attributes refused here
        (with the reason, an HV004 message), `supplied` required attributes given another way
        (an inline processor block)."""
        attributes = schema.ATTRIBUTES[kind]
        read = _Read(self._locator)
        keys, raw, values = read.keys, read.raw, read.values
        for attribute in block.attributes:
            key, value = attribute.key, attribute.value
            name = str(key)
            value_type = attributes.get(name)
            if value_type is None or name in not_here or name in keys:
                self._refuse_key(key, name, kind, keys, not_here, subject)
                continue
            keys[name] = key
            raw[name] = value
            try:
                converted = value_type.convert(value)
                if isinstance(value_type, ListOf):
                    converted = self._read_items(converted, value_type, name, read, subject)
            except ValueProblem as problem:
                self.report_invalid(problem.span, problem.message.replace("{attribute}", name), subject)
                read.errors.add(name)
                continue
            values[name] = converted
        for name in schema.REQUIRED[kind]:
            if name not in keys and name not in supplied:
                self.emit(msg.MISSING_ATTRIBUTE, token_span(block.kind), subject, subject=subject, name=name)
                read.errors.add(name)
        return read

    def _refuse_key(
        self,
        key: Any,
        name: str,
        kind: str,
        keys: Mapping[str, Any],
        not_here: Mapping[str, str],
        subject: str,
    ) -> None:
        """HV004 for an attribute refused where it stands or unknown to `kind`, or HV003 for one given
        again (`keys`: those read so far)."""
        if name in not_here:
            self.report_invalid(token_span(key), not_here[name], subject)
        elif name not in schema.ATTRIBUTES[kind]:
            self._unknown_attribute(name, kind, token_span(key), subject)
        else:
            first = token_span(keys[name])
            self.emit(
                msg.ATTRIBUTE_TWICE,
                token_span(key),
                subject,
                name=name,
                subject=subject,
                first_line=first.line,
            )

    def _read_items(self, items: list, list_type: ListOf, name: str, read: _Read, subject: str) -> list:
        """The converted items of a list, each with its raw token (for its position)."""
        converted = []
        for item in items:
            if isinstance(item, RawList):
                self.emit(msg.LIST_IN_LIST, item.span, subject, name=name)
                read.errors.add(name)
                continue
            try:
                converted.append((list_type.item.convert(item), item))
            except ValueProblem as problem:
                self.report_invalid(problem.span, problem.message.replace("{attribute}", name), subject)
                read.errors.add(name)
        return converted

    def _unknown_attribute(self, name: str, kind: str, span: Span, subject: str) -> None:
        allowed = schema.ATTRIBUTES[kind]
        if name in schema.BLOCKS.get(kind, ()):
            self.emit(msg.ATTRIBUTE_IS_BLOCK, span, subject, name=name, kind=kind)
        else:
            hint = closest(name, allowed)
            did_you_mean = f"; did you mean `{hint}`?" if hint else ""
            self.emit(
                msg.UNKNOWN_ATTRIBUTE,
                span,
                subject,
                name=name,
                kind=kind,
                did_you_mean=did_you_mean,
                expected=", ".join(allowed),
            )

    def lookup(
        self,
        table: Mapping[str, Any],
        name: str,
        written: RawValue,
        what: str,
        attribute: str,
        subject: str,
        read: _Read,
        cluster: Cluster | None = None,
    ) -> Any:
        """The object `name` (`written` in the file) refers to in `table` (of `cluster`, if any), or None
        with HV002 and the attribute marked in error."""
        wanted = name.casefold()
        found = table.get(wanted)
        if found is not None:
            return found
        span = value_span(written)
        read.errors.add(attribute)
        where = {"what": what, "name": name, "attribute": attribute, "subject": subject}
        ignored = self._ignored.get((what, cluster.name.casefold(), wanted)) if cluster is not None else None
        if ignored is not None:
            duplicate, first = ignored
            self.emit(
                msg.IGNORED_DUPLICATE_REFERENCE,
                span,
                subject,
                **where,
                line=duplicate.line,
                first_place=first.place(),
                first_line=first.line,
            )
            return None
        hint = None
        if len(table) <= self._hint_budget:
            self._hint_budget -= len(table)
            hint = closest(name, [getattr(item, "name", key) for key, item in table.items()])
        did_you_mean = f"; did you mean `{hint}`?" if hint else ""
        self.emit(msg.UNKNOWN_REFERENCE, span, subject, **where, did_you_mean=did_you_mean)
        return None

    def lookup_list(
        self,
        table: Mapping[str, Any],
        read: _Read,
        attribute: str,
        what: str,
        subject: str,
        cluster: Cluster | None = None,
    ) -> tuple[Any, ...] | None:
        """The objects a list of references names (None when the attribute is absent)."""
        if attribute not in read.values:
            return None
        found = []
        for name, token in read.values[attribute]:
            target = self.lookup(table, name, token, what, attribute, subject, read, cluster)
            if target is not None and target not in found:
                found.append(target)
        return tuple(found)

    # -- the whole file -----------------------------------------------------------------------------------

    def resolve(self, blocks: list[RawBlock]) -> Model:
        """The model of the file's blocks."""
        file_scopes: dict[str, dict[str, _Decl]] = {"processor": {}, "cluster": {}, "host": {}}
        top = self._declare(blocks, "file", file_scopes, None, None, self._declare_inner)
        file_processors = {d.name.casefold(): self.processor(d, None) for d in top["processor"]}
        visible = {**self.catalogue, **file_processors}
        self._standalone = {decl.name.casefold(): decl for decl in top["host"]}
        clusters = tuple(self.cluster(decl, visible) for decl in top["cluster"])
        hosts = tuple(self.host(decl, None, visible, {}) for decl in top["host"])
        self._standalone_vms(top["host"], hosts, clusters)
        _forget(top)
        return Model(
            path=self.path, clusters=clusters, hosts=hosts, processors=tuple(file_processors.values())
        )

    def processor(self, decl: _Decl, cluster: Cluster | None, owner: str | None = None) -> Processor:
        """A processor block as a Processor."""
        subject = f"processor {owner or decl.name}"
        read = self.read(decl.block, "processor", subject)
        features = frozenset(str(name).lower() for name, _ in read.get("features", []))
        for span, message in unknown_features(read.get("features", []), subject):
            self.report_invalid(span, message, subject)
            read.errors.add("features")
        return Processor(
            name=decl.name,
            vendor=read.get("vendor", ""),
            family=read.get("family"),
            model=read.get("model"),
            features=features,
            positions=read.positions(decl.block),
            errors=read.frozen_errors(),
            cluster=cluster,
        )

    def cluster(self, decl: _Decl, visible: Mapping[str, Processor]) -> Cluster:
        """A cluster block and everything inside it."""
        subject = f"cluster {decl.name}"
        read = self.read(decl.block, "cluster", subject)
        platform = read.get("platform", "ws2008r2")
        transport = self._transport(read, subject, platform) or schema.default_transport(platform)
        cluster = Cluster(
            name=decl.name,
            platform=platform,
            failover_clustering=read.get("failover_clustering", False),
            max_migrations=read.get("max_migrations", schema.default_max_migrations(platform)),
            migration_transport=transport,
            max_downtime=read.get("max_downtime"),
            positions=read.positions(decl.block),
            errors=read.frozen_errors(),
            domain=read.get("domain"),
        )
        inner = decl.inner
        processors = {d.name.casefold(): self.processor(d, cluster) for d in inner["processor"]}
        visible = {**visible, **processors}
        networks = {d.name.casefold(): self.network(d, cluster) for d in inner["network"]}
        hosts = {d.name.casefold(): self.host(d, cluster, visible, networks) for d in inner["host"]}
        storage = tuple(self.storage(d, cluster, hosts) for d in inner["storage"])
        self._cluster_storage = {s.name.casefold(): s for s in storage}
        vms = [self.vm(d, cluster, hosts, None) for d in inner["vm"]]
        for host_decl in inner["host"]:
            host = hosts[host_decl.name.casefold()]
            vms.extend(self.vm(d, cluster, hosts, host) for d in host_decl.inner["vm"])
        self._attach_vms(hosts.values(), vms)
        cluster.contents.give(
            ClusterContents(
                processors=tuple(processors.values()),
                networks=tuple(networks.values()),
                storage=storage,
                hosts=tuple(hosts.values()),
                vms=tuple(vms),
            )
        )
        return cluster

    @staticmethod
    def _attach_vms(hosts: Iterable[Host], vms: Iterable[VM]) -> None:
        by_host: dict[int, list[VM]] = {}
        for vm in vms:
            if vm.host is not None:
                by_host.setdefault(id(vm.host), []).append(vm)
        for host in hosts:
            host.guests.give(tuple(by_host.get(id(host), ())))

    def network(self, decl: _Decl, cluster: Cluster) -> Network:
        """A network block as a Network."""
        subject = f"network {cluster.name}/{decl.name}"
        read = self.read(decl.block, "network", subject)
        roles = frozenset(role for role, _ in read.get("roles", []))
        return Network(
            name=decl.name,
            cluster=cluster,
            roles=roles,
            bandwidth=read.get("bandwidth", schema.DEFAULT_BANDWIDTH),
            subnet=read.get("subnet"),
            positions=read.positions(decl.block),
            errors=read.frozen_errors(),
        )

    def storage(self, decl: _Decl, cluster: Cluster, hosts: Mapping[str, Host]) -> Storage:
        """A storage block as a Storage."""
        subject = f"storage {cluster.name}/{decl.name}"
        read = self.read(decl.block, "storage", subject)
        device_values.check_storage_path(self, read, decl.block, subject)
        kind = read.get("kind", "csv")
        listed = self.lookup_list(hosts, read, "hosts", "host", subject, cluster)
        if kind == "local" and "kind" not in read.errors and "hosts" not in read.errors:
            count = len(listed) if listed is not None else 0
            if count != 1:
                span = read.value_span("hosts") if "hosts" in read.raw else token_span(decl.block.kind)
                self.emit(msg.LOCAL_STORAGE_HOSTS, span, subject, subject=subject, count=count)
                read.errors.add("hosts")
        return Storage(
            name=decl.name,
            cluster=cluster,
            kind=kind,
            path=read.get("path", ""),
            hosts=listed if listed is not None else self._every(hosts),
            positions=read.positions(decl.block),
            errors=read.frozen_errors(),
        )

    def host(
        self,
        decl: _Decl,
        cluster: Cluster | None,
        visible: Mapping[str, Processor],
        networks: Mapping[str, Network],
    ) -> Host:
        """A host block, its processor and (for a standalone host) its VMs."""
        subject = f"host {cluster.name}/{decl.name}" if cluster else f"host {decl.name}"
        not_here = {}
        if cluster is not None:
            for name in schema.STANDALONE_ONLY:
                not_here[name] = msg.STANDALONE_ONLY_ATTRIBUTE.format(name=name, cluster=cluster.name)
        else:
            not_here["networks"] = msg.NETWORKS_OF_STANDALONE_HOST.format(host=decl.name)
        inline = decl.inner.get("processor", [])
        if inline:
            not_here["processor"] = msg.PROCESSOR_GIVEN_INLINE.format(subject=subject)
        read = self.read(
            decl.block,
            "host",
            subject,
            not_here=not_here,
            supplied=frozenset({"processor"} if inline else ()),
        )
        if inline:
            processor: Processor | None = self.processor(inline[0], cluster, owner=decl.name)
        elif (caption := match_caption(read.values.get("processor"), visible, subject)) is not None:
            processor = caption.processor
            if caption.problem is not None:
                self.report_invalid(read.value_span("processor"), caption.problem, subject)
                read.errors.add("processor")
        elif "processor" in read.values:
            processor = self.lookup(
                visible,
                read.values["processor"],
                read.raw["processor"],
                "processor",
                "processor",
                subject,
                read,
            )
        else:
            processor = None
        listed = self.lookup_list(networks, read, "networks", "network", subject, cluster)
        capacity = self.capacity("host", read, subject)
        if cluster is not None:
            device_values.check_cluster_node(self, read, cluster, decl.name)
        device_values.check_host_gpu(self, read, subject)
        settings = self._migration_settings(read, subject) if cluster is None else {}
        host = Host(
            name=decl.name,
            cluster=cluster,
            processor=processor,
            memory=read.get("memory", 0.0),
            networks=listed if listed is not None else self._every(networks),
            switches=tuple(name for name, _ in read.get("switches", [])),
            platform=read.get("platform", cluster.platform if cluster else "ws2008r2"),
            positions=read.positions(decl.block),
            errors=read.frozen_errors(),
            gpu=read.get("gpu"),
            gpu_partition_count=read.get("gpu_partition_count"),
            iommu_dirty_tracking=read.get("iommu_dirty_tracking", False),
            virtual_sans=tuple(name for name, _ in read.get("virtual_sans", [])),
            guarded=read.get("guarded", False),
            guardians=tuple(name for name, _ in read.get("guardians", [])),
            **capacity,
            **settings,
        )
        return host

    def _transport(self, read: _Read, subject: str, platform: str) -> str | None:
        """The `migration_transport` written, or None when it is not, or (HV004) when it needs a later
        platform than `platform`."""
        transport = read.get("migration_transport")
        if transport in ("compression", "smb") and not platform_at_least(platform, "ws2012r2"):
            self.emit(
                msg.TRANSPORT_NEEDS_WS2012R2,
                read.value_span("migration_transport"),
                subject,
                transport=transport,
                subject=subject,
                platform=platform,
            )
            read.errors.add("migration_transport")
            return None
        return transport

    def _migration_settings(self, read: _Read, subject: str) -> dict[str, Any]:
        """A standalone host's live-migration settings (language-v2.md §3), as Host keywords."""
        transport = self._transport(read, subject, read.get("platform", "ws2008r2"))
        delegates = {}
        for attribute in ("delegate_migration", "delegate_cifs"):
            named = self.lookup_list(self._standalone, read, attribute, "host", subject)
            delegates[attribute] = tuple(decl.name for decl in named or ())
        networks = read.get("migration_networks")
        return {
            "domain": read.get("domain"),
            "trusted_domains": tuple(name for name, _ in read.get("trusted_domains", [])),
            "live_migration": read.get("live_migration", True),
            "migration_networks": tuple(cidr for cidr, _ in networks) if networks is not None else None,
            "migration_bandwidth": read.get("migration_bandwidth"),
            "migration_authentication": read.get("migration_authentication"),
            "max_migrations": read.get("max_migrations"),
            "migration_transport": transport,
            "max_downtime": read.get("max_downtime"),
            **delegates,
        }

    def _standalone_vms(
        self, decls: Iterable[_Decl], hosts: tuple[Host, ...], clusters: Iterable[Cluster]
    ) -> None:
        """Resolves the VMs of the standalone hosts, whose possible owners are among the top-level hosts
        (language-v2.md §2)."""
        table = {host.name.casefold(): host for host in hosts}
        clustered = {host.name.casefold(): host for cluster in clusters for host in cluster.hosts}
        for decl, host in zip(decls, hosts, strict=True):
            vms = [self.vm(d, None, table, host, clustered) for d in decl.inner.get("vm", [])]
            self._attach_vms([host], vms)

    def vm(
        self,
        decl: _Decl,
        cluster: Cluster | None,
        hosts: Mapping[str, Host],
        inside: Host | None,
        clustered: Mapping[str, Host] = {},
    ) -> VM:
        """A vm block as a VM: the host it runs on, its possible owners and everything a migration moves."""
        scope = cluster.name if cluster else (inside.name if inside else "")
        subject = f"vm {scope}/{decl.name}"
        not_here = {}
        if inside is not None:
            not_here["host"] = msg.HOST_OF_NESTED_VM.format(host=inside.name)
        read = self.read(decl.block, "vm", subject, not_here=not_here)
        host = inside
        if inside is None:
            if "host" in read.values:
                host = self.lookup(
                    hosts,
                    read.values["host"],
                    read.raw["host"],
                    "host",
                    "host",
                    subject,
                    read,
                    cluster,
                )
            elif "host" not in read.errors:
                self.emit(
                    msg.MISSING_ATTRIBUTE, token_span(decl.block.kind), subject, subject=subject, name="host"
                )
                read.errors.add("host")
        self._clustered_owners(read, hosts, clustered, subject)
        owners = self.lookup_list(hosts, read, "possible_owners", "host", subject, cluster)
        if owners is None:
            owners = self._every(hosts) if cluster is not None else ((host,) if host else ())
        elif host is not None and "possible_owners" not in read.errors and host not in owners:
            self.emit(
                msg.HOST_NOT_AN_OWNER,
                read.value_span("possible_owners"),
                subject,
                host=host.name,
                subject=subject,
                owners=", ".join(owner.name for owner in owners),
            )
            read.errors.add("possible_owners")
        device_values.check_dda_memory(self, read, subject)
        capacity = self.capacity("vm", read, subject)
        platform = host.platform if host else (cluster.platform if cluster else "ws2008r2")
        storage = self._cluster_storage if cluster is not None else {}
        device_values.check_vm(self, read, subject, host.name if host else None, platform, storage)
        get = read.valid().get
        shielded = get("shielded", False)
        made = VM(
            name=decl.name,
            cluster=cluster,
            host=host,
            state=get("state", "running"),
            memory=get("memory", 0.0),
            dirty_rate=get("dirty_rate"),
            working_set=get("working_set"),
            compatibility_mode=get("compatibility_mode", "off"),
            config_version=get("config_version"),
            highly_available=get("highly_available", cluster is not None),
            possible_owners=owners,
            disks=_firsts(get("disks")),
            dvd=_firsts(get("dvd")),
            config_path=get("config_path"),
            adapters=_firsts(get("adapters")),
            max_downtime=get("max_downtime"),
            positions=read.positions(decl.block),
            errors=read.frozen_errors(),
            declared_in_host=inside is not None,
            dda_devices=_firsts(get("dda_devices")),
            dda_pool=get("dda_pool"),
            gpu_partitions=get("gpu_partitions", 0),
            fibre_channel=_firsts(get("fibre_channel")),
            passthrough_disks=_firsts(get("passthrough_disks")),
            checkpoint_type=get("checkpoint_type"),
            checkpoints=get("checkpoints"),
            vtpm=get("vtpm", shielded),
            shielded=shielded,
            key_protector=get("key_protector"),
            **capacity,
            disk_blocks=self._disk_blocks(decl, read, subject),
        )
        _consume(decl.block)
        return made

    def _clustered_owners(
        self, read: _Read, hosts: Mapping[str, Host], clustered: Mapping[str, Host], subject: str
    ) -> None:
        """Drops from a standalone VM's `possible_owners` the hosts that are inside a cluster, with HV004."""
        written = read.values.get("possible_owners")
        if not clustered or written is None:
            return
        kept = []
        for name, token in written:
            inside = clustered.get(name.casefold())
            if inside is not None and name.casefold() not in hosts:
                assert inside.cluster is not None
                self.emit(
                    msg.CLUSTERED_OWNER_OF_STANDALONE_VM,
                    token_span(token),
                    subject,
                    name=name,
                    subject=subject,
                    cluster=inside.cluster.name,
                )
                read.errors.add("possible_owners")
            else:
                kept.append((name, token))
        read.values["possible_owners"] = kept

    def _disk_blocks(self, decl: _Decl, read: _Read, subject: str) -> tuple[Disk, ...]:
        """The VM's `disk` blocks (language-v2.md §3), each path given once among them and `disks`."""
        if not decl.block.blocks:
            return ()
        seen = {normalize(path): token for path, token in read.values.get("disks", [])}
        disks = []
        for block in decl.block.blocks:
            if str(block.kind) not in schema.BLOCKS["vm"]:
                self._misplaced_block(block, "vm")
                continue
            path = block_name(block)
            if path is None or block.label is None:
                self.emit(msg.BLOCK_NEEDS_NAME, token_span(block.kind), subject, kind="disk")
                continue
            key = normalize(path)
            if key in seen:
                first_line = token_span(seen[key]).line
                label = token_span(block.label)
                self.emit(
                    msg.DISK_GIVEN_TWICE, label, subject, path=path, subject=subject, first_line=first_line
                )
                continue
            seen[key] = block.label
            disk_subject = f"disk '{path}' of {subject}"
            disk = self.read(block, "disk", disk_subject)
            disks.append(
                Disk(
                    path=path,
                    size=disk.get("size"),
                    positions=disk.positions(block),
                    errors=frozenset(disk.errors),
                )
            )
        return tuple(disks)

    def capacity(self, kind: str, read: _Read, subject: str) -> dict[str, Any]:
        """The capacity attributes of a host or a vm (language-v2.md §3) as model fields, after HV004 for
        the combinations the language refuses: a `memory_reserve` not less than `memory`, and a
        `startup_memory` without `dynamic_memory = true`."""
        if kind == "host":
            reserve = read.get("memory_reserve")
            memory = read.get("memory")
            if reserve is not None and memory is not None and reserve >= memory:
                reserve = None
                self._refuse(
                    read,
                    "memory_reserve",
                    f"`memory_reserve` of {subject} must be less than its `memory`: no memory would be left "
                    "for VMs",
                    subject,
                )
            return {
                "memory_reserve": reserve,
                "logical_processors": read.get("logical_processors"),
                "numa_nodes": read.get("numa_nodes", 1),
                "numa_spanning": read.get("numa_spanning", True),
            }
        dynamic = read.get("dynamic_memory", False)
        startup = read.get("startup_memory")
        if startup is not None and not dynamic and "dynamic_memory" not in read.errors:
            startup = None
            self._refuse(
                read,
                "startup_memory",
                f"`startup_memory` of {subject} needs `dynamic_memory = true`: "
                "with static memory the startup memory is `memory`",
                subject,
            )
        return {
            "processors": read.get("processors"),
            "dynamic_memory": dynamic,
            "startup_memory": startup,
        }

    def _refuse(self, read: _Read, attribute: str, message: str, subject: str) -> None:
        """HV004 at the attribute's value, which is then in error (and read as not given)."""
        self.report_invalid(read.value_span(attribute), message, subject)
        read.errors.add(attribute)


def resolve(
    blocks: list[RawBlock], path: str, catalogue: Mapping[str, Processor]
) -> tuple[Model, list[Problem]]:
    """The model of a file's raw blocks, and the HV002-HV004 problems found on the way. The blocks of VMs
    are emptied as their VMs are made (their positions are kept in the model)."""
    resolver = Resolver(path, catalogue)
    model = resolver.resolve(blocks)
    return model, resolver.problems
