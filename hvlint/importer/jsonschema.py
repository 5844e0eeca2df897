"""The JSON Schema (draft 2020-12) of the collector's exact output, `hvlint-inventory/1`, made from the
same table the importer reads with (inventory.OBJECTS), so that the two cannot disagree."""

from __future__ import annotations

from typing import Any

from hvlint.importer.enums import ENUMS
from hvlint.importer.inventory import NULLABLE_REQUIRED, OBJECTS, SCHEMA_ID, Array, Object, Scalar, Type

GUID_PATTERN = r"^\{?[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\}?$"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$"


def _type(type_: Type) -> dict[str, Any]:
    if isinstance(type_, Object):
        return {"$ref": f"#/$defs/{type_.kind}"}
    if isinstance(type_, Array):
        return {"type": "array", "items": _type(type_.item)}
    if type_.type == "enum":
        assert type_.enum is not None
        return {"type": "string", "enum": list(ENUMS[type_.enum])}
    if type_.type == "guid":
        return {"type": "string", "pattern": GUID_PATTERN}
    if type_.type == "date":
        return {"type": "string", "pattern": DATE_PATTERN}
    if type_.type == "integer":
        return {"type": "integer", "minimum": -(2**63), "maximum": 2**63 - 1}
    return {"type": type_.type}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def _object(kind: str) -> dict[str, Any]:
    properties = {}
    required = []
    for member, (type_, is_required) in OBJECTS[kind].items():
        schema = _type(type_)
        if not is_required or (kind, member) in NULLABLE_REQUIRED:
            schema = _nullable(schema)
        if is_required:
            required.append(member)
        properties[member] = schema
    return {"type": "object", "properties": properties, "required": required}


def schema() -> dict[str, Any]:
    """The schema as a JSON value."""
    root = _object("document")
    root["properties"]["schema"] = {"const": SCHEMA_ID}
    root["properties"]["collector"] = {"$ref": "#/$defs/collector"}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://hvlint.invalid/schemas/hvlint-inventory-1.json",
        "title": SCHEMA_ID,
        "description": "The inventory that Export-HvlintInventory.ps1 writes and `hvlint import` reads.",
        **root,
        "$defs": {kind: _object(kind) for kind in OBJECTS if kind != "document"},
    }


__all__ = ["Scalar", "schema"]
