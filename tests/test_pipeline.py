"""The library's stages (hvlint/pipeline.py), as a front door other than the command line calls them."""

from __future__ import annotations

from pathlib import Path

import pytest

from hvlint import pipeline

UNRESOLVED = 'cluster "C" {\n  vm "V" { host = H9; memory = 1GiB }\n}\n'
BUSY = """\
cluster "C" {
  platform = ws2016
  failover_clustering = true
  network "LM" { roles = [live_migration]; bandwidth = 1Gbps }
  host "H1" { processor = "intel-xeon-5600"; memory = 64GiB }
  host "H2" { processor = "intel-xeon-5600"; memory = 64GiB }
  vm "DB" { host = H1; memory = 16GiB; dirty_rate = 90MB/s }
}
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "a.hvc").write_text(UNRESOLVED)
    (tmp_path / "b.hvc").write_text(BUSY)
    (tmp_path / "empty").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_check_returns_the_run_as_data(project: Path) -> None:
    options = pipeline.Options(paths=("a.hvc", "missing.hvc", "empty"), select=("HV0",), cache=False)
    run = pipeline.check(options)
    assert [(f.path, f.line, f.code) for f in run.findings] == [("a.hvc", 2, "HV002")]
    assert run.errors == ["missing.hvc: no such file or directory"]
    assert run.warnings == ["no .hvc files under empty"]
    assert run.troubled and run.failed and run.registry is not None
    text = pipeline.report(run, pipeline.ReportOptions("text", quiet=True))
    assert text.startswith("a.hvc:2:19: error: unknown host `H9`")


def test_the_options_are_immutable() -> None:
    options = pipeline.Options(paths=("a.hvc",))
    with pytest.raises(AttributeError):
        options.paths = ("b.hvc",)  # type: ignore[misc]
    assert pipeline.Options().given_paths == (".",)


def test_estimate_parses_each_file_once(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The estimates and the HV5 findings that decide the exit status come from the same documents."""
    from hvlint.language import document

    parsed: list[str] = []
    load = document.load

    def counting(data: bytes | str, path: str) -> document.Document:
        parsed.append(path)
        return load(data, path)

    monkeypatch.setattr(document, "load", counting)
    estimated = pipeline.estimate(pipeline.Options(paths=("a.hvc", "b.hvc")))
    assert sorted(parsed) == ["a.hvc", "b.hvc"]
    assert [estimate.vm.name for estimate in estimated.estimates] == ["V", "DB"]
    assert [finding.code for finding in estimated.run.findings] == ["HV002", "HV501"]
    assert estimated.run.failed and not estimated.run.troubled
    drained = pipeline.estimate(pipeline.Options(paths=("b.hvc",)), drain="h1")
    assert drained.drain is not None and drained.drain.host.name == "H1"
    assert '"host": "H1"' in pipeline.render_estimate(drained, "json")


def test_estimate_computes_each_file_s_estimates_once(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The HV5 rules judge the estimates `estimate` prints: handed to them, not computed a second time."""
    from hvlint.estimator import estimates as module

    computed: list[str] = []
    estimate_model = module.estimate_model

    def counting(model, params):  # type: ignore[no-untyped-def]
        computed.append(model.path)
        return estimate_model(model, params)

    monkeypatch.setattr(module, "estimate_model", counting)
    monkeypatch.setattr("hvlint.estimator.estimate_model", counting)
    monkeypatch.setattr("rules.precopy.estimate_model", counting, raising=False)
    monkeypatch.setattr("hvlint.rules.precopy.estimate_model", counting, raising=False)
    estimated = pipeline.estimate(pipeline.Options(paths=("b.hvc",)))
    assert [finding.code for finding in estimated.run.findings] == ["HV501"]
    assert computed == ["b.hvc"]


def test_a_selector_no_loaded_rule_has_is_refused_by_the_library(project: Path) -> None:
    with pytest.raises(pipeline.UsageError, match=r"--ignore HV99: no loaded rule has this code"):
        pipeline.check(pipeline.Options(paths=("a.hvc",), ignore=("HV99",), cache=False))
    registry = pipeline.load_rules(pipeline.configure(pipeline.Options()).effective)
    selectors = ["HV", "HV40", "HV402", "HV4020", "ACME"]
    assert pipeline.unknown_selectors(registry, selectors) == ["HV4020", "ACME"]
