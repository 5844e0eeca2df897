"""`hvlint report` (report.md): the estate as one self-contained HTML page with inline SVG charts.

`build` gathers what is drawn through the pipeline's stages and the estimator's functions; `render_html`
turns it into the page; `render_drain_svg` draws one drain plan alone."""
