"""HV8xx: live migration between standalone hosts (shared-nothing), rules-v2.md §HV8xx with §F.

Each rule judges the movable standalone VMs of hosts on ws2012 or later, and the pairs of standalone
hosts in use: both possible owners of such a VM, neither on ws2008r2 (that is HV104's and HV801's)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from hvlint.hookspecs import hookimpl
from hvlint.language.model import VM, Host
from hvlint.language.standalone import (
    copies_storage,
    destinations,
    host_pair,
    judged_vms,
    name_list,
    pairs_in_use,
)
from hvlint.rule import Context, Rule, RuleFinding

WORKGROUP = "workgroup"


def _pairs(ctx: Context) -> dict[tuple[Host, Host], list[VM]]:
    return ctx.shared(("standalone", "pairs-in-use"), lambda: pairs_in_use(ctx.model))


def _vm_names(vms: Iterable[VM]) -> str:
    return name_list(list(dict.fromkeys(vm.name for vm in vms)))


def _refusing(
    ctx: Context, attribute: str, refuses: Callable[[Host], bool], as_source: bool
) -> Iterator[tuple[Host, list[VM]]]:
    """The standalone hosts whose valid `attribute` refuses live migrations, each with the VMs that may
    move to it (or, with `as_source`, from it too), when there are some."""
    pairs = _pairs(ctx)
    for host in ctx.model.hosts:
        if not host.valid(attribute) or not refuses(host):
            continue
        vms = [
            vm
            for (source, destination), moved in pairs.items()
            if destination is host or (as_source and source is host)
            for vm in moved
        ]
        if vms:
            yield host, vms


def _partners(pairs: dict[tuple[Host, Host], list[VM]], host: Host) -> dict[Host, list[VM]]:
    """The hosts `host` forms a pair in use with, each with the VMs that may move between the two."""
    return {destination: vms for (source, destination), vms in pairs.items() if source is host}


class SharedNothingPlatform(Rule):
    """A movable standalone VM may move to a host that runs ws2008r2.

    **What it checks.** Every VM of a standalone host of ws2012 or later whose `possible_owners` names
    another standalone host (a movable VM). The finding points at `possible_owners` and names every
    possible owner whose platform is ws2008r2.

    **Why it matters.** On ws2008r2, live migration needs the Failover Clustering feature and moves VMs
    between the nodes of one cluster only. Live migration between hosts in no cluster (shared-nothing)
    arrived with ws2012, so a move to or from a ws2008r2 host cannot be live.

    **How to fix it.** Upgrade the old host to ws2012 or later and write its `platform`, or take it out
    of the VM's `possible_owners`.

    **Example.**
    ```hvc
    host "BR01" {
      platform = ws2022  processor = "intel-xeon-scalable"  memory = 256GiB
      vm "APP01" { memory = 8GiB  possible_owners = [BR01, BR03] }   # HV801
    }
    host "BR03" { platform = ws2008r2  processor = "intel-xeon-5500"  memory = 64GiB }
    ```
    passes when BR03 is upgraded:
    ```hvc
    host "BR03" { platform = ws2016  processor = "intel-xeon-5500"  memory = 64GiB }
    ```
    """

    code = "HV801"
    name = "shared-nothing-platform"
    severity = "error"
    summary = "a movable standalone VM may move to a ws2008r2 host"

    def check(self, ctx: Context) -> Iterable[RuleFinding]:
        for vm in judged_vms(ctx.model):
            old = [host.name for host in destinations(vm) if host.platform == "ws2008r2"]
            if not old:
                continue
            which = "which runs" if len(old) == 1 else "which run"
            message = (
                f"vm {vm.name} may move to {name_list(old, most=len(old))}, {which} ws2008r2: live migration "
                f"between standalone hosts needs ws2012 or later"
            )
            yield ctx.finding(vm, message, "possible_owners")


class LiveMigrationDisabled(Rule):
    """A standalone host with live migration disabled is a possible owner of a movable VM.

    **What it checks.** Every standalone host that writes `live_migration = false` and is one of a pair
    of hosts in use (both possible owners of a movable standalone VM). The finding points at the value
    and names up to three of the VMs that may move to or from the host.

    **Why it matters.** "Enable incoming and outgoing live migrations" (`Enable-VMMigration`) must be on
    at both ends of a live migration; with it off, Hyper-V refuses every move to or from the host.

    **How to fix it.** Run `Enable-VMMigration` on the host and remove `live_migration = false`, or take
    the host out of the VMs' `possible_owners`.

    **Example.**
    ```hvc
    host "BR01" {
      platform = ws2022  processor = "intel-xeon-scalable"  memory = 256GiB
      vm "APP01" { memory = 8GiB  possible_owners = [BR01, BR02] }
    }
    host "BR02" {
      platform = ws2022  processor = "intel-xeon-scalable"  memory = 256GiB
      live_migration = false                                           # HV802
    }
    ```
    passes with live migration enabled on BR02 (`live_migration = true`, the default).
    """

    code = "HV802"
    name = "live-migration-disabled"
    severity = "error"
    summary = "a standalone host with live migration disabled is a possible owner of a movable VM"

    def check(self, ctx: Context) -> Iterable[RuleFinding]:
        for host, vms in _refusing(ctx, "live_migration", lambda host: not host.live_migration, True):
            message = (
                f"live migration is disabled on {host.name} (Enable-VMMigration), but {_vm_names(vms)} "
                f"may move to or from it"
            )
            yield ctx.finding(host, message, "live_migration")


class MigrationNetworkMissing(Rule):
    """A standalone host that accepts incoming live migrations on no network is a destination.

    **What it checks.** Every standalone host that writes `migration_networks = []` and is the
    destination of a pair of hosts in use: a movable standalone VM on another host may move to it. The
    finding points at the empty list.

    **Why it matters.** With "use any available network" off, a host accepts incoming live migrations
    only on the networks it lists. With none listed, no live migration can arrive.

    **How to fix it.** List the subnet the host receives live migrations on
    (`Add-VMMigrationNetwork 10.0.50.0/24`), and write it: `migration_networks = ["10.0.50.0/24"]`. Leave
    the attribute out when the host uses any network.

    **Example.**
    ```hvc
    host "BR01" {
      platform = ws2022  processor = "intel-xeon-scalable"  memory = 256GiB
      vm "APP01" { memory = 8GiB  possible_owners = [BR01, BR02] }
    }
    host "BR02" {
      platform = ws2022  processor = "intel-xeon-scalable"  memory = 256GiB
      migration_networks = []                                          # HV803
    }
    ```
    passes with a network: `migration_networks = ["10.0.50.0/24"]`.
    """

    code = "HV803"
    name = "migration-network-missing"
    severity = "error"
    summary = "a standalone host that accepts live migrations on no network is a destination"

    def check(self, ctx: Context) -> Iterable[RuleFinding]:
        for host, vms in _refusing(
            ctx, "migration_networks", lambda host: host.migration_networks == (), False
        ):
            message = (
                f"host {host.name} accepts incoming live migrations on no network, but {_vm_names(vms)} "
                f"may move to it"
            )
            yield ctx.finding(host, message, "migration_networks")


class MigrationDomainMismatch(Rule):
    """Two standalone hosts a VM may move between are in different, non-trusting domains, or one is in a
    workgroup.

    **What it checks.** Each pair of standalone hosts in use where both write `domain`: the domains
    differ (compared case-insensitively) and neither host lists the other's domain in `trusted_domains`.
    The finding points at the `domain` of the host declared later, once per pair. It is an error when
    both hosts write `trusted_domains`, so that the file states the trust, and a warning otherwise: two
    domains of one forest trust each other without saying so. A host in a pair in use with
    `domain = workgroup` is an error, reported once at its own `domain`.

    **Why it matters.** A live migration between standalone hosts authenticates with the hosts' Active
    Directory computer accounts: the hosts must be in one domain, or in domains that trust each other.
    Live migration without a domain exists only for ws2025 workgroup clusters, not standalone hosts.

    **How to fix it.** Join both hosts to one domain, or create a trust between the domains and list it
    in `trusted_domains`. Join a workgroup host to the domain.

    **Example.**
    ```hvc
    host "BR01" {
      platform = ws2022  processor = "intel-xeon-scalable"  memory = 256GiB
      domain = "contoso.com"  trusted_domains = []
      vm "APP01" { memory = 8GiB  possible_owners = [BR01, BR05] }
    }
    host "BR05" {
      platform = ws2022  processor = "intel-xeon-scalable"  memory = 256GiB
      domain = "fabrikam.com"  trusted_domains = []                    # HV804
    }
    ```
    passes when BR05 trusts BR01's domain: `trusted_domains = ["contoso.com"]`.
    """

    code = "HV804"
    name = "migration-domain-mismatch"
    severity = "error"
    summary = "standalone hosts a VM may move between are in different, non-trusting domains or a workgroup"
    severity_note = "warning when a host of the pair does not write trusted_domains"

    def check(self, ctx: Context) -> Iterable[RuleFinding]:
        pairs = _pairs(ctx)
        order = {host: index for index, host in enumerate(ctx.model.hosts)}
        for host in ctx.model.hosts:
            if _domain(host) == WORKGROUP:
                partners = _partners(pairs, host)
                if partners:
                    yield self._workgroup(ctx, host, partners)
        for (source, destination), vms in pairs.items():
            if order[source] > order[destination]:
                continue
            first, second = source, destination
            domains = _domain(first), _domain(second)
            if None in domains or WORKGROUP in domains or domains[0] == domains[1]:
                continue
            if domains[1] in _trusted(first) or domains[0] in _trusted(second):
                continue
            stated = "trusted_domains" in first.positions.keys and "trusted_domains" in second.positions.keys
            message = (
                f"hosts {first.name} ({first.domain}) and {second.name} ({second.domain}) neither share a "
                f"domain nor trust each other, but {_vm_names(vms)} may move between them"
            )
            if not stated:
                message += "; if the domains are in one forest they trust each other: write trusted_domains"
            pair = host_pair(first, second, at=second)
            yield ctx.finding(pair, message, "domain", severity=None if stated else "warning")

    @staticmethod
    def _workgroup(ctx: Context, host: Host, partners: dict[Host, list[VM]]) -> RuleFinding:
        vms = [vm for moved in partners.values() for vm in moved]
        message = (
            f"host {host.name} is in a workgroup, but {_vm_names(vms)} may move between it and "
            f"{name_list([partner.name for partner in partners])}: live migration between standalone hosts "
            f"needs Active Directory"
        )
        return ctx.finding(host, message, "domain")


def _domain(host: Host) -> str | None:
    return host.domain.casefold() if host.domain is not None and host.valid("domain") else None


def _trusted(host: Host) -> set[str]:
    return {domain.casefold() for domain in host.trusted_domains}


MIGRATION_SERVICE = "Microsoft Virtual System Migration Service"


class KerberosDelegationMissing(Rule):
    """A pair of standalone hosts authenticates live migrations with Kerberos, but the source is not
    trusted to delegate to the destination's services.

    **What it checks.** Each pair of standalone hosts in use (S, D) where either host writes
    `migration_authentication = kerberos`. D must be in S's `delegate_migration` (the Microsoft Virtual
    System Migration Service), and in S's `delegate_cifs` when some VM that may move from S to D copies
    storage (a disk or `config_path` that is not a UNC path). The finding points at S's list, or at S's
    header when the list is not written, once per source, destination and service.

    **Why it matters.** With Kerberos, the source acts for the user on the destination through
    constrained delegation, set on the source's computer account for the destination's services (or as
    resource-based constrained delegation on the destination's account): the migration service to move
    the VM, `cifs` to move its storage. Without it, the move fails with an authentication error.

    **How to fix it.** In Active Directory, trust the source's computer account for delegation to the
    destination's "Microsoft Virtual System Migration Service" and `cifs` services, and write
    `delegate_migration = [D]` and `delegate_cifs = [D]` on S.

    **Example.**
    ```hvc
    host "BR01" {                                                      # HV805
      platform = ws2022  processor = "intel-xeon-scalable"  memory = 256GiB
      migration_authentication = kerberos
      vm "APP01" {
        memory = 8GiB  possible_owners = [BR01, BR02]
        disk 'D:\\VMs\\APP01.vhdx' { size = 60GiB }
      }
    }
    host "BR02" {
      platform = ws2022  processor = "intel-xeon-scalable"  memory = 256GiB
      migration_authentication = kerberos
      delegate_migration = [BR01]  delegate_cifs = [BR01]
    }
    ```
    passes with the delegation on BR01: `delegate_migration = [BR02]` and `delegate_cifs = [BR02]`.
    """

    code = "HV805"
    name = "kerberos-delegation-missing"
    severity = "error"
    summary = "a Kerberos pair of standalone hosts lacks constrained delegation from source to destination"

    def check(self, ctx: Context) -> Iterable[RuleFinding]:
        for (source, destination), vms in _pairs(ctx).items():
            kerberos = [host for host in (destination, source) if host.migration_authentication == "kerberos"]
            if not kerberos:
                continue
            if source.valid("delegate_migration") and destination.name not in source.delegate_migration:
                if kerberos[0] is destination:
                    why = f"{destination.name}, which authenticates live migrations with Kerberos"
                else:
                    why = f"{destination.name}, and {source.name} authenticates live migrations with Kerberos"
                message = (
                    f"host {source.name} is not trusted to delegate to the {MIGRATION_SERVICE} of {why}: "
                    f"moving {_vm_names(vms)} from {source.name} to {destination.name} fails"
                )
                yield ctx.finding(host_pair(source, destination, at=source), message, "delegate_migration")
            storage = [vm for vm in vms if copies_storage(vm)]
            if storage and source.valid("delegate_cifs") and destination.name not in source.delegate_cifs:
                whose = (
                    f"{storage[0].name}'s storage"
                    if len(storage) == 1
                    else f"the storage of {_vm_names(storage)}"
                )
                message = (
                    f"host {source.name} is not trusted to delegate to the cifs service of "
                    f"{destination.name}: moving {whose} from {source.name} to {destination.name} fails"
                )
                yield ctx.finding(host_pair(source, destination, at=source), message, "delegate_cifs")


class CredsspCredentialGuard(Rule):
    """A ws2025 standalone host sends live migrations authenticated with CredSSP.

    **What it checks.** Each standalone host S of ws2025, not in a workgroup, that is the source of a
    pair in use (S, D) where S or D writes `migration_authentication = credssp`. The finding points at
    S's `migration_authentication`, or its header when not written, once per S, naming every such D.
    When neither host writes the attribute nothing is assumed, since the ws2025 default is not stated.

    **Why it matters.** ws2025 turns Credential Guard on by default on domain-joined servers that are
    not domain controllers, and Microsoft warns that hosts using CredSSP-based delegation might then not
    be able to use live migration. This is a warning: whether Credential Guard is on depends on the
    host's configuration, which the file does not describe.

    **How to fix it.** Switch both hosts to Kerberos with constrained delegation
    (`Set-VMHost -VirtualMachineMigrationAuthenticationType Kerberos`), and write
    `migration_authentication = kerberos` with `delegate_migration` and `delegate_cifs`.

    **Example.**
    ```hvc
    host "BR01" {                                                      # HV806
      platform = ws2025  processor = "intel-xeon-scalable"  memory = 256GiB
      vm "APP01" { memory = 8GiB  possible_owners = [BR01, BR02] }
    }
    host "BR02" {
      platform = ws2025  processor = "intel-xeon-scalable"  memory = 256GiB
      migration_authentication = credssp
    }
    ```
    passes with `migration_authentication = kerberos` on both hosts and the delegation written.
    """

    code = "HV806"
    name = "credssp-credential-guard"
    severity = "warning"
    summary = "a ws2025 standalone host sends live migrations authenticated with CredSSP"

    def check(self, ctx: Context) -> Iterable[RuleFinding]:
        by_source: dict[Host, list[Host]] = {}
        for source, destination in _pairs(ctx):
            if source.platform != "ws2025" or _domain(source) == WORKGROUP:
                continue
            if "credssp" in (source.migration_authentication, destination.migration_authentication):
                by_source.setdefault(source, []).append(destination)
        for source, targets in by_source.items():
            credssp = [host.name for host in (source, *targets) if host.migration_authentication == "credssp"]
            hosts, verb = ("host", "authenticates") if len(credssp) == 1 else ("hosts", "authenticate")
            message = (
                f"{hosts} {name_list(credssp, most=len(credssp))} {verb} live migrations with CredSSP, but "
                f"{source.name} runs ws2025, where Credential Guard is on by default: moves from "
                f"{source.name} to {name_list([host.name for host in targets])} may fail; use Kerberos with "
                f"constrained delegation"
            )
            yield ctx.finding(source, message, "migration_authentication")


@hookimpl
def hvlint_rules() -> list[type[Rule]]:
    """hvlint's rules for live migration between standalone hosts."""
    return [
        SharedNothingPlatform,
        LiveMigrationDisabled,
        MigrationNetworkMissing,
        MigrationDomainMismatch,
        KerberosDelegationMissing,
        CredsspCredentialGuard,
    ]
