"""HV5xx: the pre-copy estimator's rules (estimator.md). Each judges a VM's estimate, its worst
destination's, computed by `hvlint.estimator`; HV504 judges a host's drain plan."""

from __future__ import annotations

from collections.abc import Iterable

from hvlint.engine import is_selected
from hvlint.estimator import (
    Links,
    Parameters,
    VMEstimate,
    describe_inputs,
    describe_link,
    efficiency_note,
    estimate_model,
    estimates_key,
    format_duration,
    plural,
)
from hvlint.hookspecs import hookimpl
from hvlint.language import units
from hvlint.language.standalone import copied_disks
from hvlint.rule import Context, Rule, RuleFinding


def estimates(ctx: Context) -> list[VMEstimate]:
    """Every clustered VM's estimate for the file in `ctx`, computed once per file and shared by the HV5
    rules."""
    params = Parameters.from_config(ctx.config)
    return ctx.shared(estimates_key(params), lambda: estimate_model(ctx.model, params))


def _moving(estimate: VMEstimate) -> str:
    assert estimate.source is not None and estimate.destination is not None
    return f"moving {estimate.vm.name} from {estimate.source.name} to {estimate.destination.name}"


def _efficiency_assumed(estimate: VMEstimate) -> str:
    """` (assuming the default link efficiency 0.9; calibrate with ...)` on a 10 Gbps or faster link with
    the built-in link efficiency, where it is known to be optimistic; else nothing."""
    if estimate.move is None or not estimate.optimistic_link:
        return ""
    return " " + efficiency_note(estimate.move.precopy.inputs.efficiency)


def _judged(estimate: VMEstimate) -> bool:
    """Whether HV501 and HV502 judge the estimate: there is one, and its dirty rate is known."""
    return estimate.move is not None and estimate.dirty_rate_known


class DowntimeExceedsThreshold(Rule):
    """The predicted downtime of a VM's live migration exceeds its threshold.

    **What it checks.** hvlint predicts how a live migration copies the VM's memory in passes while it
    runs, and how much is left to copy while it is paused (the blackout): see `docs/estimator.md`. It
    judges the worst of the VM's destinations (the largest downtime) against the VM's `max_downtime`,
    else the cluster's, else `estimator.max_downtime` (500ms). Only running and paused VMs of clusters
    are judged; a VM that does not converge gets HV502 instead. Over a link of 10Gbps or faster with the
    built-in `estimator.link_efficiency` (0.9, about three times optimistic there for one TCP stream), the
    message says the default was assumed: measure a few migrations and run `hvlint calibrate`.

    **Why it matters.** Clients see the blackout as a stall: TCP sessions survive a few hundred
    milliseconds, but a database or a VoIP server paused for seconds drops connections and trips
    failover timers. A VM dirtying memory almost as fast as the link sends it runs out of passes with
    gigabytes still to copy.

    **How to fix it.** Give live migration a faster network (`bandwidth`), use `compression` or `smb`
    (ws2012r2 and later), lower the workload's dirty rate during the move, or, if the pause is acceptable,
    raise the VM's `max_downtime`.

    **Example.** Fails: 16GiB dirtied at 90MB/s over 1Gbps runs out of passes with 1.72GiB left.
    ```hvc
    cluster "LAB" {
      network "LM" { roles = [live_migration]  bandwidth = 1Gbps }
      host "HV01" { processor = "amd-opteron-2300"  memory = 64GiB }
      host "HV02" { processor = "amd-opteron-2300"  memory = 64GiB }
      vm "DB01" { host = HV01  memory = 16GiB  dirty_rate = 90MB/s }   # HV501: 16.4s
    }
    ```
    Passes: over 10Gbps the third pass leaves 7.8ms to copy.
    ```hvc
    cluster "LAB" {
      network "LM" { roles = [live_migration]  bandwidth = 10Gbps }
      host "HV01" { processor = "amd-opteron-2300"  memory = 64GiB }
      host "HV02" { processor = "amd-opteron-2300"  memory = 64GiB }
      vm "DB01" { host = HV01  memory = 16GiB  dirty_rate = 90MB/s }   # 57.8ms
    }
    ```
    """

    code = "HV501"
    name = "downtime-exceeds-threshold"
    severity = "warning"
    summary = "the predicted downtime of a VM's live migration exceeds its threshold"

    def check(self, ctx: Context) -> Iterable[RuleFinding]:
        for estimate in estimates(ctx):
            move = estimate.move
            if move is None or not _judged(estimate) or not move.precopy.converges:
                continue
            if estimate.threshold is None or move.precopy.downtime <= estimate.threshold:
                continue
            yield ctx.finding(
                estimate.vm,
                f"predicted downtime {format_duration(move.precopy.downtime)} exceeds "
                f"{format_duration(estimate.threshold)} when {_moving(estimate)}: "
                f"{describe_inputs(move, estimate.dirty_rate_origin)}{_efficiency_assumed(estimate)}",
            )


class MigrationDoesNotConverge(Rule):
    """A VM dirties memory at least as fast as its live migration can send it.

    **What it checks.** Whether the VM's dirty rate D is below the effective rate R = η·L·c of the
    migration to its worst destination (estimator.md): the link's `bandwidth`, times
    `estimator.link_efficiency`, times the compression ratio when the cluster's `migration_transport`
    is `compression`. The finding points at the VM's `dirty_rate`. As for HV501, the message says when
    the built-in link efficiency was assumed on a 10Gbps or faster link.

    **Why it matters.** Each pre-copy pass leaves as much dirty memory as it copied: pre-copy makes no
    progress, Hyper-V gives up and pauses the VM with most of its writable memory still to send. The
    blackout then lasts seconds or minutes, whatever the threshold. A VM that gets HV502 does not also get
    HV501.

    **How to fix it.** Move it over a faster `live_migration` network, enable compression or SMB
    transport (ws2012r2 and later), or quiesce the workload before moving it.

    **Example.** Fails: R = 0.9 × 1Gbps = 112.5MB/s, less than 150MB/s.
    ```hvc
    cluster "LAB" {
      network "LM" { roles = [live_migration]  bandwidth = 1Gbps }
      host "HV01" { processor = "amd-opteron-2300"  memory = 64GiB }
      host "HV02" { processor = "amd-opteron-2300"  memory = 64GiB }
      vm "ETL01" { host = HV01  memory = 8GiB  dirty_rate = 150MB/s }  # HV502
    }
    ```
    Passes: over 10Gbps R = 1.125GB/s.
    ```hvc
    cluster "LAB" {
      network "LM" { roles = [live_migration]  bandwidth = 10Gbps }
      host "HV01" { processor = "amd-opteron-2300"  memory = 64GiB }
      host "HV02" { processor = "amd-opteron-2300"  memory = 64GiB }
      vm "ETL01" { host = HV01  memory = 8GiB  dirty_rate = 150MB/s }
    }
    ```
    """

    code = "HV502"
    name = "migration-does-not-converge"
    severity = "error"
    summary = "a VM dirties memory at least as fast as its live migration sends it"

    def check(self, ctx: Context) -> Iterable[RuleFinding]:
        for estimate in estimates(ctx):
            move = estimate.move
            if move is None or not _judged(estimate) or move.precopy.converges:
                continue
            precopy = move.precopy
            assert estimate.dirty_rate is not None
            at = "dirty_rate" if estimate.dirty_rate_origin == "vm" else None
            yield ctx.finding(
                estimate.vm,
                f"migration does not converge when {_moving(estimate)}: it dirties "
                f"{units.format_rate(estimate.dirty_rate)} while {describe_link(move)} sends "
                f"{units.format_rate(precopy.rate)}; predicted downtime {format_duration(precopy.downtime)} "
                f"after {plural(precopy.passes, 'pass', 'es')}{_efficiency_assumed(estimate)}",
                at,
            )


class MigrationTimeExceedsThreshold(Rule):
    """The predicted total time of a VM's live migration exceeds `estimator.max_migration_time`.

    **What it checks.** The predicted total of the VM's worst destination (estimator.md: setup, every
    pre-copy pass, and the blackout) against `estimator.max_migration_time`. The rule is silent until
    that setting is configured. A running VM with no dirty rate is judged as if it dirtied nothing: its
    total is then a lower bound, so a finding still holds.

    **Why it matters.** Maintenance windows and cluster-aware updating wait for every migration; a VM that
    takes twenty minutes to move holds its host, and every VM queued behind it, for those twenty minutes.

    **How to fix it.** A faster `live_migration` network, compression, or less memory assigned to the VM.

    **Example.** With `max_migration_time = "5min"` under `[estimator]`, fails: 10 passes and a
    16.4s pause take 11.7min.
    ```hvc
    cluster "LAB" {
      network "LM" { roles = [live_migration]  bandwidth = 1Gbps }
      host "HV01" { processor = "amd-opteron-2300"  memory = 64GiB }
      host "HV02" { processor = "amd-opteron-2300"  memory = 64GiB }
      vm "DB01" { host = HV01  memory = 16GiB  dirty_rate = 90MB/s }   # HV503: 11.7min
    }
    ```
    Passes: over 10Gbps it takes 19.1s.
    ```hvc
    cluster "LAB" {
      network "LM" { roles = [live_migration]  bandwidth = 10Gbps }
      host "HV01" { processor = "amd-opteron-2300"  memory = 64GiB }
      host "HV02" { processor = "amd-opteron-2300"  memory = 64GiB }
      vm "DB01" { host = HV01  memory = 16GiB  dirty_rate = 90MB/s }
    }
    ```
    """

    code = "HV503"
    name = "migration-time-exceeds-threshold"
    severity = "warning"
    summary = "the predicted total time of a VM's live migration exceeds estimator.max_migration_time"

    def check(self, ctx: Context) -> Iterable[RuleFinding]:
        for estimate in estimates(ctx):
            move = estimate.move
            if move is None or estimate.time_limit is None or move.precopy.total <= estimate.time_limit:
                continue
            yield ctx.finding(
                estimate.vm,
                f"predicted migration time {format_duration(move.precopy.total)} exceeds "
                f"{format_duration(estimate.time_limit)} when {_moving(estimate)}: "
                f"{describe_inputs(move, estimate.dirty_rate_origin)}",
            )


class HostDrainExceedsWindow(Rule):
    """Draining a host, moving every running or paused VM away, takes longer than `estimator.drain_window`.

    **What it checks.** The drain plan of estimator.md (`hvlint estimate --drain HOST` prints it): each VM
    goes to the possible owner where it moves fastest; the cluster's `max_migrations` migrations run at
    once and share the link; the longest start first. The finding is at the host. The rule is silent
    until `estimator.drain_window` is configured, and about a host whose plan depends on a value in error.

    **Why it matters.** Patching a node means draining it first: if the drain outlasts the maintenance
    window, the node is not patched, or VMs are moved in a hurry.

    **How to fix it.** A faster `live_migration` network, compression, spreading the VMs across more
    hosts, or a longer window.

    **Example.** With `drain_window = "10min"` under `[estimator]`, fails: on ws2008r2 (the default
    platform) one migration runs at a time, DB01 for 11.7min, then WEB01 for 44.4s.
    ```hvc
    cluster "LAB" {
      network "LM" { roles = [live_migration]  bandwidth = 1Gbps }
      host "HV01" { processor = "amd-opteron-2300"  memory = 64GiB }   # HV504: 12.4min
      host "HV02" { processor = "amd-opteron-2300"  memory = 64GiB }
      vm "DB01" { host = HV01  memory = 16GiB  dirty_rate = 90MB/s }
      vm "WEB01" { host = HV01  memory = 4GiB  dirty_rate = 10MB/s }
    }
    ```
    Passes: over 10Gbps the drain takes 25.5s.
    ```hvc
    cluster "LAB" {
      network "LM" { roles = [live_migration]  bandwidth = 10Gbps }
      host "HV01" { processor = "amd-opteron-2300"  memory = 64GiB }
      host "HV02" { processor = "amd-opteron-2300"  memory = 64GiB }
      vm "DB01" { host = HV01  memory = 16GiB  dirty_rate = 90MB/s }
      vm "WEB01" { host = HV01  memory = 4GiB  dirty_rate = 10MB/s }
    }
    ```
    """

    code = "HV504"
    name = "host-drain-exceeds-window"
    severity = "warning"
    summary = "draining a host takes longer than estimator.drain_window"

    def check(self, ctx: Context) -> Iterable[RuleFinding]:
        params = Parameters.from_config(ctx.config)
        window = params.drain_window
        if window is None:
            return
        from hvlint.estimator.drain import plan_drain  # the drain planner: only with a drain_window

        for hosts in [*(cluster.hosts for cluster in ctx.model.clusters), ctx.model.hosts]:
            links = Links()
            for host in hosts:
                if not host.vms:
                    continue
                plan = plan_drain(host, params, links, lambda code: is_selected(code, ctx.config))
                longest = plan.longest
                if not plan.complete or longest is None or plan.drain_time <= window:
                    continue
                idle = (
                    f"; {plural(len(plan.assumed_idle), 'VM')} without a dirty rate counted as idle"
                    if plan.assumed_idle
                    else ""
                )
                yield ctx.finding(
                    host,
                    f"draining {host.name} takes {format_duration(plan.drain_time)}, more than the "
                    f"{format_duration(window)} window: {plural(len(plan.migrations), 'VM')}, "
                    f"{plan.slots} at a time; the longest, {longest.vm.name} to {longest.destination.name}, "
                    f"takes {format_duration(longest.duration)}{idle}",
                )


class DirtyRateUnknown(Rule):
    """A running VM has no `dirty_rate`, and no `estimator.default_dirty_rate` is configured.

    **What it checks.** Running VMs of clusters that could be live-migrated (they have a destination)
    but say nothing of how fast they dirty memory. The estimate then assumes they dirty nothing, so its
    downtime says nothing: HV501 and HV502 are not evaluated for them. Paused VMs run nothing and are not
    reported.

    **Why it matters.** The dirty rate decides whether a live migration converges: the same 16GiB VM
    pauses for 60ms idle and for 16s when it writes 90MB/s over 1Gbps.

    **How to fix it.** Measure it (Hyper-V's "Hyper-V VM Live Migration" and memory counters, or a guest's
    page-write rate) and set `dirty_rate`, or configure a site-wide `default_dirty_rate` under
    `[estimator]`.

    **Example.** Fails:
    ```hvc
    cluster "LAB" {
      network "LM" { roles = [live_migration]  bandwidth = 1Gbps }
      host "HV01" { processor = "amd-opteron-2300"  memory = 64GiB }
      host "HV02" { processor = "amd-opteron-2300"  memory = 64GiB }
      vm "APP01" { host = HV01  memory = 8GiB }                       # HV505
    }
    ```
    Passes:
    ```hvc
    cluster "LAB" {
      network "LM" { roles = [live_migration]  bandwidth = 1Gbps }
      host "HV01" { processor = "amd-opteron-2300"  memory = 64GiB }
      host "HV02" { processor = "amd-opteron-2300"  memory = 64GiB }
      vm "APP01" { host = HV01  memory = 8GiB  dirty_rate = 20MB/s }
    }
    ```
    """

    code = "HV505"
    name = "dirty-rate-unknown"
    severity = "info"
    summary = "a running VM has no dirty rate and no default is configured"

    def check(self, ctx: Context) -> Iterable[RuleFinding]:
        for estimate in estimates(ctx):
            move = estimate.move
            if move is None or estimate.dirty_rate_origin != "unknown":
                continue
            yield ctx.finding(
                estimate.vm,
                f"running vm {estimate.vm.name} has no `dirty_rate` and no `estimator.default_dirty_rate` "
                "is configured: its downtime cannot be predicted",
            )


class DiskSizeUnknown(Rule):
    """A shared-nothing live migration copies a disk whose size the file does not give.

    **What it checks.** The disks a move between standalone hosts copies (those not on a UNC path) of
    every movable standalone VM that has an estimate. A disk given only in `disks`, or in a `disk` block
    without `size`, is reported at its path, once per disk.

    **Why it matters.** A shared-nothing live migration copies the VM's storage before its memory, and
    that copy usually takes most of the move. The estimate counts an unknown disk as 0 bytes, so its
    total is only a lower bound (the downtime does not depend on the disk).

    **How to fix it.** Write the disk as a block with the bytes its file occupies (for a dynamically
    expanding VHDX, the file's current size): `disk 'D:\\VMs\\APP01\\data.vhdx' { size = 120GiB }`.

    **Example.**
    ```hvc
    host "BR01" {
      platform = ws2022  processor = "intel-xeon-scalable"  memory = 256GiB
      vm "APP01" {
        memory = 8GiB  dirty_rate = 20MB/s  possible_owners = [BR01, BR02]
        disks = ['D:\\VMs\\APP01\\data.vhdx']                               # HV506
      }
    }
    host "BR02" { platform = ws2022  processor = "intel-xeon-scalable"  memory = 256GiB }
    ```
    passes with the size given:
    ```hvc
    host "BR01" {
      platform = ws2022  processor = "intel-xeon-scalable"  memory = 256GiB
      vm "APP01" {
        memory = 8GiB  dirty_rate = 20MB/s  possible_owners = [BR01, BR02]
        disk 'D:\\VMs\\APP01\\data.vhdx' { size = 120GiB }
      }
    }
    host "BR02" { platform = ws2022  processor = "intel-xeon-scalable"  memory = 256GiB }
    ```
    """

    code = "HV506"
    name = "disk-size-unknown"
    severity = "info"
    summary = "a shared-nothing estimate copies a disk whose size is not given"

    def check(self, ctx: Context) -> Iterable[RuleFinding]:
        for estimate in estimates(ctx):
            if estimate.move is None or estimate.move.kind != "shared-nothing":
                continue
            for disk in copied_disks(estimate.vm):
                if disk.size is None:
                    message = (
                        f"disk '{disk.path}' of vm {estimate.vm.name} has no size: a move to "
                        f"{estimate.move.destination.name} copies it, and the estimate counts it as 0 bytes"
                    )
                    yield RuleFinding(estimate.vm, disk.span, message)


@hookimpl
def hvlint_rules() -> list[type[Rule]]:
    """hvlint's HV5xx rules."""
    return [
        DowntimeExceedsThreshold,
        MigrationDoesNotConverge,
        MigrationTimeExceedsThreshold,
        HostDrainExceedsWindow,
        DirtyRateUnknown,
        DiskSizeUnknown,
    ]
