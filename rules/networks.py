"""HV3xx: networks (rules.md). Whether a cluster has a live-migration network of its own, whether every
host is on it and it is fast enough, and whether every host a VM may move to has the virtual switches its
adapters connect to."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from hvlint.estimator.settings import SINGLE_MIGRATION_PLATFORMS
from hvlint.hookspecs import hookimpl
from hvlint.language.model import VM, Cluster, Host, Network, platform_at_least
from hvlint.language.spelling import closest
from hvlint.language.standalone import judged_vms
from hvlint.language.units import format_bit_rate
from hvlint.rule import Context, Rule, RuleFinding

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, ClassVar

LIVE_MIGRATION = "live_migration"
SMB_TRANSPORT_PLATFORM = "ws2012r2"
"""The first platform that live-migrates over SMB (language.md, `migration_transport`)."""
NOT_ALONGSIDE = ("management", "client", "storage")
"""Roles a live-migration network should not carry too (`cluster` alongside is accepted, and `storage`
when the cluster migrates over SMB)."""


def _names(names: Sequence[str]) -> str:
    """`A`, `A and B`, `A, B and C`: every name, since the message must name every one."""
    if len(names) == 1:
        return names[0]
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _live_migration_networks(cluster: Cluster) -> list[Network]:
    """The cluster's networks whose (valid) roles include live_migration."""
    return [
        network for network in cluster.networks if network.valid("roles") and LIVE_MIGRATION in network.roles
    ]


def _roles_known(cluster: Cluster) -> bool:
    """Whether every network of the cluster has valid roles (else one may be meant for live migration)."""
    return all(network.valid("roles") for network in cluster.networks)


class LiveMigrationNetworkMissing(Rule):
    """A cluster with VMs has no network for live migration.

    **What it checks.** Every cluster that holds at least one `vm` declares a `network` whose `roles`
    include `live_migration`. The finding points at the cluster's header. Such a cluster gets no HV303.

    **Why it matters.** Without a network set aside for it, live migration copies the VMs' memory over
    whatever network the cluster picks, competing with client, management and cluster traffic: migrations
    take longer, pause the VMs longer, and slow everything else while they run.

    **How to fix it.** Give each host an adapter on a network for live migration (10 Gbps if you can),
    select it for live migration in Failover Cluster Manager, and declare it with
    `roles = [live_migration]`.

    **Example.**
    ```hvc
    cluster "HVC-PROD" {                                       # HV301
      failover_clustering = true
      network "Management" { roles = [management, client] }
      host "HV01" { processor = "amd-opteron-2300"  memory = 64GiB }
      host "HV02" { processor = "amd-opteron-2300"  memory = 64GiB }
      vm "SQL01" { host = HV01  memory = 16GiB }
    }
    ```
    passes with a network for live migration:
    ```hvc
      network "LiveMigration" { roles = [live_migration]  bandwidth = 10Gbps }
      network "Management"    { roles = [management, client] }
    ```
    """

    code = "HV301"
    name = "live-migration-network-missing"
    severity = "error"
    summary = "a cluster with VMs has no live_migration network"

    def check(self, ctx: Context) -> Iterable[RuleFinding]:
        for cluster in ctx.model.clusters:
            if not cluster.vms or _live_migration_networks(cluster) or not _roles_known(cluster):
                continue
            message = (
                f"{cluster.describe()} runs {_count(len(cluster.vms), 'VM')} but has no network with the "
                f"live_migration role, so live migrations share a network with other traffic; add a network "
                f"for live migration on every host and declare it with roles = [live_migration]"
            )
            yield ctx.finding(cluster, message)


def _smb_possible(cluster: Cluster) -> bool:
    """Whether the cluster's platform offers live migration over SMB (ws2012r2 and later)."""
    return cluster.valid("platform") and platform_at_least(cluster.platform, SMB_TRANSPORT_PLATFORM)


class LiveMigrationNetworkNotDedicated(Rule):
    """A live-migration network also carries management, client or storage traffic.

    **What it checks.** A `network` whose `roles` include `live_migration` has none of `management`,
    `client` or `storage` too; `cluster` (heartbeat and CSV redirection) alongside is accepted, and so is
    `storage` when the cluster's `migration_transport` is `smb`: on converged (RDMA) networks Microsoft
    recommends live migration over SMB on the storage networks, capped by an SMB bandwidth limit
    (`Set-SmbBandwidthLimit -Category LiveMigration`). The finding points at the network's `roles`.

    **Why it matters.** A live migration sends a VM's whole memory as fast as the link allows, and again
    what the VM dirtied meanwhile. On a shared network it competes with the clients, the management
    traffic or the storage I/O: the migration takes longer, the VM's final pause grows, and the other
    traffic suffers while it runs.

    **How to fix it.** Give live migration a network of its own (a separate adapter or VLAN), and keep
    `live_migration` out of the roles of the others.

    **Example.**
    ```hvc
    network "Everything" { roles = [live_migration, management, client] }   # HV302
    ```
    passes with:
    ```hvc
    network "LiveMigration" { roles = [live_migration, cluster]  bandwidth = 10Gbps }
    network "Management"    { roles = [management, client] }
    ```
    """

    code = "HV302"
    name = "live-migration-network-not-dedicated"
    severity = "warning"
    summary = "a live_migration network also carries management, client or storage traffic"

    def check(self, ctx: Context) -> Iterable[RuleFinding]:
        for cluster in ctx.model.clusters:
            over_smb = not cluster.valid("migration_transport") or cluster.migration_transport == "smb"
            for network in _live_migration_networks(cluster):
                shared = [
                    role
                    for role in NOT_ALONGSIDE
                    if role in network.roles and not (over_smb and role == "storage")
                ]
                if not shared:
                    continue
                message = (
                    f"{network.describe()} carries live migration together with {_names(shared)} traffic, "
                    f"which slows both; give live migration a network of its own (cluster traffic alongside "
                    f"is fine) and move the {_names(shared)} traffic off {network.name}"
                )
                if shared == ["storage"] and _smb_possible(cluster):
                    message += ", or set migration_transport = smb to migrate over the storage network"
                yield ctx.finding(network, message, at="roles")


class HostMissingLiveMigrationNetwork(Rule):
    """A host of a cluster is on none of the cluster's live-migration networks.

    **What it checks.** In a cluster that declares at least one `network` with the `live_migration` role,
    every host's `networks` (every network of the cluster when not given) include one of them. The
    finding points at the host's `networks`. A cluster with no live-migration network at all gets HV301
    instead.

    **Why it matters.** A VM live-migrates between two hosts over a network both are on. A host without an
    adapter on the live-migration network either cannot take part or falls back to another network,
    sharing it with other traffic.

    **How to fix it.** Give the host an adapter on the live-migration network and add the network to its
    `networks`.

    **Example.**
    ```hvc
    network "LiveMigration" { roles = [live_migration] }
    network "Management"    { roles = [management, client] }
    host "HV03" { processor = "amd-opteron-2300"  memory = 64GiB  networks = [Management] }   # HV303
    ```
    passes with:
    ```hvc
    host "HV03" { processor = "amd-opteron-2300"  memory = 64GiB  networks = [Management, LiveMigration] }
    ```
    """

    code = "HV303"
    name = "host-missing-live-migration-network"
    severity = "error"
    summary = "a host is on none of its cluster's live_migration networks"

    def check(self, ctx: Context) -> Iterable[RuleFinding]:
        for cluster in ctx.model.clusters:
            networks = _live_migration_networks(cluster)
            if not networks:
                continue
            names = _names([network.name for network in networks])
            for host in cluster.hosts:
                if not host.valid("networks"):
                    continue
                if any(
                    not network.valid("roles") or LIVE_MIGRATION in network.roles for network in host.networks
                ):
                    continue
                if len(networks) == 1:
                    fix = (
                        f"give it an adapter on {networks[0].name} and add {networks[0].name} to its networks"
                    )
                else:
                    fix = "give it an adapter on one of them and add that network to its networks"
                message = (
                    f"{host.describe()} is on none of the live_migration networks of cluster {cluster.name} "
                    f"({names}), so VMs cannot live-migrate to or from it over them; {fix}"
                )
                yield ctx.finding(host, message, at="networks")


class LiveMigrationBandwidthLow(Rule):
    """A live-migration network is slower than the minimum (`min_bandwidth`, 1 Gbps by default).

    **What it checks.** Every `network` with the `live_migration` role has a `bandwidth` (1 Gbps when not
    given) of at least `min_bandwidth`. The finding points at the network's `bandwidth`, or at its header
    when the bandwidth is the default. It is an error when all of the cluster's live-migration networks
    are that slow, and a warning when a faster one exists (migrations use the slow one only when they fall
    back to it).

    **Why it matters.** A live migration copies the VM's memory while the VM keeps dirtying it; over a
    slow link it takes long, the final pause grows, and a busy VM may never converge (HV5xx estimate it).

    **How to fix it.** Use a faster link for live migration, or take `live_migration` out of the slow
    network's roles when a faster network carries it. Configure the threshold with
    `[rules.HV304] min_bandwidth = "10Gbps"`.

    **Example.**
    ```hvc
    network "LiveMigration" { roles = [live_migration]  bandwidth = 100Mbps }   # HV304 (error)
    network "LiveMigration" { roles = [live_migration]  bandwidth = 10Gbps }    # passes
    ```
    """

    code = "HV304"
    name = "live-migration-bandwidth-low"
    severity = "error"
    severity_note = "error, or warning when a faster live_migration network exists"
    summary = "a live_migration network is slower than min_bandwidth"
    settings: ClassVar[Mapping[str, Any]] = {"min_bandwidth": "1Gbps"}

    def check(self, ctx: Context) -> Iterable[RuleFinding]:
        minimum = float(ctx.settings["min_bandwidth"])
        for cluster in ctx.model.clusters:
            networks = [
                network for network in _live_migration_networks(cluster) if network.valid("bandwidth")
            ]
            fast = [network for network in networks if network.bandwidth >= minimum]
            fastest = max(fast, key=lambda network: network.bandwidth, default=None)
            for network in networks:
                if network.bandwidth >= minimum:
                    continue
                speed = f"{network.describe()} carries live migration at {format_bit_rate(network.bandwidth)}"
                least = format_bit_rate(minimum)
                if fastest is None:
                    message = (
                        f"{speed}, below the minimum of {least}, and cluster {cluster.name} has no faster "
                        f"live_migration network; use a link of {least} or more for live migration"
                    )
                    yield ctx.finding(network, message, at="bandwidth")
                else:
                    message = (
                        f"{speed}, below the minimum of {least}, while {fastest.name} runs at "
                        f"{format_bit_rate(fastest.bandwidth)}; use a link of {least} or more, or remove "
                        f"live_migration from its roles so that migrations do not fall back to it"
                    )
                    yield ctx.finding(network, message, at="bandwidth", severity="warning")


class _Switches:
    """For one cluster, or the standalone hosts: which of the hosts lack each virtual switch (names
    compared case-insensitively).

    Computed once per switch name, so that checking a VM's adapter costs a look-up, plus the hosts that
    lack the switch when some do. A host whose `switches` is in error is never said to lack one.
    """

    def __init__(self, hosts: Iterable[Host]) -> None:
        self.hosts = [
            (host, {switch.casefold() for switch in host.switches})
            for host in hosts
            if host.valid("switches")
        ]
        self.names = {switch.casefold(): switch for host, _ in self.hosts for switch in host.switches}
        """Every switch some host has, by its case-folded name (the first spelling)."""
        self._lacking: dict[str, tuple[Host, ...]] = {}

    def meant(self, switch: str) -> str | None:
        """The declared switch a name that no host has is most likely a typo of, if any."""
        if switch.casefold() in self.names:
            return None
        return closest(switch, self.names.values())

    def lacking(self, switch: str) -> tuple[Host, ...]:
        """The cluster's hosts that have no switch of that name."""
        key = switch.casefold()
        found = self._lacking.get(key)
        if found is None:
            found = tuple(host for host, switches in self.hosts if key not in switches)
            self._lacking[key] = found
        return found


class VirtualSwitchMissing(Rule):
    """A VM's network adapter connects to a virtual switch that one of its possible owners lacks.

    **What it checks.** For each entry of a clustered VM's `adapters`, or a movable standalone VM's (one
    whose `possible_owners` names other standalone hosts), every host in its `possible_owners` lists a
    switch of that name in `switches` (compared case-insensitively, as Windows does). The finding points
    at the adapter and names every host that lacks the switch.

    **Why it matters.** The destination of a live migration must connect the VM's adapters to switches of
    the same names. When one is missing, Hyper-V refuses the migration: `Compare-VM` reports message 33012,
    "could not find Ethernet switch".

    **How to fix it.** Create the switch, with the same name, on every possible owner
    (`New-VMSwitch`) and add it to their `switches`, or remove the hosts that lack it from the VM's
    `possible_owners` (not the VM's own host: it cannot leave that one, so the switch must exist there).
    When no host has a switch of that name but one has a similar one (`Prdo`, `Prod`), the message asks
    whether the adapter meant it.

    **Example.**
    ```hvc
    host "LAB01" { processor = "amd-opteron-2300"  memory = 32GiB  switches = ["External"] }
    host "LAB02" { processor = "amd-opteron-2300"  memory = 64GiB  switches = ["External", "Test"] }
    vm "BUILD01" { host = LAB02  memory = 8GiB  adapters = ["Test"] }       # HV305: LAB01 lacks Test
    ```
    passes with the switch on both hosts:
    ```hvc
    host "LAB01" { processor = "amd-opteron-2300"  memory = 32GiB  switches = ["External", "Test"] }
    ```
    """

    code = "HV305"
    name = "virtual-switch-missing"
    severity = "error"
    summary = "a VM's adapter connects to a switch one of its possible owners lacks"

    def check(self, ctx: Context) -> Iterable[RuleFinding]:
        groups = [(cluster.hosts, cluster.vms) for cluster in ctx.model.clusters]
        groups.append((ctx.model.hosts, tuple(judged_vms(ctx.model))))
        for hosts, vms in groups:
            switches = _Switches(hosts)
            for vm in vms:
                if not vm.adapters or not vm.valid("adapters", "possible_owners"):
                    continue
                owners: set[Host] | None = None
                for index, switch in enumerate(vm.adapters):
                    lacking = switches.lacking(switch)
                    if not lacking:
                        continue
                    if owners is None:
                        owners = set(vm.possible_owners)
                    missing = [host for host in lacking if host in owners]
                    if missing:
                        message = self._message(vm, index, switch, missing, switches.meant(switch))
                        yield ctx.finding(vm, message, at="adapters", index=index)

    @staticmethod
    def _message(vm: VM, index: int, switch: str, missing: list[Host], meant: str | None) -> str:
        adapter = "adapter" if len(vm.adapters) == 1 else f"adapter {index + 1}"
        names = _names([host.name for host in missing])
        lack = f"host {names} lacks" if len(missing) == 1 else f"hosts {names} lack"
        hint = f"did you mean `{meant}`? If not, " if meant else ""
        return (
            f"{vm.describe()} {adapter} connects to switch `{switch}`, which {lack} (Compare-VM reports "
            f"error 33012, could not find Ethernet switch); {hint}{_switch_fix(vm, missing)}"
        )


def _switch_fix(vm: VM, missing: list[Host]) -> str:
    """How to give every possible owner the switch: the VM's own host cannot leave its possible owners,
    so it is told to create the switch; the others may be removed instead."""
    others = [host for host in missing if host is not vm.host]
    parts = []
    if vm.host is not None and len(others) < len(missing):
        parts.append(f"create the switch on {vm.host.name} (the VM's own host)")
    if others:
        names = _names([host.name for host in others])
        them = names if len(others) == 1 else "them"
        parts.append(
            f"{'and on' if parts else 'create the switch on'} {names} or remove {them} from possible_owners"
        )
    return ", ".join(parts)


class SimultaneousMigrationsUnsupported(Rule):
    """A ws2008r2 cluster sets `max_migrations` above 1, which that platform does not do.

    **What it checks.** A cluster whose `platform` is ws2008r2 writes `max_migrations` greater than 1. The
    finding points at the value.

    **Why it matters.** Windows Server 2008 R2 runs one live migration per node at a time, and has no
    setting to run more: the value has no effect, and a drain plan that counted on it would be too short.
    hvlint's estimator drains a ws2008r2 host one VM at a time whatever the attribute says.

    **How to fix it.** Remove `max_migrations` (its ws2008r2 default is 1) or set it to 1; to move VMs
    faster, give live migration a faster network, or upgrade the cluster.

    **Example.**
    ```hvc
    cluster "OLD" {
      platform       = ws2008r2
      max_migrations = 4                   # HV307
      host "HV01" { processor = "amd-opteron-2300"  memory = 64GiB }
    }
    ```
    passes without the attribute, or with `max_migrations = 1`.
    """

    code = "HV307"
    name = "simultaneous-migrations-unsupported"
    severity = "warning"
    summary = "max_migrations above 1 on ws2008r2, which runs one live migration per node at a time"

    def check(self, ctx: Context) -> Iterable[RuleFinding]:
        for cluster in ctx.model.clusters:
            if not cluster.valid("platform", "max_migrations"):
                continue
            if cluster.platform not in SINGLE_MIGRATION_PLATFORMS or cluster.max_migrations <= 1:
                continue
            message = (
                f"max_migrations = {cluster.max_migrations} on cluster {cluster.name} has no effect: "
                f"{cluster.platform} runs one live migration per node at a time, so a drain moves its VMs "
                f"one by one; remove max_migrations or set it to 1"
            )
            yield ctx.finding(cluster, message, at="max_migrations")


@hookimpl
def hvlint_rules() -> list[type[Rule]]:
    """hvlint's HV3xx rules."""
    return [
        LiveMigrationNetworkMissing,
        LiveMigrationNetworkNotDedicated,
        HostMissingLiveMigrationNetwork,
        LiveMigrationBandwidthLow,
        VirtualSwitchMissing,
        SimultaneousMigrationsUnsupported,
    ]
