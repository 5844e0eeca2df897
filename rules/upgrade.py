"""HV106-HV108: clusters in a rolling upgrade (mixed-OS mode) and workgroup clusters (rules-v2.md HV1xx
additions): the release each node runs, not only the cluster's functional level."""

from __future__ import annotations

from collections.abc import Iterable

from hvlint.hookspecs import hookimpl
from hvlint.language.model import Cluster, Host, platform_at_least
from hvlint.owner_conditions import CONFIG_VERSIONS, owners_refusing_version
from hvlint.rule import Context, Rule, RuleFinding

from ._judged import agree, judged_vms, names

WORKGROUP = "workgroup"
WORKGROUP_LIVE_MIGRATION = "ws2025"
"""Live migration in a workgroup cluster is supported from ws2025 [S15]."""


def _version(value: float) -> str:
    return f"{value:.1f}" if float(value).is_integer() else f"{value:g}"


def _by_platform(hosts: Iterable[Host]) -> dict[str, list[Host]]:
    """The hosts grouped by effective platform, platforms in release order."""
    grouped: dict[str, list[Host]] = {}
    for host in sorted(hosts, key=lambda h: (h.platform, h.name.casefold())):
        grouped.setdefault(host.platform, []).append(host)
    return grouped


class ConfigVersionUnsupportedByOwner(Rule):
    """A VM's configuration version is not supported by the release one of its possible owners runs.

    **What it checks.** Every `vm` with `config_version`. In a cluster it looks at the possible owners
    whose own `platform` differs from the cluster's (nodes upgraded in a rolling upgrade); for a VM that
    may move between standalone hosts, at every possible owner. It fires when such an owner runs ws2012r2
    or later and does not run the version: ws2012r2 5.0; ws2016 5.0 to 8.0; ws2019 5.0 to 9.0; ws2022
    8.0 to 10.0; ws2025 8.0 to 12.0. The finding points at `config_version`, once per VM, naming every
    such owner. HV105 still judges the version against the cluster's own `platform`.

    **Why it matters.** A host neither starts nor imports a VM whose configuration version it does not
    support, so during a rolling upgrade a VM with an old version cannot move to, or fail over to, the
    upgraded nodes.

    **How to fix it.** Upgrade the VM (`Update-VMVersion`, with the VM off) to a version every owner runs,
    or take the owners that do not run it out of `possible_owners` until the upgrade is done.

    **Example.**
    ```hvc
    cluster "HVC-PROD" {
      platform = ws2016
      failover_clustering = true
      host "HV01" { processor = "intel-xeon-scalable"  memory = 256GiB }
      host "HV03" { processor = "intel-xeon-scalable"  memory = 256GiB  platform = ws2022 }
      vm "SQL01" { host = HV01  memory = 16GiB  config_version = 5.0 }   # HV106: ws2022 runs 8.0 to 10.0
    }
    ```
    passes with `config_version = 8.0`.
    """

    code = "HV106"
    name = "config-version-unsupported-by-owner"
    severity = "error"
    summary = "a VM's configuration version is not supported by the platform of one of its possible owners"

    def check(self, ctx: Context) -> Iterable[RuleFinding]:
        failing_of: dict[tuple[float, Cluster | None, tuple[Host, ...]], list[Host]] = {}
        for vm in judged_vms(ctx.model):
            if vm.config_version is None or not vm.valid("config_version", "possible_owners"):
                continue
            failing = owners_refusing_version(vm.config_version, vm.cluster, vm.possible_owners, failing_of)
            if not failing:
                continue
            where = " and ".join(
                f"{owner.name} ({owner.platform} runs {self._range(owner.platform)})"
                for owner in sorted(failing, key=lambda h: h.name.casefold())
            )
            message = (
                f"configuration version {_version(vm.config_version)} of {vm.describe()} is not supported on "
                f"{where}: it cannot start on or move to {names(failing, 'or')}"
            )
            yield ctx.finding(vm, message, at="config_version")

    @staticmethod
    def _range(platform: str) -> str:
        low, high = CONFIG_VERSIONS[platform]
        return f"{_version(low)} only" if low == high else f"{_version(low)} to {_version(high)}"


class MixedOSCluster(Rule):
    """A cluster is in mixed-OS mode: some node runs a newer release than the cluster's functional level.

    **What it checks.** Every `cluster` with a `host` whose own `platform` differs from the cluster's
    (which is the functional level). The finding points at the cluster's header, once.

    **Why it matters.** A rolling upgrade runs the cluster in mixed-OS mode: supported, and reversible
    until the functional level is raised, but Microsoft expects it to last no longer than four weeks, and
    some cluster features are not optimised for it. hvlint cannot see how long it has lasted.

    **How to fix it.** Finish the rolling upgrade (upgrade every node), then run
    `Update-ClusterFunctionalLevel` and write the new release as the cluster's `platform`, removing it
    from the hosts.

    **Example.**
    ```hvc
    cluster "HVC-PROD" {                          # HV107
      platform = ws2016
      host "HV01" { processor = "intel-xeon-scalable"  memory = 256GiB }
      host "HV03" { processor = "intel-xeon-scalable"  memory = 256GiB  platform = ws2019 }
    }
    ```
    passes once the cluster's `platform = ws2019` and HV03 no longer sets one.
    """

    code = "HV107"
    name = "mixed-os-cluster"
    severity = "info"
    summary = "some host of a cluster runs another release than the cluster's platform (rolling upgrade)"

    def check(self, ctx: Context) -> Iterable[RuleFinding]:
        for cluster in ctx.model.clusters:
            if not cluster.valid("platform"):
                continue
            upgraded = [h for h in cluster.hosts if h.platform != cluster.platform and h.valid("platform")]
            if not upgraded:
                continue
            runs = ", ".join(
                f"{names(hosts)} {agree(hosts, 'runs', 'run')} {platform}"
                for platform, hosts in _by_platform(upgraded).items()
            )
            message = (
                f"{cluster.describe()} is in mixed-OS mode: {runs}, its functional level is "
                f"{cluster.platform}; finish the rolling upgrade and run Update-ClusterFunctionalLevel"
            )
            yield ctx.finding(cluster, message)


class WorkgroupClusterLiveMigration(Rule):
    """A workgroup cluster with VMs has a host before ws2025.

    **What it checks.** Every `cluster` with `domain = workgroup` that holds a `vm`: each host's release
    (its own `platform`, else the cluster's) must be ws2025 or later. The finding points at `domain`,
    naming the older hosts by release.

    **Why it matters.** Workgroup clusters (no Active Directory domain; identical local accounts and
    certificates) exist from ws2016, but live migration in them is supported only from ws2025.

    **How to fix it.** Upgrade every node to ws2025, or join the nodes to an Active Directory domain and
    write it: `domain = "contoso.com"`.

    **Example.**
    ```hvc
    cluster "BRANCH" {
      platform = ws2022
      domain   = workgroup                        # HV108
      ...
    }
    ```
    passes with `platform = ws2025`.
    """

    code = "HV108"
    name = "workgroup-cluster-live-migration"
    severity = "error"
    summary = "a cluster with VMs has domain = workgroup and a host before ws2025"

    def check(self, ctx: Context) -> Iterable[RuleFinding]:
        for cluster in ctx.model.clusters:
            if (cluster.domain or "").casefold() != WORKGROUP or not cluster.vms:
                continue
            older = [
                h
                for h in cluster.hosts
                if h.valid("platform") and not platform_at_least(h.platform, WORKGROUP_LIVE_MIGRATION)
            ]
            if not older or not cluster.valid("platform", "domain"):
                continue
            hosts = " and ".join(
                f"{platform} ({', '.join(h.name for h in group)})"
                for platform, group in _by_platform(older).items()
            )
            message = (
                f"{cluster.describe()} is a workgroup cluster with hosts on {hosts}: live migration in a "
                f"workgroup cluster needs {WORKGROUP_LIVE_MIGRATION}"
            )
            yield ctx.finding(cluster, message, at="domain")


@hookimpl
def hvlint_rules() -> list[type[Rule]]:
    """hvlint's rolling-upgrade and workgroup-cluster rules."""
    return [ConfigVersionUnsupportedByOwner, MixedOSCluster, WorkgroupClusterLiveMigration]
