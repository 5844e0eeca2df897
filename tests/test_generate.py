"""benchmarks/generate.py makes estates that hold their VMs, so the capacity rules do real placement work."""

from __future__ import annotations

import sys

from hvlint.capacity import free_memory, load, memory_for_vms
from hvlint.language.document import load as load_document
from tests.conftest import ROOT, lint

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import host_memory, inventory, to_hvc


def test_every_generated_host_runs_at_most_its_share_of_memory() -> None:
    model = load_document(to_hvc(inventory(8, 1200)), "estate.hvc").model
    hosts = model.clusters[0].hosts
    assert len(hosts) == 8
    for host in hosts:
        assert 0 < load(host) <= 0.8 * memory_for_vms(host)
        assert free_memory(host) > 0


def test_the_generated_estate_survives_a_failover_and_drains_every_host() -> None:
    codes = {finding.code for finding in lint(to_hvc(inventory(8, 1200)))}
    assert codes & {"HV601", "HV602", "HV603", "HV604"} == set()
    assert "HV402" in codes


def test_a_small_estate_keeps_the_memory_drawn_for_its_hosts() -> None:
    assert host_memory(384, 10 * 1024**3) == "384GiB"
    assert host_memory(256, 300 * 1024**3) == "512GiB"
    assert host_memory(256, 1e15) == "16384GiB"
