"""`hvlint drift INVENTORY.json PATH ...` (issue 15 §3): what it compares and how it says it, the command
line it shares with `check` (formats, exit statuses, --fail-on, selection, suppressions, baselines), its
errors, and the round trip: an estate exported to an inventory and imported back has no drift."""

from __future__ import annotations

import json
import runpy
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hvlint.cli import main
from hvlint.drift.command import import_estate
from hvlint.drift.compare import compare
from hvlint.language.document import load
from tests.conftest import FIXTURES, ROOT
from tests.drift_support import drift_lint, export_inventory, inventory_of

CORPUS = FIXTURES / "import"
ESTATE = """\
cluster "HVC-PROD" {
  platform = ws2019

  network "LM" { roles = [live_migration] }
  network "Mgmt" { roles = [management, client] }

  storage "Volume1" { kind = csv; path = 'C:\\ClusterStorage\\Volume1' }

  host "HV01" { processor = "intel-xeon-scalable"; memory = 384GiB; switches = ["External"] }
  host "HV02" { processor = "intel-xeon-scalable"; memory = 384GiB; switches = ["External"] }
  host "HV03" { processor = "intel-xeon-scalable"; memory = 384GiB; networks = ["LM"]; switches = [] }

  vm "SQL01" {
    host               = "HV01"
    memory             = 32GiB
    compatibility_mode = minimum
    config_version     = 9.0
    possible_owners    = ["HV01", "HV02"]
    disks              = ['C:\\ClusterStorage\\Volume1\\SQL01\\os.vhdx']
    dvd                = ['C:\\ClusterStorage\\Volume1\\iso\\sql.iso']
    config_path        = 'C:\\ClusterStorage\\Volume1\\SQL01'
    adapters           = ["External"]
  }
}

host "BRANCH01" {
  processor = "intel-xeon-e5-2600"
  memory    = 64GiB
  switches  = ["LAN"]
  platform  = ws2016

  vm "FILE01" { memory = 8GiB; state = saved; adapters = ["LAN"] }
}
"""


def _drift(described: str, estate: str = ESTATE) -> list[tuple[int, int, str, str]]:
    return [(f.line, f.column, f.code, f.message) for f in drift_lint(inventory_of(estate), described)]


def _at(text: str, needle: str, start: int = 0) -> tuple[int, int]:
    """The line and column where `needle` first starts in `text` from `start`."""
    index = text.index(needle, start)
    return text.count("\n", 0, index) + 1, index - text.rfind("\n", 0, index)


def test_a_description_of_the_estate_has_no_drift() -> None:
    assert _drift(ESTATE) == []


ATTRIBUTES = [
    ("memory             = 32GiB", "memory             = 24GiB", "24GiB",
     "memory of vm SQL01 is 32GiB in the estate, 24GiB in the description"),
    ("platform = ws2019", "platform = ws2022", "ws2022",
     "platform of cluster HVC-PROD is ws2019 in the estate, ws2022 in the description"),
    ('  network "Mgmt"', '  network "Backup" { roles = [] }\n  network "Mgmt"', 'cluster "HVC-PROD"',
     'networks of cluster HVC-PROD are ["LM", "Mgmt"] in the estate, ["Backup", "LM", "Mgmt"] in the '
     "description"),
    ("path = 'C:\\ClusterStorage\\Volume1' }", "path = 'C:\\ClusterStorage\\Volume2' }", 'cluster "HVC-PROD"',
     "csv storage paths of cluster HVC-PROD are ['C:\\ClusterStorage\\Volume1'] in the estate, "
     "['C:\\ClusterStorage\\Volume2'] in the description"),
    ('scalable"; memory = 384GiB; switches = ["External"] }\n  host "HV02"',
     'scalable"; memory = 512GiB; switches = ["External"] }\n  host "HV02"', "512GiB",
     "memory of host HV01 is 384GiB in the estate, 512GiB in the description"),
    ('"HV01" { processor = "intel-xeon-scalable"', '"HV01" { processor = "amd-opteron-6100"',
     '"amd-opteron-6100"',
     "processor of host HV01 is intel-xeon-scalable in the estate, amd-opteron-6100 in the description; its "
     "vendor is intel in the estate, amd in the description"),
    ('"HV01" { processor = "intel-xeon-scalable"', '"HV01" { processor = "intel-xeon-e5-2600-v3"',
     '"intel-xeon-e5-2600-v3"',
     "processor of host HV01 is intel-xeon-scalable in the estate, intel-xeon-e5-2600-v3 in the description; "
     "only the estate's has 3dnowprefetch, adx, avx512bw, avx512cd, avx512dq, avx512f and 12 more"),
    ('384GiB; switches = ["External"] }\n  host "HV02"',
     '384GiB; switches = ["External", "Backup"] }\n  host "HV02"',
     '["External", "Backup"]',
     'switches of host HV01 are ["External"] in the estate, ["Backup", "External"] in the description'),
    ('networks = ["LM"]', 'networks = ["LM", "Mgmt"]', '["LM", "Mgmt"]',
     'networks of host HV03 are ["LM"] in the estate, ["LM", "Mgmt"] in the description'),
    ("state = saved", "state = running", "running",
     "state of vm FILE01 is saved in the estate, running in the description"),
    ("compatibility_mode = minimum", "compatibility_mode = off", "off",
     "compatibility_mode of vm SQL01 is minimum in the estate, off in the description"),
    ("config_version     = 9.0", "config_version     = 10.0", "10.0",
     "config_version of vm SQL01 is 9.0 in the estate, 10.0 in the description"),
    ('possible_owners    = ["HV01", "HV02"]', 'possible_owners    = ["HV01"]', '["HV01"]',
     'possible_owners of vm SQL01 are ["HV01", "HV02"] in the estate, ["HV01"] in the description'),
    ("SQL01\\os.vhdx']", "SQL01\\os.vhdx', 'C:\\ClusterStorage\\Volume1\\SQL01\\data.vhdx']", "['C:",
     "disks of vm SQL01 are ['C:\\ClusterStorage\\Volume1\\SQL01\\os.vhdx'] in the estate, "
     "['C:\\ClusterStorage\\Volume1\\SQL01\\data.vhdx', 'C:\\ClusterStorage\\Volume1\\SQL01\\os.vhdx'] "
     "in the description"),
    ("dvd                = ['C:\\ClusterStorage\\Volume1\\iso\\sql.iso']",
     "dvd                = ['C:\\ClusterStorage\\Volume1\\iso\\sql2022.iso']", "['C:",
     "dvd of vm SQL01 is ['C:\\ClusterStorage\\Volume1\\iso\\sql.iso'] in the estate, "
     "['C:\\ClusterStorage\\Volume1\\iso\\sql2022.iso'] in the description"),
    ("config_path        = 'C:\\ClusterStorage\\Volume1\\SQL01'", "config_path        = 'D:\\VMs\\SQL01'",
     "'D:", "config_path of vm SQL01 is 'C:\\ClusterStorage\\Volume1\\SQL01' in the estate, "
     "'D:\\VMs\\SQL01' in the description"),
    ('adapters           = ["External"]', 'adapters           = ["External", "External"]', '["External", "E',
     'adapters of vm SQL01 are ["External"] in the estate, ["External", "External"] in the description'),
    ("platform  = ws2016", "platform  = ws2019", "ws2019",
     "platform of host BRANCH01 is ws2016 in the estate, ws2019 in the description"),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new", "at", "message"), ATTRIBUTES, ids=[row[3][:28] for row in ATTRIBUTES])
def test_each_attribute_both_sides_know_is_compared_at_the_described_value(old, new, at, message) -> None:
    described = ESTATE.replace(old, new, 1)
    assert described != ESTATE
    start = described.index(new) if at in new else 0
    where = _at(described, at, start)
    assert _drift(described) == [(*where, "HV903", message)]


def test_what_an_inventory_cannot_know_and_where_a_vm_runs_now_are_never_compared() -> None:
    described = ESTATE.replace(
        'host               = "HV01"',
        'host = "HV02"\n    dirty_rate = 300MB/s\n    working_set = 4GiB\n    max_downtime = 2s',
    ).replace("platform = ws2019", "platform = ws2019\n  max_downtime = 1s\n  max_migrations = 8")
    assert _drift(described) == []


def test_names_and_paths_compare_without_case_and_lists_as_sets() -> None:
    described = (
        ESTATE.replace('"HVC-PROD"', '"hvc-prod"')
        .replace('vm "SQL01"', 'vm "sql01"')
        .replace('switches = ["External"] }\n  host "HV02"', 'switches = ["EXTERNAL"] }\n  host "HV02"')
        .replace('["HV01", "HV02"]', '["hv02", "HV01"]')
        .replace("C:\\ClusterStorage\\Volume1\\SQL01\\os.vhdx", "c:/clusterstorage/volume1/sql01/OS.VHDX")
    )
    assert _drift(described) == []


def test_a_dynamic_memory_vm_s_memory_is_not_compared() -> None:
    """Its assigned memory moves by the minute; its startup memory is compared instead (see
    tests/test_dynamic_memory_import.py)."""
    dynamic = "memory             = {}\n    dynamic_memory = true\n    startup_memory = 16GiB"
    estate = ESTATE.replace("memory             = 32GiB", dynamic.format("32GiB"))
    described = ESTATE.replace("memory             = 32GiB", dynamic.format("24GiB"))
    assert _drift(described, estate) == []


def test_a_stand_in_processor_is_compared_by_its_vendor_alone() -> None:
    """The import names a part it cannot place `...-baseline` and gives it the vendor's baseline flags:
    the estate does not know its features, only its vendor."""
    unknown = 'processor "odd" { vendor = intel; family = 6; model = 200; features = [sse2] }\n'
    estate = unknown + ESTATE.replace(
        '"HV01" { processor = "intel-xeon-scalable"', '"HV01" { processor = "odd"'
    )
    assert (
        import_estate(inventory_of(estate), "x.json")
        .model.clusters[0]
        .hosts[0]
        .processor.name.endswith("-baseline")
    )
    assert _drift(ESTATE, estate) == []
    described = ESTATE.replace(
        '"HV01" { processor = "intel-xeon-scalable"', '"HV01" { processor = "amd-opteron-6100"'
    )
    assert [code for _, _, code, _ in _drift(described, estate)] == ["HV903"]


def test_what_only_one_side_has_is_reported_once_where_the_issue_says() -> None:
    estate = (
        ESTATE + 'cluster "HVC-NEW" {\n  host "N1" { processor = "intel-xeon-scalable"; memory = 64GiB }\n}\n'
    )
    described = (
        ESTATE.replace(
            '  host "HV03"',
            '  host "HV04" { processor = "intel-xeon-scalable"; memory = 1TiB }\n  host "HV03"',
        )
        .replace(
            'host "HV02" { processor = "intel-xeon-scalable"; memory = 384GiB; switches = ["External"] }\n',
            "",
        )
        .replace('vm "FILE01"', 'vm "FILE02"')
        .replace('["HV01", "HV02"]', '["HV01"]')
        .replace(
            'host "BRANCH01"',
            'cluster "HVC-OLD" {}\n\nhost "BRANCH09" { processor = "amd-opteron-6100"; memory = 8GiB }\n\n'
            'host "BRANCH01"',
        )
    )
    absent = "is declared, but the estate has no such"
    undescribed = "is in the estate, but no described file declares it"
    assert _drift(described, estate) == [
        (1, 1, "HV901", "cluster HVC-NEW is in the estate (1 host, 0 VMs), but no described file "
         "declares it"),
        (1, 1, "HV901", f"host HV02 of cluster HVC-PROD {undescribed}"),
        (1, 1, "HV901", f"vm FILE01 of host BRANCH01 {undescribed}"),
        (*_at(described, 'host "HV04"'), "HV902", f"host HV04 of cluster HVC-PROD {absent} host"),
        (*_at(described, '["HV01"]'), "HV903",
         'possible_owners of vm SQL01 are ["HV01", "HV02"] in the estate, ["HV01"] in the description'),
        (*_at(described, 'cluster "HVC-OLD"'), "HV902", f"cluster HVC-OLD {absent} cluster"),
        (*_at(described, 'host "BRANCH09"'), "HV902", f"standalone host BRANCH09 {absent} standalone host"),
        (*_at(described, 'vm "FILE02"'), "HV902", f"vm FILE02 of host BRANCH01 {absent} vm"),
    ]  # fmt: skip


def test_an_undescribed_object_s_finding_is_suppressed_at_line_1_or_on_its_cluster_s_header() -> None:
    estate = ESTATE.replace('vm "SQL01"', 'vm "SQL02" { host = "HV01"; memory = 1GiB }\n  vm "SQL01"') + (
        'host "BRANCH02" { processor = "intel-xeon-e5-2600"; memory = 64GiB; platform = ws2016 }\n'
    )
    assert [message for *_, message in _drift(ESTATE, estate)] == [
        "standalone host BRANCH02 is in the estate (0 VMs), but no described file declares it",
        "vm SQL02 of cluster HVC-PROD is in the estate, but no described file declares it",
    ]
    first_line = "# hvlint: disable=HV901\n" + ESTATE
    assert [message for *_, message in _drift(first_line, estate)] == []
    on_cluster = "# HVC-PROD\n" + ESTATE.replace(
        'cluster "HVC-PROD" {', 'cluster "HVC-PROD" {  # hvlint: disable=HV901'
    )
    assert [message for *_, message in _drift(on_cluster, estate)] == [
        "standalone host BRANCH02 is in the estate (0 VMs), but no described file declares it"
    ]
    found = compare(import_estate(inventory_of(estate), "x.json").model, [load(ESTATE, "a.hvc").model])
    assert [(f.node.describe(), f.node.qualified_name) for f in found["a.hvc"]["HV901"]] == [
        ("vm HVC-PROD/SQL02", "HVC-PROD/SQL02"),
        ("host BRANCH02", "BRANCH02"),
    ]


def test_a_processor_with_features_the_estate_s_lacks_says_which() -> None:
    estate = ESTATE.replace(
        '"HV01" { processor = "intel-xeon-scalable"', '"HV01" { processor = "intel-xeon-e5-2600"'
    )
    assert [message for *_, message in _drift(ESTATE, estate)] == [
        "processor of host HV01 is intel-xeon-e5-2600 in the estate, intel-xeon-scalable in the description; "
        "only the description's has 3dnowprefetch, abm, adx, avx2, avx512bw, avx512cd and 24 more"
    ]


def test_undescribed_objects_stand_in_the_file_that_describes_their_cluster() -> None:
    first = 'host "BRANCH01" { processor = "intel-xeon-e5-2600"; memory = 64GiB; platform = ws2016 }\n'
    second = ESTATE.split('host "BRANCH01"')[0].replace('  host "HV02"', '  # HV02 left out\n  host "HV02x"')
    estate = import_estate(inventory_of(ESTATE), "x.json").model
    found = compare(estate, [load(first, "a.hvc").model, load(second, "b.hvc").model])
    messages = {
        path: {code: [f.message for f in items] for code, items in codes.items()}
        for path, codes in found.items()
    }
    assert messages == {
        "a.hvc": {
            "HV901": ["vm FILE01 of host BRANCH01 is in the estate, but no described file declares it"],
            "HV903": ['switches of host BRANCH01 are ["LAN"] in the estate, [] in the description'],
        },
        "b.hvc": {
            "HV901": ["host HV02 of cluster HVC-PROD is in the estate, but no described file declares it"],
            "HV902": ["host HV02x of cluster HVC-PROD is declared, but the estate has no such host"],
        },
    }


# -- the command line --------------------------------------------------------------------------------


def _run(capsys, *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture
def estate_dir(tmp_path, monkeypatch) -> Path:
    """A directory holding `estate.json` (fixtures/drift's inventory) and `prod.hvc`, whose SQL01 has
    24GiB where the estate has 32GiB; the current directory."""
    shutil.copy(FIXTURES / "drift" / "estate.json", tmp_path / "estate.json")
    shutil.copy(FIXTURES / "drift" / "hv903-fires.hvc", tmp_path / "prod.hvc")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_import_is_its_own_description(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copy(CORPUS / "example.json", "inventory.json")
    assert _run(capsys, "import", "inventory.json", "-o", "prod.hvc", "--quiet")[0] == 0
    assert _run(capsys, "drift", "inventory.json", "prod.hvc") == (0, "no findings in 1 file\n", "")


@pytest.mark.parametrize(
    "case",
    sorted(p for p in CORPUS.glob("*.json") if (p.with_suffix(".expected.hvc.txt")).is_file()),
    ids=str,
)
def test_every_imported_corpus_case_has_no_drift_from_its_inventory(case: Path) -> None:
    expected = case.with_suffix(".expected.hvc.txt").read_text(encoding="utf-8")
    assert [f.message for f in drift_lint(case.read_bytes(), expected)] == []


def test_text_report_and_exit_status_are_check_s(estate_dir, capsys) -> None:
    status, out, err = _run(capsys, "drift", "estate.json", "prod.hvc")
    assert status == 1 and err == ""
    assert out.splitlines() == [
        'prod.hvc:12:80: warning: switches of host HV02 are ["External"] in the estate, ["Backup", '
        '"External"]'
        " in the description [HV903]",
        "prod.hvc:16:16: warning: memory of vm SQL01 is 32GiB in the estate, 24GiB in the description"
        " [HV903]",
        "2 warnings in 1 file",
    ]
    assert _run(capsys, "drift", "estate.json", "prod.hvc", "--fail-on", "error")[0] == 0
    assert _run(capsys, "drift", "estate.json", "prod.hvc", "--fail-on", "never")[0] == 0
    assert _run(capsys, "drift", "estate.json", "prod.hvc", "--fail-on", "info")[0] == 1


@pytest.mark.parametrize("fmt", ["json", "sarif", "junit", "github", "gitlab"])
def test_every_format_of_check_reports_drift(estate_dir, capsys, fmt) -> None:
    status, out, _ = _run(capsys, "drift", "estate.json", "prod.hvc", "--format", fmt)
    assert status == 1
    assert "memory of vm SQL01 is 32GiB in the estate, 24GiB in the description" in out
    if fmt == "json":
        finding = json.loads(out)["findings"][1]
        assert (finding["line"], finding["column"], finding["code"], finding["object"]) == (
            16, 16, "HV903", "vm HVC-PROD/SQL01"
        )  # fmt: skip
    if fmt == "sarif":
        rules = json.loads(out)["runs"][0]["tool"]["driver"]["rules"]
        assert {"HV901", "HV902", "HV903"} <= {rule["id"] for rule in rules}


def test_selection_works_as_for_check(estate_dir, capsys) -> None:
    assert _run(capsys, "drift", "estate.json", "prod.hvc", "--select", "HV902") == (
        0, "no findings in 1 file\n", ""
    )  # fmt: skip
    assert _run(capsys, "drift", "estate.json", "prod.hvc", "--ignore", "HV903")[0] == 0
    status, _, err = _run(capsys, "drift", "estate.json", "prod.hvc", "--select", "HV999")
    assert status == 2 and "--select HV999: no loaded rule has this code" in err
    (estate_dir / "hvlint.toml").write_text('[per-file-ignores]\n"prod.hvc" = ["HV903"]\n', encoding="utf-8")
    assert _run(capsys, "drift", "estate.json", "prod.hvc")[0] == 0


def test_a_suppression_comment_hides_a_difference_and_check_does_not_call_it_unused(
    estate_dir, capsys
) -> None:
    text = (estate_dir / "prod.hvc").read_text(encoding="utf-8")
    (estate_dir / "prod.hvc").write_text(
        text.replace("memory   = 24GiB", "memory   = 24GiB  # hvlint: disable=HV903"), encoding="utf-8"
    )
    status, out, _ = _run(capsys, "drift", "estate.json", "prod.hvc")
    assert status == 1 and "SQL01" not in out and "switches of host HV02" in out
    status, out, _ = _run(capsys, "check", "prod.hvc", "--no-cache", "--select", "HV005")
    assert (status, out) == (0, "no findings in 1 file\n")


def test_a_baseline_hides_what_it_recorded(estate_dir, capsys) -> None:
    status, _, _ = _run(capsys, "drift", "estate.json", "prod.hvc", "--write-baseline", "base.json")
    assert status == 0 and len(json.loads((estate_dir / "base.json").read_text())["findings"]) == 2
    assert _run(capsys, "drift", "estate.json", "prod.hvc", "--baseline", "base.json")[0] == 0
    text = (estate_dir / "prod.hvc").read_text(encoding="utf-8")
    (estate_dir / "prod.hvc").write_text(
        text.replace("memory = 384GiB", "memory = 256GiB", 1), encoding="utf-8"
    )
    status, out, _ = _run(
        capsys, "drift", "estate.json", "prod.hvc", "--baseline", "base.json", "--statistics"
    )
    assert status == 1 and "memory of host HV01 is 384GiB in the estate, 256GiB" in out and "HV903" in out


def test_the_report_never_replaces_the_inventory(estate_dir, capsys) -> None:
    before = (estate_dir / "estate.json").read_bytes()
    for option in ("--output", "--write-baseline"):
        status, out, err = _run(capsys, "drift", "estate.json", "prod.hvc", option, "estate.json")
        assert (status, out) == (2, "")
        assert f"{option} estate.json: is one of the files read; refusing to replace it" in err
    assert (estate_dir / "estate.json").read_bytes() == before


def test_the_inventory_may_come_from_standard_input(estate_dir, capsys, monkeypatch) -> None:
    import io
    import sys

    data = (estate_dir / "estate.json").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert _run(capsys, "drift", "-", "prod.hvc")[0] == 1
    status, _, err = _run(capsys, "drift", "-", "-")
    assert status == 2 and "may be the inventory or a PATH, not both" in err


def test_the_import_s_warnings_are_told_unless_quiet(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copy(CORPUS / "partial.json", "partial.json")
    shutil.copy(CORPUS / "partial.expected.hvc.txt", "partial.hvc")
    status, out, err = _run(capsys, "drift", "partial.json", "partial.hvc")
    assert status == 0 and out == "no findings in 1 file\n"
    assert "hvlint: warning: partial.json: $.errors[0]: the collector could not run" in err
    assert all(line.startswith("hvlint: warning: partial.json: $.") for line in err.splitlines())
    assert _run(capsys, "drift", "partial.json", "partial.hvc", "--quiet") == (0, "", "")


@pytest.mark.parametrize(
    ("args", "files", "message"),
    [
        (["missing.json", "prod.hvc"], {}, "hvlint: error: missing.json: cannot read: No such file"),
        (["bad.json", "prod.hvc"], {"bad.json": "{]"}, "hvlint: error: bad.json:1:2: invalid JSON: "),
        (["estate.json", "nowhere.hvc"], {}, "hvlint: error: nowhere.hvc: "),
        (["estate.json", "empty"], {"empty/README": ""}, "hvlint: error: no .hvc files to compare the"),
        (["estate.json", "broken.hvc"], {"broken.hvc": 'cluster "X" {\n'},
         "hvlint: error: broken.hvc: does not parse, so drift compared nothing; fix it and run drift again"),
        (["prod.hvc", "estate.json"], {}, "(the inventory comes first: hvlint drift INVENTORY.json"),
    ],
    ids=["unreadable", "not-json", "no-path", "no-files", "syntax-error", "swapped"],
)  # fmt: skip
def test_what_drift_cannot_do_is_exit_status_2_with_a_message(
    estate_dir, capsys, args, files, message
) -> None:
    for name, text in files.items():
        (estate_dir / name).parent.mkdir(exist_ok=True)
        (estate_dir / name).write_text(text, encoding="utf-8")
    status, _, err = _run(capsys, "drift", *args)
    assert status == 2 and message in err and "Traceback" not in err


def test_the_codes_are_rules_that_rules_and_explain_know(capsys) -> None:
    status, out, _ = _run(capsys, "rules")
    assert status == 0 and "HV903  drift-attribute" in out
    status, out, _ = _run(capsys, "explain", "hv903")
    assert status == 0 and out.startswith("# HV903 drift-attribute\n") and "dirty rates" in out


# -- the round trip ----------------------------------------------------------------------------------


GENERATE = runpy.run_path(str(ROOT / "benchmarks" / "generate.py"), run_name="generate")


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hosts=st.integers(1, 6), vms=st.integers(0, 24), seed=st.integers(0, 2**16))
def test_any_generated_estate_exported_and_imported_has_no_drift(hosts: int, vms: int, seed: int) -> None:
    text = GENERATE["to_hvc"](GENERATE["inventory"](hosts, vms, seed))
    model = load(text, "estate.hvc").model
    estate = import_estate(json.dumps(export_inventory(model)).encode(), "inventory.json")
    assert compare(estate.model, [model]) == {}


NAMES = st.from_regex(r"[A-Z][A-Za-z0-9-]{0,6}", fullmatch=True)
CATALOGUE_PARTS = ["intel-xeon-5600", "intel-xeon-e5-2600", "intel-xeon-scalable", "amd-opteron-2300",
                   "amd-opteron-6200", "amd-opteron-revf"]  # fmt: skip


def _strings(names: list[str]) -> str:
    return "[" + ", ".join(f'"{name}"' for name in names) + "]"


def _disks(name: str, count: int) -> str:
    return "[" + ", ".join(f"'C:\\ClusterStorage\\V1\\{name}\\d{i}.vhdx'" for i in range(count)) + "]"


@st.composite
def estates(draw) -> str:  # type: ignore[no-untyped-def]
    """A `.hvc` estate of one cluster and standalone hosts, with what the generator never writes: every
    state and compatibility mode, configuration versions and paths, possible owners, hosts on some of the
    networks, VMs that are not highly available or have dynamic memory, and what an inventory cannot
    know."""
    hosts = draw(st.lists(NAMES, min_size=1, max_size=4, unique_by=str.casefold))
    networks = draw(st.lists(st.sampled_from(["LM", "Mgmt", "Storage"]), min_size=1, unique=True))
    switches = ["External", "Backup"]
    platform = draw(st.sampled_from(["ws2012r2", "ws2016", "ws2019", "ws2025"]))
    lines = ['cluster "C1" {', f"  platform = {platform}"]
    for network in networks:
        lines.append(f'  network "{network}" {{ roles = [{draw(st.sampled_from(["", "live_migration"]))}] }}')
    lines.append("  storage \"V1\" { kind = csv; path = 'C:\\ClusterStorage\\V1' }")
    for host in hosts:
        processor = draw(st.sampled_from(CATALOGUE_PARTS))
        attrs = [f'processor = "{processor}"', f"memory = {draw(st.integers(1, 4096))}GiB"]
        if draw(st.booleans()):
            attrs.append(f"networks = {_strings(draw(st.lists(st.sampled_from(networks), unique=True)))}")
        attrs.append(f"switches = {_strings(draw(st.lists(st.sampled_from(switches), unique=True)))}")
        lines.append(f'  host "{host}" {{ {"; ".join(attrs)} }}')
    for index in range(draw(st.integers(0, 6))):
        lines += _vm(draw, f"VM{index}", hosts, switches)
    lines.append("}")
    platform = draw(st.sampled_from(["ws2008r2", "ws2012", "ws2016", "ws2022"]))
    for name in draw(st.lists(NAMES.map(lambda n: f"S-{n}"), max_size=2, unique_by=str.casefold)):
        lines.append(
            f'host "{name}" {{ processor = "intel-xeon-e5-2600"; memory = 64GiB; platform = {platform}'
        )
        for index in range(draw(st.integers(0, 2))):
            lines += _vm(draw, f"SVM{index}", [], ["LAN"])
        lines.append("}")
    return "\n".join(lines) + "\n"


def _vm(draw, name: str, hosts: list[str], switches: list[str]) -> list[str]:  # type: ignore[no-untyped-def]
    """A VM block's lines: of the cluster when `hosts` are given, else of a standalone host."""
    lines = [f'  vm "{name}" {{', f"    memory = {draw(st.integers(1, 2**20))}MiB"]
    if draw(st.booleans()):
        lines.append("    dynamic_memory = true")
        if draw(st.booleans()):
            lines.append(f"    startup_memory = {draw(st.integers(1, 2**20))}MiB")
    if hosts:
        host = draw(st.sampled_from(hosts))
        lines.append(f'    host = "{host}"')
        if not draw(st.booleans()):
            lines.append("    highly_available = false")
        elif draw(st.booleans()):
            lines.append(
                f"    possible_owners = {_strings(sorted({host, *draw(st.lists(st.sampled_from(hosts)))}))}"
            )
    lines.append(f"    state = {draw(st.sampled_from(['running', 'off', 'saved', 'paused']))}")
    lines.append(f"    compatibility_mode = {draw(st.sampled_from(['off', 'minimum', 'cluster']))}")
    version = draw(st.sampled_from([None, "5.0", "9.0", "10.0", "12.0"]))
    if version:
        lines.append(f"    config_version = {version}")
    if draw(st.booleans()):
        lines.append(f"    config_path = 'C:\\ClusterStorage\\V1\\{name}'")
    disks = draw(st.integers(0, 3))
    if disks:
        lines.append(f"    disks = {_disks(name, disks)}")
    if draw(st.booleans()):
        lines.append("    dvd = ['\\\\fs01\\iso\\tools.iso']")
    adapters = draw(st.lists(st.sampled_from(switches), max_size=3))
    if adapters:
        lines.append(f"    adapters = {_strings(adapters)}")
    lines.append(f"    dirty_rate = {draw(st.integers(1, 500))}MB/s")
    return [*lines, "  }"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(estates())
def test_any_estate_exported_and_imported_has_no_drift(text: str) -> None:
    document = load(text, "estate.hvc")
    assert not [p for p in document.problems if p.code in ("HV001", "HV002", "HV003", "HV004")], text
    estate = import_estate(json.dumps(export_inventory(document.model)).encode(), "inventory.json")
    assert compare(estate.model, [document.model]) == {}


# -- the documentation -------------------------------------------------------------------------------


def _yaml_blocks(text: str) -> list[object]:
    import re

    import yaml

    return [yaml.safe_load(block) for block in re.findall(r"```yaml\n(.*?)```", text, flags=re.DOTALL)]


def test_the_nightly_job_runs_a_drift_hvlint_accepts() -> None:
    from hvlint.cli import parse_arguments

    (job,) = _yaml_blocks((ROOT / "docs" / "import.md").read_text(encoding="utf-8"))
    assert isinstance(job, dict)
    steps = [step for stage in job["jobs"].values() for step in stage["steps"]]
    commands = [step["run"] for step in steps if str(step.get("run", "")).startswith("hvlint ")]
    assert [parse_arguments(command.split()[1:]).command for command in commands] == ["drift"]


def test_the_readme_tours_the_three_steps_and_pre_commit_s_format_check() -> None:
    import yaml

    from hvlint.cli import COMMANDS, parse_arguments

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for step in ("hvlint collect-script -o", "hvlint import hvc-prod.json", "hvlint check hvc-prod.hvc"):
        assert step in readme
    table = readme.split("## Commands", 1)[1].split("\n\n", 2)[1]
    assert {name for name in COMMANDS if f"| `hvlint {name}" not in table} == set()
    shipped = {hook["id"] for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    (config,) = [block for block in _yaml_blocks(readme) if isinstance(block, dict) and "repos" in block]
    hooks = config["repos"][0]["hooks"]
    assert {hook["id"] for hook in hooks} <= shipped
    (formatting,) = [hook for hook in hooks if hook["id"] == "hvlint-format"]
    assert parse_arguments(["format", *formatting["args"], "a.hvc"]).check


PAUSED = ESTATE.replace("memory             = 32GiB", "memory             = 32GiB\n    state = paused")


@pytest.mark.parametrize(
    ("member", "value", "described", "told"),
    [
        ("state", None, PAUSED, "state of vm SQL01 is running in the estate, paused in the description"),
        ("state", "Other", PAUSED, "state of vm SQL01 is running in the estate, paused in the description"),
        ("state", 32783, PAUSED, "state of vm SQL01 is running in the estate, paused in the description"),
        (
            "compatibility_for_migration_enabled",
            None,
            ESTATE,
            "compatibility_mode of vm SQL01 is off in the estate, minimum in the description",
        ),
    ],
)
def test_a_vm_value_the_inventory_did_not_tell_is_not_compared(member, value, described, told) -> None:
    """The import writes an unknown state as running and an unknown compatibility as off, the defaults
    (import.md §6.6); the estate did not say so, so neither differs from the description. The same
    default told by the inventory does."""
    document = json.loads(inventory_of(ESTATE))
    sql01 = next(vm for vm in document["vms"] if vm["name"] == "SQL01")
    sql01[member] = value
    assert [f.message for f in drift_lint(json.dumps(document).encode(), described)] == []
    sql01[member] = {"state": "Running", "compatibility_for_migration_enabled": False}[member]
    assert [f.message for f in drift_lint(json.dumps(document).encode(), described)] == [told]


def test_drift_uses_only_public_names_of_the_modules_it_shares_with_check() -> None:
    """drift's command reaches check's report and exit status through hvlint.command_support, not
    through cli.py's private helpers, which cli.py may rename or inline at will."""
    import ast

    tree = ast.parse((ROOT / "hvlint" / "drift" / "command.py").read_text(encoding="utf-8"))
    imported = [
        (node.module, alias.name)
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("hvlint")
        for alias in node.names
    ]
    assert ("hvlint.command_support", "finish_lint") in imported
    private = [(module, name) for module, name in imported if name.startswith("_") or module == "hvlint.cli"]
    assert private == []
