"""HV4xx: processors. Can a VM move between its possible owners given what their processors offer it?

A host's feature set is its processor's guest-visible features (`guest_features`: the flags less the
host-only ones). What a VM sees depends on its `compatibility_mode` (rules.md, HV4xx):

- `off`: the features of the host it started on;
- `minimum`: those that also belong to the vendor's baseline (`hyperv-minimum-amd` / `-intel`);
- `cluster` (ws2025): the features every host of its cluster has.

A VM can move from A to B when what it sees on A is a subset of B's features, and it is migratable when
that holds for every ordered pair of its possible owners. With `U` the union of what it sees on each owner
and `I` the intersection of the owners' features, that is `U <= I`: one pass over the owners, not one per
pair. Everything shared is computed once per `check` call: feature sets per processor, the baseline per
vendor, the common set per cluster, and the verdict per distinct set of possible owners and mode (a
cluster of 64 hosts whose 8,000 VMs all have the default owners is judged once, not 8,000 times).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from hvlint.hookspecs import hookimpl
from hvlint.language.catalogue import BASELINES, X86_64_BASELINE, catalogue, guest_features
from hvlint.language.model import VM, Cluster, Host, Model, Processor, platform_at_least
from hvlint.language.standalone import judged_vms
from hvlint.records import FrozenRecord
from hvlint.rule import Context, Rule, RuleFinding

CLUSTER_MODE_PLATFORM = "ws2025"
CLUSTER_MODE_CONFIG_VERSION = 10.0
VENDOR_NAMES = {"amd": "AMD", "intel": "Intel"}
MUST_BE_OFF = "(the VM must be off to change it)"


class _Move(FrozenRecord):
    """A move that fails: from `source` to `destination`, which lacks `lacking` (sorted)."""

    __match_args__ = ("source", "destination", "lacking")
    __slots__ = __match_args__
    source: Host
    destination: Host
    lacking: tuple[str, ...]

    def __init__(self, source: Host, destination: Host, lacking: tuple[str, ...]) -> None:
        self._assign(source, destination, lacking)

    def describe(self) -> str:
        return f"cannot move from {self.source.name} to {self.destination.name}"

    def lacks(self) -> str:
        return f"{self.destination.name} lacks {_first(self.lacking)}"

    def incomplete(self) -> str | None:
        """Why the destination's processor looks declared with an incomplete feature list (it lacks what
        every x86-64 processor has), or None."""
        missing = sorted(X86_64_BASELINE.intersection(self.lacking))
        if not missing:
            return None
        return (
            f"the feature list of {self.destination.name}'s processor{_named(self.destination)} looks "
            f"incomplete: it lacks {', '.join(missing)}, which every x86-64 processor has; complete its "
            f"features (the whole flags line of /proc/cpuinfo) or name its catalogue part, then choose a "
            f"compatibility mode"
        )


SHOWN_FEATURES = 8
"""How many missing features a message names before it counts the rest."""


def _first(features: Sequence[str]) -> str:
    """The features, or the first SHOWN_FEATURES and how many more (rules-v2.md §F 13)."""
    if len(features) <= SHOWN_FEATURES:
        return ", ".join(features)
    return f"{', '.join(features[:SHOWN_FEATURES])} and {len(features) - SHOWN_FEATURES} more"


class _Owners(FrozenRecord):
    """What the HV4 rules need to know about one set of possible owners: whether every owner's processor
    is known and valid (`usable`, else no HV4 rule judges the VM's processors), the vendor they share
    (None for a mix, HV401's alone, or when not usable), and whether all have the same feature set."""

    __match_args__ = ("usable", "vendor", "identical")
    __slots__ = __match_args__
    usable: bool
    vendor: str | None
    identical: bool

    def __init__(self, usable: bool, vendor: str | None, identical: bool) -> None:
        self._assign(usable, vendor, identical)


class _Processors:
    """The facts the HV4 rules share about one model, computed lazily and cached for one `check` call."""

    def __init__(self) -> None:
        self._features: dict[Processor, frozenset[str]] = {}
        self._baselines: dict[str, frozenset[str]] = {}
        self._common: dict[Cluster, frozenset[str]] = {}
        self._owners: dict[frozenset[Host], _Owners] = {}
        self._failing: dict[tuple[int, str], tuple[tuple[Host, ...], _Move | None]] = {}
        self._listed: dict[int, tuple[tuple[Host, ...], _Owners]] = {}

    # -- hosts and what VMs see on them ------------------------------------------------------------------

    @staticmethod
    def usable(host: Host) -> bool:
        """Whether the host's processor is known and valid, so that rules may judge it."""
        processor = host.processor
        return (
            processor is not None
            and host.valid("processor")
            and processor.valid("vendor", "features")
            and processor.vendor in BASELINES
        )

    def features(self, host: Host) -> frozenset[str]:
        """The host's feature set: what its processor offers a guest (host-only flags left out)."""
        processor = host.processor
        assert processor is not None
        found = self._features.get(processor)
        if found is None:
            found = self._features[processor] = guest_features(processor)
        return found

    def baseline(self, vendor: str) -> frozenset[str]:
        """The features processor compatibility keeps for the vendor's processors."""
        found = self._baselines.get(vendor)
        if found is None:
            found = self._baselines[vendor] = guest_features(catalogue()[BASELINES[vendor]])
        return found

    def common(self, cluster: Cluster) -> frozenset[str]:
        """The features every (judgeable) host of the cluster has: what `cluster` mode shows."""
        found = self._common.get(cluster)
        if found is None:
            sets = {self.features(host) for host in cluster.hosts if self.usable(host)}
            found = frozenset.intersection(*sets) if sets else frozenset()
            self._common[cluster] = found
        return found

    def seen(self, host: Host, mode: str, cluster: Cluster | None) -> frozenset[str]:
        """What a VM in `mode` sees when it starts on `host` (`cluster` mode needs the VM's cluster)."""
        if mode == "cluster":
            assert cluster is not None
            return self.common(cluster)
        features = self.features(host)
        if mode == "minimum":
            assert host.processor is not None
            return features & self.baseline(host.processor.vendor)
        return features

    # -- sets of possible owners -------------------------------------------------------------------------

    def owners(self, vm: VM) -> _Owners:
        """What the VM's possible owners share, computed once per distinct set of owners."""
        listed = self._listed.get(id(vm.possible_owners))
        if listed is not None and listed[0] is vm.possible_owners:
            return listed[1]
        key = frozenset(vm.possible_owners)
        found = self._owners.get(key)
        if found is None:
            found = self._owners[key] = self._judge_owners(key)
        self._listed[id(vm.possible_owners)] = (vm.possible_owners, found)
        return found

    def _judge_owners(self, owners: frozenset[Host]) -> _Owners:
        if not owners or not all(self.usable(host) for host in owners):
            return _Owners(False, None, False)
        vendors = {host.processor.vendor for host in owners if host.processor is not None}
        vendor = vendors.pop() if len(vendors) == 1 else None
        identical = len({self.features(host) for host in owners}) == 1
        return _Owners(True, vendor, identical)

    def failing_move(self, vm: VM, mode: str) -> _Move | None:
        """The first move between the VM's possible owners (in declaration order: source, then destination)
        that fails in `mode`, or None when it is migratable. Computed once per owner list and mode."""
        key = (id(vm.possible_owners), mode)
        known = self._failing.get(key)
        if known is not None and known[0] is vm.possible_owners:
            return known[1]
        found = self._first_failing(self._distinct(vm.possible_owners), mode, vm.cluster)
        self._failing[key] = (vm.possible_owners, found)
        return found

    def _distinct(self, owners: Sequence[Host]) -> list[Host]:
        """The first owner of each distinct feature set, in declaration order: what a VM sees, and what a
        host offers, depends on the feature set alone (the owners share a vendor), so the first failing
        move among these is the first among all owners."""
        chosen: dict[frozenset[str], Host] = {}
        for host in owners:
            chosen.setdefault(self.features(host), host)
        return list(chosen.values())

    def _first_failing(self, owners: list[Host], mode: str, cluster: Cluster | None) -> _Move | None:
        everywhere = frozenset.intersection(*(self.features(host) for host in owners))
        for source in owners:
            seen = self.seen(source, mode, cluster)
            if seen <= everywhere:
                continue
            for destination in owners:
                lacking = seen - self.features(destination)
                if lacking:
                    return _Move(source, destination, tuple(sorted(lacking)))
        return None


# -- what the rules share -----------------------------------------------------------------------------------


def _facts(ctx: Context) -> _Processors:
    """The processor facts of the file, shared by the HV4 rules."""
    return ctx.shared(("processors.facts",), _Processors)


def _cluster_vms(model: Model) -> Iterator[VM]:
    """The VMs in clusters."""
    for cluster in model.clusters:
        yield from cluster.vms


def _movable_vms(model: Model) -> Iterator[VM]:
    """The VMs HV402 to HV406 judge: those in clusters, then the movable standalone VMs of hosts of ws2012
    or later (rules-v2.md §A5; the others get HV104 alone, or cannot move)."""
    yield from _cluster_vms(model)
    yield from judged_vms(model)


def _scope(vm: VM) -> tuple[str, str]:
    """Where a VM's name is unique: its cluster, or its standalone host (to match it in a base revision)."""
    if vm.cluster is not None:
        return "cluster", vm.cluster.name.casefold()
    return "host", vm.host.name.casefold() if vm.host is not None else ""


STANDALONE_CLUSTER_MODE = (
    "the common cluster feature set needs a failover cluster; use minimum to move between standalone hosts"
)


def _cluster_mode_problem(vm: VM) -> tuple[str | None, bool]:
    """Why `compatibility_mode = cluster` cannot work for the VM (HV406), or None when it can or the VM's
    mode is another; and whether that is known (a platform or config_version in error may hide it)."""
    if not vm.valid("compatibility_mode"):
        return None, False
    if vm.compatibility_mode != "cluster":
        return None, True
    cluster = vm.cluster
    if cluster is None:
        return STANDALONE_CLUSTER_MODE, True
    platform_known, version_known = cluster.valid("platform"), vm.valid("config_version")
    old_platform = platform_known and not platform_at_least(cluster.platform, CLUSTER_MODE_PLATFORM)
    version = vm.config_version
    old_version = version_known and version is not None and version < CLUSTER_MODE_CONFIG_VERSION
    needed = f"config_version {CLUSTER_MODE_CONFIG_VERSION:.1f} or later"
    if old_platform and old_version:
        problem: str | None = (
            f"needs {CLUSTER_MODE_PLATFORM} and {needed}; cluster {cluster.name} is {cluster.platform} "
            f"and the VM's config_version is {_version(version)}"
        )
    elif old_platform:
        problem = f"needs {CLUSTER_MODE_PLATFORM}; cluster {cluster.name} is {cluster.platform}"
    elif old_version:
        problem = f"needs {needed}; the VM's config_version is {_version(version)}"
    else:
        problem = None
    return problem, problem is not None or (platform_known and version_known)


def _version(version: float | None) -> str:
    if version is None:
        return "not given"
    text = f"{version:.1f}"
    return text if float(text) == version else repr(version)


def _keeps_minimum(vm: VM) -> bool:
    """Whether the VM asks for `cluster` mode on a ws2025 cluster with a config_version below 10.0: it then
    keeps the fixed minimum set and still migrates (rules-v2.md §E), so HV406 is a warning."""
    return (
        vm.cluster is not None
        and vm.compatibility_mode == "cluster"
        and vm.valid("compatibility_mode", "config_version")
        and vm.cluster.valid("platform")
        and platform_at_least(vm.cluster.platform, CLUSTER_MODE_PLATFORM)
        and vm.config_version is not None
        and vm.config_version < CLUSTER_MODE_CONFIG_VERSION
    )


def _mode(vm: VM) -> str:
    """The mode the VM runs in: as written, except `minimum` where it keeps the minimum set."""
    return "minimum" if _keeps_minimum(vm) else vm.compatibility_mode


def _mode_judgeable(vm: VM) -> bool:
    """Whether the HV4 rules other than HV406 may judge the VM's mode: it is valid, and not `cluster`
    where HV406 reports an error (or cannot tell)."""
    problem, known = _cluster_mode_problem(vm)
    return known and (problem is None or _keeps_minimum(vm))


def _cluster_mode_available(vm: VM) -> bool:
    """Whether `compatibility_mode = cluster` would work for the VM (to suggest it)."""
    if vm.cluster is None:
        return False
    if not (vm.cluster.valid("platform") and vm.valid("config_version")):
        return False
    if not platform_at_least(vm.cluster.platform, CLUSTER_MODE_PLATFORM):
        return False
    return vm.config_version is None or vm.config_version >= CLUSTER_MODE_CONFIG_VERSION


def _judged_vms(model: Model, facts: _Processors, modes: Iterable[str]) -> Iterator[tuple[VM, _Owners]]:
    """The VMs in one of `modes` that HV402-HV405 judge: in a cluster, with valid host, owners and mode,
    every owner's processor known, and owners of one vendor (a mix is HV401's alone)."""
    wanted = frozenset(modes)
    for vm in _movable_vms(model):
        if _mode(vm) not in wanted or vm.host is None:
            continue
        if not vm.valid("compatibility_mode", "possible_owners", "host") or not _mode_judgeable(vm):
            continue
        owners = facts.owners(vm)
        if owners.usable and owners.vendor is not None:
            yield vm, owners


def _owners_text(vm: VM) -> str:
    """Why the VM's possible owners make its mode unneeded, in words."""
    owners = vm.possible_owners
    if len(owners) == 1:
        return f"its only possible owner is {owners[0].name}"
    if len(owners) <= 4:
        listed = f"its possible owners {', '.join(host.name for host in owners)}"
    else:
        listed = f"all {len(owners)} of its possible owners"
    return f"{listed} have identical processor features"


def _named(host: Host) -> str:
    """` (NAME)` for a host that names its processor; nothing for an inline processor block."""
    if host.processor is None or "processor" not in host.positions.values:
        return ""
    return f" ({host.processor.name})"


# -- the rules --------------------------------------------------------------------------------------------


class ProcessorVendorMismatch(Rule):
    """A cluster's hosts do not all have processors of the same vendor.

    **Why it matters.** A running VM keeps using the instructions of the processor it started on. AMD
    and Intel processors differ in far more than optional extensions (virtualization itself works
    differently), so Hyper-V never live-migrates a VM between them, and processor compatibility mode
    cannot help: it only hides features within one vendor's line. A VM can only be shut down and started
    again on the other vendor's host.

    hvlint takes the vendor of the cluster's first host as the cluster's and reports each host of another
    vendor, at its `processor`. A VM of a standalone host that may move to other standalone hosts is
    reported once, at its `possible_owners`, naming the hosts of a vendor other than its own host's. The
    VMs whose possible owners mix vendors get no HV402 to HV405: this is the problem to fix first.

    **How to fix it.** Give the cluster hosts of one vendor (move the odd hosts to a cluster of their
    own), or, if the hosts must stay, pin each VM to hosts of one vendor with `possible_owners`.

    **Example.**
    ```hvc
    host "HV01" { processor = "amd-opteron-2300"  memory = 64GiB }
    host "HV02" { processor = "intel-xeon-5500"   memory = 64GiB }   # HV401: Intel, HV01 is AMD
    ```
    passes:
    ```hvc
    host "HV01" { processor = "amd-opteron-2300"  memory = 64GiB }
    host "HV02" { processor = "amd-opteron-6100"  memory = 64GiB }
    ```
    """

    code = "HV401"
    name = "processor-vendor-mismatch"
    severity = "error"
    summary = "a cluster's hosts do not all share one processor vendor"

    def check(self, ctx: Context) -> Iterable[RuleFinding]:
        for cluster in ctx.model.clusters:
            hosts = [host for host in cluster.hosts if _Processors.usable(host)]
            if not hosts:
                continue
            first = hosts[0]
            assert first.processor is not None
            for host in hosts[1:]:
                processor = host.processor
                assert processor is not None
                if processor.vendor == first.processor.vendor:
                    continue
                message = (
                    f"host {host.qualified_name} has an {VENDOR_NAMES[processor.vendor]} processor"
                    f"{_named(host)} but the cluster's first host {first.name} has an "
                    f"{VENDOR_NAMES[first.processor.vendor]} one{_named(first)}: VMs cannot live-migrate "
                    f"between vendors, and no compatibility mode helps"
                )
                yield self._at_processor(ctx, host, processor, message)
        yield from self._standalone(ctx)

    @staticmethod
    def _standalone(ctx: Context) -> Iterator[RuleFinding]:
        """Each movable standalone VM whose possible owners mix vendors, at its `possible_owners` (§A5)."""
        for vm in judged_vms(ctx.model):
            host = vm.host
            if host is None or not all(_Processors.usable(owner) for owner in vm.possible_owners):
                continue
            assert host.processor is not None
            vendor = host.processor.vendor
            others = [
                owner for owner in vm.possible_owners if owner.processor and owner.processor.vendor != vendor
            ]
            if others:
                names = ", ".join(owner.name for owner in others)
                them = "it" if len(others) == 1 else "them"
                message = (
                    f"vm {vm.qualified_name} may move to {names}, whose processors are not "
                    f"{VENDOR_NAMES[vendor]} like those of its host {host.name}: VMs cannot live-migrate "
                    f"between vendors, and no compatibility mode helps; remove {them} from possible_owners"
                )
                yield ctx.finding(vm, message, at="possible_owners")

    @staticmethod
    def _at_processor(ctx: Context, host: Host, processor: Processor, message: str) -> RuleFinding:
        """At the host's `processor` value, or at the `vendor` of its inline processor block."""
        if "processor" in host.positions.values:
            return ctx.finding(host, message, at="processor")
        if processor.origin == "file" and "vendor" in processor.positions.values:
            return RuleFinding(host, processor.positions.of("vendor"), message)
        return ctx.finding(host, message)


class CompatibilityModeRequired(Rule):
    """A VM whose `compatibility_mode` is `off` cannot move between two of its possible owners, because
    their processors' features differ.

    **Why it matters.** With compatibility mode off, a VM sees every feature of the host it starts on,
    and a running program may use any of them (POPCNT, SSE4a, AVX...). Hyper-V refuses to live-migrate it
    to a host that lacks one of them, since the program would crash there: the migration fails, and a
    failover cluster cannot move the VM off a host being drained. hvlint checks every ordered pair of the
    VM's possible owners (the VM may start on any of them) and names the first pair that fails, and the
    features the destination lacks. Hosts whose processors differ only in flags about the host itself
    (`svm`, `npt`, `nodeid_msr`...) are identical to a guest: a VM moves between an Opteron 2300 and an
    Opteron 6100 without compatibility mode. VMs whose possible owners mix vendors are HV401's alone.

    **How to fix it.** Set `compatibility_mode = minimum`: the VM then sees only the vendor's baseline,
    which every host of that vendor has. Hyper-V changes the mode only while the VM is off, so plan a
    shutdown (HV403 catches a change made to a running VM). Or restrict `possible_owners` to hosts with the
    same features, or give the hosts matching processors.

    **Example.**
    ```hvc
    host "LAB01" { processor = "amd-opteron-revf"  memory = 32GiB }
    host "LAB02" { processor = "amd-opteron-2300"  memory = 64GiB }
    vm "BUILD01" { host = LAB02  memory = 8GiB }    # HV402: LAB01 lacks popcnt, sse4a...
    ```
    passes:
    ```hvc
    vm "BUILD01" { host = LAB02  memory = 8GiB  compatibility_mode = minimum }
    ```
    """

    code = "HV402"
    name = "compatibility-mode-required"
    severity = "error"
    summary = "a VM with compatibility mode off cannot move between two of its possible owners"

    def check(self, ctx: Context) -> Iterable[RuleFinding]:
        facts = _facts(ctx)
        for vm, owners in _judged_vms(ctx.model, facts, ("off",)):
            if owners.identical:
                continue
            move = facts.failing_move(vm, "off")
            if move is None:
                continue
            advice = move.incomplete() or self._advice(vm, facts)
            message = f"vm {vm.qualified_name} {move.describe()}: {move.lacks()}; {advice}"
            yield ctx.finding(vm, message)

    @staticmethod
    def _advice(vm: VM, facts: _Processors) -> str:
        """The mode that would let the VM move, or why none would."""
        with_minimum = facts.failing_move(vm, "minimum")
        if with_minimum is None:
            return f"set compatibility_mode = minimum {MUST_BE_OFF}"
        if _cluster_mode_available(vm):
            return f"set compatibility_mode = cluster {MUST_BE_OFF}"
        return (
            f"compatibility_mode = minimum would not help either: {with_minimum.destination.name} lacks "
            f"{_first(with_minimum.lacking)} of the baseline that {with_minimum.source.name} shows; "
            f"remove {with_minimum.destination.name} from possible_owners or replace its processor"
        )


class CompatibilityModeChangedWhileRunning(Rule):
    """Compared with the base revision (`--base REV`), a VM's `compatibility_mode` changed while the VM
    is not off, neither in the base revision nor now.

    **Why it matters.** Hyper-V changes processor compatibility only while the VM is off: the setting
    decides which CPUID features the guest was shown at boot, and a running (or saved, or paused) guest
    may already rely on them. Applying the new file to a running VM fails, or leaves the VM with the old
    mode, so the migrations the change was meant to allow still fail. The VM is found in the base
    revision by its cluster's and its own name (compared case-insensitively); a VM new in this revision,
    or a file with no base, is not judged.

    **How to fix it.** Shut the VM down for the change: set `state = off` in the same change, and start
    it again in a later one. Or keep the old mode.

    **Example.** At the base revision:
    ```hvc
    vm "SQL01" { host = HV01  memory = 16GiB }
    ```
    fails (HV403):
    ```hvc
    vm "SQL01" { host = HV01  memory = 16GiB  compatibility_mode = minimum }
    ```
    passes:
    ```hvc
    vm "SQL01" { host = HV01  memory = 16GiB  compatibility_mode = minimum  state = off }
    ```
    """

    code = "HV403"
    name = "compatibility-mode-changed-while-running"
    severity = "error"
    summary = "a VM's compatibility mode changed while the VM is not off"

    def check(self, ctx: Context) -> Iterable[RuleFinding]:
        if ctx.base is None:
            return
        before: dict[tuple[str, str], dict[str, VM]] = {}
        for vm in reversed([*_cluster_vms(ctx.base), *(vm for host in ctx.base.hosts for vm in host.vms)]):
            before.setdefault(_scope(vm), {})[vm.name.casefold()] = vm
        for vm in _movable_vms(ctx.model):
            old = before.get(_scope(vm), {}).get(vm.name.casefold())
            if old is None or not old.valid("compatibility_mode", "state"):
                continue
            if not vm.valid("compatibility_mode", "state") or not _mode_judgeable(vm):
                continue
            if old.compatibility_mode == vm.compatibility_mode or "off" in (old.state, vm.state):
                continue
            message = (
                f"compatibility_mode of vm {vm.qualified_name} changed from {old.compatibility_mode} to "
                f"{vm.compatibility_mode} while the VM is {vm.state} ({old.state} at the base revision); "
                f"Hyper-V changes the mode only while the VM is off: set state = off for the change"
            )
            yield ctx.finding(vm, message, at="compatibility_mode")


class CompatibilityModeUnneeded(Rule):
    """A VM uses `compatibility_mode = minimum` or `cluster`, but all its possible owners have identical
    processor features.

    **Why it matters.** Compatibility mode exists to let a VM move between hosts whose processors
    differ. When its possible owners are all alike it buys nothing and only hides features from the
    guest: with `minimum`, everything newer than the first x86-64 processors (SSSE3, SSE4, POPCNT, AES,
    AVX...), which costs speed in encryption, compression and databases. Flags that describe the host
    itself (`svm`, `npt`...) do not count: a 2300 and a 6100 Opteron are identical to a guest.

    **How to fix it.** Set `compatibility_mode = off` the next time the VM is off (Hyper-V changes it
    only then). If a host with another processor will join, keep the mode and ignore this finding.

    **Example.**
    ```hvc
    host "HV02" { processor = "amd-opteron-2300"  memory = 64GiB }
    host "HV03" { processor = "amd-opteron-6100"  memory = 128GiB }
    vm "WEB01" { host = HV02  memory = 4GiB  compatibility_mode = minimum }   # HV404
    ```
    passes:
    ```hvc
    vm "WEB01" { host = HV02  memory = 4GiB }
    ```
    """

    code = "HV404"
    name = "compatibility-mode-unneeded"
    severity = "info"
    summary = "a VM uses compatibility mode but all its possible owners have identical processor features"

    def check(self, ctx: Context) -> Iterable[RuleFinding]:
        facts = _facts(ctx)
        for vm, owners in _judged_vms(ctx.model, facts, ("minimum", "cluster")):
            if not owners.identical:
                continue
            message = (
                f"vm {vm.qualified_name} does not need compatibility_mode = {vm.compatibility_mode}: "
                f"{_owners_text(vm)}, so the mode only hides features from it; "
                f"set compatibility_mode = off {MUST_BE_OFF}"
            )
            yield ctx.finding(vm, message, at="compatibility_mode")


class CompatibilityModeInsufficient(Rule):
    """Even with its `compatibility_mode`, a VM cannot move between two of its possible owners.

    **Why it matters.** `minimum` shows the VM the features of the host it starts on that belong to the
    vendor's baseline (`hyperv-minimum-amd` or `hyperv-minimum-intel`: the common x86-64 set). A host
    whose processor lacks a baseline feature that another host shows (an early Opteron without `cx16`
    or `lahf_lm`, or a processor declared with a flag missing) still cannot receive the VM: the
    migration fails although the mode is set. (`cluster` mode shows only what every host of the cluster
    has, so it does not fail this way.) Messages name the first eight missing features and count the rest;
    when the host lacks what every x86-64 processor has (`lm`, `sse2`, `cmov`...), its processor was declared
    with an incomplete list, and the message (HV402's too) says so instead of blaming the mode.

    **How to fix it.** Remove the host from the VM's `possible_owners`, replace its processor, or check
    that its `features` list is complete (`hvlint processors` shows the catalogue's).

    **Example.**
    ```hvc
    processor "opteron-partial" { vendor = amd  features = [fpu, sse, sse2, mmx, fxsr, lm, nx] }
    host "OLD01" { processor = "opteron-partial"   memory = 16GiB }
    host "HV01"  { processor = "amd-opteron-revf"  memory = 32GiB }
    host "HV02"  { processor = "amd-opteron-2300"  memory = 64GiB }
    vm "WEB01" { host = HV02  memory = 4GiB  compatibility_mode = minimum }   # HV405
    ```
    passes:
    ```hvc
    vm "WEB01" { host = HV02  memory = 4GiB  compatibility_mode = minimum  possible_owners = [HV01, HV02] }
    ```
    """

    code = "HV405"
    name = "compatibility-mode-insufficient"
    severity = "error"
    summary = "even with its compatibility mode, a VM cannot move between two of its possible owners"

    def check(self, ctx: Context) -> Iterable[RuleFinding]:
        facts = _facts(ctx)
        for vm, owners in _judged_vms(ctx.model, facts, ("minimum", "cluster")):
            if owners.identical:
                continue
            move = facts.failing_move(vm, _mode(vm))
            if move is None:
                continue
            advice = move.incomplete() or (
                f"remove {move.destination.name} from its possible_owners or give it a processor with these "
                f"features"
            )
            kept = " (kept at minimum: its config_version is below 10.0)" if _keeps_minimum(vm) else ""
            message = (
                f"vm {vm.qualified_name} {move.describe()} even with compatibility_mode = "
                f"{vm.compatibility_mode}{kept}: {move.lacks()}, which the mode keeps; {advice}"
            )
            yield ctx.finding(vm, message)


class CompatibilitySetUnsupported(Rule):
    """A VM uses `compatibility_mode = cluster` where Hyper-V does not offer it: on a platform before
    ws2025, or with a `config_version` below 10.0.

    **Why it matters.** The cluster-wide processor compatibility set (the features every node of the
    cluster has) arrived with Windows Server 2025 and needs VM configuration version 10.0 or later. An
    earlier cluster, or an older VM, cannot apply it, so the VM does not get the protection the file
    claims, and its live migrations between different processors fail. No other HV4 rule judges the
    VM's mode until this is fixed. On a ws2025 cluster, a VM whose `config_version` is below 10.0 does
    not get the dynamic set but keeps the fixed minimum one, so it still migrates: that is a warning, and
    the other HV4 rules judge the VM as `minimum`.

    A VM of a standalone host that may move to other standalone hosts gets a warning: Microsoft describes
    the set as computed across the nodes of a cluster and gives `minimum` for moves to hosts outside it,
    but what Hyper-V does with `cluster` on a standalone host is unverified.

    **How to fix it.** Use `compatibility_mode = minimum` (every platform supports it), or upgrade the
    cluster to ws2025 and the VM's configuration version to 10.0 or later (`Update-VMVersion`, with the
    VM off).

    **Example.**
    ```hvc
    cluster "HVC-PROD" {
      platform = ws2022
      failover_clustering = true
      network "LM" { roles = [live_migration]  bandwidth = 10Gbps }
      host "HV01" { processor = "intel-xeon-e5-2600"  memory = 256GiB }
      host "HV02" { processor = "intel-xeon-scalable"  memory = 256GiB }
      vm "SQL01" { host = HV01  memory = 16GiB  compatibility_mode = cluster }   # HV406
    }
    ```
    passes:
    ```hvc
    cluster "HVC-PROD" {
      platform = ws2025
      failover_clustering = true
      network "LM" { roles = [live_migration]  bandwidth = 10Gbps }
      host "HV01" { processor = "intel-xeon-e5-2600"  memory = 256GiB }
      host "HV02" { processor = "intel-xeon-scalable"  memory = 256GiB }
      vm "SQL01" { host = HV01  memory = 16GiB  compatibility_mode = cluster  config_version = 12.0 }
    }
    ```
    """

    code = "HV406"
    name = "compatibility-set-unsupported"
    severity = "error"
    severity_note = (
        "error, or warning on ws2025 with a config_version below 10.0 (the VM keeps minimum) and for a VM "
        "that moves between standalone hosts"
    )
    summary = "compatibility_mode = cluster before ws2025 or with a config_version below 10.0"

    def check(self, ctx: Context) -> Iterable[RuleFinding]:
        for vm in _movable_vms(ctx.model):
            problem, _ = _cluster_mode_problem(vm)
            if problem is None:
                continue
            if vm.cluster is None:
                message = f"compatibility_mode = cluster of vm {vm.qualified_name}: {problem}"
                yield ctx.finding(vm, message, at="compatibility_mode", severity="warning")
                continue
            if _keeps_minimum(vm):
                message = (
                    f"compatibility_mode = cluster of vm {vm.qualified_name} {problem}, so the VM keeps the "
                    f"minimum feature set (it still migrates); update its configuration version to 10.0 or "
                    f"later (Update-VMVersion, with the VM off) or set compatibility_mode = minimum"
                )
                yield ctx.finding(vm, message, at="compatibility_mode", severity="warning")
                continue
            message = (
                f"compatibility_mode = cluster of vm {vm.qualified_name} {problem}; "
                f"use compatibility_mode = minimum"
            )
            yield ctx.finding(vm, message, at="compatibility_mode")


@hookimpl
def hvlint_rules() -> list[type[Rule]]:
    """hvlint's HV4xx rules: processors and compatibility mode."""
    return [
        ProcessorVendorMismatch,
        CompatibilityModeRequired,
        CompatibilityModeChangedWhileRunning,
        CompatibilityModeUnneeded,
        CompatibilityModeInsufficient,
        CompatibilitySetUnsupported,
    ]
