"""What `hvlint estimate` prints (cli.md): the estimator's table or JSON, and a host's drain plan.

This module reads no files and knows no argparse. A caller that has already parsed and resolved the files
passes their models: `estimate_models(models, config)` and `drain_plan_models(models, HOST, config)`
estimate without parsing again; `estimate_documents` and `drain_plan_documents` take documents (or
models) and skip documents with syntax errors (they get HV001 only). Then `render_table` / `render_json`
and `render_drain` / `render_drain_json` give the text to print. `DrainHostError` is a usage error (exit
status 2): `--drain` names no host of the files, or one several of them declare.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Union

from hvlint.capacity import format_size, restart_need
from hvlint.engine import is_selected
from hvlint.estimator import (
    DrainPlan,
    Parameters,
    VMEstimate,
    describe_storage,
    estimate_model,
    format_duration,
    plan_drain,
    plural,
)
from hvlint.failover import FailoverPlan, plan_failover
from hvlint.language.model import Host, Model
from hvlint.language.spelling import closest
from hvlint.placement import shortfall

if TYPE_CHECKING:
    from hvlint.config import Config
    from hvlint.language.document import Document

ARROW = "->"
"""Between source and destination. ASCII on purpose: a report redirected to a file on Windows is written in
the console's code page, where an arrow character would not encode."""

Source = Union[Model, "Document"]
"""What the functions below accept: a file's model, or its document (skipped when it has syntax errors)."""


class DrainHostError(Exception):
    """`--drain HOST` names no host of the files given, or one that several of them declare: exit status
    2 with this message."""


def models_of(sources: Iterable[Source]) -> list[Model]:
    """The models of the files without syntax errors, each file once however often or by whatever name
    it was given (`a.hvc ./a.hvc`, a directory and a file in it)."""
    models = []
    seen: set[str] = set()
    for source in sources:
        model = source if isinstance(source, Model) else source.model
        if not isinstance(source, Model) and source.has_syntax_errors:
            continue
        where = model.path if model.path == "-" else os.path.realpath(model.path)
        if where not in seen:
            seen.add(where)
            models.append(model)
    return models


# -- the estimates --------------------------------------------------------------------------------------


def estimate_models(models: Iterable[Model], config: Config) -> list[VMEstimate]:
    """The estimate of every VM of every cluster of the resolved models, in model and declaration order
    (VMs with no estimate included, with the reason)."""
    params = Parameters.from_config(config)
    return [estimate for model in models for estimate in estimate_model(model, params)]


def estimate_documents(sources: Iterable[Source], config: Config) -> list[VMEstimate]:
    """`estimate_models` of the files without syntax errors, each file once."""
    return estimate_models(models_of(sources), config)


_DOES_NOT_CONVERGE, _EXCEEDS, _TOO_LONG, _UNKNOWN, _OK, _NO_ESTIMATE = range(6)


def _rank(estimate: VMEstimate) -> int:
    move = estimate.move
    if move is None:
        return _NO_ESTIMATE
    if not estimate.dirty_rate_known:
        return _TOO_LONG if estimate.exceeds_time else _UNKNOWN
    if not move.precopy.converges:
        return _DOES_NOT_CONVERGE
    if estimate.exceeds_downtime:
        return _EXCEEDS
    return _TOO_LONG if estimate.exceeds_time else _OK


def verdict(estimate: VMEstimate) -> str:
    """The verdict column: `ok`, `exceeds 500ms`, `does not converge`, `dirty rate unknown`, or
    `no estimate (why)`; `, total exceeds 10min` is added when `estimator.max_migration_time` is."""
    move = estimate.move
    if move is None:
        return f"no estimate ({estimate.reason})"
    if not estimate.dirty_rate_known:
        text = "dirty rate unknown"
    elif not move.precopy.converges:
        text = "does not converge"
    elif estimate.threshold is None:
        text = "no threshold (max_downtime in error)"
    elif estimate.exceeds_downtime:
        text = f"exceeds {format_duration(estimate.threshold)}"
    else:
        text = "ok"
    if estimate.exceeds_time:
        assert estimate.time_limit is not None
        text += f", total exceeds {format_duration(estimate.time_limit)}"
    return text


def _worst_first(estimate: VMEstimate) -> tuple[Any, ...]:
    precopy = estimate.precopy
    downtime, total = (precopy.downtime, precopy.total) if precopy else (0.0, 0.0)
    cluster = estimate.cluster.name if estimate.cluster else ""
    return (_rank(estimate), -downtime, -total, cluster.casefold(), estimate.vm.name.casefold())


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], right: Iterable[int] = ()) -> list[str]:
    """Aligned columns, two spaces apart; the columns in `right` aligned right (numbers)."""
    right = set(right)
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        cells = [
            cell.rjust(width) if i in right else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    return lines


def _vm_label(estimate: VMEstimate, several_clusters: bool, several_files: bool) -> str:
    label = estimate.vm.name
    if several_clusters and estimate.cluster is not None:
        label = f"{estimate.cluster.name}/{label}"
    if marked(estimate):
        label += MARK
    return f"{estimate.path}: {label}" if several_files else label


MARK = "*"
"""After the VM of a row that rests on an assumption `MARK_NOTE` names."""
MARK_NOTE = (
    "*: assumed: the VM gives no dirty_rate, or its link is 10Gbps or faster with the default "
    "link_efficiency (optimistic there; calibrate with `hvlint calibrate`)"
)


def marked(estimate: VMEstimate) -> bool:
    """Whether the table marks the estimate's row: it has an estimate, and the VM gives no dirty rate or
    its link is 10 Gbps or faster with the built-in link efficiency."""
    return estimate.move is not None and (not estimate.dirty_rate_given or estimate.optimistic_link)


def render_table(estimates: Sequence[VMEstimate]) -> str:
    """The table a person reads: one row per VM, worst first (does not converge, exceeds its threshold,
    takes too long, dirty rate unknown, ok, no estimate; then the longest downtime first), with VM,
    source -> worst destination, passes, total, downtime and verdict, and a summary line; a VM marked
    `*` (`marked`) rests on an assumption, which a last line explains."""
    if not estimates:
        return "no VM in a cluster to estimate\n"
    several = len({id(e.cluster) for e in estimates}) > 1
    several_files = len({e.path for e in estimates}) > 1
    rows = []
    for estimate in sorted(estimates, key=_worst_first):
        source = estimate.source.name if estimate.source else "?"
        move = estimate.move
        if move is None:
            rows.append([_vm_label(estimate, several, several_files), source, "", "", "", verdict(estimate)])
            continue
        precopy = move.precopy
        rows.append(
            [
                _vm_label(estimate, several, several_files),
                f"{source} {ARROW} {move.destination.name}",
                str(precopy.passes),
                format_duration(precopy.total),
                format_duration(precopy.downtime),
                verdict(estimate),
            ]
        )
    header = ["VM", "move", "passes", "total", "downtime", "verdict"]
    _storage_column(sorted(estimates, key=_worst_first), header, rows)
    lines = _table(header, rows, right=(2, 3, 4))
    lines.append("")
    lines.append(_summary(estimates))
    if any(marked(estimate) for estimate in estimates):
        lines.append(MARK_NOTE)
    return "\n".join(lines) + "\n"


def _storage_column(estimates: Sequence[VMEstimate], header: list[str], rows: list[list[str]]) -> None:
    """Adds the `storage` column (estimator-v2.md §5) when some estimate is a shared-nothing move."""
    cells = [describe_storage(estimate.move) if estimate.move else "" for estimate in estimates]
    if any(cells):
        header.append("")
        for row, cell in zip(rows, cells, strict=True):
            row.append(cell)


def _summary(estimates: Sequence[VMEstimate]) -> str:
    counts = [0] * 6
    for estimate in estimates:
        counts[_rank(estimate)] += 1
    estimated = len(estimates) - counts[_NO_ESTIMATE]
    parts = [
        (
            counts[_DOES_NOT_CONVERGE],
            "do not converge" if counts[_DOES_NOT_CONVERGE] != 1 else "does not converge",
        ),
        (
            counts[_EXCEEDS],
            "exceed their downtime threshold" if counts[_EXCEEDS] != 1 else "exceeds its downtime threshold",
        ),
        (counts[_TOO_LONG], "take too long" if counts[_TOO_LONG] != 1 else "takes too long"),
        (counts[_UNKNOWN], "have no dirty rate" if counts[_UNKNOWN] != 1 else "has no dirty rate"),
        (counts[_OK], "ok"),
    ]
    text = f"{plural(estimated, 'VM')} estimated: " + ", ".join(
        f"{count} {words}" for count, words in parts if count
    )
    if not any(count for count, _ in parts):
        text = "no VM estimated"
    if counts[_NO_ESTIMATE]:
        text += f"; {counts[_NO_ESTIMATE]} without an estimate"
    return text


def _number(value: float) -> float | int:
    """A JSON number: whole values as integers (byte counts), others as they are."""
    return int(value) if float(value).is_integer() else value


def render_json(estimates: Sequence[VMEstimate]) -> dict[str, Any]:
    """`{"estimates": [...]}` (cli.md), one entry per VM that has an estimate, in file and declaration
    order, with exactly `cluster`, `vm`, `source`, `destination`, `memory_bytes`,
    `dirty_rate_bytes_per_s`, `rate_bytes_per_s`, `passes`, `total_s`, `downtime_s`, `converges`,
    `threshold_s` and `assumed` (the built-in defaults it uses, and `dirty_rate` when the VM gives
    none). For a running VM with no dirty rate (HV505) `dirty_rate_bytes_per_s` and `converges`
    are null and the times are those of an idle VM; `threshold_s` is null when its `max_downtime` is in
    error."""
    entries = []
    for estimate in estimates:
        move = estimate.move
        if move is None or estimate.source is None:
            continue
        precopy = move.precopy
        entries.append(
            {
                "cluster": estimate.cluster.name if estimate.cluster else None,
                "vm": estimate.vm.name,
                "source": estimate.source.name,
                "destination": move.destination.name,
                "memory_bytes": _number(precopy.inputs.memory),
                "dirty_rate_bytes_per_s": None
                if estimate.dirty_rate is None
                else _number(estimate.dirty_rate),
                "rate_bytes_per_s": _number(precopy.rate),
                "passes": precopy.passes,
                "total_s": precopy.total,
                "downtime_s": precopy.downtime,
                "converges": estimate.converges,
                "threshold_s": estimate.threshold,
                "assumed": list(estimate.assumed),
                "storage_bytes": _number(move.storage_bytes),
                "storage_s": move.storage_time,
                "kind": move.kind,
            }
        )
    return {"estimates": entries}


# -- draining a host ------------------------------------------------------------------------------------


def drain_plan(model: Model, host_name: str, config: Config) -> DrainPlan:
    """The drain plan of the host `host_name` (compared case-insensitively) of `model`; raises
    DrainHostError when the file declares no such host."""
    host = model.find_host(host_name)
    if host is None:
        raise DrainHostError(_unknown_host(host_name, [model]))
    return plan_drain(host, Parameters.from_config(config), enabled=lambda code: is_selected(code, config))


def drain_plan_documents(sources: Iterable[Source], host_name: str, config: Config) -> DrainPlan:
    """`drain_plan_models` of the files without syntax errors, each file once."""
    return drain_plan_models(models_of(sources), host_name, config)


def drain_plan_models(models: Sequence[Model], host_name: str, config: Config) -> DrainPlan:
    """The drain plan of the host `host_name` in the one resolved model that declares it; raises
    DrainHostError when none does, or when several do (the plan would depend on which one was meant)."""
    declaring = [model for model in models if model.find_host(host_name) is not None]
    if len(declaring) > 1:
        files = ", ".join(model.path for model in declaring)
        raise DrainHostError(
            f"--drain {host_name}: host `{host_name}` is declared in {len(declaring)} files ({files}); "
            "give only the file of the host to drain"
        )
    if declaring:
        return drain_plan(declaring[0], host_name, config)
    raise DrainHostError(_unknown_host(host_name, models))


def _unknown_host(name: str, models: Sequence[Model]) -> str:
    hosts = [host.name for model in models for host in model.all_hosts()]
    hint = closest(name, hosts)
    did_you_mean = f"; did you mean `{hint}`?" if hint else ""
    where = "the files given" if len(models) != 1 else models[0].path
    return f"--drain {name}: no host `{name}` in {where}{did_you_mean}"


def render_drain(plan: DrainPlan) -> str:
    """The drain plan as text: which VM goes where, on which slot, when it starts and ends, and the drain
    time; then the VMs that cannot be moved, and why."""
    host = plan.host
    where = f"cluster {host.cluster.name}" if host.cluster else "a standalone host"
    if plan.migrations:
        summary = f"{plural(len(plan.migrations), 'VM')}, {plural(plan.slots, 'migration')} at a time"
    elif plan.live:
        summary = "nothing to drain: no running or paused VM can be moved"
    else:
        summary = "nothing to drain: no running or paused VM"
    lines = [f"drain of {host.name} ({where}): {summary}"]
    if plan.migrations:
        rows = [
            [
                migration.vm.name,
                migration.destination.name,
                str(migration.slot + 1),
                format_duration(migration.start),
                format_duration(migration.end),
                format_duration(migration.duration),
                format_duration(migration.move.precopy.downtime),
            ]
            for migration in plan.migrations
        ]
        header = ["VM", "to", "slot", "start", "end", "takes", "downtime"]
        lines.append("")
        lines.extend(_table(header, rows, right=(2, 3, 4, 5, 6)))
        lines.append("")
    if plan.migrations:
        lines.append(f"drain time: {format_duration(plan.drain_time)}")
    if plan.assumed_idle:
        names = ", ".join(vm.name for vm in plan.assumed_idle)
        lines.append(f"counted as idle (no dirty rate, and no estimator.default_dirty_rate): {names}")
    for vm, reason in plan.left_behind:
        lines.append(f"not moved: {vm.name} ({reason})")
    if not plan.complete:
        lines.append("the plan depends on values in error (see `hvlint check`): not a prediction to rely on")
    return "\n".join(lines) + "\n"


def render_drain_json(plan: DrainPlan) -> dict[str, Any]:
    """`{"drain": {...}}` (cli.md): `host`, `drain_time_s`, `slots` (the migrations run at once) and
    `migrations` in start order, each with `vm`, `destination`, `start_s`, `end_s`."""
    return {
        "drain": {
            "host": plan.host.name,
            "drain_time_s": plan.drain_time if plan.migrations else 0,
            "slots": plan.slots,
            "migrations": [
                {
                    "vm": migration.vm.name,
                    "destination": migration.destination.name,
                    "start_s": migration.start,
                    "end_s": migration.end,
                }
                for migration in plan.migrations
            ],
            **left_behind_json(plan),
        }
    }


def left_behind_json(plan: DrainPlan) -> dict[str, Any]:
    """`left_behind` (estimator-v2.md §5) of a memory-aware plan: each VM not moved with its `reason`,
    `need_bytes`, `best_free_bytes` and `best_host` (reason `memory`), `blocked_by` (reason `blocked`);
    empty for version 1's plan."""
    entries = [
        _left_entry(
            item.vm.name,
            item.reason,
            item.need,
            item.best_host,
            item.best_free,
            None if item.blocked_by is None else {owner: list(codes) for owner, codes in item.blocked_by},
        )
        for item in plan.left
    ]
    return {"left_behind": entries}


# -- a host failing -------------------------------------------------------------------------------------


def failover_plan_models(models: Sequence[Model], host_name: str) -> FailoverPlan:
    """The failover plan of the host `host_name` in the one resolved model that declares it; raises
    DrainHostError (worded for `--failover`) when none does, or several do."""
    declaring = [model for model in models if model.find_host(host_name) is not None]
    if len(declaring) != 1:
        if declaring:
            files = ", ".join(model.path for model in declaring)
            message = (
                f"--failover {host_name}: host `{host_name}` is declared in {len(declaring)} files "
                f"({files}); give only the file of the host that fails"
            )
        else:
            message = _unknown_host(host_name, models).replace("--drain", "--failover", 1)
        raise DrainHostError(message)
    host = declaring[0].find_host(host_name)
    assert host is not None
    return plan_failover(host)


DDA_NOT_FAILED_OVER = "dda: devices assigned by DDA, and the cluster cannot fail it over (HV702)"
"""Why `estimate --failover` does not restart a VM that HV702 reports."""


def render_failover(plan: FailoverPlan) -> str:
    """The failover plan as text: where each highly available VM restarts, with its restart need; then
    the VMs that do not restart elsewhere, and why."""
    host = plan.host
    where = f"cluster {host.cluster.name}" if host.cluster else "a standalone host"
    placed = plan.placement.placed
    total = len(plan.vms) + len(plan.pinned) + len(plan.dda)
    if total:
        summary = f"{plural(total, 'highly available VM')}, {len(placed)} restart elsewhere"
    else:
        summary = "no highly available running or paused VM"
    lines = [f"failover of {host.name} ({where}): {summary}"]
    if placed:
        rows = [[vm.name, destination.name, format_size(restart_need(vm))] for vm, destination in placed]
        lines.append("")
        lines.extend(_table(["VM", "restarts on", "needs"], rows, right=(2,)))
        lines.append("")
    for item in sorted(plan.left, key=lambda item: item.vm.name.casefold()):
        lines.append(
            f"not restarted: {item.vm.name} ({shortfall(item.need, item.best_host, item.best_free)})"
        )
    for vm in plan.pinned:
        lines.append(f"not restarted: {vm.name} (no other possible owner)")
    for vm in plan.dda:
        lines.append(f"not restarted: {vm.name} ({DDA_NOT_FAILED_OVER})")
    return "\n".join(lines) + "\n"


def render_failover_json(plan: FailoverPlan) -> dict[str, Any]:
    """`{"failover": {...}}`: `host`, `restarts` in placement order (`vm`, `destination`, `need_bytes`)
    and `left_behind` as a drain's (`reason` `memory`, `no-destination` or `dda`)."""
    left = [
        _left_entry(item.vm.name, "memory", item.need, item.best_host, item.best_free)
        for item in sorted(plan.left, key=lambda item: item.vm.name.casefold())
    ]
    left.extend(_left_entry(vm.name, "no-destination") for vm in plan.pinned)
    left.extend(_left_entry(vm.name, "dda") for vm in plan.dda)
    return {
        "failover": {
            "host": plan.host.name,
            "restarts": [
                {"vm": vm.name, "destination": destination.name, "need_bytes": _number(restart_need(vm))}
                for vm, destination in plan.placement.placed
            ],
            "left_behind": left,
        }
    }


def _left_entry(
    vm: str,
    reason: str,
    need: float | None = None,
    best_host: Host | None = None,
    best_free: float | None = None,
    blocked_by: dict[str, list[str]] | None = None,
) -> dict[str, Any]:
    """One `left_behind` entry of estimator-v2.md §5."""
    return {
        "vm": vm,
        "reason": reason,
        "need_bytes": None if need is None else _number(need),
        "best_free_bytes": None if best_free is None else _number(best_free),
        "best_host": best_host.name if best_host is not None else None,
        "blocked_by": blocked_by,
    }
