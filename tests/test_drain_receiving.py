"""HV604's drains read whether a group of destinations receives a VM from a limit per group (issue 19's
row of the version 2 attributes): the limits against asking HV601 of the group's roomiest destination other
than the drained host, for every VM and drain of the benchmark's estate with the version 2 attributes and of a
cluster tight in memory."""

from __future__ import annotations

import sys

import pytest

from hvlint.capacity import move_need
from hvlint.estimator.links import Links
from hvlint.estimator.placed_drain import DrainDestinations, receiving_limits
from hvlint.language.document import load
from hvlint.move_blockers import MoveBlockers
from tests.conftest import ROOT
from tests.test_capacity_fast_path import cluster_text

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import inventory, to_hvc

TIGHT = cluster_text([16, 64, 8, 24], [(i % 4, 4 + 7 * i % 40, "S", i % 16, i % 3 > 0) for i in range(40)])
"""A cluster whose VMs HV601 keeps from some hosts for memory."""


@pytest.mark.parametrize("hv601", [True, False])
@pytest.mark.parametrize("text", [to_hvc(inventory(6, 240, v2=True)), TIGHT], ids=["v2-estate", "tight"])
def test_limits_select_the_groups_hv601_allows(hv601: bool, text: str) -> None:
    model = load(text, "c.hvc").model
    blockers = MoveBlockers(lambda code: hv601 or code != "HV601")
    destinations = DrainDestinations(Links(), blockers)
    received = too_small = 0
    for host in model.all_hosts():
        for vm in model.all_vms():
            groups = blockers.open_kinds(vm, destinations.of(host, vm).groups)
            need = move_need(vm)
            fast = [
                g
                for g, limit in receiving_limits(groups, host, blockers)
                if limit is not None and not need > limit
            ]
            slow = [
                g
                for g in groups
                if (others := [d for d in g.roomiest if d is not host][:1])
                and not blockers.too_small(vm, others[0])
            ]
            assert fast == slow
            received += len(fast)
            too_small += sum(1 for g in groups if any(blockers.too_small(vm, d) for d in g.roomiest))
    assert received > 0
    assert (too_small > 0) == (hv601 and text is TIGHT)
