"""HV306: more simultaneous live migrations than Microsoft recommends, on a cluster or a standalone host
(rules-v2.md HV3xx addition)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from hvlint.estimator.settings import SINGLE_MIGRATION_PLATFORMS
from hvlint.estimator.shared_nothing import bandwidth
from hvlint.hookspecs import hookimpl
from hvlint.language import units
from hvlint.language.model import Cluster
from hvlint.language.standalone import judged_vms
from hvlint.rule import Context, Rule, RuleFinding

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, ClassVar

LIVE_MIGRATION = "live_migration"


def _fastest_link(cluster: Cluster) -> float | None:
    """The bandwidth of the cluster's fastest live-migration network (bytes per second), if it has one."""
    links = [network.bandwidth for network in cluster.networks if LIVE_MIGRATION in network.roles]
    return max(links, default=None)


class SimultaneousMigrationsHigh(Rule):
    """A cluster or a standalone host runs more simultaneous live migrations than Microsoft recommends.

    **What it checks.** Every cluster with VMs, and every standalone host that is a possible owner of a VM
    that may move between standalone hosts, that writes `max_migrations` above the recommended number
    (`[rules.HV306] recommended`, 2 by default). No platform default exceeds 2, so only a written value
    fires it; a ws2008r2 cluster is left to HV307. The finding points at the value, and says how much of
    the link each migration gets: the cluster's fastest live-migration network, or the standalone host's
    `migration_bandwidth` (1Gbps when not written).

    **Why it matters.** Migrations that run together share the link: each takes longer and dirties more
    memory meanwhile, so each needs more passes and is more likely to time out. Microsoft recommends 2,
    and its KB on live-migration time-outs lists "limit the number of simultaneous live migrations" as a
    resolution.

    **How to fix it.** Lower `max_migrations` to 2 (`Set-VMHost -MaximumVirtualMachineMigrations 2` on
    every node), or raise `[rules.HV306] recommended` if the network was sized for more.

    **Example.**
    ```hvc
    cluster "HVC-PROD" {
      platform       = ws2019
      max_migrations = 4                   # HV306
      ...
    }
    ```
    passes with `max_migrations = 2`.
    """

    code = "HV306"
    name = "simultaneous-migrations-high"
    severity = "info"
    summary = "max_migrations is above the recommended number (2)"
    settings: ClassVar[Mapping[str, Any]] = {"recommended": 2}

    def check(self, ctx: Context) -> Iterable[RuleFinding]:
        recommended = int(ctx.settings["recommended"])
        yield from self._standalone(ctx, recommended)
        for cluster in ctx.model.clusters:
            if not cluster.vms or "max_migrations" not in cluster.positions.values:
                continue
            if (
                not cluster.valid("platform", "max_migrations")
                or cluster.platform in SINGLE_MIGRATION_PLATFORMS
            ):
                continue
            if cluster.max_migrations <= recommended:
                continue
            message = (
                f"max_migrations = {cluster.max_migrations} on cluster {cluster.name}: Microsoft recommends "
                f"{recommended}"
            )
            link = _fastest_link(cluster)
            if link is not None:
                share = units.format_bit_rate(link / cluster.max_migrations)
                message += f"; the migrations share {units.format_bit_rate(link)}, {share} each"
            yield ctx.finding(cluster, message, at="max_migrations")

    @staticmethod
    def _standalone(ctx: Context, recommended: int) -> Iterable[RuleFinding]:
        """Standalone hosts that are possible owners of a movable VM (rules-v2.md HV306), in file order."""
        owners = {owner for vm in judged_vms(ctx.model) for owner in vm.possible_owners}
        for host in ctx.model.hosts:
            if host not in owners or "max_migrations" not in host.positions.values:
                continue
            if not host.valid("platform", "max_migrations", "migration_bandwidth"):
                continue
            if host.platform in SINGLE_MIGRATION_PLATFORMS or (host.max_migrations or 0) <= recommended:
                continue
            link = bandwidth(host)
            share = units.format_bit_rate(link / (host.max_migrations or 1))
            yield ctx.finding(
                host,
                f"max_migrations = {host.max_migrations} on host {host.name}: Microsoft recommends "
                f"{recommended}; the migrations share {units.format_bit_rate(link)}, {share} each",
                at="max_migrations",
            )


@hookimpl
def hvlint_rules() -> list[type[Rule]]:
    """hvlint's simultaneous-migration recommendation."""
    return [SimultaneousMigrationsHigh]
