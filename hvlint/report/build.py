"""What `hvlint report` draws, gathered from the pipeline's stages (report.md): the files read, parsed
and linted once, as `check` does, and every number from the estimator's functions that `estimate` uses."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from hvlint import estimate_cli, pipeline
from hvlint.config import Config
from hvlint.estimator import Parameters, VMEstimate
from hvlint.findings import Finding
from hvlint.language.model import Cluster, Model
from hvlint.report.charts import EstimatesChart, GanttChart, estimates_chart, gantt_chart
from hvlint.report.matrix import Matrix, matrix

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True, slots=True)
class ClusterPicture:
    """One cluster's sections: summary, matrix, estimates and drains."""

    name: str
    platform: str
    hosts: int
    vms_by_state: tuple[tuple[str, int], ...]
    findings_by_severity: tuple[tuple[str, int], ...]
    findings_by_rule: tuple[tuple[str, int], ...]
    matrix: Matrix
    estimates: EstimatesChart
    drains: tuple[GanttChart, ...]


@dataclass(frozen=True, slots=True)
class StandalonePicture:
    """A file's standalone hosts: the estimates of their VMs' shared-nothing moves, and their drains."""

    estimates: EstimatesChart
    drains: tuple[GanttChart, ...]


@dataclass(frozen=True, slots=True)
class FilePicture:
    """One file's clusters (none when it has syntax errors), its standalone hosts' moves (None when it
    moves no VM between standalone hosts) and its findings, as `check` reports them."""

    path: str
    clusters: tuple[ClusterPicture, ...]
    findings: tuple[Finding, ...]
    syntax_errors: bool
    standalone: StandalonePicture | None = None


class Reported(NamedTuple):
    """The report's content, and the lint run that gives its exit status."""

    run: pipeline.Run
    files: tuple[FilePicture, ...]


def _owner_cluster(finding: Finding) -> str | None:
    """The cluster a finding's object belongs to (`vm HVC/SQL01` -> `HVC`, `cluster HVC` -> `HVC`)."""
    if not finding.object:
        return None
    kind, _, name = finding.object.partition(" ")
    if kind == "cluster":
        return name
    return name.split("/", 1)[0] if "/" in name else None


def _counted(items: Sequence[str], order: Sequence[str] = ()) -> tuple[tuple[str, int], ...]:
    counts = Counter(items)
    known = [(key, counts[key]) for key in order if counts[key]]
    rest = sorted((key, count) for key, count in counts.items() if key not in order)
    return (*known, *rest)


def _cluster_picture(
    cluster: Cluster,
    estimates: Sequence[VMEstimate],
    findings: Sequence[Finding],
    drains: Sequence[GanttChart],
) -> ClusterPicture:
    own = [f for f in findings if _owner_cluster(f) == cluster.name]
    return ClusterPicture(
        name=cluster.name,
        platform=str(cluster.platform),
        hosts=len(cluster.hosts),
        vms_by_state=_counted([vm.state for vm in cluster.vms], ("running", "paused", "off", "saved")),
        findings_by_severity=_counted([f.severity for f in own], SEVERITIES),
        findings_by_rule=_counted([f.code for f in own]),
        matrix=matrix(cluster),
        estimates=estimates_chart(estimates),
        drains=tuple(drains),
    )


def build(options: pipeline.Options, hosts: Sequence[str] = ()) -> Reported:
    """The report of the files `options` names: each read, parsed and linted once (exit status as
    `check`), then per cluster its matrix, estimates and drain plans (every host's, or the `hosts`
    named). Raises UsageError when a `--host` names no host of the files."""
    configured = pipeline.configure(options)
    config = configured.effective
    run = pipeline.Run(configured)
    run.registry = pipeline.load_rules(config)
    linter = pipeline.make_linter(run.registry, configured, options)
    sources = pipeline.read_sources(options, config, run)
    pipeline.refuse_unsafe_targets(options, config, sources)
    documents = [pipeline.parse_and_resolve(source) for source in sources]
    run.checked = [pipeline.lint_document(linter, document, base) for document, base in documents]
    pipeline.refine(run)
    models = estimate_cli.models_of([document for document, _ in documents])
    wanted = {name.casefold() for name in hosts}
    for name in hosts:
        if any(model.find_host(name) is not None for model in models):
            continue
        try:
            estimate_cli.drain_plan_models(models, name, config)
        except estimate_cli.DrainHostError as error:
            raise pipeline.UsageError(str(error).replace("--drain", "--host", 1)) from None
    window = Parameters.from_config(config).drain_window
    by_path: dict[str, list[Finding]] = {}
    for finding in run.findings:
        by_path.setdefault(finding.path, []).append(finding)
    pictures = []
    drawn = {id(model) for model in models}
    for document, _ in documents:
        model = document.model
        clusters = []
        standalone = None
        if id(model) in drawn:
            drawn.discard(id(model))
            estimates = estimate_cli.estimate_models([model], config)
            for cluster in model.clusters:
                drains = [
                    gantt_chart(estimate_cli.drain_plan(model, host.name, config), window)
                    for host in cluster.hosts
                    if not wanted or host.name.casefold() in wanted
                ]
                own = [e for e in estimates if e.cluster is cluster]
                clusters.append(_cluster_picture(cluster, own, by_path.get(document.path, []), drains))
            standalone = _standalone_picture(model, estimates, wanted, config, window)
        pictures.append(
            FilePicture(
                document.path,
                tuple(clusters),
                tuple(by_path.get(document.path, ())),
                document.has_syntax_errors,
                standalone,
            )
        )
    return Reported(run, tuple(pictures))


def _standalone_picture(
    model: Model,
    estimates: Sequence[VMEstimate],
    wanted: set[str],
    config: Config,
    window: float | None,
) -> StandalonePicture | None:
    """The standalone hosts' moves, or None when none of their VMs can move to another host."""
    own = [e for e in estimates if e.cluster is None]
    if not own:
        return None
    drains = [
        gantt_chart(estimate_cli.drain_plan(model, host.name, config), window)
        for host in model.hosts
        if host.vms and (not wanted or host.name.casefold() in wanted)
    ]
    return StandalonePicture(estimates_chart(own), tuple(drains))
