"""Cost that grows with hosts and files: links computed linearly in hosts, with the same destinations as
pair by pair, and `hvlint estimate` parsing each file once and estimating each VM once (issue 19).

Counters, not timers: the machine is shared, and a count says what a time only suggests."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import hvlint.estimator.estimates as estimator_estimates
import hvlint.estimator.links as estimator_links
import hvlint.language.document as language_document
from hvlint.cli import main
from hvlint.estimator import Links, Parameters, estimate_model
from hvlint.estimator.links import NoEstimate
from hvlint.language.document import load
from hvlint.language.model import Host, Model
from tests.conftest import lint

precopy_rules = importlib.import_module("hvlint.rules.precopy")

VMS = 200


def estate(hosts: int, vms: int = VMS) -> str:
    """A cluster of `hosts` hosts: every host on a 1Gbps live-migration network, every other host also on
    a 10Gbps one, every fifth on a management network only; `vms` VMs spread over the hosts."""
    networks = [
        'network "Fast" { roles = [live_migration]; bandwidth = 10Gbps }',
        'network "Slow" { roles = [live_migration]; bandwidth = 1Gbps }',
        'network "Mgmt" { roles = [management]; bandwidth = 1Gbps }',
    ]
    lines = [f"  {network}" for network in networks]
    for index in range(hosts):
        nets = "[Mgmt]" if index % 5 == 4 else ("[Fast, Slow]" if index % 2 else "[Slow, Mgmt]")
        lines.append(
            f'  host "H{index:04d}" {{ processor = "amd-opteron-2300"; memory = 1TiB; networks = {nets} }}'
        )
    for index in range(vms):
        lines.append(
            f'  vm "V{index:04d}" {{ host = H{index * 7 % hosts:04d}; memory = {1 + index % 7}GiB; '
            f"dirty_rate = {index % 50}MB/s }}"
        )
    return 'cluster "C" {\n' + "\n".join(lines) + "\n}\n"


def count_link_computations(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A counter of links computed: one per host of each row of links, one per pair judged alone."""
    counted = [0]
    real_row, real_pair = estimator_links.link_row, estimator_links._fastest_shared

    def row(*args: Any) -> dict[Host, float]:
        found = real_row(*args)
        counted[0] += len(found)
        return found

    def pair(source: Host, destination: Host) -> float | None:
        counted[0] += 1
        return real_pair(source, destination)

    monkeypatch.setattr(estimator_links, "link_row", row)
    monkeypatch.setattr(estimator_links, "_fastest_shared", pair)
    return counted


def test_links_computed_grow_linearly_with_hosts(monkeypatch: pytest.MonkeyPatch) -> None:
    counted = count_link_computations(monkeypatch)
    counts = {}
    for hosts in (125, 250, 500, 1000):
        model = load(estate(hosts), "scale.hvc").model
        counted[0] = 0
        estimates = estimate_model(model, Parameters())
        assert sum(e.move is not None for e in estimates) > VMS // 2
        assert lint(estate(hosts), select=["HV5"]) is not None
        counts[hosts] = counted[0]
    # the estimate and HV5 each compute one row per signature ({Fast, Slow} and {Slow}), each as long as
    # the hosts on a live-migration network (4/5 of them): 3.2 per host, where pair by pair made 124
    assert counts[125] == 4 * 100
    for smaller, larger in ((125, 250), (250, 500), (500, 1000)):
        assert 1.8 <= counts[larger] / counts[smaller] <= 2.2, counts


def test_a_cluster_with_a_link_in_error_is_judged_pair_by_pair(monkeypatch: pytest.MonkeyPatch) -> None:
    counted = count_link_computations(monkeypatch)
    text = estate(20, 10).replace("bandwidth = 1Gbps }", "bandwidth = fast }", 1)
    model = load(text, "scale.hvc").model
    estimates = estimate_model(model, Parameters())
    on_slow = [e for e in estimates if e.source is not None and int(e.source.name[1:]) % 5 != 4]
    assert on_slow and all(e.reason == "network Slow is in error" and e.reason_in_error for e in on_slow)
    assert 0 < counted[0] <= len(estimates) * 20


# -- the same destinations as pair by pair -----------------------------------------------------------------


def pair_by_pair(source: Host, owners: tuple[Host, ...]) -> object:
    """Version 1's grouping: every owner's link, the first in name order for each link."""
    ranks = {host: index for index, host in enumerate(sorted(owners, key=estimator_links.name_key))}
    found: dict[float, tuple[int, Host]] = {}
    others = False
    for destination in owners:
        if destination is source:
            continue
        others = True
        try:
            link = estimator_links._fastest_shared(source, destination)
        except estimator_links.LinkError as error:
            return NoEstimate(str(error), True)
        if link is not None and (link not in found or ranks[destination] < found[link][0]):
            found[link] = (ranks[destination], destination)
    if not found:
        return estimator_links._nowhere(source, others)
    return list(found.items())


NAMES = ["b", "A", "a", "c", "D", "e", "B"]
BANDWIDTHS = ["1Gbps", "10Gbps", "25Gbps"]


@st.composite
def clusters(draw: st.DrawFn) -> str:
    """A cluster of up to 7 hosts on random subsets of up to 4 networks of random roles and bandwidths
    (equal bandwidths on different networks included)."""
    networks = draw(st.integers(min_value=1, max_value=4))
    lines = []
    for index in range(networks):
        roles = draw(st.sampled_from(["[live_migration]", "[management]", "[live_migration, client]"]))
        bandwidth = draw(st.sampled_from(BANDWIDTHS))
        lines.append(f'  network "N{index}" {{ roles = {roles}; bandwidth = {bandwidth} }}')
    hosts = draw(st.integers(min_value=1, max_value=len(NAMES)))
    for name in NAMES[:hosts]:
        chosen = draw(st.lists(st.integers(min_value=0, max_value=networks - 1), max_size=networks))
        nets = ", ".join(f"N{index}" for index in chosen)
        lines.append(
            f'  host "{name}" {{ processor = "amd-opteron-2300"; memory = 1TiB; networks = [{nets}] }}'
        )
    return 'cluster "C" {\n' + "\n".join(lines) + "\n}\n"


@settings(max_examples=150, deadline=None)
@given(clusters())
def test_destinations_are_those_of_every_pair_judged_alone(text: str) -> None:
    model = load(text, "random.hvc").model
    cluster = model.clusters[0]
    links = Links()
    for source in cluster.hosts:
        found = links.destinations(source, cluster.hosts)
        expected = pair_by_pair(source, cluster.hosts)
        assert (found if isinstance(found, NoEstimate) else list(found.items())) == expected
        for destination in cluster.hosts:
            assert links.lookup(source, destination) == estimator_links._fastest_shared(source, destination)


# -- `hvlint estimate`: one parse per file, one estimate per VM --------------------------------------------


def count_parses_and_estimates(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Counters of documents loaded, models estimated and VMs estimated."""
    counted = {"load": 0, "model": 0, "vm": 0}
    real_load, real_model, real_vm = language_document.load, estimate_model, estimator_estimates.estimate_vm

    def counting_load(*args: Any, **kwargs: Any) -> Any:
        counted["load"] += 1
        return real_load(*args, **kwargs)

    def counting_model(model: Model, params: Parameters) -> Any:
        counted["model"] += 1
        return real_model(model, params)

    def counting_vm(*args: Any, **kwargs: Any) -> Any:
        counted["vm"] += 1
        return real_vm(*args, **kwargs)

    monkeypatch.setattr(language_document, "load", counting_load)
    monkeypatch.setattr("hvlint.estimator.estimate_model", counting_model)
    monkeypatch.setattr(precopy_rules, "estimate_model", counting_model)
    monkeypatch.setattr(estimator_estimates, "estimate_vm", counting_vm)
    return counted


@pytest.mark.parametrize("drain", [[], ["--drain", "H0001"]], ids=["estimate", "drain"])
def test_estimate_parses_each_file_once_and_estimates_each_vm_once(
    drain: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = tmp_path / "a.hvc", tmp_path / "b.hvc"
    first.write_text(estate(8, 30), encoding="utf-8")
    second.write_text(
        estate(6, 20).replace('cluster "C"', 'cluster "D"').replace('"H0', '"G0'), encoding="utf-8"
    )
    files = [str(first)] if drain else [str(first), str(second)]
    counted = count_parses_and_estimates(monkeypatch)
    main(["estimate", *drain, *files])
    output = capsys.readouterr().out
    assert "H0001" in output
    vms = 30 if drain else 50
    assert counted == {"load": len(files), "model": len(files), "vm": vms}
