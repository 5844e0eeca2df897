"""The differences between the estate (an inventory's import, as a model) and the described files' models:
HV901 for what only the estate has, HV902 for what only the files declare, HV903 for an attribute both
know with different values (issue 15 §3, rules/drift.py)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from typing import TypeVar

from hvlint.importer.spelling import name_sort_key, quoted, size
from hvlint.language.catalogue import HOST_ONLY_FEATURES
from hvlint.language.model import VM, Cluster, Host, Model, Node, Processor
from hvlint.language.paths import normalize
from hvlint.language.syntax import Span
from hvlint.rule import RuleFinding

UNDESCRIBED, ABSENT, ATTRIBUTE = "HV901", "HV902", "HV903"
LINE_ONE = Span(1, 1, 1, 2)
STAND_IN_SUFFIX = "-baseline"
"""How `hvlint import` names a processor whose features it does not know (import.md §6.4.4, step 3)."""
LISTED = 6
"""Feature flags named in a processor's message, on each side, before `and N more`."""

Found = dict[str, dict[str, list[RuleFinding]]]
"""Per described file (by path), per code, the findings there."""
N = TypeVar("N", bound=Node)
T = TypeVar("T")


class Undescribed(Node):
    """An object of the estate that no described file declares: what an HV901 finding is about, at line 1
    of a file, inside the described cluster or standalone host it belongs to (whose suppressions apply)."""

    __slots__ = ("_kind", "_parent", "_qualified")

    def __init__(self, kind: str, qualified: str, parent: Node | None) -> None:
        self._kind = kind
        self._qualified = qualified
        self._parent = parent

    @property
    def span(self) -> Span:
        return LINE_ONE

    @property
    def qualified_name(self) -> str:
        return self._qualified

    @property
    def parent(self) -> Node | None:
        return self._parent

    def describe(self) -> str:
        return f"{self._kind} {self._qualified}"


class _Report:
    """The findings gathered so far, and where the first described file is."""

    def __init__(self, first_path: str, untold: Collection[tuple[str, str, str]]) -> None:
        self.first_path = first_path
        self.untold = untold
        self.found: Found = {}

    def add(self, path: str, code: str, finding: RuleFinding) -> None:
        self.found.setdefault(path, {}).setdefault(code, []).append(finding)

    def undescribed(self, path: str, node: Undescribed, message: str) -> None:
        self.add(path, UNDESCRIBED, RuleFinding(node, LINE_ONE, message))

    def absent(self, path: str, node: Node, message: str) -> None:
        self.add(path, ABSENT, RuleFinding(node, node.span, message))

    def differs(
        self,
        path: str,
        node: Node,
        attribute: str | None,
        label: str,
        estate: str,
        ours: str,
        detail: str = "",
    ) -> None:
        """HV903 at the described value of `attribute` (the block's header when None or not written)."""
        verb = "are" if label.endswith("s") else "is"
        what = f"{label} of {node.block_kind} {node.name}"
        message = f"{what} {verb} {estate} in the estate, {ours} in the description{detail}"
        self.add(path, ATTRIBUTE, RuleFinding(node, node.positions.of(attribute), message))


def compare(
    estate: Model, described: Sequence[Model], untold: Collection[tuple[str, str, str]] = frozenset()
) -> Found:
    """Every difference between the estate and the described models (at least one), by file and code;
    `untold` names the estate's VM attributes (host, VM, attribute; case-folded) that the import wrote as
    defaults because the inventory did not tell them, which are not compared."""
    report = _Report(described[0].path, untold)
    clusters = _first_by_name((c, m.path) for m in described for c in m.clusters)
    for cluster in estate.clusters:
        match = clusters.pop(cluster.name.casefold(), None)
        if match is None:
            counts = f"{_count(len(cluster.hosts), 'host')}, {_count(len(cluster.vms), 'VM')}"
            report.undescribed(
                report.first_path,
                Undescribed("cluster", cluster.name, None),
                f"cluster {cluster.name} is in the estate ({counts}), but no described file declares it",
            )
        else:
            _cluster(report, cluster, *match)
    for cluster, path in clusters.values():
        message = f"cluster {cluster.name} is declared, but the estate has no such cluster"
        report.absent(path, cluster, message)
    hosts = _first_by_name((h, m.path) for m in described for h in m.hosts)
    for host in estate.hosts:
        found = hosts.pop(host.name.casefold(), None)
        if found is None:
            report.undescribed(
                report.first_path,
                Undescribed("host", host.name, None),
                f"standalone host {host.name} is in the estate ({_count(len(host.vms), 'VM')}), but no "
                "described file declares it",
            )
        else:
            _standalone(report, host, *found)
    for host, path in hosts.values():
        report.absent(
            path, host, f"standalone host {host.name} is declared, but the estate has no such standalone host"
        )
    return report.found


def _first_by_name(items: Iterable[tuple[N, str]]) -> dict[str, tuple[N, str]]:
    """Each object (with its file) by its case-folded name, the first declared winning (check reports
    the others as HV003)."""
    named: dict[str, tuple[N, str]] = {}
    for node, path in items:
        named.setdefault(node.name.casefold(), (node, path))
    return named


def _count(number: int, word: str) -> str:
    return f"{number} {word}" if number == 1 else f"{number} {word}s"


def _members(
    report: _Report,
    path: str,
    parent: Node,
    estate: Sequence[N],
    described: Sequence[N],
    same: Callable[[_Report, str, N, N], None],
) -> None:
    """The hosts or VMs of one described cluster or standalone host against the estate's."""
    ours = _first_by_name((node, path) for node in described)
    where = f"of {parent.block_kind} {parent.name}"
    for node in estate:
        match = ours.pop(node.name.casefold(), None)
        kind = node.block_kind
        if match is None:
            report.undescribed(
                path,
                Undescribed(kind, f"{parent.qualified_name}/{node.name}", parent),
                f"{kind} {node.name} {where} is in the estate, but no described file declares it",
            )
        else:
            same(report, path, node, match[0])
    for node, _ in ours.values():
        kind = node.block_kind
        message = f"{kind} {node.name} {where} is declared, but the estate has no such {kind}"
        report.absent(path, node, message)


def _cluster(report: _Report, estate: Cluster, ours: Cluster, path: str) -> None:
    _platform(report, path, estate, ours)
    theirs_networks = [n.name for n in estate.networks]
    our_networks = [n.name for n in ours.networks]
    if _name_set(theirs_networks) != _name_set(our_networks):
        report.differs(path, ours, None, "networks", _names(theirs_networks), _names(our_networks))
    theirs_csv = [s.path for s in estate.storage if s.kind == "csv"]
    our_csv = [s.path for s in ours.storage if s.kind == "csv"]
    if _path_list(theirs_csv, unique=True) != _path_list(our_csv, unique=True):
        report.differs(path, ours, None, "csv storage paths", _paths(theirs_csv), _paths(our_csv))
    _members(report, path, ours, estate.hosts, ours.hosts, _host)
    _members(report, path, ours, estate.vms, ours.vms, _vm)


def _standalone(report: _Report, estate: Host, ours: Host, path: str) -> None:
    _host(report, path, estate, ours)
    _platform(report, path, estate, ours)
    _members(report, path, ours, estate.vms, ours.vms, _vm)


def _platform(report: _Report, path: str, estate: Cluster | Host, ours: Cluster | Host) -> None:
    """The platform, when the import wrote one (it leaves out a platform no build tells)."""
    known = "platform" in estate.positions.key_spans
    if known and ours.valid("platform") and estate.platform != ours.platform:
        report.differs(path, ours, "platform", "platform", estate.platform, ours.platform)


def _host(report: _Report, path: str, estate: Host, ours: Host) -> None:
    if ours.valid("memory") and estate.memory != ours.memory:
        report.differs(path, ours, "memory", "memory", _size(estate.memory), _size(ours.memory))
    if ours.valid("processor") and estate.processor is not None and ours.processor is not None:
        detail = _processor_difference(estate.processor, ours.processor)
        if detail is not None:
            report.differs(
                path, ours, "processor", "processor", estate.processor.name, ours.processor.name, detail
            )
    if ours.valid("switches") and _name_set(estate.switches) != _name_set(ours.switches):
        report.differs(path, ours, "switches", "switches", _names(estate.switches), _names(ours.switches))
    if ours.cluster is not None and _written_by_either("networks", estate, ours) and ours.valid("networks"):
        theirs = [n.name for n in estate.networks]
        mine = [n.name for n in ours.networks]
        if _name_set(theirs) != _name_set(mine):
            report.differs(path, ours, "networks", "networks", _names(theirs), _names(mine))


def _processor_difference(estate: Processor, ours: Processor) -> str | None:
    """None when the two processors do not differ as drift compares them (vendor, and features unless the
    estate's are a stand-in's); else what differs, to follow the description's processor in the message."""
    if estate.vendor != ours.vendor:
        return f"; its vendor is {estate.vendor} in the estate, {ours.vendor} in the description"
    if estate.origin == "file" and estate.name.endswith(STAND_IN_SUFFIX):
        return None
    theirs, mine = estate.features - HOST_ONLY_FEATURES, ours.features - HOST_ONLY_FEATURES
    if theirs == mine:
        return None
    parts = []
    if theirs - mine:
        parts.append(f"only the estate's has {_flags(theirs - mine)}")
    if mine - theirs:
        parts.append(f"only the description's has {_flags(mine - theirs)}")
    return "; " + "; ".join(parts)


def _flags(flags: frozenset[str]) -> str:
    ordered = sorted(flags)
    shown = ", ".join(ordered[:LISTED])
    return shown if len(ordered) <= LISTED else f"{shown} and {len(ordered) - LISTED} more"


def _vm(report: _Report, path: str, estate: VM, ours: VM) -> None:
    host = estate.host.name.casefold() if estate.host is not None else ""

    def told(attribute: str) -> bool:
        return (host, estate.name.casefold(), attribute) not in report.untold

    _vm_memory(report, path, estate, ours, told)
    for attribute in ("state", "compatibility_mode"):
        theirs, mine = getattr(estate, attribute), getattr(ours, attribute)
        if told(attribute) and ours.valid(attribute) and theirs != mine:
            report.differs(path, ours, attribute, attribute, theirs, mine)
    if ours.valid("config_version") and _differ(estate.config_version, ours.config_version, float):
        theirs_version, our_version = str(estate.config_version), str(ours.config_version)
        report.differs(path, ours, "config_version", "config_version", theirs_version, our_version)
    if ours.valid("possible_owners") and _written_by_either("possible_owners", estate, ours):
        theirs_owners = [h.name for h in estate.possible_owners]
        our_owners = [h.name for h in ours.possible_owners]
        if _name_set(theirs_owners) != _name_set(our_owners):
            report.differs(
                path, ours, "possible_owners", "possible_owners", _names(theirs_owners), _names(our_owners)
            )
    lists = (
        ("disks", estate.disks, [*ours.disks, *(d.path for d in ours.disk_blocks)]),
        ("dvd", estate.dvd, ours.dvd),
    )
    for attribute, theirs_paths, our_paths in lists:
        if ours.valid(attribute) and _path_list(theirs_paths) != _path_list(our_paths):
            report.differs(path, ours, attribute, attribute, _paths(theirs_paths), _paths(our_paths))
    if ours.valid("config_path") and _differ(estate.config_path, ours.config_path, normalize):
        theirs_config, our_config = quoted(estate.config_path or ""), quoted(ours.config_path or "")
        report.differs(path, ours, "config_path", "config_path", theirs_config, our_config)
    if ours.valid("adapters") and _name_list(estate.adapters) != _name_list(ours.adapters):
        report.differs(path, ours, "adapters", "adapters", _names(estate.adapters), _names(ours.adapters))


def _vm_memory(report: _Report, path: str, estate: VM, ours: VM, told: Callable[[str], bool]) -> None:
    """A VM's memory as it stays put: whether it is dynamic, then the startup memory of a VM with dynamic
    memory on both sides (its assigned memory moves by the minute), or the memory of a VM with static
    memory on both. A VM dynamic on one side only is that one difference."""
    dynamic = told("dynamic_memory") and ours.valid("dynamic_memory")
    if dynamic and estate.dynamic_memory != ours.dynamic_memory:
        theirs, mine = str(estate.dynamic_memory).lower(), str(ours.dynamic_memory).lower()
        report.differs(path, ours, "dynamic_memory", "dynamic_memory", theirs, mine)
        return
    if estate.dynamic_memory and ours.dynamic_memory:
        written = "startup_memory" if "startup_memory" in ours.positions.key_spans else "memory"
        theirs_startup, our_startup = _startup(estate), _startup(ours)
        if told("startup_memory") and ours.valid(written) and theirs_startup != our_startup:
            shown = _size(theirs_startup), _size(our_startup)
            report.differs(path, ours, written, "startup_memory", *shown)
    elif not ours.dynamic_memory and ours.valid("memory") and estate.memory != ours.memory:
        report.differs(path, ours, "memory", "memory", _size(estate.memory), _size(ours.memory))


def _startup(vm: VM) -> float:
    """The memory the VM needs to start: its startup memory, else its memory."""
    return vm.startup_memory if vm.startup_memory is not None else vm.memory


def _differ(theirs: T | None, ours: T | None, key: Callable[[T], object]) -> bool:
    """Whether two values both sides know (neither is None) differ, compared by `key`."""
    return theirs is not None and ours is not None and key(theirs) != key(ours)


def _written_by_either(attribute: str, estate: Node, ours: Node) -> bool:
    """Whether either side wrote `attribute`: left out on both, it means every host (or network) there,
    which two clusters of different hosts do not make a difference of."""
    return attribute in estate.positions.key_spans or attribute in ours.positions.key_spans


def _name_set(names: Iterable[str]) -> set[str]:
    return {name.casefold() for name in names}


def _name_list(names: Iterable[str]) -> list[str]:
    return sorted(name.casefold() for name in names)


def _path_list(paths: Iterable[str], unique: bool = False) -> list[str]:
    keys = [normalize(path) for path in paths]
    return sorted(set(keys)) if unique else sorted(keys)


def _names(names: Iterable[str]) -> str:
    return "[" + ", ".join(quoted(name) for name in sorted(names, key=name_sort_key)) + "]"


def _paths(paths: Iterable[str]) -> str:
    return "[" + ", ".join(quoted(path) for path in sorted(paths, key=normalize)) + "]"


def _size(number: float) -> str:
    return size(round(number))
