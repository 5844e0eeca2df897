"""From raw syntax to the model: schema, defaults, units and references (language.md §2, §3).

Reports HV002 (unresolved reference), HV003 (duplicate declaration or attribute) and HV004 (invalid value,
unknown or misplaced attribute or block, missing required attribute). Every problem marks the attribute it
concerns as in error on the object, so that rules can stay silent about what follows from it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from hvlint.language import schema
from hvlint.language.model import (
    VM,
    Cluster,
    Host,
    Model,
    Network,
    Positions,
    Processor,
    Storage,
    platform_at_least,
)
from hvlint.language.spelling import closest
from hvlint.language.syntax import RawBlock, RawList, Span, token_span, value_span
from hvlint.language.values import ListOf, ValueProblem, string_value


@dataclass(frozen=True, slots=True)
class Problem:
    """A language diagnostic (HV002-HV004) found while resolving."""

    code: str
    span: Span
    message: str
    subject: str | None


@dataclass(slots=True)
class _Read:
    """One block's attributes, converted, with their positions and the names of those in error."""

    values: dict[str, Any] = field(default_factory=dict)
    keys: dict[str, Any] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)
    errors: set[str] = field(default_factory=set)

    def get(self, name: str, default: Any = None) -> Any:
        """The attribute's value, or `default` when it is absent or in error."""
        if name in self.errors:
            return default
        return self.values.get(name, default)

    def given(self, name: str) -> bool:
        """Whether the file sets the attribute (validly or not)."""
        return name in self.keys

    def positions(self, block: RawBlock) -> Positions:
        """The positions of the block and of every attribute read."""
        return Positions(block.kind, block.label, self.keys, self.raw)

    def value_span(self, name: str) -> Span:
        """Where the attribute's value stands."""
        return value_span(self.raw[name])


@dataclass(slots=True)
class _Decl:
    """A declared block, its name and where it stands."""

    block: RawBlock
    name: str
    cluster: _Decl | None = None
    host: _Decl | None = None
    inner: dict[str, list[_Decl]] = field(default_factory=dict)


def _qualified(decl: _Decl | None, cluster: _Decl | None) -> str:
    if decl is None:
        return ""
    return f"{cluster.name}/{decl.name}" if cluster is not None else decl.name


def block_name(block: RawBlock) -> str | None:
    """The block's label as text, or None when it has none."""
    return string_value(block.label) if block.label is not None else None


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
        self._hint_budget = HINT_BUDGET
        self._every_cache: dict[int, tuple[Mapping[str, Any], tuple[Any, ...]]] = {}

    def _every(self, table: Mapping[str, Any]) -> tuple[Any, ...]:
        """`tuple(table.values())`, made once per (complete) table: the VMs, hosts and storage that
        default to all of their cluster's hosts or networks share one tuple, where a tuple each would
        make memory grow with hosts times VMs."""
        cached = self._every_cache.get(id(table))
        if cached is None or cached[0] is not table:
            cached = (table, tuple(table.values()))
            self._every_cache[id(table)] = cached
        return cached[1]

    def report(self, code: str, span: Span, message: str, subject: str | None) -> None:
        """Records one problem."""
        self.problems.append(Problem(code, span, message, subject))

    # -- declarations -------------------------------------------------------------------------------------

    def _declare(
        self,
        blocks: Iterable[RawBlock],
        where: str,
        scopes: Mapping[str, dict[str, _Decl]],
        parent: _Decl | None,
        cluster: _Decl | None,
        declare_inner: Callable[[_Decl, str, Mapping[str, dict[str, _Decl]]], None] | None = None,
    ) -> dict[str, list[_Decl]]:
        """The blocks allowed `where`, by kind, each name checked for uniqueness in its scope in file
        order; `declare_inner` declares a block's own inner blocks as soon as the block is declared."""
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
                self.report("HV004", token_span(block.kind), f"block `{kind}` needs a name", None)
                continue
            if inline_processor and found["processor"]:
                self.report(
                    "HV003",
                    token_span(block.kind),
                    f"host {_qualified(parent, cluster)} declares a second inline processor",
                    None,
                )
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
            if declare_inner is not None:
                declare_inner(decl, kind, scopes)
        return found

    def _declare_inner(self, decl: _Decl, kind: str, file_scopes: Mapping[str, dict[str, _Decl]]) -> None:
        if kind == "cluster":
            scopes = {"processor": {}, "network": {}, "storage": {}, "host": file_scopes["host"], "vm": {}}
            decl.inner = self._declare(decl.block.blocks, "cluster", scopes, decl, decl)
            for host in decl.inner["host"]:
                host.inner = self._declare(
                    host.block.blocks, "host", {"processor": {}, "vm": scopes["vm"]}, host, decl
                )
        elif kind == "host":
            decl.inner = self._declare(decl.block.blocks, "host", {"processor": {}, "vm": {}}, decl, None)

    def _unique(self, scope: dict[str, _Decl], decl: _Decl, kind: str) -> bool:
        key = decl.name.casefold()
        first = scope.get(key)
        if first is not None:
            span = (
                token_span(decl.block.label) if decl.block.label is not None else token_span(decl.block.kind)
            )
            self.report(
                "HV003",
                span,
                f"{kind} `{decl.name}` is declared twice in the same scope "
                f"(first at line {first.block.kind.line})",
                None,
            )
            return False
        scope[key] = decl
        return True

    def _misplaced_block(self, block: RawBlock, where: str) -> None:
        kind = str(block.kind)
        allowed = schema.BLOCKS[where]
        place = "at the top level" if where == "file" else f"inside {where}"
        expected = ", ".join(allowed)
        if kind in schema.ATTRIBUTES:
            message = f"block `{kind}` is not allowed {place} (expected {expected})"
        elif kind in schema.ATTRIBUTES.get(where, {}):
            message = f"block `{kind}` is an attribute of {where}: write `{kind} = ...`"
        else:
            hint = closest(kind, allowed)
            did_you_mean = f"; did you mean `{hint}`?" if hint else ""
            message = f"unknown block `{kind}` {place}{did_you_mean} (expected {expected})"
        self.report("HV004", token_span(block.kind), message, None)

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
        (with the reason), `supplied` required attributes given another way (an inline processor block)."""
        attributes = schema.ATTRIBUTES[kind]
        read = _Read()
        for attribute in block.attributes:
            name = str(attribute.key)
            key_span = token_span(attribute.key)
            if name in not_here:
                self.report("HV004", key_span, not_here[name], subject)
                continue
            value_type = attributes.get(name)
            if value_type is None:
                self._unknown_attribute(name, kind, key_span, subject)
                continue
            if name in read.keys:
                first = token_span(read.keys[name])
                self.report(
                    "HV003",
                    key_span,
                    f"attribute `{name}` is given twice in {subject} (first at line {first.line})",
                    subject,
                )
                continue
            read.keys[name] = attribute.key
            read.raw[name] = attribute.value
            try:
                value = value_type.convert(attribute.value)
                if isinstance(value_type, ListOf):
                    value = self._read_items(value, value_type, name, read, subject)
            except ValueProblem as problem:
                self.report("HV004", problem.span, problem.message.replace("{attribute}", name), subject)
                read.errors.add(name)
                continue
            read.values[name] = value
        for name in schema.REQUIRED[kind]:
            if name not in read.keys and name not in supplied:
                self.report(
                    "HV004",
                    token_span(block.kind),
                    f"{subject} is missing the required attribute `{name}`",
                    subject,
                )
                read.errors.add(name)
        return read

    def _read_items(self, items: list, list_type: ListOf, name: str, read: _Read, subject: str) -> list:
        """The converted items of a list, each with its raw token (for its position)."""
        converted = []
        for item in items:
            if isinstance(item, RawList):
                self.report(
                    "HV004",
                    item.span,
                    f"a list inside a list: `{name}` holds names and strings only",
                    subject,
                )
                read.errors.add(name)
                continue
            try:
                converted.append((list_type.item.convert(item), item))
            except ValueProblem as problem:
                self.report("HV004", problem.span, problem.message.replace("{attribute}", name), subject)
                read.errors.add(name)
        return converted

    def _unknown_attribute(self, name: str, kind: str, span: Span, subject: str) -> None:
        allowed = schema.ATTRIBUTES[kind]
        if name in schema.BLOCKS.get(kind, ()):
            message = f'attribute `{name}` is a block in {kind}: write `{name} "NAME" {{ ... }}`'
        else:
            hint = closest(name, allowed)
            did_you_mean = f"; did you mean `{hint}`?" if hint else ""
            message = (
                f"unknown attribute `{name}` in {kind}{did_you_mean} (expected one of {', '.join(allowed)})"
            )
        self.report("HV004", span, message, subject)

    def lookup(
        self,
        table: Mapping[str, Any],
        name: str,
        span: Span,
        what: str,
        attribute: str,
        subject: str,
        read: _Read,
    ) -> Any:
        """The object `name` refers to in `table`, or None with HV002 and the attribute marked in error."""
        found = table.get(name.casefold())
        if found is not None:
            return found
        hint = None
        if len(table) <= self._hint_budget:
            self._hint_budget -= len(table)
            hint = closest(name, [getattr(item, "name", key) for key, item in table.items()])
        did_you_mean = f"; did you mean `{hint}`?" if hint else ""
        self.report(
            "HV002", span, f"unknown {what} `{name}` in `{attribute}` of {subject}{did_you_mean}", subject
        )
        read.errors.add(attribute)
        return None

    def lookup_list(
        self, table: Mapping[str, Any], read: _Read, attribute: str, what: str, subject: str
    ) -> tuple[Any, ...] | None:
        """The objects a list of references names (None when the attribute is absent)."""
        if attribute not in read.values:
            return None
        found = []
        for name, token in read.values[attribute]:
            target = self.lookup(table, name, token_span(token), what, attribute, subject, read)
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
        clusters = tuple(self.cluster(decl, visible) for decl in top["cluster"])
        hosts = tuple(self.host(decl, None, visible, {}) for decl in top["host"])
        return Model(self.path, clusters, hosts, tuple(file_processors.values()))

    def processor(self, decl: _Decl, cluster: Cluster | None, owner: str | None = None) -> Processor:
        """A processor block as a Processor."""
        subject = f"processor {owner or decl.name}"
        read = self.read(decl.block, "processor", subject)
        features = frozenset(str(name).lower() for name, _ in read.get("features", []))
        return Processor(
            decl.name,
            read.get("vendor", ""),
            read.get("family"),
            read.get("model"),
            features,
            read.positions(decl.block),
            frozenset(read.errors),
            cluster,
        )

    def cluster(self, decl: _Decl, visible: Mapping[str, Processor]) -> Cluster:
        """A cluster block and everything inside it."""
        subject = f"cluster {decl.name}"
        read = self.read(decl.block, "cluster", subject)
        platform = read.get("platform", "ws2008r2")
        transport = read.get("migration_transport", schema.default_transport(platform))
        if transport in ("compression", "smb") and not platform_at_least(platform, "ws2012r2"):
            self.report(
                "HV004",
                read.value_span("migration_transport"),
                f"transport `{transport}` needs ws2012r2 or later; {subject} is {platform}",
                subject,
            )
            read.errors.add("migration_transport")
            transport = schema.default_transport(platform)
        cluster = Cluster(
            decl.name,
            platform,
            read.get("failover_clustering", False),
            read.get("max_migrations", schema.default_max_migrations(platform)),
            transport,
            read.get("max_downtime"),
            read.positions(decl.block),
            frozenset(read.errors),
        )
        inner = decl.inner
        processors = {d.name.casefold(): self.processor(d, cluster) for d in inner["processor"]}
        visible = {**visible, **processors}
        networks = {d.name.casefold(): self.network(d, cluster) for d in inner["network"]}
        hosts = {d.name.casefold(): self.host(d, cluster, visible, networks) for d in inner["host"]}
        storage = tuple(self.storage(d, cluster, hosts) for d in inner["storage"])
        vms = [self.vm(d, cluster, hosts, None) for d in inner["vm"]]
        for host_decl in inner["host"]:
            host = hosts[host_decl.name.casefold()]
            vms.extend(self.vm(d, cluster, hosts, host) for d in host_decl.inner["vm"])
        self._attach_vms(hosts.values(), vms)
        for name, value in (
            ("processors", tuple(processors.values())),
            ("networks", tuple(networks.values())),
            ("storage", storage),
            ("hosts", tuple(hosts.values())),
            ("vms", tuple(vms)),
        ):
            object.__setattr__(cluster, name, value)
        return cluster

    @staticmethod
    def _attach_vms(hosts: Iterable[Host], vms: Iterable[VM]) -> None:
        by_host: dict[int, list[VM]] = {}
        for vm in vms:
            if vm.host is not None:
                by_host.setdefault(id(vm.host), []).append(vm)
        for host in hosts:
            object.__setattr__(host, "vms", tuple(by_host.get(id(host), ())))

    def network(self, decl: _Decl, cluster: Cluster) -> Network:
        """A network block as a Network."""
        subject = f"network {cluster.name}/{decl.name}"
        read = self.read(decl.block, "network", subject)
        roles = frozenset(role for role, _ in read.get("roles", []))
        return Network(
            decl.name,
            cluster,
            roles,
            read.get("bandwidth", schema.DEFAULT_BANDWIDTH),
            read.get("subnet"),
            read.positions(decl.block),
            frozenset(read.errors),
        )

    def storage(self, decl: _Decl, cluster: Cluster, hosts: Mapping[str, Host]) -> Storage:
        """A storage block as a Storage."""
        subject = f"storage {cluster.name}/{decl.name}"
        read = self.read(decl.block, "storage", subject)
        kind = read.get("kind", "csv")
        listed = self.lookup_list(hosts, read, "hosts", "host", subject)
        if kind == "local" and "kind" not in read.errors and "hosts" not in read.errors:
            count = len(listed) if listed is not None else 0
            if count != 1:
                span = read.value_span("hosts") if "hosts" in read.raw else token_span(decl.block.kind)
                self.report(
                    "HV004",
                    span,
                    f"local {subject} needs `hosts` with exactly one host, found {count}",
                    subject,
                )
                read.errors.add("hosts")
        return Storage(
            decl.name,
            cluster,
            kind,
            read.get("path", ""),
            listed if listed is not None else self._every(hosts),
            read.positions(decl.block),
            frozenset(read.errors),
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
            not_here["platform"] = (
                "attribute `platform` of a host in a cluster is the cluster's: "
                f"set it on cluster {cluster.name}"
            )
        else:
            not_here["networks"] = f"standalone host {decl.name} has no cluster networks to list"
        inline = decl.inner.get("processor", [])
        if inline:
            not_here["processor"] = f"{subject} has an inline processor block already"
        read = self.read(
            decl.block,
            "host",
            subject,
            not_here=not_here,
            supplied=frozenset({"processor"} if inline else ()),
        )
        if inline:
            processor: Processor | None = self.processor(inline[0], cluster, owner=decl.name)
        elif "processor" in read.values:
            processor = self.lookup(
                visible,
                read.values["processor"],
                read.value_span("processor"),
                "processor",
                "processor",
                subject,
                read,
            )
        else:
            processor = None
        listed = self.lookup_list(networks, read, "networks", "network", subject)
        capacity = self.capacity("host", read, subject)
        host = Host(
            decl.name,
            cluster,
            processor,
            read.get("memory", 0.0),
            listed if listed is not None else self._every(networks),
            tuple(name for name, _ in read.get("switches", [])),
            read.get("platform", cluster.platform if cluster else "ws2008r2"),
            read.positions(decl.block),
            frozenset(read.errors),
            **capacity,
        )
        if cluster is None:
            vms = [self.vm(d, None, {decl.name.casefold(): host}, host) for d in decl.inner.get("vm", [])]
            self._attach_vms([host], vms)
        return host

    def vm(self, decl: _Decl, cluster: Cluster | None, hosts: Mapping[str, Host], inside: Host | None) -> VM:
        """A vm block as a VM: the host it runs on, its possible owners and everything a migration moves."""
        scope = cluster.name if cluster else (inside.name if inside else "")
        subject = f"vm {scope}/{decl.name}"
        not_here = {}
        if inside is not None:
            not_here["host"] = (
                f"attribute `host` is not allowed on a vm declared inside host {inside.name}: it runs there"
            )
        read = self.read(decl.block, "vm", subject, not_here=not_here)
        host = inside
        if inside is None:
            if "host" in read.values:
                host = self.lookup(
                    hosts, read.values["host"], read.value_span("host"), "host", "host", subject, read
                )
            elif "host" not in read.errors:
                self.report(
                    "HV004",
                    token_span(decl.block.kind),
                    f"{subject} is missing the required attribute `host`",
                    subject,
                )
                read.errors.add("host")
        owners = self.lookup_list(hosts, read, "possible_owners", "host", subject)
        if owners is None:
            owners = self._every(hosts) if cluster is not None else ((host,) if host else ())
        elif host is not None and "possible_owners" not in read.errors and host not in owners:
            self.report(
                "HV004",
                read.value_span("possible_owners"),
                f"host {host.name} of {subject} is not one of its possible_owners "
                f"({', '.join(owner.name for owner in owners)})",
                subject,
            )
            read.errors.add("possible_owners")
        capacity = self.capacity("vm", read, subject)
        return VM(
            decl.name,
            cluster,
            host,
            read.get("state", "running"),
            read.get("memory", 0.0),
            read.get("dirty_rate"),
            read.get("working_set"),
            read.get("compatibility_mode", "off"),
            read.get("config_version"),
            read.get("highly_available", cluster is not None),
            owners,
            tuple(path for path, _ in read.get("disks", [])),
            tuple(path for path, _ in read.get("dvd", [])),
            read.get("config_path"),
            tuple(name for name, _ in read.get("adapters", [])),
            read.get("max_downtime"),
            read.positions(decl.block),
            frozenset(read.errors),
            declared_in_host=inside is not None,
            **capacity,
        )

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
        self.report("HV004", read.value_span(attribute), message, subject)
        read.errors.add(attribute)


def resolve(
    blocks: list[RawBlock], path: str, catalogue: Mapping[str, Processor]
) -> tuple[Model, list[Problem]]:
    """The model of a file's raw blocks, and the HV002-HV004 problems found on the way."""
    resolver = Resolver(path, catalogue)
    model = resolver.resolve(blocks)
    return model, resolver.problems
