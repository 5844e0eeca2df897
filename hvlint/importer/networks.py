"""A cluster's networks (import.md §6.3.1): roles from the cluster's role and live-migration settings,
bandwidth from the adapters each host has on the network, the subnet, and each host's networks."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from typing import Any

from hvlint.importer.hosts import HostInfo, shown
from hvlint.importer.inventory import Obj, Warnings
from hvlint.importer.layout import Attr, Block
from hvlint.importer.spelling import name_sort_key, quoted, speed, writable

ROLE_ORDER = ("live_migration", "management", "client", "cluster", "storage")
MAX_SPEED = 10**13


@dataclass
class NetworkInfo:
    """A network that will be written."""

    obj: Obj
    name: str
    block: Block


def _mac(text: str | None) -> str | None:
    digits = re.sub(r"[^0-9A-Fa-f]", "", text or "").upper()
    return digits if len(digits) == 12 else None


def subnet_of(network: Obj) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    """The network's subnet: its IPv4 address and contiguous mask, else its one global IPv6 prefix."""
    if network["address"] and network["address_mask"]:
        try:
            return ipaddress.IPv4Network(f"{network['address']}/{network['address_mask']}", strict=False)
        except ValueError:
            pass
    addresses = network["ipv6_addresses"] or []
    lengths = network["ipv6_prefix_lengths"] or []
    found = []
    for address, length in zip(addresses, lengths, strict=False):
        try:
            prefix = ipaddress.IPv6Network(f"{address}/{length}", strict=False)
        except ValueError:
            continue
        if not prefix.subnet_of(ipaddress.IPv6Network("fe80::/10")):
            found.append(prefix)
    return found[0] if len(found) == 1 else None


def _interfaces(cluster: Obj | None) -> list[Obj]:
    return (cluster["network_interfaces"] or []) if cluster is not None else []


def _adapter_speed(host: Obj, interface: Obj) -> int | None:
    adapters = host["net_adapters"] or []
    indexes = {
        ip["interface_index"] for ip in host["ip_addresses"] or [] if ip["address"] == interface["address"]
    }
    adapter = next((a for a in adapters if a["interface_index"] in indexes and indexes), None)
    wanted = (interface["adapter"] or "").casefold()
    if adapter is None and wanted:
        adapter = next(
            (
                a
                for a in adapters
                if wanted in ((a["name"] or "").casefold(), (a["interface_description"] or "").casefold())
            ),
            None,
        )
    if adapter is None:
        return None
    mac = _mac(adapter["mac_address"])
    virtual = next(
        (m for m in host["management_adapters"] or [] if mac is not None and _mac(m["mac_address"]) == mac),
        None,
    )
    if virtual is not None:
        switch = next(
            (
                s
                for s in host["switches"] or []
                if (s["name"] or "").casefold() == (virtual["switch_name"] or "").casefold()
            ),
            None,
        )
        members = {d.casefold() for d in (switch["interface_descriptions"] or [])} if switch else set()
        speeds = [
            a["speed_bps"]
            for a in adapters
            if (a["interface_description"] or "").casefold() in members and _usable(a["speed_bps"])
        ]
        if speeds:
            return min(speeds)
    return adapter["speed_bps"] if _usable(adapter["speed_bps"]) else None


def _usable(bits: int | None) -> bool:
    return bits is not None and 0 < bits <= MAX_SPEED


def cluster_networks(cluster: Obj | None, hosts: list[HostInfo], warnings: Warnings) -> list[NetworkInfo]:
    """The written networks of a cluster, by name."""
    if cluster is None:
        return []
    written: dict[str, NetworkInfo] = {}
    exclude = cluster["migration_exclude_networks"]
    for network in cluster["networks"] or []:
        name = network["name"]
        if not writable(name):
            warnings.add(network, None, "skipped: its name cannot be written in .hvc")
            continue
        if name.casefold() in written:
            warnings.add(network, None, f'skipped: another network of the cluster is named "{name}"')
            continue
        roles, above = _roles(network, exclude, hosts, warnings)
        attrs = [Attr("roles", roles)]
        bandwidth = _bandwidth(network, cluster, hosts)
        if bandwidth is None:
            above.append("TODO: bandwidth unknown: no adapter speed was matched to this network")
        else:
            attrs.append(Attr("bandwidth", speed(bandwidth)))
        subnet = subnet_of(network)
        if subnet is not None:
            attrs.append(Attr("subnet", quoted(subnet.compressed)))
        block = Block("network", quoted(name), list(attrs), one_line=True, above=above)
        written[name.casefold()] = NetworkInfo(network, name, block)
    return sorted(written.values(), key=lambda n: name_sort_key(n.name))


def _roles(
    network: Obj, exclude: list[str] | None, hosts: list[HostInfo], warnings: Warnings
) -> tuple[list[str], list[str]]:
    role = network["role"]
    if role is None:
        warnings.unknown(network, "role", "role unknown: written as roles = []")
        return [], []
    if role == "None":
        return [], ["role None: the cluster does not use this network"]
    roles = set()
    if role in ("Cluster", "ClusterAndClient"):
        roles.add("cluster")
    if role in ("Client", "ClusterAndClient"):
        roles.add("client")
    subnet = subnet_of(network)
    if exclude is not None:
        migrates = network["id"] not in exclude
    else:
        migrates = bool(hosts) and all(_migration(h.obj, "use_any_network") is True for h in hosts)
        for host in hosts:
            for entry in _migration(host.obj, "networks") or []:
                try:
                    if (
                        subnet is not None
                        and ipaddress.ip_network(entry["subnet"] or "", strict=False) == subnet
                    ):
                        migrates = True
                except ValueError:
                    continue
    if migrates:
        roles.add("live_migration")
    if subnet is not None and any(_default_route_in(host.obj, subnet) for host in hosts):
        roles.add("management")
    return [r for r in ROLE_ORDER if r in roles], []


def _migration(host: Obj, member: str) -> Any:
    return host["migration"][member] if host["migration"] is not None else None


def _default_route_in(host: Obj, subnet: ipaddress.IPv4Network | ipaddress.IPv6Network) -> bool:
    routes = set(host["default_route_interfaces"] or [])
    for ip in host["ip_addresses"] or []:
        if ip["interface_index"] in routes and ip["address"]:
            try:
                if ipaddress.ip_address(ip["address"]) in subnet:
                    return True
            except ValueError:
                continue
    return False


def _bandwidth(network: Obj, cluster: Obj, hosts: list[HostInfo]) -> int | None:
    speeds = []
    by_name = {host.name.casefold(): host for host in hosts}
    for interface in _interfaces(cluster):
        if (interface["network"] or "").casefold() != network["name"].casefold():
            continue
        host = by_name.get((interface["node"] or "").casefold())
        if host is not None:
            found = _adapter_speed(host.obj, interface)
            if found is not None:
                speeds.append(found)
    return min(speeds) if speeds else None


def host_networks(cluster: Obj | None, host: HostInfo, networks: list[NetworkInfo]) -> list[str] | None:
    """The networks to write for a host: None when it has every network of the cluster, or when the
    cluster's interfaces are unknown."""
    if cluster is None or cluster["network_interfaces"] is None:
        return None
    on = {
        (i["network"] or "").casefold()
        for i in cluster["network_interfaces"]
        if (i["node"] or "").casefold() == host.name.casefold()
    }
    names = [n.name for n in networks if n.name.casefold() in on]
    return None if len(names) == len(networks) else names


__all__ = ["NetworkInfo", "cluster_networks", "host_networks", "shown"]
