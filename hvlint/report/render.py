"""The report as text: HTML (and the drain chart alone as SVG) from Jinja2 templates, with autoescaping on,
so that every name and message from a file is escaped by construction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from hvlint.estimator import DrainPlan
from hvlint.report.build import FilePicture
from hvlint.report.charts import LABEL_WIDTH, PLOT_WIDTH, gantt_chart
from hvlint.report.matrix import NO, SAME, UNKNOWN, VERDICTS, WITH_MODE, YES

if TYPE_CHECKING:
    from jinja2 import Environment

CELL_CLASSES = {YES: "yes", WITH_MODE: "with-mode", NO: "no", UNKNOWN: "unknown", SAME: "same"}


def _environment() -> Environment:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    environment = Environment(
        loader=PackageLoader("hvlint.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.globals.update(label_width=LABEL_WIDTH, plot_width=PLOT_WIDTH)
    return environment


def _first_of_each_code(file: FilePicture) -> set[int]:
    """The positions of each code's first finding in the file's table: the targets of the summary's
    links."""
    seen: dict[str, int] = {}
    for index, finding in enumerate(file.findings):
        seen.setdefault(finding.code, index)
    return set(seen.values())


def render_html(files: Sequence[FilePicture]) -> str:
    """The whole report: one self-contained HTML5 page."""
    template = _environment().get_template("report.html.j2")
    return template.render(
        files=files,
        total=sum(len(file.findings) for file in files),
        legend=list(VERDICTS.items()),
        classes=CELL_CLASSES,
        firsts=[_first_of_each_code(file) for file in files],
    )


def render_drain_svg(plan: DrainPlan, window: float | None) -> str:
    """One host's drain plan as a standalone SVG document (`estimate --drain HOST --format svg`)."""
    template = _environment().get_template("drain.svg.j2")
    return template.render(chart=gantt_chart(plan, window))
