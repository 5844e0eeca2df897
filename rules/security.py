"""HV710-HV711: VM security that ties a VM to the hosts holding its keys (rules-v2.md §HV7xx): shielded
VMs and guarded hosts, and a vTPM's key protector."""

from __future__ import annotations

from collections.abc import Iterable

from hvlint.hookspecs import hookimpl
from hvlint.rule import Context, Rule, RuleFinding

from ._judged import agree, judged_vms, names


class ShieldedVMUnguardedHost(Rule):
    """A shielded VM has a possible owner that is not a guarded host.

    **What it checks.** Every `vm` with `shielded = true`, against every possible owner, its host
    included: each must be a guarded host (`guarded = true`). The finding points at `shielded`, once per
    VM, naming the hosts that are not.

    **Why it matters.** "Shielded VMs cannot be powered-on or live migrated to a Hyper-V host that has not
    yet attested or that failed attestation" to the Host Guardian Service.

    **How to fix it.** Make the host a guarded host (install the Host Guardian Hyper-V Support feature and
    attest it to the HGS) and write `guarded = true`, or remove it from `possible_owners`.

    **Example.**
    ```hvc
    host "HV01" { ...  guarded = true }
    host "HV02" { ... }                                      # not guarded
    vm "HR01" { host = HV01  memory = 8GiB  shielded = true }    # HV710
    ```
    passes with `guarded = true` on HV02 too.
    """

    code = "HV710"
    name = "shielded-vm-unguarded-host"
    severity = "error"
    summary = "a shielded VM has a possible owner that is not a guarded host"

    def check(self, ctx: Context) -> Iterable[RuleFinding]:
        for vm in judged_vms(ctx.model):
            if not vm.shielded or not vm.valid("shielded", "possible_owners"):
                continue
            unguarded = [owner for owner in vm.possible_owners if not owner.guarded]
            if not unguarded:
                continue
            verb = agree(unguarded, "is not a guarded host", "are not guarded hosts")
            message = (
                f"{vm.describe()} is shielded but {names(unguarded)} {verb}: a shielded VM cannot start "
                f"on or live-migrate to a host that has not attested to the Host Guardian Service"
            )
            yield ctx.finding(vm, message, at="shielded")


class VTPMGuardianMissing(Rule):
    """A possible owner of a VM with a virtual TPM lacks the guardian that protects its keys.

    **What it checks.** Every `vm` with `vtpm = true`, not shielded, that names its `key_protector` (a
    guardian label), against every possible owner, its host included: the owner's `guardians` must list
    the label (case-insensitive). The finding points at `key_protector`, once per VM. Without
    `key_protector` the VM is not judged.

    **Why it matters.** On a host in local mode, a vTPM's state is encrypted with a guardian's keys. A VM
    moved to a host that does not hold them fails to start ("the key protector could not be unwrapped").
    Only secondary sources document this, so it is a warning.

    **How to fix it.** Export the guardian (with its private key) from the VM's host and import it on the
    other owners (`Export-HgsGuardian`, `Import-HgsGuardian`), then list it in their `guardians`.

    **Example.**
    ```hvc
    host "HV01" { ...  guardians = ["HV01-local"] }
    host "HV02" { ...  guardians = ["HV02-local"] }
    vm "WIN11-07" { host = HV01  memory = 8GiB  vtpm = true  key_protector = "HV01-local" }   # HV711
    ```
    passes with `guardians = ["HV02-local", "HV01-local"]` on HV02.
    """

    code = "HV711"
    name = "vtpm-guardian-missing"
    severity = "warning"
    summary = "a possible owner of a vTPM VM lacks the guardian that protects its keys"

    def check(self, ctx: Context) -> Iterable[RuleFinding]:
        for vm in judged_vms(ctx.model):
            if not vm.vtpm or vm.shielded or vm.key_protector is None:
                continue
            if not vm.valid("vtpm", "shielded", "key_protector", "possible_owners"):
                continue
            wanted = vm.key_protector.casefold()
            lacking = [
                owner for owner in vm.possible_owners if all(g.casefold() != wanted for g in owner.guardians)
            ]
            if not lacking:
                continue
            verb = agree(lacking, "does not hold", "do not hold")
            message = (
                f"{vm.describe()} has a vTPM protected by guardian '{vm.key_protector}', which "
                f"{names(lacking)} {verb}: the VM cannot start on {names(lacking, 'or')} after a move"
            )
            yield ctx.finding(vm, message, at="key_protector")


@hookimpl
def hvlint_rules() -> list[type[Rule]]:
    """hvlint's VM security rules."""
    return [ShieldedVMUnguardedHost, VTPMGuardianMissing]
