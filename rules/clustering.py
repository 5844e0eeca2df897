"""HV1xx: failover clustering and platform (rules.md). Whether a cluster can live-migrate its VMs at all:
the Failover Clustering feature, a second host, highly available roles, standalone ws2008r2 hosts, and VM
configuration versions the platform supports."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from hvlint.hookspecs import hookimpl
from hvlint.language.model import VM, platform_at_least
from hvlint.owner_conditions import CONFIG_VERSIONS
from hvlint.rule import Context, Rule, RuleFinding


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _names(names: Sequence[str], limit: int = 5) -> str:
    """`A`, `A and B`, `A, B and C`, or the first `limit` and how many more."""
    shown = list(names[:limit])
    if len(names) > limit:
        shown.append(f"{len(names) - limit} more")
    if len(shown) == 1:
        return shown[0]
    return f"{', '.join(shown[:-1])} and {shown[-1]}"


def _version(value: float) -> str:
    """A configuration version as Hyper-V writes it (`5.0`, `9.1`)."""
    return f"{value:.1f}" if float(value).is_integer() else f"{value:g}"


class FailoverClusteringMissing(Rule):
    """A cluster with VMs does not have the Failover Clustering feature configured.

    **What it checks.** Every cluster that holds at least one `vm` must set `failover_clustering = true`.
    The finding points at `failover_clustering = false`, or at the cluster's header when the attribute is
    left at its default (`false`).

    **Why it matters.** On Windows Server 2008 R2 a live migration is an operation of a failover cluster:
    without the feature, the VMs cannot live-migrate at all (an error). From Windows Server 2012, Hyper-V
    can live-migrate without a cluster (shared-nothing live migration), but the VMs then do not fail over
    when a host dies, and the cluster's shared storage and networks are not used (a warning).

    **How to fix it.** Install the Failover Clustering feature on every node, create the cluster
    (`New-Cluster`), add the VMs as clustered roles, and set `failover_clustering = true`.

    **Example.**
    ```hvc
    cluster "HVC-PROD" {
      platform = ws2008r2                  # failover_clustering defaults to false: HV101
      host "HV01" { processor = "amd-opteron-2300"  memory = 64GiB }
      host "HV02" { processor = "amd-opteron-2300"  memory = 64GiB }
      vm "SQL01" { host = HV01  memory = 16GiB }
    }
    ```
    passes with:
    ```hvc
    cluster "HVC-PROD" {
      platform            = ws2008r2
      failover_clustering = true
      host "HV01" { processor = "amd-opteron-2300"  memory = 64GiB }
      host "HV02" { processor = "amd-opteron-2300"  memory = 64GiB }
      vm "SQL01" { host = HV01  memory = 16GiB }
    }
    ```
    """

    code = "HV101"
    name = "failover-clustering-missing"
    severity = "error"
    severity_note = "error on ws2008r2, else warning"
    summary = "a cluster with VMs does not have Failover Clustering configured"

    def check(self, ctx: Context) -> Iterable[RuleFinding]:
        for cluster in ctx.model.clusters:
            if (
                not cluster.vms
                or cluster.failover_clustering
                or not cluster.valid("failover_clustering", "platform")
            ):
                continue
            vms = _count(len(cluster.vms), "VM")
            if cluster.platform == "ws2008r2":
                message = (
                    f"{cluster.describe()} runs {vms} with failover_clustering = false, and ws2008r2 "
                    f"live-migrates only within a failover cluster; configure Failover Clustering on its "
                    f"hosts and set failover_clustering = true"
                )
                yield ctx.finding(cluster, message, at="failover_clustering")
            else:
                message = (
                    f"{cluster.describe()} runs {vms} with failover_clustering = false: on "
                    f"{cluster.platform} they can live-migrate but do not fail over when a host fails; "
                    f"configure Failover Clustering on its hosts and set failover_clustering = true"
                )
                yield ctx.finding(cluster, message, at="failover_clustering", severity="warning")


class ClusterTooSmall(Rule):
    """A cluster with VMs has fewer than two hosts.

    **What it checks.** Every cluster that holds at least one `vm` has at least two `host` blocks. The
    finding points at the cluster's header.

    **Why it matters.** A live migration moves a VM from one host to another: with a single host there
    is nowhere to move it, so draining the host for maintenance means shutting its VMs down.

    **How to fix it.** Add a second host to the cluster (and to the file), or, if the VMs are not meant
    to move, describe the host as a standalone host on a platform that needs no cluster.

    **Example.**
    ```hvc
    cluster "HVC-PROD" {                     # HV102: one host
      failover_clustering = true
      host "HV01" { processor = "amd-opteron-2300"  memory = 64GiB }
      vm "SQL01" { host = HV01  memory = 16GiB }
    }
    ```
    passes with a second host:
    ```hvc
    cluster "HVC-PROD" {
      failover_clustering = true
      host "HV01" { processor = "amd-opteron-2300"  memory = 64GiB }
      host "HV02" { processor = "amd-opteron-2300"  memory = 64GiB }
      vm "SQL01" { host = HV01  memory = 16GiB }
    }
    ```
    """

    code = "HV102"
    name = "cluster-too-small"
    severity = "error"
    summary = "a cluster with VMs has fewer than two hosts"

    def check(self, ctx: Context) -> Iterable[RuleFinding]:
        for cluster in ctx.model.clusters:
            if not cluster.vms or len(cluster.hosts) >= 2:
                continue
            vms = _count(len(cluster.vms), "VM")
            if cluster.hosts:
                hosts, fix = f"only one host ({cluster.hosts[0].name})", "add a second host to the cluster"
            else:
                hosts, fix = "no host", "add at least two hosts to the cluster"
            message = (
                f"{cluster.describe()} has {hosts} for its {vms}, so there is nowhere to live-migrate "
                f"them; {fix}"
            )
            yield ctx.finding(cluster, message)


class VMNotHighlyAvailable(Rule):
    """A VM in a cluster is not highly available (not a clustered role).

    **What it checks.** Every `vm` in a cluster keeps `highly_available` at its default, `true`. The
    finding points at `highly_available = false`. A standalone host's VMs are not judged, nor, in a
    cluster before ws2025, a VM with `dda_devices`, which cannot be highly available there (HV702).

    **Why it matters.** On Windows Server 2008 R2 only a clustered role can live-migrate: a VM the cluster
    does not manage stays where it is (an error). On later releases it can still move by shared-nothing
    live migration, but the cluster neither fails it over nor drains it with the host (a warning).

    **How to fix it.** Make the VM highly available (`Add-ClusterVirtualMachineRole`, or "Configure Role"
    in Failover Cluster Manager) and remove `highly_available = false`.

    **Example.**
    ```hvc
    vm "SQL01" { host = HV01  memory = 16GiB  highly_available = false }   # HV103
    vm "SQL01" { host = HV01  memory = 16GiB }                             # passes
    ```
    """

    code = "HV103"
    name = "vm-not-highly-available"
    severity = "error"
    severity_note = "error on ws2008r2, else warning"
    summary = "a VM in a cluster is not highly available"

    def check(self, ctx: Context) -> Iterable[RuleFinding]:
        for cluster in ctx.model.clusters:
            if not cluster.valid("platform"):
                continue
            for vm in cluster.vms:
                if vm.highly_available or not vm.valid("highly_available"):
                    continue
                if vm.dda_devices and not platform_at_least(cluster.platform, "ws2025"):
                    continue  # cannot be highly available with assigned devices (rules-v2.md §A2)
                if cluster.platform == "ws2008r2":
                    message = (
                        f"{vm.describe()} has highly_available = false, and ws2008r2 live-migrates only "
                        f"clustered roles; make it highly available (Add-ClusterVirtualMachineRole) and "
                        f"remove highly_available = false"
                    )
                    yield ctx.finding(vm, message, at="highly_available")
                else:
                    message = (
                        f"{vm.describe()} has highly_available = false: {cluster.name} neither fails it over "
                        f"nor moves it when its host is drained; make it highly available "
                        f"(Add-ClusterVirtualMachineRole) and remove highly_available = false"
                    )
                    yield ctx.finding(vm, message, at="highly_available", severity="warning")


class StandaloneHostVMs(Rule):
    """A standalone Windows Server 2008 R2 host runs VMs, which it cannot live-migrate.

    **What it checks.** A `host` at the top level of the file (outside any cluster) whose `platform` is
    `ws2008r2`, the default, and that holds `vm` blocks. The finding points at the host's header, once per
    host. A standalone host on `ws2012` or later is not reported: it can move its VMs by shared-nothing
    live migration.

    **Why it matters.** Windows Server 2008 R2 live-migrates only between the nodes of a failover cluster.
    A standalone host's VMs can only be exported and imported, or quick-migrated, with downtime. The other
    HV2 to HV5 rules do not judge these VMs: this finding is the one that matters for them.

    **How to fix it.** Add the host to a failover cluster (move its block and VMs into a `cluster` block),
    or upgrade it to ws2012 or later and set `platform` accordingly.

    **Example.**
    ```hvc
    host "HV09" {                            # HV104: ws2008r2 by default
      processor = "amd-opteron-2300"
      memory    = 64GiB
      vm "TOOLS01" { memory = 4GiB }
    }
    ```
    passes on a later platform:
    ```hvc
    host "HV09" {
      processor = "amd-opteron-2300"
      memory    = 64GiB
      platform  = ws2016
      vm "TOOLS01" { memory = 4GiB }
    }
    ```
    """

    code = "HV104"
    name = "standalone-host-vms"
    severity = "error"
    summary = "a standalone ws2008r2 host runs VMs it cannot live-migrate"

    def check(self, ctx: Context) -> Iterable[RuleFinding]:
        for host in ctx.model.hosts:
            if not host.vms or host.platform != "ws2008r2" or not host.valid("platform"):
                continue
            vms = _names([vm.name for vm in host.vms])
            message = (
                f"standalone host {host.name} is ws2008r2, which live-migrates only within a failover "
                f"cluster, and runs {_count(len(host.vms), 'VM')} ({vms}); add the host to a failover "
                f"cluster or upgrade it to ws2012 or later"
            )
            yield ctx.finding(host, message)


class ConfigVersionUnsupported(Rule):
    """A VM's configuration version is not one its cluster's platform supports.

    **What it checks.** A `vm` in a cluster with a `config_version` outside what the cluster's `platform`
    runs: ws2012r2 5.0; ws2016 5.0 to 8.0; ws2019 5.0 to 9.0; ws2022 8.0 to 10.0; ws2025 8.0 to 12.0.
    Clusters on ws2008r2 and ws2012 are not checked. The finding points at the `config_version` value.

    **Why it matters.** A host cannot start or receive a VM whose configuration version it does not know
    (too new), and newer releases no longer run the oldest versions (too old): such a VM cannot
    live-migrate to, or run on, the cluster's hosts.

    **How to fix it.** A version too old: shut the VM down and upgrade it with `Update-VMVersion`, then
    set `config_version`. A version too new: the VM was created on a later release; move it to a cluster
    of that release, or upgrade the cluster.

    **Example.**
    ```hvc
    cluster "HVC-PROD" {
      platform            = ws2016
      failover_clustering = true
      host "HV01" { processor = "intel-xeon-e5-2600"  memory = 256GiB }
      host "HV02" { processor = "intel-xeon-e5-2600"  memory = 256GiB }
      vm "SQL01" { host = HV01  memory = 16GiB  config_version = 9.0 }   # HV105: ws2016 runs 5.0 to 8.0
    }
    ```
    passes with a version the platform runs:
    ```hvc
      vm "SQL01" { host = HV01  memory = 16GiB  config_version = 8.0 }
    ```
    """

    code = "HV105"
    name = "config-version-unsupported"
    severity = "error"
    summary = "a VM's configuration version is not supported by its cluster's platform"

    def check(self, ctx: Context) -> Iterable[RuleFinding]:
        for cluster in ctx.model.clusters:
            supported = CONFIG_VERSIONS.get(cluster.platform)
            if supported is None or not cluster.valid("platform"):
                continue
            for vm in cluster.vms:
                if vm.config_version is None or not vm.valid("config_version"):
                    continue
                low, high = supported
                if low <= vm.config_version <= high:
                    continue
                yield ctx.finding(vm, self._message(vm, cluster.platform, low, high), at="config_version")

    @staticmethod
    def _message(vm: VM, platform: str, low: float, high: float) -> str:
        runs = f"{_version(low)} only" if low == high else f"{_version(low)} to {_version(high)}"
        version = vm.config_version or 0.0
        if version < low:
            fix = (
                f"upgrade it to {_version(low)} or later with Update-VMVersion (the VM off) on a host "
                f"that still runs it"
            )
        else:
            fix = "move it to a cluster of a later release, or upgrade the cluster"
        return (
            f"{vm.describe()} has config_version {_version(version)}, which {platform} does not support "
            f"(it runs {runs}), so no host of the cluster can run or receive it; {fix}"
        )


@hookimpl
def hvlint_rules() -> list[type[Rule]]:
    """hvlint's HV1xx rules."""
    return [
        FailoverClusteringMissing,
        ClusterTooSmall,
        VMNotHighlyAvailable,
        StandaloneHostVMs,
        ConfigVersionUnsupported,
    ]
