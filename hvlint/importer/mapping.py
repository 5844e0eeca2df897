"""The inventory as `.hvc` blocks (import.md §6): which clusters, hosts and VMs are written, under which
names, and in which order, with the cluster-wide settings and comments."""

from __future__ import annotations

from dataclasses import dataclass, field

from hvlint.importer.hosts import HostInfo, assign_processors, coreinfo_allowed, host_info, shown
from hvlint.importer.inventory import Obj, Warnings
from hvlint.importer.layout import Attr, Blank, Block, Comment, Item
from hvlint.importer.networks import NetworkInfo, cluster_networks, host_networks
from hvlint.importer.spelling import name_sort_key, quoted, writable
from hvlint.importer.storage import Places, csv_roots, plan_storage
from hvlint.importer.vms import VMContext, memory_of, vm_block
from hvlint.language.model import PLATFORMS

TRANSPORTS = {"TCPIP": "tcp", "Compression": "compression", "SMB": "smb"}


@dataclass
class Mapped:
    """The blocks to write and what was counted on the way."""

    blocks: list[Block]
    clusters: int = 0
    hosts: int = 0
    vms: int = 0
    skipped: int = 0


@dataclass
class _Cluster:
    name: str
    obj: Obj | None
    hosts: list[HostInfo] = field(default_factory=list)
    vms: list[tuple[Obj, HostInfo]] = field(default_factory=list)


def map_inventory(doc: Obj, warnings: Warnings) -> Mapped:
    """Every block the import writes for `doc`, in file order."""
    for error in doc["errors"] or []:
        command = error["command"] or "a query"
        warnings.add(
            error, None, f"the collector could not run {command}: {error['message'] or ''}".rstrip(": ")
        )
    mapped = Mapped([])
    clusters = _clusters(doc, warnings, mapped)
    hosts = _hosts(doc, clusters, warnings, mapped)
    standalone = sorted((h for h in hosts if h.cluster is None), key=lambda h: name_sort_key(h.name))
    alone = _place_vms(doc, clusters, hosts, warnings, mapped)
    ordered = sorted((c for c in clusters.values() if c.name), key=lambda c: name_sort_key(c.name))
    groups = [(c.hosts, coreinfo_allowed(c.hosts, c.obj, warnings)) for c in ordered]
    groups += [([h], h.coreinfo is not None) for h in standalone]
    mapped.blocks = assign_processors(groups, warnings)
    mapped.blocks += [_cluster_block(cluster, warnings) for cluster in ordered]
    mapped.blocks += [
        _standalone_block(host, alone.get(host.name.casefold(), []), warnings) for host in standalone
    ]
    mapped.clusters = len(ordered)
    mapped.hosts = len(hosts)
    return mapped


def _clusters(doc: Obj, warnings: Warnings, mapped: Mapped) -> dict[str, _Cluster]:
    clusters: dict[str, _Cluster] = {}
    for cluster in doc["clusters"]:
        name = cluster["name"]
        if not writable(name):
            warnings.add(cluster, None, "skipped, with its hosts and VMs: its name cannot be written in .hvc")
            mapped.skipped += 1
            clusters.setdefault(name.casefold(), _Cluster("", None))
        elif name.casefold() in clusters:
            warnings.add(cluster, None, f'skipped, with its hosts and VMs: another cluster is named "{name}"')
            mapped.skipped += 1
        else:
            clusters[name.casefold()] = _Cluster(name, cluster)
    return clusters


def _hosts(doc: Obj, clusters: dict[str, _Cluster], warnings: Warnings, mapped: Mapped) -> list[HostInfo]:
    written: dict[str, HostInfo] = {}
    for host in doc["hosts"]:
        if host["name"] is not None and host["name"].casefold() in written:
            warnings.add(host, None, f'skipped, with its VMs: another host is named "{host["name"]}"')
            mapped.skipped += 1
            continue
        cluster_name = host["cluster"]
        cluster = clusters.get(cluster_name.casefold()) if cluster_name is not None else None
        if cluster_name is not None and cluster is not None and not cluster.name:
            warnings.add(host, None, "skipped, with its VMs: its cluster was skipped")
            mapped.skipped += 1
            continue
        if cluster_name is not None and not writable(cluster_name):
            warnings.add(
                host, "cluster", "skipped, with its VMs: its cluster's name cannot be written in .hvc"
            )
            mapped.skipped += 1
            continue
        info = host_info(host, warnings)
        if info is None:
            mapped.skipped += 1
            continue
        if cluster_name is not None and cluster is None:
            warnings.add(
                host,
                "cluster",
                f'its cluster "{cluster_name}" is not in clusters (Get-Cluster failed?): its networks, '
                "storage and VM roles are unknown",
            )
            cluster = clusters[cluster_name.casefold()] = _Cluster(cluster_name, None)
        if cluster is not None:
            info.cluster = cluster.name
            cluster.hosts.append(info)
        written[info.name.casefold()] = info
    for cluster in clusters.values():
        cluster.hosts.sort(key=lambda h: name_sort_key(h.name))
    return list(written.values())


def _place_vms(
    doc: Obj, clusters: dict[str, _Cluster], hosts: list[HostInfo], warnings: Warnings, mapped: Mapped
) -> dict[str, list[tuple[Obj, HostInfo]]]:
    """Places every written VM in its cluster; returns the standalone hosts' VMs by host."""
    by_name = {host.name.casefold(): host for host in hosts}
    order = {host.name.casefold(): i for i, host in enumerate(hosts)}
    owners = {
        group["vm_id"]: (group["owner_node"] or "").casefold()
        for cluster in clusters.values()
        if cluster.obj is not None
        for group in cluster.obj["vm_groups"] or []
        if group["vm_id"]
    }
    kept: dict[str, tuple[Obj, HostInfo]] = {}
    placed: list[tuple[Obj, HostInfo]] = []
    for vm in doc["vms"]:
        host = by_name.get(vm["host"].casefold())
        if host is None:
            mapped.skipped += 1
            warnings.add(vm, None, f'skipped: its host "{vm["host"]}" was not collected or not written')
            continue
        if not writable(vm["name"]):
            mapped.skipped += 1
            warnings.add(vm, None, "skipped: its name cannot be written in .hvc")
            continue
        if memory_of(vm) is None:
            mapped.skipped += 1
            warnings.add(vm, None, "skipped: its memory is unknown")
            continue
        if vm["id"] is not None and vm["id"] in kept:
            other_vm, other_host = kept[vm["id"]]
            owner = owners.get(vm["id"])
            prefer_new = owner == host.name.casefold() or (
                owner != other_host.name.casefold()
                and order[host.name.casefold()] < order[other_host.name.casefold()]
            )
            dropped = other_vm if prefer_new else vm
            mapped.skipped += 1
            warnings.add(
                dropped,
                None,
                f"skipped: the same VM (id {vm['id']}) was read on two hosts during a migration; "
                f'the one on "{(host if prefer_new else other_host).name}" is written',
            )
            if prefer_new:
                placed.remove((other_vm, other_host))
                kept[vm["id"]] = (vm, host)
                placed.append((vm, host))
            continue
        if vm["id"] is not None:
            kept[vm["id"]] = (vm, host)
        placed.append((vm, host))
    standalone: dict[str, list[tuple[Obj, HostInfo]]] = {}
    for vm, host in placed:
        if host.cluster is not None:
            clusters[host.cluster.casefold()].vms.append((vm, host))
        else:
            standalone.setdefault(host.name.casefold(), []).append((vm, host))
    mapped.vms = len(placed)
    return standalone


def _names(
    vms: list[tuple[Obj, HostInfo]], warnings: Warnings
) -> list[tuple[str, Obj, HostInfo, str | None]]:
    """Each VM with the name it is written under (unique in its scope) and the comment of a rename."""
    ordered = sorted(
        vms,
        key=lambda item: (*name_sort_key(item[0]["name"]), *name_sort_key(item[1].name), item[0]["id"] or ""),
    )
    taken: set[str] = set()
    result = []
    for vm, host in ordered:
        name = vm["name"]
        comment = None
        if name.casefold() in taken:
            label = f"{name} [{vm['id'] or host.name}]"
            count = 1
            while label.casefold() in taken:
                count += 1
                label = f"{name} [{vm['id'] or host.name}] {count}"
            warnings.add(vm, "name", f'renamed "{label}": another VM of this cluster is named "{name}"')
            comment = f'named "{shown(name)}" in Hyper-V; renamed: another VM of this cluster has that name'
            name = label
        taken.add(name.casefold())
        result.append((name, vm, host, comment))
    return sorted(result, key=lambda item: name_sort_key(item[0]))


def _platform(cluster: _Cluster, comments: list[str]) -> str | None:
    known = [h for h in cluster.hosts if h.platform is not None]
    if not known:
        comments.append("TODO: platform unknown: no node's build was collected")
        return None
    platforms = sorted({h.platform for h in known if h.platform}, key=PLATFORMS.index)
    if len(platforms) > 1:
        parts = [f"{p} ({', '.join(shown(h.name) for h in known if h.platform == p)})" for p in platforms]
        level = cluster.obj["functional_level"] if cluster.obj is not None else None
        suffix = f"; functional level {level}" if level is not None else ""
        comments.append(f"mixed-version cluster: {', '.join(parts)}{suffix}")
    return platforms[0]


def _cluster_block(cluster: _Cluster, warnings: Warnings) -> Block:
    comments: list[str] = []
    platform = _platform(cluster, comments)
    attrs: list[Item] = []
    if platform is not None:
        attrs.append(Attr("platform", platform))
    attrs.append(Attr("failover_clustering", "true"))
    migrations = _max_migrations(cluster, comments)
    if migrations is not None:
        attrs.append(Attr("max_migrations", str(migrations)))
    transport = _transport(cluster, platform, comments, warnings)
    if transport is not None:
        attrs.append(Attr("migration_transport", transport))
    obj = cluster.obj
    if obj is not None:
        written = {h.name.casefold() for h in cluster.hosts}
        known = {h["name"].casefold() for h in obj["nodes"] or []}
        for node in sorted(obj["nodes"] or [], key=lambda n: name_sort_key(n["name"])):
            if node["name"].casefold() not in written and node["name"].casefold() in known:
                state = f" ({node['state']})" if node["state"] else ""
                comments.append(f"node {shown(node['name'])}{state} was not collected")
    networks = cluster_networks(obj, cluster.hosts, warnings)
    places = Places(csv_roots(obj["shared_volumes"] if obj is not None else None))
    used = _used_paths(cluster)
    plan = plan_storage(places, used, {h.name.casefold(): shown(h.name) for h in cluster.hosts})
    for root, names in plan.undeclared:
        warnings.add(obj, None, f"local {root} of {', '.join(names)} not declared: two hosts use it")
    comments += plan.comments
    items: list[Item] = [Comment(text) for text in comments]
    items += attrs
    for group in ([n.block for n in networks], plan.blocks, _host_blocks(cluster, networks)):
        if group:
            items.append(Blank())
            items.extend(group)
    vm_blocks = _vm_blocks(cluster, places, warnings)
    for block in vm_blocks:
        items.append(Blank())
        items.append(block)
    return Block("cluster", quoted(cluster.name), items)


def _max_migrations(cluster: _Cluster, comments: list[str]) -> int | None:
    level = cluster.obj["max_parallel_migrations"] if cluster.obj is not None else None
    if level is not None and 1 <= level <= 10**18:
        return int(level)
    values = {
        h.name: h.obj["migration"]["max_migrations"]
        for h in cluster.hosts
        if h.obj["migration"] is not None
        and h.obj["migration"]["max_migrations"] is not None
        and 1 <= h.obj["migration"]["max_migrations"] <= 10**18
    }
    if not values:
        return None
    if len(set(values.values())) > 1:
        listed = ", ".join(f"{shown(name)} {count}" for name, count in values.items())
        comments.append(
            f"hosts allow different numbers of simultaneous live migrations ({listed}): "
            "the smallest is written"
        )
    return min(values.values())


def _transport(
    cluster: _Cluster, platform: str | None, comments: list[str], warnings: Warnings
) -> str | None:
    used: dict[str, list[str]] = {}
    for host in cluster.hosts:
        migration = host.obj["migration"]
        if migration is not None and migration["performance"] is not None:
            used.setdefault(TRANSPORTS[migration["performance"]], []).append(shown(host.name))
    if not used:
        return None
    chosen = next(t for t in ("tcp", "smb", "compression") if t in used)
    if len(used) > 1:
        parts = ", ".join(f"{t} ({', '.join(names)})" for t, names in sorted(used.items()))
        comments.append(f"hosts use different live-migration transports: {parts}; {chosen} is written")
        warnings.add(
            cluster.obj, None, f"hosts use different live-migration transports: {parts}; {chosen} is written"
        )
    if chosen != "tcp" and PLATFORMS.index(platform or "ws2008r2") < PLATFORMS.index("ws2012r2"):
        warnings.add(
            cluster.obj,
            None,
            f"migration_transport {chosen} needs ws2012r2 or later, and the cluster is "
            f"{platform or 'of an unknown platform'}: not written",
        )
        return None
    return chosen


def _host_blocks(cluster: _Cluster, networks: list[NetworkInfo]) -> list[Block]:
    blocks = []
    for host in cluster.hosts:
        attrs = _host_attrs(host)
        on = host_networks(cluster.obj, host, networks)
        if on is not None:
            attrs.insert(2, Attr("networks", [quoted(n) for n in on]))
        blocks.append(
            Block("host", quoted(host.name), list(attrs), one_line=True, above=_host_comments(host))
        )
    return blocks


def _host_attrs(host: HostInfo) -> list[Attr]:
    from hvlint.importer.spelling import size

    attrs = [Attr("processor", quoted(host.processor)), Attr("memory", size(host.memory))]
    if host.switches:
        attrs.append(Attr("switches", [quoted(s) for s in sorted(host.switches, key=name_sort_key)]))
    return attrs


def _host_comments(host: HostInfo) -> list[str]:
    migration = host.obj["migration"]
    if migration is not None and migration["enabled"] is False:
        return ["live migration is disabled on this host (VirtualMachineMigrationEnabled is false)"]
    return []


def _used_paths(cluster: _Cluster) -> list[tuple[str, str]]:
    used = []
    for vm, host in cluster.vms:
        paths = [d["path"] for d in vm["disks"] or [] if d["path"] and d["disk_number"] is None]
        paths += [
            d["path"]
            for d in vm["dvd_drives"] or []
            if d["path"] and d["media_type"] not in ("None", "PassThrough")
        ]
        if vm["paths"] is not None:
            paths += [
                vm["paths"][m] for m in ("configuration", "snapshots", "smart_paging") if vm["paths"][m]
            ]
        used += [(host.name, p) for p in paths if writable(p)]
    return used


def _vm_blocks(cluster: _Cluster, places: Places, warnings: Warnings) -> list[Block]:
    obj = cluster.obj
    groups = obj["vm_groups"] if obj is not None else None
    by_id = {g["vm_id"]: g for g in groups or [] if g["vm_id"]}
    by_name = {g["name"].casefold(): g for g in groups or [] if not g["vm_id"]}
    written = {h.name.casefold(): h.name for h in cluster.hosts}
    blocks = []

    for label, vm, host, rename in _names(cluster.vms, warnings):
        group = by_id.get(vm["id"]) if vm["id"] else None
        group = group or by_name.get(vm["name"].casefold())
        if (
            group is not None
            and group["owner_node"]
            and group["owner_node"].casefold() != host.name.casefold()
        ):
            warnings.add(
                vm,
                "host",
                f'its cluster group is owned by "{group["owner_node"]}"; the host where Get-VM found it, '
                f'"{host.name}", is written',
            )
        context = VMContext(
            host,
            True,
            written,
            group,
            groups is not None,
            places.holds,
            places.shared,
            [rename] if rename else [],
        )
        blocks.append(vm_block(vm, label, context, warnings))
    return blocks


def _standalone_block(host: HostInfo, vms: list[tuple[Obj, HostInfo]], warnings: Warnings) -> Block:
    items: list[Item] = [Comment(text) for text in _host_comments(host)]
    if host.platform is None:
        items.append(Comment("TODO: platform unknown"))
    attrs = _host_attrs(host)
    if host.platform is not None:
        attrs.append(Attr("platform", host.platform))
    items += attrs
    places = Places([])
    for label, vm, _, rename in _names(vms, warnings):
        context = VMContext(
            host,
            False,
            {host.name.casefold(): host.name},
            None,
            False,
            places.holds,
            lambda p: False,
            [rename] if rename else [],
        )
        items.append(Blank())
        items.append(vm_block(vm, label, context, warnings))
    return Block("host", quoted(host.name), items)
