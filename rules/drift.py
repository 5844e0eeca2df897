"""HV9xx: drift, the differences between a live estate's inventory and the files that describe it.

`hvlint drift` reports these (never `check`): it compares the inventory with the described files and hands
each file's differences to these rules, so that suppressions, selection, severities, per-file ignores and
baselines apply to them as to any rule's findings."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from hvlint.drift import DIFFERENCES
from hvlint.hookspecs import hookimpl
from hvlint.rule import Context, Rule, RuleFinding


class _Drift(Rule):
    """A difference `hvlint drift` found; the rule reports those of its code."""

    command = "drift"
    severity = "warning"

    def check(self, ctx: Context) -> Iterable[RuleFinding]:
        found: Mapping[str, Sequence[RuleFinding]] = ctx.shared(DIFFERENCES, dict)
        return found.get(self.code, ())


class DriftUndescribed(_Drift):
    """A cluster, host or VM of the live estate that no described file declares.

    **What it reports.** `hvlint drift INVENTORY.json PATH ...` reads an inventory (written by the script
    `hvlint collect-script` prints) and the described files. A cluster, a standalone host, a host of a
    described cluster, or a VM of a described cluster or standalone host that the inventory has and no
    file declares is reported here, at line 1 of the file that describes its cluster (or standalone host),
    else of the first file read. An undescribed cluster or standalone host is reported once, not with
    each of its hosts and VMs.

    **Why it matters.** What is not described is not checked: a VM added last week, whose disk is on a
    host's local drive, fails its first live migration, and nothing warned.

    **How to fix it.** Describe the object (`hvlint import` writes a whole estate's description, to copy
    from), or, when the files describe only part of the estate on purpose, pass only the inventory of that
    part, or suppress the finding with `# hvlint: disable=HV901` on the cluster's header line (for its
    hosts and VMs) or on line 1.

    **Example.** The estate has VMs SQL01 and SQL02 in cluster HVC-PROD; the file declares SQL01 only:
    ```hvc
    cluster "HVC-PROD" {       # HV901 at line 1: vm SQL02 of cluster HVC-PROD is in the estate, ...
      vm "SQL01" { host = "HV01"; memory = 16GiB }
    }
    ```
    """

    code = "HV901"
    name = "drift-undescribed"
    summary = "a cluster, host or VM of the estate that no described file declares"


class DriftAbsent(_Drift):
    """A declared cluster, host or VM that the live estate does not have.

    **What it reports.** A cluster, a standalone host, a host of a cluster or a VM that a described file
    declares and the inventory lacks, at the header of its block. A cluster or standalone host the estate
    lacks is reported once, not with each host and VM it holds.

    **Why it matters.** Every rule and estimate judges the description: a VM that was deleted still
    counts against its host's memory and in every drain plan, and a host that was retired still looks
    like a place to move VMs to.

    **How to fix it.** Delete the block, or rename it to the name the estate uses (names compare without
    case). When the inventory left the object out on purpose (a Down node is not collected, and `import`
    says so in a warning), suppress the finding on the block's header line.

    **Example.** The estate's cluster HVC-PROD has no VM OLD01:
    ```hvc
    vm "OLD01" { host = "HV01"; memory = 4GiB }   # HV902: vm OLD01 of cluster HVC-PROD is declared, ...
    ```
    """

    code = "HV902"
    name = "drift-absent"
    summary = "a declared cluster, host or VM that the estate does not have"


class DriftAttribute(_Drift):
    """An attribute that the estate and the description both know, with different values.

    **What it compares.** A cluster's `platform`, its networks (by name) and its CSV volumes' paths; a host's
    `memory`, `processor` (by its vendor and features, so a catalogue name and a declared processor with the
    same features do not differ; a stand-in processor, whose features the inventory does not know, by its
    vendor alone), `switches`, `networks` and a standalone host's `platform`; a VM's `memory` (with dynamic
    memory on both sides, its `startup_memory` instead: the assigned memory moves by the minute),
    `dynamic_memory`, `state`, `compatibility_mode`, `config_version`, `possible_owners`, `disks`, `dvd`,
    `config_path` and `adapters`. Names and paths compare as the language compares them, without case; a list
    compares as a set (`adapters`, `disks` and `dvd` count repeats). A value a description leaves to its
    default is the default, as every rule judges it; `possible_owners` and a host's `networks` left out mean
    every host and every network on either side. What an inventory cannot know is never compared: dirty rates,
    working sets, thresholds, `max_downtime`, and the host a VM of a cluster runs on now (VMs move; that is
    the point). The finding stands at the described value (or at the block's header when the value is a
    default) and says both values.

    **Why it matters.** The rules judge the description. A VM whose memory grew from 24GiB to 32GiB takes
    a third longer to migrate than `hvlint estimate` says, and a switch renamed on one host breaks every
    migration onto it while `check` stays green.

    **How to fix it.** Change the description to what the estate is (or the estate back to what the
    description says, when the change was not meant), then run `hvlint check` again.

    **Example.** The estate's SQL01 has 32GiB; HV903 says `memory of vm SQL01 is 32GiB in the estate,
    24GiB in the description`:
    ```hvc
    vm "SQL01" { host = "HV01"; memory = 24GiB }
    ```
    """

    code = "HV903"
    name = "drift-attribute"
    summary = "an attribute whose value in the estate differs from the described one"


@hookimpl
def hvlint_rules() -> list[type[Rule]]:
    """hvlint's HV9xx codes."""
    return [DriftUndescribed, DriftAbsent, DriftAttribute]
