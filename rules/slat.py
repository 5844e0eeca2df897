"""HV110: a ws2016 or later host whose processor lacks second-level address translation (rules-v2.md §E,
as corrected by §F 7 and 15(e)). The Hyper-V role from Windows Server 2016 on needs SLAT (Intel EPT, AMD
NPT/RVI), so such a host runs no VM at all."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from hvlint.hookspecs import hookimpl
from hvlint.language.catalogue import BASELINES, has_slat
from hvlint.language.model import Host, Model, Processor, platform_at_least
from hvlint.rule import Context, Rule, RuleFinding

SLAT_PLATFORM = "ws2016"
VIRTUALIZATION = {"amd": "svm", "intel": "vmx"}
SLAT_FLAGS = {"amd": "npt", "intel": "ept"}


def _hosts(model: Model) -> Iterator[Host]:
    for cluster in model.clusters:
        yield from cluster.hosts
    yield from model.hosts


def _platform_known(host: Host) -> bool:
    """Whether the host's effective platform is valid: its cluster's, or its own when standalone."""
    return host.cluster.valid("platform") if host.cluster is not None else host.valid("platform")


class ProcessorLacksSlat(Rule):
    """A host runs ws2016 or later on a processor without second-level address translation (SLAT).

    **What it checks.** Every host (in a cluster or standalone) whose platform is `ws2016` or later, and
    whose processor is known to lack SLAT:

    - a catalogue part without it (AMD Opteron Rev F, family 0x0f): an error;
    - a declared processor whose `family` and `model` say so (AMD before family 0x10; Intel before family 6
      model 26, Nehalem, or its Atom and Dunnington models 28, 29, 38, 39, 53 and 54): an error;
    - a declared processor without them (or an Intel one with only one of the two) whose `features` name
      `svm` or `vmx` but neither `npt` nor `ept`: a warning, since a list pasted from `/proc/cpuinfo` or
      typed from a tool often leaves the host's own flags out. A list with neither `svm` nor `vmx` is not
      judged.

    The finding is at the host's `processor` (or at the `features` of its inline processor block).

    **Why it matters.** From Windows Server 2016 on, the Hyper-V role installs only on processors with SLAT
    (Intel EPT, AMD NPT, which AMD also calls RVI): on such a host no VM runs, so none can live-migrate to
    it, and a cluster counting on it for failover has a node short.

    **How to fix it.** Replace the host's processor, or keep the host on `ws2012r2`, the last release whose
    Hyper-V runs without SLAT. If the processor does have SLAT, complete its `features` (add `npt` or
    `ept`) or give its `family` and `model`.

    **Example.**
    ```hvc
    cluster "HVC-LAB" {
      platform = ws2016
      host "LAB01" { processor = "amd-opteron-revf"  memory = 32GiB }   # HV110
    }
    ```
    passes:
    ```hvc
    cluster "HVC-LAB" {
      platform = ws2016
      host "LAB01" { processor = "amd-opteron-2300"  memory = 64GiB }
    }
    ```
    """

    code = "HV110"
    name = "processor-lacks-slat"
    severity = "error"
    summary = "a ws2016 or later host's processor lacks second-level address translation"

    def check(self, ctx: Context) -> Iterable[RuleFinding]:
        for host in _hosts(ctx.model):
            processor = host.processor
            if processor is None or not host.valid("processor") or not _platform_known(host):
                continue
            if not platform_at_least(host.platform, SLAT_PLATFORM) or processor.vendor not in BASELINES:
                continue
            if not processor.valid("vendor", "family", "model", "features"):
                continue
            named = processor.name if "processor" in host.positions.values else "its inline processor"
            verdict = self._verdict(processor, named)
            if verdict is not None:
                yield self._finding(ctx, host, processor, *verdict)

    @staticmethod
    def _verdict(processor: Processor, named: str) -> tuple[str, str | None] | None:
        """What the message says of the processor and the finding's severity (None: the rule's), or None
        when the processor has SLAT or cannot be judged."""
        vendor = processor.vendor
        known = has_slat(vendor, processor.family, processor.model)
        if known is not None:
            if known:
                return None
            model = f" model {processor.model}" if processor.model is not None and vendor == "intel" else ""
            return (
                f"but {named} (family 0x{processor.family:02x}{model}) has no {SLAT_FLAGS[vendor]}: no VM "
                f"can run on it; replace the processor or keep the host on ws2012r2",
                None,
            )
        if VIRTUALIZATION[vendor] not in processor.features or processor.features & set(SLAT_FLAGS.values()):
            return None
        flag = SLAT_FLAGS[vendor]
        return (
            f"and the features of {named} name {VIRTUALIZATION[vendor]} but not {flag}: if the processor "
            f"lacks SLAT no VM can run on it; if the list left out the host's own flags, add {flag} (or give "
            f"family and model)",
            "warning",
        )

    def _finding(
        self, ctx: Context, host: Host, processor: Processor, reason: str, severity: str | None
    ) -> RuleFinding:
        message = (
            f"host {host.qualified_name} runs {host.platform}, whose Hyper-V needs second-level address "
            f"translation (SLAT), {reason}"
        )
        if "processor" not in host.positions.values and "features" in processor.positions.values:
            return RuleFinding(host, processor.positions.of("features"), message, severity)
        return ctx.finding(host, message, at="processor", severity=severity)


@hookimpl
def hvlint_rules() -> list[type[Rule]]:
    """hvlint's HV110 rule: SLAT on ws2016 and later."""
    return [ProcessorLacksSlat]
