"""A host's `processor` written as Windows names it: the `Caption` of `Win32_Processor`, which `systeminfo`
and the `PROCESSOR_IDENTIFIER` variable print too ("Intel64 Family 6 Model 85 Stepping 7", "AMD64 Family 25
Model 1 Stepping 1, AuthenticAMD"). It names the catalogue part of that vendor, family and model."""

from __future__ import annotations

import re
from collections.abc import Mapping

from hvlint.language.catalogue import real_parts
from hvlint.language.model import Processor
from hvlint.lean_typing import NamedTuple
from hvlint.regex import compiled

_CAPTION = compiled(
    r"\s*(?P<arch>Intel64|EM64T|AMD64|x86|x64)\s+Family\s+(?P<family>\d+)\s+Model\s+(?P<model>\d+)"
    r"(?:\s+Stepping\s+(?P<stepping>\d+))?\s*(?:,\s*(?P<vendor_id>GenuineIntel|AuthenticAMD)\s*)?",
    re.IGNORECASE,
)

VENDOR_IDS = {
    "genuineintel": "intel",
    "authenticamd": "amd",
    "intel64": "intel",
    "em64t": "intel",
    "amd64": "amd",
}

STEPPINGS: dict[str, tuple[str, range]] = {
    "intel-xeon-scalable": ("Skylake-SP", range(0, 5)),
    "intel-xeon-scalable-2": ("Cascade Lake", range(5, 8)),
}
"""How the catalogue's parts that share a family and model differ: by stepping (Intel's specification
updates: Skylake-SP is stepping 4 and earlier, Cascade Lake 5 to 7, both family 6 model 85)."""


class CaptionMatch(NamedTuple):
    """What a Windows caption names: the catalogue part, or why it names none (HV004's message)."""

    processor: Processor | None
    problem: str | None = None


def match_caption(text: str | None, visible: Mapping[str, Processor], subject: str) -> CaptionMatch | None:
    """The catalogue part a host's `processor` names as a Windows caption, or why it names none; None when
    `text` is not such a caption or is the name of a processor in scope (`visible`, by case-folded name)."""
    if text is None or text.casefold() in visible:
        return None
    found = _CAPTION.fullmatch(text)
    if found is None:
        return None
    vendor = VENDOR_IDS.get((found["vendor_id"] or found["arch"]).lower())
    family, model = int(found["family"]), int(found["model"])
    stepping = int(found["stepping"]) if found["stepping"] is not None else None
    said = f'processor = "{text.strip()}" of {subject}'
    if vendor is None:
        return CaptionMatch(None, f"{said} does not say the vendor: add `, GenuineIntel` or `, AuthenticAMD`")
    parts = [p for p in real_parts() if (p.vendor, p.family, p.model) == (vendor, family, model)]
    if len(parts) == 1:
        return CaptionMatch(parts[0])
    described = f"{vendor_name(vendor)} family {family} model {model}"
    if not parts:
        return CaptionMatch(
            None,
            f"{said}: no catalogue part is {described}; declare the processor in a processor block "
            f"(`hvlint processors` lists the catalogue)",
        )
    return CaptionMatch(None, f"{said} is ambiguous: {_choices(parts, described, stepping)}")


def vendor_name(vendor: str) -> str:
    """`AMD` or `Intel`."""
    return "AMD" if vendor == "amd" else "Intel"


def _choices(parts: list[Processor], described: str, stepping: int | None) -> str:
    """Which parts share the family and model, and which one the stepping picks."""
    listed = ", ".join(f"{p.name} ({_steppings(p.name)})" for p in parts)
    text = f"{listed} are all {described}"
    chosen = [p for p in parts if p.name in STEPPINGS and stepping in STEPPINGS[p.name][1]]
    if stepping is not None and len(chosen) == 1:
        return f'{text}; stepping {stepping} is {chosen[0].name}: write processor = "{chosen[0].name}"'
    return f"{text}; choose by the stepping Windows prints after the model, and write that part's name"


def _steppings(name: str) -> str:
    known = STEPPINGS.get(name)
    if known is None:
        return "stepping not known"
    generation, steppings = known
    return f"{generation}, steppings {steppings.start} to {steppings.stop - 1}"
