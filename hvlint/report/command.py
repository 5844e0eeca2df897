"""What the `report` command and `estimate --format svg` call: the report built and rendered, and one
drain chart alone."""

from __future__ import annotations

from collections.abc import Sequence

from hvlint import pipeline
from hvlint.config import Config
from hvlint.estimator import DrainPlan, Parameters
from hvlint.report.build import Reported, build
from hvlint.report.render import render_drain_svg, render_html


def report(options: pipeline.Options, hosts: Sequence[str] = ()) -> tuple[Reported, str]:
    """The report of the files `options` names (only the drains of `hosts` when some are named), and its
    HTML."""
    reported = build(options, hosts)
    return reported, render_html(reported.files)


def drain_svg(plan: DrainPlan, config: Config) -> str:
    """The drain plan's Gantt chart as a standalone SVG document, with the configured drain window."""
    return render_drain_svg(plan, Parameters.from_config(config).drain_window)
