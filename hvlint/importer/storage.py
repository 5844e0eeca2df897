"""A cluster's storage (import.md §6.5): CSVs from its shared volumes, one SMB storage per share, and a
local storage per drive root that one host alone uses."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from hvlint.importer.layout import Attr, Block, Item
from hvlint.importer.spelling import below, name_sort_key, path_key, quoted, windows_path, writable

_UNC = re.compile(r"\\\\([^\\?.][^\\]*)\\([^\\]+)")
_DRIVE = re.compile(r"([A-Za-z]):(?:\\|$)")


def place(path: str, csv_roots: list[str]) -> tuple[str, str] | None:
    """Where a path lies: ("csv", root), ("smb", `\\\\SERVER\\SHARE`), ("local", drive letter), or None
    for a form no storage can hold."""
    return Places(csv_roots).of(path)


class Places:
    """Where the paths of one cluster lie (`place`), for its CSV roots: each root's key is made once, and
    each distinct path placed once."""

    def __init__(self, csv_roots: list[str]) -> None:
        self.roots = csv_roots
        self._roots = [(root, key, below(key)) for root in csv_roots for key in (path_key(root),)]
        self._known: dict[str, tuple[str, str] | None] = {}

    def of(self, path: str) -> tuple[str, str] | None:
        """Where `path` lies (see `place`)."""
        if path in self._known:
            return self._known[path]
        where = self._known[path] = self._place(path)
        return where

    def holds(self, path: str) -> bool:
        """Whether some storage can hold `path`."""
        return self.of(path) is not None

    def shared(self, path: str) -> bool:
        """Whether `path` lies on a CSV or an SMB share."""
        return (self.of(path) or ("",))[0] in ("csv", "smb")

    def _place(self, path: str) -> tuple[str, str] | None:
        path = windows_path(path)
        key = path_key(path)
        for root, root_key, prefix in self._roots:
            if key == root_key or key.startswith(prefix):
                return "csv", root
        unc = _UNC.match(path)
        if unc:
            return "smb", f"\\\\{unc.group(1)}\\{unc.group(2)}"
        drive = _DRIVE.match(path)
        if drive:
            return "local", drive.group(1).upper()
        return None


@dataclass
class StoragePlan:
    """What a cluster's storage blocks are, and the comments the cluster gets for roots not declared."""

    blocks: list[Block] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    undeclared: list[tuple[str, list[str]]] = field(default_factory=list)


def csv_roots(shared_volumes: list[object] | None) -> list[str]:
    """Every writable path of the cluster's shared volumes."""
    roots = []
    for volume in shared_volumes or []:
        for path in volume["paths"] or []:  # type: ignore[index]
            if writable(path) and place(path, []) is not None:
                roots.append(windows_path(path))
    return roots


def plan_storage(places: Places, used: list[tuple[str, str]], shown: dict[str, str]) -> StoragePlan:
    """The storage blocks for the csv roots of `places` and for the paths VMs use, (host name, path)
    each."""
    named: list[tuple[str, str, list[Attr]]] = []
    seen_roots: set[str] = set()
    for root in places.roots:
        if path_key(root) in seen_roots:
            continue
        seen_roots.add(path_key(root))
        last = root.rstrip("\\").split("\\")[-1] or root
        named.append((last, root, [Attr("kind", "csv"), Attr("path", quoted(root))]))
    shares: dict[str, str] = {}
    drives: dict[str, dict[str, str]] = {}
    for host, path in used:
        where = places.of(path)
        if where is None or where[0] == "csv":
            continue
        if where[0] == "smb":
            key = where[1].casefold()
            shares[key] = min(shares.get(key, where[1]), where[1])
        else:
            drives.setdefault(where[1], {})[host.casefold()] = host
    for share in shares.values():
        server, name = share[2:].split("\\", 1)
        named.append((f"{server}-{name}", share, [Attr("kind", "smb"), Attr("path", quoted(share))]))
    plan = StoragePlan()
    for drive, hosts in sorted(drives.items()):
        root = f"{drive}:\\"
        if len(hosts) == 1:
            (host,) = hosts.values()
            attrs = [Attr("kind", "local"), Attr("path", quoted(root)), Attr("hosts", [quoted(host)])]
            named.append((f"{host}-{drive}", root, attrs))
        else:
            names = sorted(hosts.values(), key=name_sort_key)
            plan.undeclared.append((root, names))
            plan.comments.append(
                f"local {root} of {', '.join(shown[h.casefold()] for h in names)} not declared: language v1 "
                "cannot tell one path on two hosts apart"
            )
    taken: dict[str, int] = {}
    for name, _, attrs in sorted(named, key=lambda item: path_key(item[1])):
        count = taken.get(name.casefold(), 0) + 1
        taken[name.casefold()] = count
        label = name if count == 1 else f"{name}-{count}"
        while count > 1 and label.casefold() in taken:
            count += 1
            label = f"{name}-{count}"
        taken.setdefault(label.casefold(), 1)
        plan.blocks.append(Block("storage", quoted(label), list[Item](attrs), one_line=True))
    plan.blocks.sort(key=lambda b: name_sort_key(b.label[1:-1]))
    return plan
