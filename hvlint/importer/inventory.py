"""The inventory document, `hvlint-inventory/1` (import.md §3), and its reading: every member checked
against the schema, PowerShell's quirks (§5) undone, each value normalised or read as unknown."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Union

from hvlint.importer.enums import AMBIGUOUS_VM_STATE, enum_name
from hvlint.importer.jsonread import InventoryError

SCHEMA_ID = "hvlint-inventory/1"


@dataclass(frozen=True)
class Scalar:
    """A leaf of the schema: `string`, `integer`, `boolean`, `guid`, `date`, or `enum` of `enum`."""

    type: str
    enum: str | None = None


@dataclass(frozen=True)
class Object:
    """An object of the schema, by its kind (a key of OBJECTS)."""

    kind: str


@dataclass(frozen=True)
class Array:
    """An array of `item`."""

    item: Union[Scalar, Object]  # noqa: UP007 - a runtime annotation under Python 3.10


Type = Union[Scalar, Object, Array]  # noqa: UP007
STRING, INTEGER, BOOLEAN, GUID = Scalar("string"), Scalar("integer"), Scalar("boolean"), Scalar("guid")


def _enum(name: str) -> Scalar:
    return Scalar("enum", name)


def _objects(kind: str) -> Array:
    return Array(Object(kind))


OBJECTS: dict[str, dict[str, tuple[Type, bool]]] = {
    "document": {
        "schema": (STRING, True),
        "collector": (Object("collector"), True),
        "collected_at": (Scalar("date"), True),
        "collected_on": (STRING, False),
        "powershell_version": (STRING, True),
        "clusters": (_objects("cluster"), True),
        "hosts": (_objects("host"), True),
        "vms": (_objects("vm"), True),
        "errors": (_objects("error"), False),
    },
    "collector": {"name": (STRING, True), "version": (STRING, True)},
    "cluster": {
        "name": (STRING, True),
        "domain": (STRING, False),
        "functional_level": (INTEGER, False),
        "max_parallel_migrations": (INTEGER, False),
        "nodes": (_objects("node"), False),
        "networks": (_objects("network"), False),
        "network_interfaces": (_objects("network_interface"), False),
        "migration_exclude_networks": (Array(GUID), False),
        "migration_network_order": (Array(GUID), False),
        "shared_volumes": (_objects("shared_volume"), False),
        "vm_groups": (_objects("vm_group"), False),
    },
    "node": {"name": (STRING, True), "state": (_enum("ClusterNodeState"), False)},
    "network": {
        "name": (STRING, True),
        "id": (GUID, False),
        "role": (_enum("ClusterNetworkRole"), False),
        "metric": (INTEGER, False),
        "auto_metric": (BOOLEAN, False),
        "address": (STRING, False),
        "address_mask": (STRING, False),
        "ipv6_addresses": (Array(STRING), False),
        "ipv6_prefix_lengths": (Array(INTEGER), False),
    },
    "network_interface": {
        "node": (STRING, False),
        "network": (STRING, False),
        "adapter": (STRING, False),
        "address": (STRING, False),
    },
    "shared_volume": {
        "name": (STRING, False),
        "owner_node": (STRING, False),
        "paths": (Array(STRING), True),
    },
    "vm_group": {
        "name": (STRING, True),
        "vm_id": (GUID, False),
        "owner_node": (STRING, False),
        "state": (_enum("ClusterGroupState"), False),
        "preferred_owners": (Array(STRING), False),
        "possible_owners": (Array(STRING), False),
    },
    "host": {
        "name": (STRING, True),
        "cluster": (STRING, True),
        "os": (Object("os"), False),
        "installed_memory_bytes": (INTEGER, False),
        "memory_capacity_bytes": (INTEGER, False),
        "logical_processors": (INTEGER, False),
        "processors": (_objects("processor"), False),
        "coreinfo": (Array(STRING), False),
        "switches": (_objects("switch"), False),
        "management_adapters": (_objects("management_adapter"), False),
        "migration": (Object("migration"), False),
        "net_adapters": (_objects("net_adapter"), False),
        "ip_addresses": (_objects("ip_address"), False),
        "default_route_interfaces": (Array(INTEGER), False),
    },
    "os": {"build": (INTEGER, False), "version": (STRING, False), "caption": (STRING, False)},
    "processor": {
        "manufacturer": (STRING, False),
        "name": (STRING, False),
        "caption": (STRING, False),
        "processor_id": (STRING, False),
        "cores": (INTEGER, False),
        "logical_processors": (INTEGER, False),
    },
    "switch": {
        "name": (STRING, True),
        "id": (GUID, False),
        "type": (_enum("VMSwitchType"), False),
        "interface_descriptions": (Array(STRING), False),
        "embedded_teaming": (BOOLEAN, False),
    },
    "management_adapter": {
        "name": (STRING, False),
        "switch_name": (STRING, False),
        "mac_address": (STRING, False),
    },
    "migration": {
        "enabled": (BOOLEAN, False),
        "authentication": (_enum("MigrationAuthenticationType"), False),
        "performance": (_enum("VMMigrationPerformance"), False),
        "max_migrations": (INTEGER, False),
        "max_storage_migrations": (INTEGER, False),
        "use_any_network": (BOOLEAN, False),
        "networks": (_objects("migration_network"), False),
    },
    "migration_network": {"subnet": (STRING, False), "priority": (INTEGER, False)},
    "net_adapter": {
        "name": (STRING, False),
        "interface_description": (STRING, False),
        "interface_index": (INTEGER, False),
        "mac_address": (STRING, False),
        "speed_bps": (INTEGER, False),
        "virtual": (BOOLEAN, False),
    },
    "ip_address": {
        "interface_index": (INTEGER, False),
        "address": (STRING, False),
        "prefix_length": (INTEGER, False),
    },
    "vm": {
        "name": (STRING, True),
        "id": (GUID, False),
        "host": (STRING, True),
        "state": (_enum("VMState"), False),
        "memory_startup_bytes": (INTEGER, False),
        "memory_assigned_bytes": (INTEGER, False),
        "memory_minimum_bytes": (INTEGER, False),
        "memory_maximum_bytes": (INTEGER, False),
        "dynamic_memory": (BOOLEAN, False),
        "processor_count": (INTEGER, False),
        "compatibility_for_migration_enabled": (BOOLEAN, False),
        "compatibility_for_migration_mode": (_enum("CompatibilityForMigrationMode"), False),
        "configuration_version": (STRING, False),
        "generation": (INTEGER, False),
        "is_clustered": (BOOLEAN, False),
        "paths": (Object("vm_paths"), False),
        "checkpoint_type": (_enum("CheckpointType"), False),
        "disks": (_objects("disk"), False),
        "dvd_drives": (_objects("dvd_drive"), False),
        "network_adapters": (_objects("vm_network_adapter"), False),
    },
    "vm_paths": {
        "configuration": (STRING, False),
        "snapshots": (STRING, False),
        "smart_paging": (STRING, False),
    },
    "disk": {
        "path": (STRING, False),
        "controller_type": (_enum("ControllerType"), False),
        "controller_number": (INTEGER, False),
        "controller_location": (INTEGER, False),
        "disk_number": (INTEGER, False),
    },
    "dvd_drive": {
        "path": (STRING, False),
        "media_type": (_enum("DvdMediaType"), False),
        "controller_type": (_enum("ControllerType"), False),
        "controller_number": (INTEGER, False),
        "controller_location": (INTEGER, False),
    },
    "vm_network_adapter": {
        "name": (STRING, False),
        "switch_name": (STRING, False),
        "switch_id": (GUID, False),
        "connected": (BOOLEAN, False),
        "is_legacy": (BOOLEAN, False),
    },
    "error": {"scope": (STRING, False), "command": (STRING, False), "message": (STRING, False)},
}
"""Every object of §3 by kind: each member's type and whether it is required. `cluster` of a host is
required but may be null (a standalone host)."""

_PLAIN: dict[str, Any] = {"string": str, "integer": int, "boolean": bool}
_PLANS = {
    kind: [
        (member, type_, required, _PLAIN.get(type_.type) if isinstance(type_, Scalar) else None)
        for member, (type_, required) in members.items()
    ]
    for kind, members in OBJECTS.items()
}
"""Each kind's members, with the class of a value that is read as it is (a string, an integer in range,
a boolean), which most values are."""

NULLABLE_REQUIRED = {("host", "cluster")}
LABELLED = ("cluster", "host", "vm")


class Obj(dict):
    """An object of the document: every member of its kind, None where unknown; `path` is where it
    stands, `seq` its place in document order, `label` the named object it belongs to (`vm "SQL01"`)."""

    __slots__ = ("kind", "label", "path", "seq")

    def __init__(self, kind: str, path: str, seq: int, label: str) -> None:
        self.kind, self.path, self.seq, self.label = kind, path, seq, label

    def where(self, member: str | None = None) -> str:
        """The JSONPath-like place of the object, or of one of its members, with its label."""
        path = self.path if member is None else f"{self.path}.{member}"
        return f"{path} ({self.label})" if self.label else path


@dataclass
class Warnings:
    """The warnings of one import, each once per place, kept in document order."""

    items: list[tuple[tuple[int, int], str, str]] = field(default_factory=list)
    _seen: set[tuple[str, str]] = field(default_factory=set)
    untold: set[tuple[str, str, str]] = field(default_factory=set)
    """(host, VM, attribute), case-folded: a VM's attribute written as its default because the inventory did
    not tell its value (`hvlint drift` does not compare it)."""

    def add(self, obj: Obj | None, member: str | None, message: str) -> None:
        """Records `message` about `obj` (the document when None), or about one of its members."""
        where = obj.where(member) if obj is not None else "$"
        self.items.append(((obj.seq if obj is not None else 1 << 62, len(self.items)), where, message))

    def unreadable(self, obj: Obj, member: str, message: str) -> None:
        """Records that a member held a value that was read as unknown."""
        self._seen.add((obj.path, member))
        self.add(obj, member, message)

    def unknown(self, obj: Obj, member: str, message: str) -> None:
        """Records that an unknown member had consequences, unless its value was already reported."""
        if (obj.path, member) not in self._seen:
            self.add(obj, member, message)

    def was_unreadable(self, obj: Obj, member: str) -> bool:
        """Whether a member's value was read as unknown (and reported)."""
        return (obj.path, member) in self._seen

    def lines(self) -> list[str]:
        """`PATH: MESSAGE` for each warning, in document order."""
        return [f"{where}: {message}" for _, where, message in sorted(self.items)]


_MARKER = re.compile(
    r"(?:[A-Za-z_][A-Za-z0-9_]*\.)+[A-Za-z_][A-Za-z0-9_`]*(?:\[[^\]]*\])*|@\{.*\}", re.DOTALL
)
_GUID = re.compile(r"\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?")
_MS_DATE = re.compile(r"/Date\((-?\d+)(?:[+-]\d{4})?\)/")
_DIGITS = re.compile(r"-?[0-9]+")


def _kind_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "an array" if isinstance(value, list) else "an object"


def _truncated(path: str, marker: str) -> InventoryError:
    return InventoryError(
        f'{path}: depth-truncation marker "{marker}": the document was written by ConvertTo-Json with too '
        "small a -Depth; export it again with the collector (hvlint collect-script)"
    )


def _is_array_marker(text: str) -> bool:
    return bool(_MARKER.fullmatch(text)) and (text.endswith("[]") or text.startswith("System.Collections."))


class _Reader:
    def __init__(self, warnings: Warnings) -> None:
        self.warnings = warnings
        self.seq = 0

    def object(self, kind: str, value: Any, path: str, label: str) -> Obj:
        if not isinstance(value, dict):
            suffix = f" ({label})" if label else ""
            if isinstance(value, str) and _MARKER.fullmatch(value):
                raise _truncated(path + suffix, value)
            raise InventoryError(f"{path}{suffix}: expected an object, found {_kind_of(value)}")
        self.seq += 1
        if kind in LABELLED:
            name = value.get("name")
            if isinstance(name, dict):
                name = name.get("value")
            if isinstance(name, str):
                label = f'{kind} "{_display(name)}"'
        obj = Obj(kind, path, self.seq, label)
        for member, type_, required, plain in _PLANS[kind]:
            raw = value.get(member)
            if raw is None:
                if required and (kind, member) not in NULLABLE_REQUIRED:
                    suffix = f" ({obj.label})" if obj.label else ""
                    raise InventoryError(f"{obj.path}.{member}: required member missing{suffix}")
                obj[member] = None
            elif raw.__class__ is plain and (plain is not int or -(2**63) <= raw < 2**63):
                obj[member] = raw
            else:
                obj[member] = self.value(type_, raw, obj, member, required)
        return obj

    def value(self, type_: Type, raw: Any, obj: Obj, member: str, required: bool) -> Any:
        if isinstance(type_, Object):
            return self.object(type_.kind, raw, f"{obj.path}.{member}", obj.label)
        if isinstance(type_, Array):
            return self.array(type_, raw, obj, member, required)
        result = self.scalar(type_, raw, obj, member)
        if result is None and required:
            raise InventoryError(f"{obj.where(member)}: expected {_expected(type_)}, found {_kind_of(raw)}")
        return result

    def array(self, type_: Array, raw: Any, obj: Obj, member: str, required: bool) -> list[Any] | None:
        path = f"{obj.path}.{member}"
        if (isinstance(raw, dict) and "value" in raw and not isinstance(type_.item, Object)) or (
            isinstance(raw, dict) and isinstance(raw.get("value"), list) and "Count" in raw
        ):
            raw = raw["value"]
        if raw is None:
            return None
        items = type_.item
        if isinstance(raw, str):
            if (isinstance(items, Object) and _MARKER.fullmatch(raw)) or _is_array_marker(raw):
                raise _truncated(obj.where(member), raw)
            if isinstance(items, Object):
                raise InventoryError(f"{obj.where(member)}: expected an array, found a string")
        if not isinstance(raw, list):
            if isinstance(items, Object) and not isinstance(raw, dict):
                raise InventoryError(f"{obj.where(member)}: expected an array, found {_kind_of(raw)}")
            raw = [raw]
        if isinstance(items, Object):
            return [self.object(items.kind, item, f"{path}[{i}]", obj.label) for i, item in enumerate(raw)]
        result = []
        for i, item in enumerate(raw):
            value = self.scalar(items, item, obj, f"{member}[{i}]") if item is not None else None
            if value is not None:
                result.append(value)
        return result

    def scalar(self, type_: Scalar, raw: Any, obj: Obj, member: str) -> Any:
        if isinstance(raw, dict) and "value" in raw:
            raw = raw["value"]
            if raw is None:
                return None
        reader = getattr(self, "_" + type_.type)
        result = reader(raw, type_, obj, member)
        if result is None and raw is not None and type_.type not in ("enum", "date"):
            self.warnings.unreadable(
                obj, member, f"expected {_expected(type_)}, found {_shown(raw)}; read as unknown"
            )
        return result

    def _string(self, raw: Any, _: Scalar, obj: Obj, member: str) -> str | None:
        return raw if isinstance(raw, str) else None

    def _integer(self, raw: Any, _: Scalar, obj: Obj, member: str) -> int | None:
        if isinstance(raw, bool):
            return None
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        elif isinstance(raw, str) and _DIGITS.fullmatch(raw.strip()):
            raw = int(raw.strip())
        if isinstance(raw, int) and -(2**63) <= raw < 2**63:
            return raw
        return None

    def _boolean(self, raw: Any, _: Scalar, obj: Obj, member: str) -> bool | None:
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, str) and raw.casefold() in ("true", "false"):
            return raw.casefold() == "true"
        return None

    def _guid(self, raw: Any, _: Scalar, obj: Obj, member: str) -> str | None:
        match = _GUID.fullmatch(raw) if isinstance(raw, str) else None
        if match is None or raw.startswith("{") != raw.endswith("}"):
            return None
        return match.group(1).lower()

    def _enum(self, raw: Any, type_: Scalar, obj: Obj, member: str) -> str | None:
        assert type_.enum is not None
        if type_.enum == "VMState" and _is_int(raw) and raw >= AMBIGUOUS_VM_STATE:
            self.warnings.unreadable(
                obj,
                member,
                f"VMState {raw} means different states in different Hyper-V releases; written as running",
            )
            return "Running"
        name = enum_name(type_.enum, raw) if isinstance(raw, str) or _is_int(raw) else None
        if name is None:
            self.warnings.unreadable(obj, member, f"{_shown(raw)} is no {type_.enum}; read as unknown")
        return name

    def _date(self, raw: Any, _: Scalar, obj: Obj, member: str) -> str | None:
        moment = _date(raw) if isinstance(raw, str) else None
        if moment is None:
            raise InventoryError(
                f"{obj.where(member)}: {_shown(raw)} is not a date (ISO 8601, or \\/Date(ms)\\/)"
            )
        return moment


def _is_int(raw: Any) -> bool:
    return isinstance(raw, int) and not isinstance(raw, bool)


def _date(text: str) -> str | None:
    """`text` as ISO 8601 in UTC and whole seconds, from either of PowerShell's forms (Q7)."""
    match = _MS_DATE.fullmatch(text)
    try:
        if match:
            moment = datetime.fromtimestamp(int(match.group(1)) / 1000, tz=timezone.utc)
        else:
            if not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?", text):
                return None
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=timezone.utc)
    except (ValueError, OverflowError, OSError):
        return None
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _expected(type_: Scalar | Object | Array) -> str:
    if isinstance(type_, Scalar):
        return {"integer": "an integer", "boolean": "a boolean", "guid": "a GUID"}.get(type_.type, "a string")
    return "an array" if isinstance(type_, Array) else "an object"


def _shown(raw: Any) -> str:
    import json

    text = json.dumps(raw, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def _display(name: str) -> str:
    if name.isprintable() and '"' not in name and "\\" not in name:
        return name
    import json

    return json.dumps(name, ensure_ascii=False)[1:-1]


def read_inventory(value: Any, warnings: Warnings) -> Obj:
    """The document's root object, every member read by the schema (quirks undone, unknowns as None);
    an InventoryError for what §9.1 refuses."""
    if isinstance(value, list) and len(value) == 1 and isinstance(value[0], dict):
        value = value[0]
    if not isinstance(value, dict):
        raise InventoryError(f"$: expected an object, found {_kind_of(value)}")
    schema = value.get("schema")
    if isinstance(schema, dict):
        schema = schema.get("value")
    if schema is None:
        raise InventoryError(
            "$.schema: missing: this is not an hvlint inventory; make one with the script that "
            "hvlint collect-script prints"
        )
    if schema != SCHEMA_ID:
        raise InventoryError(
            f"$.schema: {_shown(schema)} is not supported: this hvlint reads {SCHEMA_ID}; use the collector "
            "it prints (hvlint collect-script)"
        )
    return _Reader(warnings).object("document", value, "$", "")
