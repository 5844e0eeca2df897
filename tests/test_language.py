"""The language layer: lexical forms, units, positions, defaults, references, paths and the catalogue."""

from __future__ import annotations

import pytest

from hvlint.language import paths, units
from hvlint.language.catalogue import catalogue, guest_features
from hvlint.language.document import decode, load
from hvlint.language.syntax import MAX_SYNTAX_ERRORS, parse
from tests.conftest import SHARED, brief, lint

CLUSTER = """
cluster "C" {{
  {cluster}
  network "LM" {{ roles = [live_migration] }}
  host "H1" {{ processor = "amd-opteron-2300"; memory = 64GiB }}
  host "H2" {{ processor = "amd-opteron-2300"; memory = 64GiB }}
  vm "V" {{ host = H1; memory = 1GiB; {vm} }}
}}
"""


def model_of(text: str):  # type: ignore[no-untyped-def]
    document = load(text, "t.hvc")
    assert not document.problems, document.problems
    return document.model


def vm_of(cluster: str = "", vm: str = ""):  # type: ignore[no-untyped-def]
    return model_of(CLUSTER.format(cluster=cluster, vm=vm)).clusters[0].vms[0]


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("16GiB", units.SIZE, 16 * 1024**3),
        ("16GB", units.SIZE, 16e9),
        ("0x10KiB", units.SIZE, 16 * 1024),
        ("10Gbps", units.RATE, 1.25e9),
        ("80MB/s", units.RATE, 80e6),
        ("1MiB/s", units.RATE, 1024**2),
        ("400Mbps", units.RATE, 50e6),
        ("500ms", units.DURATION, 0.5),
        ("2min", units.DURATION, 120),
        ("1h", units.DURATION, 3600),
        ("2.5s", units.DURATION, 2.5),
        ("50%", units.RATIO, 0.5),
    ],
)
def test_quantities_are_in_base_units(text: str, kind: str, value: float) -> None:
    quantity = units.parse_quantity(text)
    assert quantity is not None
    assert quantity.kind == kind
    assert quantity.value == pytest.approx(value)


def test_units_are_case_sensitive() -> None:
    assert units.parse_quantity("16gib") is None
    assert units.parse_quantity("10gbps") is None


def test_words_that_start_with_digits() -> None:
    model = model_of('processor "p" { vendor = amd; features = [3dnow, 3dnowprefetch] }')
    assert model.processors[0].features == {"3dnow", "3dnowprefetch"}
    (unknown,) = lint('processor "p" { vendor = amd; features = [3dnow, 10m] }', select=["HV004"])
    assert "unknown feature `10m`" in unknown.message
    findings = lint('processor "p" { vendor = amd; features = [3dnow, 0x10] }', select=["HV004"])
    assert brief(findings) == [(1, 50, "HV004")]
    assert "expects a string" in findings[0].message


def test_a_bit_rate_and_a_byte_rate_are_interchangeable() -> None:
    assert vm_of(vm="dirty_rate = 640Mbps").dirty_rate == pytest.approx(
        vm_of(vm="dirty_rate = 80MB/s").dirty_rate
    )


def test_defaults_per_platform() -> None:
    for platform, migrations, transport in [
        ("ws2008r2", 1, "tcp"),
        ("ws2012", 2, "tcp"),
        ("ws2012r2", 2, "compression"),
        ("ws2019", 2, "compression"),
        ("ws2022", 1, "compression"),
        ("ws2025", 1, "compression"),
    ]:
        cluster = model_of(CLUSTER.format(cluster=f"platform = {platform}", vm="")).clusters[0]
        assert (cluster.max_migrations, cluster.migration_transport) == (migrations, transport), platform


def test_vm_defaults() -> None:
    vm = vm_of()
    assert vm.state == "running"
    assert vm.compatibility_mode == "off"
    assert vm.highly_available is True
    assert [host.name for host in vm.possible_owners] == ["H1", "H2"]
    assert vm.dirty_rate is None and vm.working_set is None and vm.config_version is None
    assert vm.disks == () and vm.adapters == () and vm.dvd == ()
    assert vm.cluster is not None and vm.cluster.networks[0].bandwidth == 1e9 / 8


def test_compatibility_mode_booleans() -> None:
    assert vm_of(vm="compatibility_mode = true").compatibility_mode == "minimum"
    assert vm_of(vm="compatibility_mode = false").compatibility_mode == "off"
    assert vm_of(vm="compatibility_mode = Cluster").compatibility_mode == "cluster"


def test_standalone_host_defaults_and_vms() -> None:
    model = model_of('host "S" { processor = "intel-xeon-5600"; memory = 8GiB; vm "A" { memory = 1GiB } }')
    host = model.hosts[0]
    assert host.cluster is None and host.platform == "ws2008r2"
    vm = host.vms[0]
    assert vm.host is host and vm.possible_owners == (host,) and vm.highly_available is False
    assert vm.qualified_name == "S/A"


def test_references_are_objects_and_resolve_forward_and_case_insensitively() -> None:
    model = model_of(
        """cluster "C" {
             vm "V" { host = h1; memory = 1GiB; possible_owners = ["H1"] }
             host "H1" { processor = "Local"; memory = 1GiB; networks = [lm] }
             network "LM" { roles = [live_migration] }
             processor "local" { vendor = intel; features = [sse] }
           }"""
    )
    cluster = model.clusters[0]
    vm, host = cluster.vms[0], cluster.hosts[0]
    assert vm.host is host and host.vms == (vm,)
    assert host.networks == cluster.networks
    assert host.processor is cluster.processors[0]
    assert host.processor.name == "local"


def test_positions_of_blocks_attributes_values_and_items() -> None:
    text = 'cluster "C" {\n\tvm "V" { host = H1; memory = 1GiB; disks = [\'a\', "b"] }\n}\n'
    document = load(text, "t.hvc")
    vm = document.model.clusters[0].vms[0]
    assert vm.span == (2, 2, 2, 4)
    assert vm.positions.label == (2, 5, 2, 8)
    assert vm.positions.keys["memory"] == (2, 22, 2, 28)
    assert vm.positions.values["memory"] == (2, 31, 2, 35)
    assert vm.positions.of("disks", 1) == (2, 51, 2, 54)
    assert vm.positions.of("disks") == (2, 45, 2, 55)
    assert vm.positions.items("disks") == ((2, 46, 2, 49), (2, 51, 2, 54))
    assert vm.positions.of("state") == vm.span


def test_columns_count_characters_not_bytes_and_crlf_lines() -> None:
    text = 'cluster "é" {\r\n  vm "ü" { host = H9; memory = 1GiB }\r\n}\r\n'
    assert brief(lint(text, select=["HV002"])) == [(2, 19, "HV002")]


def test_strings_escapes_and_literal_strings() -> None:
    model = model_of(
        """cluster "C" {
             storage "S" { kind = csv; path = "C:\\\\Cluster\\tStorage" }
             storage "T" { kind = csv; path = 'C:\\ClusterStorage\\Volume1' }
           }"""
    )
    assert [s.path for s in model.clusters[0].storage] == [
        "C:\\Cluster\tStorage",
        "C:\\ClusterStorage\\Volume1",
    ]


def test_comments_are_collected_with_positions() -> None:
    parsed = parse('# one\ncluster "C" { // two\n  platform = ws2016 # three "not a string"\n}\n')
    assert [(c.line, c.column, c.text) for c in parsed.comments] == [
        (1, 1, "# one"),
        (2, 15, "// two"),
        (3, 21, '# three "not a string"'),
    ]


def test_a_hash_inside_a_string_is_not_a_comment() -> None:
    parsed = parse('cluster "C" { storage "S" { kind = smb; path = \'\\\\fs\\#share\' } }')
    assert parsed.comments == [] and not parsed.errors


def test_invalid_utf8_position_counts_characters() -> None:
    text, problem = decode("ab\nçd\xff".encode("latin-1").replace(b"\xe7", "ç".encode()))
    assert problem is not None
    assert (problem.span.line, problem.span.column) == (2, 3)
    assert text == "ab\nçd"


def test_a_bom_is_ignored_in_bytes_and_text() -> None:
    assert not load(b'\xef\xbb\xbfcluster "C" { }', "t").problems
    assert not load('\ufeffcluster "C" { }', "t").problems


def test_syntax_errors_are_capped() -> None:
    text = "".join(f'cluster "C{i}" {{ a b }}\n' for i in range(100))
    errors = parse(text).errors
    assert len(errors) == MAX_SYNTAX_ERRORS
    assert errors[-1].message.endswith("(too many syntax errors: stopped after 20)")


@pytest.mark.parametrize(
    "text",
    [
        'cluster "C" { vm "V" { disks = [' + "[" * 200_000 + "]" * 200_000 + "] } }",
        'cluster "C" ' + "{" * 200_000,
        'cluster "C" { x = ' + "[" * 200_000,
        "a " * 100_000,
        "\0" * 100_000,
    ],
    ids=["nested-lists", "nested-braces", "unclosed-lists", "many-names", "nul-bytes"],
)
def test_pathological_nesting_gives_a_finding_not_a_crash(text: str) -> None:
    findings = lint(text, select=["HV0"])
    assert findings and findings[0].code in ("HV001", "HV004")


def test_a_two_megabyte_string_parses() -> None:
    text = 'cluster "C" { storage "S" { kind = csv; path = "' + "x" * 2_000_000 + '" } }'
    document = load(text, "t")
    assert not document.problems
    assert len(document.model.clusters[0].storage[0].path) == 2_000_000


@pytest.mark.parametrize(
    ("path", "root", "expected"),
    [
        ("C:\\ClusterStorage\\Volume1\\vm\\os.vhdx", "C:\\ClusterStorage\\Volume1", True),
        ("C:\\ClusterStorage\\Volume10\\os.vhdx", "C:\\ClusterStorage\\Volume1", False),
        ("c:/clusterstorage/volume1/os.vhdx", "C:\\ClusterStorage\\Volume1\\", True),
        ("C:\\ClusterStorage\\Volume1", "C:\\ClusterStorage\\Volume1", True),
        ("\\\\FS01\\Library\\iso\\x.iso", "\\\\fs01\\library", True),
        ("D:\\VMs", "C:\\ClusterStorage\\Volume1", False),
    ],
)
def test_paths_compare_as_windows_paths(path: str, root: str, expected: bool) -> None:
    assert paths.lies_on(path, root) is expected


def test_the_longest_storage_path_wins() -> None:
    roots = [("C:\\ClusterStorage", "outer"), ("C:\\ClusterStorage\\Volume1", "inner")]
    assert paths.containing("c:\\clusterstorage\\volume1\\a.vhdx", roots) == "inner"
    assert paths.containing("C:\\ClusterStorage\\Volume2\\a.vhdx", roots) == "outer"
    assert paths.containing("E:\\a.vhdx", roots) is None


def test_catalogue_parts_and_baselines() -> None:
    parts = catalogue()
    assert {"hyperv-minimum-amd", "hyperv-minimum-intel", "amd-opteron-revf", "intel-xeon-scalable"} <= set(
        parts
    )
    assert len(parts) == 26  # 2 baselines, 22 parts and 2 aliases (tests/test_catalogue.py checks each)
    baseline = parts["hyperv-minimum-amd"].features
    for name, part in parts.items():
        vendor_baseline = parts[f"hyperv-minimum-{part.vendor}"].features
        assert vendor_baseline <= part.features, name
    assert parts["amd-opteron-2300"].features == parts["amd-opteron-6100"].features
    assert parts["amd-opteron-2300"].features - parts["amd-opteron-revf"].features == {
        "popcnt",
        "abm",
        "sse4a",
        "misalignsse",
        "3dnowprefetch",
    }
    assert {"mmxext", "fxsr_opt"} <= baseline


def test_host_only_flags_are_ignored() -> None:
    model = model_of('processor "pasted" { vendor = amd; features = [sse, sse2, svm, npt, nodeid_msr] }')
    assert guest_features(model.processors[0]) == {"sse", "sse2"}


def test_a_files_processor_shadows_the_catalogue() -> None:
    model = model_of(
        """processor "amd-opteron-2300" { vendor = amd; features = [sse] }
           host "S" { processor = "amd-opteron-2300"; memory = 1GiB }"""
    )
    assert model.hosts[0].processor is model.processors[0]


@pytest.mark.parametrize("name", ["needs-work.hvc", "seed-cluster.hvc"])
def test_the_shared_examples_parse_and_resolve(name: str) -> None:
    path = SHARED / "examples" / name
    if not path.exists():
        pytest.skip("the shared examples are not beside this checkout")
    assert lint(path.read_bytes(), select=["HV0"]) == []


def test_the_spec_example_parses() -> None:
    from tests.conftest import FIXTURES

    assert lint((FIXTURES / "language" / "hv001-passes.hvc").read_bytes(), select=["HV001"]) == []


def test_formatters() -> None:
    assert units.format_size(16 * 1024**3) == "16GiB"
    assert units.format_size(512 * 1024**2) == "512MiB"
    assert units.format_rate(90e6) == "90MB/s"
    assert units.format_bit_rate(1.25e8) == "1Gbps"
    assert units.format_duration(0.5) == "500ms"
    assert units.format_duration(16.4) == "16.4s"
    assert units.format_duration(1200) == "20min"


def test_a_second_inline_processor_is_hv003_naming_the_host() -> None:
    text = (
        'cluster "C" { host "H" { memory = 1GiB; processor { vendor = amd; features = [sse] }\n'
        " processor { vendor = amd; features = [sse] } } }"
    )
    findings = lint(text, select=["HV0"])
    assert [(f.line, f.column, f.code, f.message) for f in findings] == [
        (2, 2, "HV003", "host C/H declares a second inline processor")
    ]


@pytest.mark.parametrize(
    ("written", "kind", "suggested"),
    [
        ("80MBps", units.RATE, "80MB/s"),
        ("10gbps", units.RATE, "10Gbps"),
        ("10m", units.DURATION, "10min"),
        ("5sec", units.DURATION, "5s"),
        ("16G", units.SIZE, "16GB"),
    ],
)
def test_unit_suggestions(written: str, kind: str, suggested: str) -> None:
    assert units.suggest_unit(written, kind) == suggested


@pytest.mark.parametrize(
    ("seconds", "written"),
    [
        (0.19899, "199ms"),
        (119.99, "120s"),
        (0.99996, "1s"),
        (0.99951, "999.5ms"),
        (288.14, "288.1s"),
        (3.0, "3s"),
    ],
)
def test_durations_are_rounded_before_the_unit_is_chosen(seconds: float, written: str) -> None:
    assert units.format_duration(seconds) == written


def test_a_hexadecimal_number_ending_in_b_gets_a_hint() -> None:
    findings = lint(
        'processor "p" { vendor = amd; family = 0x1B; model = 0x2b; features = [] }', select=["HV004"]
    )
    assert brief(findings) == [(1, 40, "HV004")]
    assert findings[0].message == (
        "attribute `family` expects a whole number, found a quantity `0x1B`; its final `B` reads as bytes, "
        "so for the hexadecimal number write `0x1b`"
    )
    (other,) = lint('processor "p" { vendor = amd; family = 16MB; features = [] }', select=["HV004"])
    assert "reads as bytes" not in other.message


NESTED_THEN_CLUSTER = """cluster "NESTED" {
  host "NODE-A" {
    processor = "amd-opteron-2300"
    memory = 64GiB
    vm "DUP" { memory = 1GiB }
  }
  host "NODE-B" { processor = "amd-opteron-2300"; memory = 64GiB }
  vm "DUP" { host = NODE-B; memory = 2GiB }
}
"""


def test_a_name_declared_inside_a_host_and_later_in_its_cluster_is_a_duplicate_at_the_later_one() -> None:
    document = load(NESTED_THEN_CLUSTER, "t.hvc")
    assert [(p.code, p.span, p.message, p.subject) for p in document.problems] == [
        (
            "HV003",
            (8, 6, 8, 11),
            "vm `DUP` is declared twice in the same scope (first at line 5)",
            "vm NESTED/DUP",
        )
    ]
    (vm,) = document.model.clusters[0].vms
    assert vm.host is not None and vm.host.name == "NODE-A" and vm.memory == 1024**3


def test_a_name_declared_in_a_cluster_and_later_inside_a_host_is_a_duplicate_at_the_later_one() -> None:
    text = """cluster "C" {
  host "A" { processor = "amd-opteron-2300"; memory = 64GiB }
  vm "DUP" { host = A; memory = 2GiB }
  host "B" { processor = "amd-opteron-2300"; memory = 64GiB; vm "dup" { memory = 1GiB } }
}
"""
    (finding,) = lint(text, select=["HV0"])
    assert (finding.line, finding.column, finding.code, finding.object) == (4, 65, "HV003", "vm C/dup")
    assert finding.message == "vm `dup` is declared twice in the same scope (first at line 3)"


@pytest.mark.parametrize(
    ("text", "subject"),
    [
        ('cluster "C" { }\ncluster "c" { }', "cluster c"),
        ('host "S" { memory = 1GiB; processor = "amd-opteron-2300" }\nhost "s" { }', "host s"),
        ('cluster "C" { host "H" { } }\ncluster "D" { host "h" { } }', "host D/h"),
        ('cluster "C" { network "N" { roles = [] }\nnetwork "n" { roles = [] } }', "network C/n"),
        ('cluster "C" { storage "S" { kind = csv; path = "x" }\nstorage "s" { } }', "storage C/s"),
        ('processor "P" { vendor = amd; features = [] }\nprocessor "p" { }', "processor p"),
        ('cluster "C" { processor "P" { vendor = amd; features = [] }\nprocessor "p" { } }', "processor C/p"),
        (
            'host "S" { memory = 1GiB; processor = "amd-opteron-2300"\nvm "V" { memory = 1GiB } vm "v" { } }',
            "vm S/v",
        ),
    ],
)
def test_hv003_names_the_object_declared_twice(text: str, subject: str) -> None:
    duplicates = [f for f in lint(text, select=["HV0"]) if f.code == "HV003"]
    assert [(f.line, f.object) for f in duplicates] == [(2, subject)]


def test_a_reference_to_a_declaration_ignored_as_a_duplicate_says_so() -> None:
    text = """cluster "OLD" {
  host "HV05" { processor = "amd-opteron-2300"; memory = 64GiB }
}
cluster "NEW" {
  host "HV05" { processor = "amd-opteron-2300"; memory = 64GiB }
  host "HV07" { processor = "amd-opteron-2300"; memory = 64GiB }
  vm "X" { host = HV05; memory = 1GiB }
}
host "HV07" { processor = "amd-opteron-2300"; memory = 64GiB }
cluster "THIRD" {
  host "T1" { processor = "amd-opteron-2300"; memory = 64GiB }
  vm "Y" { host = T1; memory = 1GiB; possible_owners = [T1, HV07] }
}
"""
    findings = lint(text, select=["HV0"])
    assert [(f.line, f.column, f.end_column, f.code, f.object, f.message) for f in findings] == [
        (
            5,
            8,
            14,
            "HV003",
            "host NEW/HV05",
            "host `HV05` is declared twice in the same scope (first at line 2)",
        ),
        (
            7,
            19,
            23,
            "HV002",
            "vm NEW/X",
            "host `HV05` in `host` of vm NEW/X: its declaration at line 5 was ignored as a duplicate of the "
            "one in cluster OLD (line 2)",
        ),
        (
            9,
            6,
            12,
            "HV003",
            "host HV07",
            "host `HV07` is declared twice in the same scope (first at line 6)",
        ),
        (12, 61, 65, "HV002", "vm THIRD/Y", "unknown host `HV07` in `possible_owners` of vm THIRD/Y"),
    ]


def test_a_standalone_duplicate_points_at_the_top_level_original() -> None:
    text = """host "HV05" { processor = "amd-opteron-2300"; memory = 64GiB }
cluster "C" {
  host "hv05" { processor = "amd-opteron-2300"; memory = 64GiB }
  vm "X" { host = hv05; memory = 1GiB }
}
"""
    messages = [f.message for f in lint(text, select=["HV002"])]
    assert messages == [
        "host `hv05` is declared twice in the same scope (first at line 1)",
        "host `hv05` in `host` of vm C/X: its declaration at line 3 was ignored as a duplicate of the one "
        "at top level (line 1)",
    ]


@pytest.mark.parametrize(
    ("attribute", "span", "message"),
    [
        ("memory = 4 GiB", (3, 31, 3, 36), "write `4GiB`: no space between a number and its unit"),
        ("memory = 4 GiB\n", (3, 31, 3, 36), "write `4GiB`: no space between a number and its unit"),
        (
            "memory = 4 GiB; state = off",
            (3, 31, 3, 36),
            "write `4GiB`: no space between a number and its unit",
        ),
        ("dirty_rate = 80 MB/s", (3, 35, 3, 42), "write `80MB/s`: no space between a number and its unit"),
        ("max_downtime = 2 s", (3, 37, 3, 40), "write `2s`: no space between a number and its unit"),
        ("disks = [4 GiB]", (3, 31, 3, 36), "write `4GiB`: no space between a number and its unit"),
        ("memory = 4 gib", (3, 37, 3, 38), "expected `=` or `{` after `gib`, found `}`"),
        ("memory = 4 GiB@", (3, 36, 3, 37), "unexpected character `@`"),
    ],
)
def test_a_space_between_a_number_and_its_unit_says_how_to_write_it(
    attribute: str, span: tuple[int, int, int, int], message: str
) -> None:
    text = (
        'cluster "C" {\n  host "H" { processor = "amd-opteron-2300"; memory = 1GiB }\n'
        f'  vm "V" {{ host = H; {attribute} }}\n}}\n'
    )
    (finding,) = lint(text, select=["HV0"])
    assert (finding.line, finding.column, finding.end_line, finding.end_column) == span
    assert (finding.code, finding.message) == ("HV001", message)


@pytest.mark.parametrize("speed", ["1", "10", "25", "100"])
def test_an_ethernet_speed_suggests_the_bit_rate(speed: str) -> None:
    text = f'cluster "C" {{ network "N" {{ roles = [live_migration]; bandwidth = {speed}GbE }} }}'
    (finding,) = lint(text, select=["HV004"])
    assert (finding.line, finding.column, finding.end_column) == (1, 67, 67 + len(speed) + 3)
    assert finding.message == f"value `{speed}GbE` is not a rate; did you mean `{speed}Gbps`?"


def test_a_host_missing_from_possible_owners_is_told_to_be_added() -> None:
    (finding,) = lint(CLUSTER.format(cluster="", vm="possible_owners = [H2]"), select=["HV004"])
    assert (finding.line, finding.column, finding.end_column) == (7, 56, 60)
    assert finding.message == (
        "host H1 of vm C/V is not one of its possible_owners (H2): add H1 to possible_owners"
    )


def test_the_language_codes_are_defined_once() -> None:
    from hvlint import diagnostics
    from hvlint.findings import LANGUAGE_CODES
    from hvlint.plugins import load_plugins

    registry = load_plugins()
    for definition in diagnostics.DIAGNOSTICS:
        rule = registry.rules[definition.code].rule
        assert (rule.code, rule.name, rule.severity, rule.summary) == (
            definition.code,
            definition.name,
            definition.severity,
            definition.summary,
        )
    assert LANGUAGE_CODES == diagnostics.ALWAYS_REPORTED == ("HV000", "HV001", "HV002", "HV003", "HV004")


def test_a_language_finding_takes_its_name_and_severity_from_its_definition() -> None:
    text = 'cluster "C" { vm "V" { host = H9; memory = 1GiB } }  # hvlint: disable-file=HV402\n'
    findings = lint(text, select=["HV0", "HV402"])
    assert [(f.code, f.name, f.severity) for f in findings] == [
        ("HV002", "unresolved-reference", "error"),
        ("HV005", "unused-suppression", "warning"),
    ]


def test_model_objects_take_keywords_and_never_change() -> None:
    from hvlint.language import model
    from hvlint.language.model import VM, Later

    cluster = model_of(CLUSTER.format(cluster="", vm="")).clusters[0]
    with pytest.raises(TypeError):
        VM("V", cluster, None)  # type: ignore[misc]
    with pytest.raises(AttributeError):
        cluster.hosts = ()  # type: ignore[misc]
    with pytest.raises(AttributeError):
        cluster.nickname = "D"  # type: ignore[attr-defined]
    with pytest.raises(AttributeError, match="never changes"):
        cluster.name = "D"  # type: ignore[misc]
    with pytest.raises(AttributeError, match="never changes"):
        cluster.vms[0].memory = 0  # type: ignore[misc]
    kinds = [model.Processor, model.Network, model.Storage, model.Host, model.Disk, model.VM, model.Cluster]
    for kind in [*kinds, model.Model]:  # mypy refuses to assign a Final attribute
        assert all(kind.__annotations__[name].startswith("Final[") for name in kind.__slots__), kind
    with pytest.raises(RuntimeError, match="given twice"):
        cluster.contents.give(cluster.contents.get())
    with pytest.raises(RuntimeError, match="given twice"):
        cluster.hosts[0].guests.give(())
    later: Later[int] = Later(0)
    assert later.get() == 0
    later.give(1)
    assert later.get() == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            'cluster "C" { platform { } }',
            "block `platform` is an attribute of cluster: write `platform = ...`",
        ),
        ('cluster "C" { host = H1 }', 'attribute `host` is a block in cluster: write `host "NAME" { ... }`'),
    ],
)
def test_a_block_written_as_an_attribute_and_the_reverse(text: str, message: str) -> None:
    (finding,) = lint(text, select=["HV004"])
    assert (finding.line, finding.column, finding.code, finding.message) == (1, 15, "HV004", message)
