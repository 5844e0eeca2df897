"""HV109: a cluster or standalone host that does not say which Windows Server release it runs (rules-v2.md
§E). Every platform-dependent default and rule then takes the strictest release, ws2008r2, silently."""

from __future__ import annotations

from collections.abc import Iterable

from hvlint.hookspecs import hookimpl
from hvlint.language.model import Cluster, Host
from hvlint.rule import Context, Rule, RuleFinding

ASSUMED = "ws2008r2"
"""The platform a block without `platform` gets (language.md)."""


class PlatformUnspecified(Rule):
    """A cluster, or a standalone host, does not give its `platform`.

    **What it checks.** Every `cluster` block, and every `host` block outside a cluster, writes
    `platform`. The finding points at the block's header. A host inside a cluster is not judged: it
    runs its cluster's platform.

    **Why it matters.** Without `platform`, hvlint assumes ws2008r2, the strictest release: live
    migration only within a failover cluster, one migration at a time, no compression or SMB transport,
    and the estimator's 10 pre-copy passes over TCP. A description of a newer cluster then gets findings
    and estimates that do not apply to it, with no word of why.

    **How to fix it.** Write the release the hosts run: `platform = ws2019` (one of `ws2008r2`,
    `ws2012`, `ws2012r2`, `ws2016`, `ws2019`, `ws2022`, `ws2025`). Write `platform = ws2008r2` if that is
    what they run.

    **Example.**
    ```hvc
    cluster "HVC-PROD" {                   # HV109
      failover_clustering = true
      host "HV01" { processor = "amd-opteron-2300"  memory = 64GiB }
    }
    ```
    passes with:
    ```hvc
    cluster "HVC-PROD" {
      platform            = ws2019
      failover_clustering = true
      host "HV01" { processor = "amd-opteron-2300"  memory = 64GiB }
    }
    ```
    """

    code = "HV109"
    name = "platform-unspecified"
    severity = "warning"
    summary = "a cluster or standalone host gives no platform, so hvlint assumes ws2008r2"

    def check(self, ctx: Context) -> Iterable[RuleFinding]:
        blocks: list[Cluster | Host] = [*ctx.model.clusters, *ctx.model.hosts]
        for block in blocks:
            if "platform" in block.positions.keys:
                continue
            if isinstance(block, Cluster):
                kind, means = (
                    "cluster",
                    "one live migration at a time, and the estimator's 10 passes over TCP",
                )
            else:
                kind, means = "standalone host", "no live migration outside a failover cluster"
            message = (
                f"{kind} {block.name} gives no platform, so hvlint assumes {ASSUMED}, the strictest "
                f"({means}); write the release its hosts run, e.g. platform = ws2019"
            )
            yield ctx.finding(block, message)


@hookimpl
def hvlint_rules() -> list[type[Rule]]:
    """hvlint's platform rule."""
    return [PlatformUnspecified]
