"""`--jobs` and the result cache through the command line: the same report, whatever the path taken.
Correctness only; their speed is measured by benchmarks/run.py."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from hvlint import checking
from hvlint.cli import main
from tests import without_the_checkout
from tests.conftest import ROOT, run_cli

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import inventory, to_hvc


@pytest.fixture
def clusters(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Twelve generated cluster files (about 0.7 MB: enough to start worker processes), one with a syntax
    error, in a project with its own configuration and user cache salt."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    project = tmp_path / "project"
    project.mkdir()
    (project / "hvlint.toml").write_text('[estimator]\ndefault_dirty_rate = "20MB/s"\n')
    for index in range(12):
        (project / f"c{index:02d}.hvc").write_text(to_hvc(inventory(8, 120 + index)))
    (project / "broken.hvc").write_text('cluster "X" { vm "V" { memory 1GiB } }\n')
    monkeypatch.chdir(project)
    return project


def report(capsys, *args: str) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    status = main(["check", ".", "--format", "json", *args])
    return status, capsys.readouterr().out


def test_jobs_give_the_same_report_as_one_process(clusters: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    used = []
    original = checking._run
    monkeypatch.setattr(
        checking, "_run", lambda linter, sources, jobs: used.append(jobs) or original(linter, sources, jobs)
    )
    assert sum(path.stat().st_size for path in clusters.glob("*.hvc")) > checking.PARALLEL_MIN_BYTES
    serial = report(capsys, "--no-cache", "--jobs", "1")
    parallel = report(capsys, "--no-cache", "--jobs", "2")
    assert used == [1, 2]
    assert serial == parallel
    assert serial[0] == 1 and json.loads(serial[1])["summary"]["files"] == 13


def test_a_warm_run_parses_nothing_and_reports_the_same(clusters: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    cold = report(capsys, "--jobs", "1")
    assert (clusters / ".hvlint_cache" / "CACHEDIR.TAG").exists()
    parsed = []
    import hvlint.language.document as document

    original = document.load
    monkeypatch.setattr(document, "load", lambda *a, **k: parsed.append(a[1]) or original(*a, **k))
    warm = report(capsys, "--jobs", "1")
    assert warm == cold
    assert parsed == [], "every file came from the cache"
    (clusters / "c03.hvc").write_text((clusters / "c03.hvc").read_text().replace("HVC-BENCH", "HVC-EDITED"))
    edited = report(capsys, "--jobs", "1")
    assert parsed == ["c03.hvc"] and "HVC-EDITED" in edited[1]


def test_the_cache_is_keyed_by_the_configuration(clusters: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    before = report(capsys)
    (clusters / "hvlint.toml").write_text('[severity]\nHV402 = "warning"\n')
    after = report(capsys)
    assert '"severity": "warning"' in after[1] and '"severity": "warning"' not in before[1]


def test_damaged_and_planted_entries_are_ignored(clusters: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    cold = report(capsys)
    entries = sorted((clusters / ".hvlint_cache").glob("*/*.json"))
    assert len(entries) == 13, "one entry per file, the one with a syntax error included"
    for entry in entries:
        entry.write_text('{"key": "planted", "findings": []}')
    assert report(capsys) == cold
    for entry in entries:
        entry.write_bytes(b"\x00garbage")
    assert report(capsys) == cold


def test_two_runs_sharing_the_cache_corrupt_nothing(clusters: Path, tmp_path: Path) -> None:
    command = [sys.executable, "-m", "hvlint", "check", ".", "--format", "json", "--jobs", "1"]
    runs = [subprocess.Popen(command, cwd=clusters, stdout=subprocess.PIPE, text=True) for _ in range(3)]
    outputs = [run.communicate(timeout=300)[0] for run in runs]
    assert len(set(outputs)) == 1
    again = subprocess.run(command, cwd=clusters, capture_output=True, text=True, timeout=300).stdout
    assert again == outputs[0]
    for entry in (clusters / ".hvlint_cache").glob("*/*.json"):
        json.loads(entry.read_bytes().partition(b"\n")[2])  # after its MAC
    assert not list((clusters / ".hvlint_cache").glob("*/.*.tmp")), "no temporary file is left behind"


HELPER_RULE = '''
import hvlint

WORDING = "{wording}"


class HelperPolicy(hvlint.Rule):
    """Every cluster gets one finding, worded by a module beside the plugin's."""

    code = "HELP001"
    name = "helper-policy"
    severity = "warning"
    summary = "a cluster under the helper's policy"

    def check(self, ctx):
        for cluster in ctx.model.clusters:
            yield ctx.finding(cluster, f"cluster {{cluster.name}}: {{WORDING}}")
'''
HOOK = """

@hvlint.hookimpl
def hvlint_rules():
    return [HelperPolicy]
"""
HOOK_ONLY = "\nimport hvlint\nfrom {module} import HelperPolicy\n" + HOOK
CLUSTER = 'cluster "C" { host "H" { processor = "amd-opteron-2300" } }\n'
MARKS_ITS_IMPORT = 'import pathlib\n\npathlib.Path("imported.marker").write_text("yes")\n'
SITE_POLICY = MARKS_ITS_IMPORT + HELPER_RULE.format(wording="first wording") + HOOK


@pytest.fixture
def with_local_plugin(tmp_path: Path) -> Path:
    """A project whose configuration loads a local plugin that leaves a marker file when imported."""
    (tmp_path / "hvlint.toml").write_text('plugins = ["site_policy"]\n')
    (tmp_path / "site_policy.py").write_text(SITE_POLICY)
    (tmp_path / "c.hvc").write_text(CLUSTER)
    return tmp_path


def test_a_run_the_cache_answers_whole_imports_no_plugin(with_local_plugin: Path, cli) -> None:  # type: ignore[no-untyped-def]
    marker = with_local_plugin / "imported.marker"
    cold = cli("check", "c.hvc")
    assert "HELP001" in cold.stdout and "first wording" in cold.stdout and marker.exists()
    marker.unlink()
    warm = cli("check", "c.hvc", "--verbose")
    assert (warm.returncode, warm.stdout) == (cold.returncode, cold.stdout)
    assert not marker.exists(), "the cache answered for every file: no plugin was imported"
    assert "plugins: not loaded (the cache answered for every file)" in warm.stderr
    assert "1 hits, 0 misses" in warm.stderr

    sarif = json.loads(cli("check", "c.hvc", "--format", "sarif").stdout)
    assert marker.exists(), "SARIF lists every rule, so the plugins are loaded for their metadata"
    rules = {rule["id"] for rule in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert {"HELP001", "HV101"} <= rules


def test_an_edited_plugin_is_never_answered_from_the_cache(with_local_plugin: Path, cli) -> None:  # type: ignore[no-untyped-def]
    assert "first wording" in cli("check", "c.hvc").stdout
    source = with_local_plugin / "site_policy.py"
    source.write_text(SITE_POLICY.replace("first wording", "second, longer wording"))
    edited = cli("check", "c.hvc", "--verbose")
    assert "second, longer wording" in edited.stdout and "0 hits, 1 misses" in edited.stderr


def test_a_configuration_no_plugin_accepts_is_refused_on_every_run(with_local_plugin: Path, cli) -> None:  # type: ignore[no-untyped-def]
    (with_local_plugin / "hvlint.toml").write_text(
        'plugins = ["site_policy"]\n[severity]\nSITE999 = "error"\n'
    )
    for _ in range(2):
        refused = cli("check", "c.hvc")
        assert refused.returncode == 2
        assert "`severity.SITE999`: no loaded plugin provides rule SITE999" in refused.stderr
    assert not list((with_local_plugin / ".hvlint_cache").glob("*/*.json"))


def test_each_file_s_model_is_collected_before_the_next_is_checked(clusters: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import gc

    from hvlint import pipeline

    collected: list[bool] = []
    monkeypatch.setattr(checking.gc, "collect", lambda generation=2: collected.append(gc.isenabled()) or 0)
    options = pipeline.Options(paths=(".",))
    configured = pipeline.configure(options)
    linter = pipeline.make_linter(pipeline.load_rules(configured.effective), configured, options)
    names = ["c00.hvc", "c01.hvc", "c02.hvc"]
    sources = [checking.Source(name, (clusters / name).read_bytes()) for name in names]
    gc.enable()
    results = checking.check_sources(linter, sources, None, jobs=1)
    assert [result.name for result in results] == names
    assert collected == [False, False], "collected between files, with the automatic collector paused"
    assert gc.isenabled(), "the collector's state is restored"


def test_spawned_workers_give_the_same_report(clusters: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Where processes cannot fork (Windows, macOS by default), the workers are spawned and get the
    configuration pickled: the defaults of a run without a configuration file must pickle too."""
    import multiprocessing

    (clusters / "hvlint.toml").unlink()
    serial = report(capsys, "--no-cache", "--jobs", "1")
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    # a spawned worker imports hvlint afresh, from this process's sys.path: as the `hvlint` command's,
    # without the checkout, whose hvlint/ would shadow a plain install's
    monkeypatch.setattr(sys, "path", without_the_checkout(sys.path))
    spawned = report(capsys, "--no-cache", "--jobs", "2")
    assert spawned == serial and serial[0] == 1


def test_a_worker_collects_the_previous_file_s_model_first(clusters: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import gc

    from hvlint.config import load
    from hvlint.engine import Linter
    from hvlint.plugins import load_plugins

    collected: list[bool] = []
    monkeypatch.setattr(checking.gc, "collect", lambda generation=2: collected.append(gc.isenabled()) or 0)
    monkeypatch.setattr(checking, "_WORKER", {"linter": Linter(load_plugins(), load(None))})
    names = ["c00.hvc", "c01.hvc", "c02.hvc"]
    results = [
        checking._check_in_worker(checking.Source(name, (clusters / name).read_bytes())) for name in names
    ]
    assert [result.name for result in results] == names
    assert collected == [False, False]


def test_a_local_plugin_s_rule_edited_in_a_module_beside_it_is_never_served_stale(
    tmp_path: Path, cli
) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "hvlint.toml").write_text('plugins = ["site_hooks"]\n')
    (tmp_path / "site_hooks.py").write_text(HOOK_ONLY.format(module="site_rules"))
    (tmp_path / "site_rules.py").write_text(HELPER_RULE.format(wording="first wording"))
    (tmp_path / "c.hvc").write_text(CLUSTER)
    assert "first wording" in cli("check", "c.hvc").stdout
    assert "first wording" in cli("check", "c.hvc").stdout
    (tmp_path / "site_rules.py").write_text(HELPER_RULE.format(wording="second, longer wording"))
    edited = cli("check", "c.hvc", "--verbose")
    assert "second, longer wording" in edited.stdout and "0 hits, 1 misses" in edited.stderr


def test_an_installed_plugin_s_rule_package_edited_or_removed_is_noticed(  # type: ignore[no-untyped-def]
    tmp_path: Path, cli, monkeypatch
) -> None:
    site = tmp_path / "site"
    (site / "acme_core").mkdir(parents=True)
    (site / "acme_core" / "__init__.py").write_text("")
    (site / "acme_core" / "rules.py").write_text(HELPER_RULE.format(wording="first wording"))
    (site / "acme_entry.py").write_text(HOOK_ONLY.format(module="acme_core.rules"))
    info = site / "acme-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: acme\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[hvlint]\nacme = acme_entry\n")
    monkeypatch.setenv("PYTHONPATH", str(site))
    (tmp_path / "c.hvc").write_text(CLUSTER)
    assert "first wording" in cli("check", "c.hvc").stdout
    warm = cli("check", "c.hvc", "--verbose")
    assert "first wording" in warm.stdout and "plugins: not loaded" in warm.stderr
    (site / "acme_core" / "rules.py").write_text(HELPER_RULE.format(wording="second, longer wording"))
    assert "second, longer wording" in cli("check", "c.hvc").stdout
    import shutil

    shutil.rmtree(site / "acme_core")
    removed = cli("check", "c.hvc")
    assert removed.returncode == 2
    assert "plugin acme failed to load: ModuleNotFoundError" in removed.stderr


def test_a_dependency_shadowed_by_a_project_directory_is_stamped_where_it_was_imported(  # type: ignore[no-untyped-def]
    tmp_path: Path, cli, monkeypatch
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "policy.py").write_text('WORDING = "first wording"\n')
    monkeypatch.setenv("PYTHONPATH", str(site))
    project = tmp_path / "project"
    (project / "policy").mkdir(parents=True)  # a directory of cluster files that shares the name
    (project / "policy" / "c.hvc").write_text(CLUSTER)
    (project / "hvlint.toml").write_text('plugins = ["site_hooks"]\n')
    rule = HELPER_RULE.replace('WORDING = "{wording}"', "from policy import WORDING")
    (project / "site_hooks.py").write_text(rule.replace("{{", "{").replace("}}", "}") + HOOK)
    assert "first wording" in run_cli("check", "policy", cwd=project).stdout
    assert "plugins: not loaded" in run_cli("check", "policy", "--verbose", cwd=project).stderr
    (site / "policy.py").write_text('WORDING = "second, longer wording"\n')
    assert "second, longer wording" in run_cli("check", "policy", cwd=project).stdout


def test_a_second_load_in_one_process_records_the_same_code(tmp_path: Path) -> None:
    from hvlint.plugins import load_plugins

    (tmp_path / "site_hooks.py").write_text(HOOK_ONLY.format(module="site_rules"))
    (tmp_path / "site_rules.py").write_text(
        HELPER_RULE.format(wording="x").replace('WORDING = "x"', "from site_words import WORDING")
    )
    (tmp_path / "site_words.py").write_text('WORDING = "words"\n')
    first = load_plugins(["site_hooks"], tmp_path).code
    assert {Path(location).name for location in first} == {"site_hooks.py", "site_rules.py", "site_words.py"}
    assert load_plugins(["site_hooks"], tmp_path).code == first


def test_a_plugin_that_imports_from_a_directory_it_adds_to_the_path_runs_warm(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "vendor").mkdir()
    (tmp_path / "vendor" / "vend.py").write_text('WORDING = "first wording"\n')
    adds_vendor = 'import pathlib, sys\nsys.path.insert(0, str(pathlib.Path(__file__).parent / "vendor"))\n'
    rule = HELPER_RULE.replace('WORDING = "{wording}"', "from vend import WORDING")
    (tmp_path / "site_hooks.py").write_text(adds_vendor + rule.replace("{{", "{").replace("}}", "}") + HOOK)
    (tmp_path / "hvlint.toml").write_text('plugins = ["site_hooks"]\n')
    (tmp_path / "c.hvc").write_text(CLUSTER)
    assert "first wording" in cli("check", "c.hvc").stdout
    warm = cli("check", "c.hvc", "--verbose")
    assert "first wording" in warm.stdout and "plugins: not loaded" in warm.stderr
    (tmp_path / "vendor" / "vend.py").write_text('WORDING = "second, longer wording"\n')
    assert "second, longer wording" in cli("check", "c.hvc").stdout
