"""One VM as a `vm` block (import.md §6.6): state, memory, compatibility, cluster role and owners, disks,
DVD drives, configuration path and adapters, with the comments and warnings of each adjustment."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from hvlint.importer.hosts import HostInfo, shown
from hvlint.importer.inventory import Obj, Warnings
from hvlint.importer.layout import Attr, Block, Comment
from hvlint.importer.spelling import in_range, name_sort_key, path_key, quoted, size, windows_path, writable

STATES = {
    "Running": "running",
    "Starting": "running",
    "Reset": "running",
    "Resuming": "running",
    "ForceReboot": "running",
    "Off": "off",
    "Stopping": "off",
    "ForceShutdown": "off",
    "Hibernated": "off",
    "Saved": "saved",
    "Saving": "saved",
    "FastSaved": "saved",
    "FastSaving": "saved",
    "Paused": "paused",
    "Pausing": "paused",
}
_CONTROLLERS = {"IDE": 0, "SCSI": 1, "PMEM": 2}
_VERSION = re.compile(r"\d+(\.\d+)?")
DIRTY_RATE_TODO = "TODO: dirty_rate: no counter reports it; measure it, or set [estimator] default_dirty_rate"


def memory_of(vm: Obj) -> int | None:
    """What a live migration would copy: the assigned memory, else the startup memory."""
    for member in ("memory_assigned_bytes", "memory_startup_bytes"):
        if vm[member] is not None and vm[member] > 0 and in_range(vm[member]):
            return int(vm[member])
    return None


def state_of(vm: Obj, warnings: Warnings) -> str | None:
    """The language's state for the VM's VMState; None when the inventory does not tell it (written as
    running)."""
    state = vm["state"]
    if state is None:
        warnings.unknown(vm, "state", "state unknown: written as running")
        return None
    if warnings.was_unreadable(vm, "state"):
        return None
    base = state.removesuffix("Critical") if state.endswith("Critical") else state
    if base in STATES:
        return STATES[base]
    warnings.add(vm, "state", f"state {state} has no equivalent: written as running")
    return None


@dataclass
class VMContext:
    """What a VM's block depends on beyond the VM: its host, the cluster's hosts and groups, and where
    its paths may lie."""

    host: HostInfo
    in_cluster: bool
    written_hosts: dict[str, str]
    group: Obj | None
    groups_known: bool
    path_ok: Callable[[str], bool]
    shared: Callable[[str], bool]
    comments: list[str] = field(default_factory=list)


def vm_block(vm: Obj, label: str, context: VMContext, warnings: Warnings) -> Block:
    """The `vm` block of a VM that is written under the name `label`."""
    attrs: list[Attr] = []
    comments = list(context.comments)
    if context.in_cluster:
        attrs.append(Attr("host", quoted(context.host.name)))
    state = state_of(vm, warnings)
    if state not in (None, "running"):
        attrs.append(Attr("state", state))
    attrs.append(Attr("memory", size(memory_of(vm) or 0)))
    untold = context.host.name.casefold(), label.casefold()
    attrs.extend(_dynamic_memory(vm, untold, warnings))
    mode = _compatibility(vm, warnings)
    if mode not in (None, "off"):
        attrs.append(Attr("compatibility_mode", mode))
    for attribute, value in (("state", state), ("compatibility_mode", mode)):
        if value is None:
            warnings.untold.add((*untold, attribute))
    version = vm["configuration_version"]
    if version is not None:
        if _VERSION.fullmatch(version) and float(version) <= 1e18:
            attrs.append(Attr("config_version", version))
        else:
            warnings.add(vm, "configuration_version", f'"{version}" is no version number; read as unknown')
    if context.in_cluster:
        _cluster_role(vm, context, attrs, warnings)
    disks = _disks(vm, context, comments, warnings)
    if disks:
        attrs.append(Attr("disks", disks))
    dvd = _dvd(vm, context, comments, warnings)
    if dvd:
        attrs.append(Attr("dvd", dvd))
    config = _config_path(vm, context, comments, warnings)
    if config is not None:
        attrs.append(Attr("config_path", quoted(config)))
    adapters = _adapters(vm, context.host, comments, warnings)
    if adapters:
        attrs.append(Attr("adapters", adapters))
    if vm["dynamic_memory"]:
        sizes = [
            f"{word} {size(vm[member])}"
            for word, member in (
                ("startup", "memory_startup_bytes"),
                ("minimum", "memory_minimum_bytes"),
                ("maximum", "memory_maximum_bytes"),
            )
            if vm[member] is not None and vm[member] >= 0 and in_range(vm[member])
        ]
        comments.insert(
            len(context.comments), "dynamic memory: " + ", ".join(sizes) if sizes else "dynamic memory"
        )
    items: list[Comment | Attr] = [Comment(text) for text in comments]
    items.extend(attrs)
    if state in (None, "running", "paused"):
        items.append(Comment(DIRTY_RATE_TODO))
    return Block("vm", quoted(label), list(items))


def shown_path(path: str) -> str:
    """A path as a comment may show it."""
    return "(path withheld)" if "hvlint:" in path.casefold() else path


def _dynamic_memory(vm: Obj, untold: tuple[str, str], warnings: Warnings) -> list[Attr]:
    """`dynamic_memory = true` and the startup memory (language-v2.md §3) for a VM with dynamic memory:
    what it needs to start and to restart after a failover, which stays put while its assigned memory
    moves. `untold` (host, VM; case-folded) records what the inventory does not say."""
    dynamic = vm["dynamic_memory"]
    if dynamic is None:
        warnings.untold.add((*untold, "dynamic_memory"))
    if not dynamic:
        return []
    startup = vm["memory_startup_bytes"]
    if startup is None or startup <= 0 or not in_range(startup):
        warnings.untold.add((*untold, "startup_memory"))
        return [Attr("dynamic_memory", "true")]
    return [Attr("dynamic_memory", "true"), Attr("startup_memory", size(startup))]


def _compatibility(vm: Obj, warnings: Warnings) -> str | None:
    enabled = vm["compatibility_for_migration_enabled"]
    if enabled is None:
        warnings.unknown(
            vm, "compatibility_for_migration_enabled", "processor compatibility unknown: written as off"
        )
        return None
    if not enabled:
        return "off"
    return "cluster" if vm["compatibility_for_migration_mode"] == "CommonClusterFeatureSet" else "minimum"


def _cluster_role(vm: Obj, context: VMContext, attrs: list[Attr], warnings: Warnings) -> None:
    group = context.group
    if group is None:
        if context.groups_known or vm["is_clustered"] is False:
            attrs.append(Attr("highly_available", "false"))
        elif vm["is_clustered"] is None:
            warnings.unknown(vm, "is_clustered", "whether it is a clustered role is unknown: not written")
        return
    owners: list[str] = []
    for owner in group["possible_owners"] or []:
        name = context.written_hosts.get(owner.casefold())
        if name is None:
            warnings.add(
                group, "possible_owners", f'possible owner "{owner}" left out: it is no written host'
            )
        elif name not in owners:
            owners.append(name)
    if not owners or len(owners) == len(context.written_hosts):
        return
    if context.host.name not in owners:
        warnings.add(
            group,
            "possible_owners",
            f'its host "{context.host.name}" is added to its possible owners (a VM runs on one of them)',
        )
        owners.append(context.host.name)
        if len(owners) == len(context.written_hosts):
            return
    attrs.append(Attr("possible_owners", [quoted(o) for o in sorted(owners, key=name_sort_key)]))


def _usable_path(obj: Obj, member: str, path: str, context: VMContext, warnings: Warnings) -> str | None:
    if not writable(path):
        warnings.add(obj, member, "path left out: it cannot be written in .hvc")
        return None
    path = windows_path(path) if path.replace("/", "\\").startswith("\\\\?\\") else path
    if not context.path_ok(path):
        warnings.add(obj, member, f"path {quoted(path)} left out: no storage can hold a path of this form")
        return None
    return path


def _controller_key(drive: Obj) -> tuple[int, int, int, str]:
    return (
        _CONTROLLERS.get(drive["controller_type"] or "", 3),
        drive["controller_number"] if drive["controller_number"] is not None else 1 << 62,
        drive["controller_location"] if drive["controller_location"] is not None else 1 << 62,
        drive["path"] or "",
    )


def _by_controller(drives: list[Obj] | None) -> list[Obj]:
    """Drives in the order of their controllers and places on them."""
    if not drives or len(drives) == 1:
        return drives or []
    return sorted(drives, key=_controller_key)


def _disks(vm: Obj, context: VMContext, comments: list[str], warnings: Warnings) -> list[str]:
    result = []
    for disk in _by_controller(vm["disks"]):
        if disk["disk_number"] is not None:
            comments.append(
                f"pass-through disk (physical disk {disk['disk_number']}) left out: "
                "hvlint describes disk files only"
            )
            warnings.add(disk, None, "pass-through disk left out: hvlint describes disk files only")
            continue
        if not disk["path"]:
            continue
        path = _usable_path(disk, "path", disk["path"], context, warnings)
        if path is not None:
            result.append(quoted(path))
    return result


def _dvd(vm: Obj, context: VMContext, comments: list[str], warnings: Warnings) -> list[str]:
    result = []
    for drive in _by_controller(vm["dvd_drives"]):
        media, path = drive["media_type"], drive["path"]
        if media == "None" or not path:
            continue
        if media == "PassThrough":
            letter = re.fullmatch(r"([A-Za-z]):\\?", path)
            if letter is None or not writable(path):
                warnings.add(drive, "path", "pass-through DVD drive left out: its path is no drive letter")
                continue
            comments.append(f"DVD drive passes through the host's drive {letter.group(1).upper()}:")
            result.append(quoted(f"{letter.group(1).upper()}:\\"))
            continue
        usable = _usable_path(drive, "path", path, context, warnings)
        if usable is not None:
            result.append(quoted(usable))
    return result


def _config_path(vm: Obj, context: VMContext, comments: list[str], warnings: Warnings) -> str | None:
    paths = vm["paths"]
    if paths is None:
        return None
    found: list[tuple[str, str]] = []
    last: tuple[str, str] | None = None
    for member, word in (
        ("configuration", ""),
        ("snapshots", "checkpoints"),
        ("smart_paging", "smart paging file"),
    ):
        raw = paths[member]
        if raw:
            usable = (
                last[1] if last and last[0] == raw else _usable_path(paths, member, raw, context, warnings)
            )
            if usable is not None:
                found.append((word, usable))
                last = raw, usable
    if not found:
        return None
    chosen = next((path for _, path in found if not context.shared(path)), None)
    chosen = chosen or next((p for w, p in found if w == ""), found[0][1])
    others = [
        f"{word or 'configuration'} in {quoted(shown_path(path))}"
        for word, path in found
        if path != chosen and path_key(path) != path_key(chosen)
    ]
    if others:
        comments.append("; ".join(others))
    return chosen


def _adapters(vm: Obj, host: HostInfo, comments: list[str], warnings: Warnings) -> list[str]:
    by_id, known = host.switch_lookup
    result = []
    for adapter in vm["network_adapters"] or []:
        switch = by_id.get(adapter["switch_id"]) or adapter["switch_name"]
        if adapter["connected"] is False or not switch:
            comments.append(f'network adapter "{shown(adapter["name"])}" is not connected')
            continue
        if not writable(switch):
            warnings.add(
                adapter, "switch_name", "adapter left out: its switch's name cannot be written in .hvc"
            )
            continue
        if switch.casefold() not in known:
            warnings.add(
                adapter,
                "switch_name",
                f'switch "{switch}" is no switch of host "{host.name}"; written as it is (HV305 reports it)',
            )
        result.append(switch)
    return [quoted(name) for name in sorted(result, key=name_sort_key)]
