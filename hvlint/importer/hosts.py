"""The hosts of an inventory that can be written (import.md §6.2, §6.4): names, memory, platform from
the build, vendor and signature, and the processor each names (Coreinfo, catalogue, or a stand-in)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from hvlint.importer import cpu
from hvlint.importer.inventory import Obj, Warnings
from hvlint.importer.layout import Attr, Block
from hvlint.importer.spelling import in_range, name_sort_key, quoted, writable

BUILDS = (
    (7600, "ws2008r2"),
    (9200, "ws2012"),
    (9600, "ws2012r2"),
    (14393, "ws2016"),
    (17763, "ws2019"),
    (20348, "ws2022"),
    (26100, "ws2025"),
)
_EXACT_BUILDS = {7601: "ws2008r2", **dict(BUILDS)}


def shown(name: str | None) -> str:
    """A name as a comment may show it: never one holding `hvlint:` or a character a comment cannot."""
    if name is None or not writable(name) or "hvlint:" in name.casefold():
        return "(name withheld)"
    return name


def platform_of(build: int | None, host: Obj, warnings: Warnings) -> str | None:
    """The Windows Server release of a build (import.md §6.4.1); None below 7600 or unknown."""
    if build is None or build < 7600:
        return None
    if build in _EXACT_BUILDS:
        return _EXACT_BUILDS[build]
    platform = [name for number, name in BUILDS if number < build][-1]
    note = ""
    if platform == "ws2022" and build > 20348:
        note = " (an Azure Stack HCI build: its CommonClusterFeatureSet draws HV406 on ws2022)"
    warnings.add(host["os"], "build", f"build {build} is no Windows Server release; read as {platform}{note}")
    return platform


@dataclass
class HostInfo:
    """A host that will be written, with what its processor and memory are."""

    obj: Obj
    name: str
    cluster: str | None
    memory: int
    platform: str | None
    vendor: str
    signature: cpu.Signature | None
    brand: str | None
    coreinfo: cpu.Coreinfo | None
    processor: str = ""
    switches: list[str] = field(default_factory=list)

    @cached_property
    def switch_lookup(self) -> tuple[dict[str, str], set[str]]:
        """The names of the host's switches that can be written, by id, and the folded names of the
        switches it is written with."""
        by_id = {s["id"]: s["name"] for s in self.obj["switches"] or [] if s["id"] and writable(s["name"])}
        return by_id, {name.casefold() for name in self.switches}


def host_info(host: Obj, warnings: Warnings) -> HostInfo | None:
    """What is written of a host, or None (with a warning) when it is skipped."""
    name = host["name"]
    if not writable(name):
        warnings.add(
            host, None, "skipped: its name cannot be written in .hvc (empty, or a control character)"
        )
        return None
    processors = host["processors"] or []
    first = processors[0] if processors else None
    coreinfo = cpu.read_coreinfo(host["coreinfo"]) if host["coreinfo"] else None
    caption = first["caption"] if first else None
    vendor = cpu.vendor_of(first["manufacturer"] if first else None, caption or "")
    if vendor is None and not (first and first["manufacturer"]) and coreinfo is not None:
        vendor = cpu.vendor_of(None, coreinfo.signature_line)
    if vendor is None:
        what = f'vendor "{first["manufacturer"]}"' if first and first["manufacturer"] else "an unknown vendor"
        warnings.add(host, None, f"skipped, with its VMs: its processor, of {what}, cannot be described")
        return None
    memory = next(
        (
            size
            for size in (host["installed_memory_bytes"], host["memory_capacity_bytes"])
            if size and size > 0
        ),
        None,
    )
    if memory is None or not in_range(memory):
        warnings.add(host, None, "skipped, with its VMs: its memory is unknown")
        return None
    signature = _signature(first, coreinfo)
    ids = {p["processor_id"] for p in processors if p["processor_id"]}
    if len(ids) > 1:
        warnings.add(host, "processors", "sockets report different processor ids; the first socket's is used")
    build = host["os"]["build"] if host["os"] else None
    switches: list[str] = []
    for switch in host["switches"] or []:
        if not writable(switch["name"]):
            warnings.add(switch, "name", "switch left out: its name cannot be written in .hvc")
        elif switch["name"].casefold() not in {s.casefold() for s in switches}:
            switches.append(switch["name"])
    return HostInfo(
        host,
        name,
        host["cluster"],
        memory,
        platform_of(build, host, warnings),
        vendor,
        signature,
        first["name"] if first else None,
        coreinfo,
        switches=switches,
    )


def _signature(first: Obj | None, coreinfo: cpu.Coreinfo | None) -> cpu.Signature | None:
    if first is not None:
        found = cpu.signature_of_id(first["processor_id"]) or cpu.signature_of_caption(first["caption"])
        if found:
            return found
    return cpu.signature_of_caption(coreinfo.signature_line) if coreinfo else None


def coreinfo_allowed(hosts: list[HostInfo], scope: Obj | None, warnings: Warnings) -> bool:
    """Whether the hosts of one cluster take their flags from Coreinfo: only when every one has it."""
    having = [host for host in hosts if host.coreinfo is not None]
    if having and len(having) < len(hosts):
        some = ", ".join(shown(host.name) for host in having)
        warnings.add(scope, None, f"Coreinfo output ignored: only some hosts have it ({some})")
        return False
    versions = {host.coreinfo.version for host in having if host.coreinfo}
    if len(versions) > 1:
        warnings.add(scope, None, "hosts ran different Coreinfo versions: " + ", ".join(sorted(versions)))
    return bool(having)


def assign_processors(groups: list[tuple[list[HostInfo], bool]], warnings: Warnings) -> list[Block]:
    """Gives every host its processor's name (groups: hosts, and whether they use Coreinfo) and returns
    the processor blocks to declare at the top level, by name."""
    from hvlint.language.catalogue import catalogue

    known = catalogue()
    by_flags: dict[tuple[str, cpu.Signature | None, frozenset[str]], list[HostInfo]] = {}
    stand_ins: dict[tuple[str, cpu.Signature | None], list[HostInfo]] = {}
    unknown_names: set[str] = set()
    for hosts, use_coreinfo in groups:
        for host in hosts:
            if use_coreinfo and host.coreinfo is not None:
                flags, unknown = cpu.linux_flags(host.coreinfo.present)
                unknown_names.update(unknown)
                signature = host.signature or cpu.signature_of_caption(host.coreinfo.signature_line)
                by_flags.setdefault((host.vendor, signature, flags), []).append(host)
                continue
            part = cpu.catalogue_part(host.vendor, host.signature)
            if part is not None:
                host.processor = part
            else:
                stand_ins.setdefault((host.vendor, host.signature), []).append(host)
    blocks: list[Block] = []
    numbered: dict[tuple[str, cpu.Signature | None], int] = {}
    ordered = sorted(by_flags.items(), key=lambda item: min(name_sort_key(h.name) for h in item[1]))
    for (vendor, signature, flags), hosts in ordered:
        base = _base_name(vendor, signature)
        numbered[(vendor, signature)] = numbered.get((vendor, signature), 0) + 1
        count = numbered[(vendor, signature)]
        name = _unique(base if count == 1 else f"{base}-{count}", known)
        hosts.sort(key=lambda h: name_sort_key(h.name))
        brand = shown(hosts[0].brand) if hosts[0].brand else "processor"
        note = f"{brand} ({', '.join(shown(h.name) for h in hosts)}): flags from Coreinfo"
        blocks.append(_processor(name, vendor, signature, sorted(flags), [note]))
        for host in hosts:
            host.processor = name
    for (vendor, signature), hosts in stand_ins.items():
        name = _unique(_base_name(vendor, signature) + "-baseline", known)
        hosts.sort(key=lambda h: name_sort_key(h.name))
        baseline = sorted(known[f"hyperv-minimum-{vendor}"].features)
        todo = (
            "TODO: features unknown: the vendor's baseline stands in; paste the host's flags "
            "(Coreinfo -f, or /proc/cpuinfo names)"
        )
        blocks.append(_processor(name, vendor, signature, baseline, [todo]))
        first = min(hosts, key=lambda h: h.obj.seq)
        names = ", ".join(shown(h.name) for h in hosts)
        warnings.add(
            first.obj,
            "processors",
            f'processor "{name}" of {names} is a stand-in: its features are the {vendor} baseline',
        )
        for host in hosts:
            host.processor = name
    if unknown_names:
        warnings.add(None, None, "Coreinfo names not mapped to flags: " + ", ".join(sorted(unknown_names)))
    return sorted(blocks, key=lambda b: name_sort_key(b.label))


def _base_name(vendor: str, signature: cpu.Signature | None) -> str:
    if signature is None:
        return f"{vendor}-unknown"
    return f"{vendor}-{signature[0]}-{signature[1]}-{signature[2]}"


def _unique(name: str, catalogue: Mapping[str, object]) -> str:
    return f"{name}-imported" if name.casefold() in catalogue else name


def _processor(
    name: str, vendor: str, signature: cpu.Signature | None, features: list[str], above: list[str]
) -> Block:
    attrs = [Attr("vendor", vendor)]
    if signature is not None:
        attrs += [Attr("family", str(signature[0])), Attr("model", str(signature[1]))]
    attrs.append(Attr("features", features))
    return Block("processor", quoted(name), list(attrs), above=above)
