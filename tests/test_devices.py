"""The language-v2 attributes of devices, VM security and mixed-OS clusters (issue 14): what they resolve
to, what HV004 says about combinations, and what the rules do that the fixtures under fixtures/devices,
fixtures/security and fixtures/clustering (HV106-HV108) cannot show."""

from __future__ import annotations

from hvlint.rules import _judged  # type: ignore[import-not-found]

from hvlint.language.document import load
from tests.conftest import lint

NODE = 'processor = "intel-xeon-scalable"; memory = 256GiB'


def model_of(text: str):  # type: ignore[no-untyped-def]
    document = load(text, "test.hvc")
    return document.model, [(p.diagnostic.code, p.message) for p in document.problems]


def test_defaults_are_what_a_version_1_file_means() -> None:
    model, problems = model_of(
        f'cluster "C" {{ platform = ws2019  host "H" {{ {NODE} }}  vm "V" {{ host = H; memory = 1GiB }} }}'
    )
    assert problems == []
    (cluster,) = model.clusters
    host, vm = cluster.hosts[0], cluster.vms[0]
    assert cluster.domain is None and host.platform == "ws2019"
    assert (host.gpu, host.gpu_partition_count, host.iommu_dirty_tracking) == (None, None, False)
    assert (host.virtual_sans, host.guarded, host.guardians) == ((), False, ())
    assert (vm.dda_devices, vm.dda_pool, vm.gpu_partitions, vm.fibre_channel) == ((), None, 0, ())
    assert (vm.passthrough_disks, vm.checkpoint_type, vm.checkpoints) == ((), None, None)
    assert (vm.vtpm, vm.shielded, vm.key_protector) == (False, False, None)


def test_written_values_reach_the_model() -> None:
    model, problems = model_of(
        f"""cluster "C" {{
  platform = ws2022; domain = "Contoso.com"
  storage "Disk 4" {{ kind = disk }}
  host "H" {{ {NODE}; platform = ws2025; gpu = "NVIDIA A16"; gpu_partition_count = 8
             iommu_dirty_tracking = true; virtual_sans = ["Prod"]; guarded = true; guardians = ["G1"] }}
  vm "V" {{ host = H; memory = 1GiB; dda_devices = ["GPU0"]; dda_pool = "P"; gpu_partitions = 2
           fibre_channel = ["Prod"]; passthrough_disks = ["disk 4"]; checkpoint_type = Standard
           checkpoints = 3; shielded = true; key_protector = "G1" }}
}}"""
    )
    assert problems == []
    (cluster,) = model.clusters
    host, vm = cluster.hosts[0], cluster.vms[0]
    assert cluster.domain == "Contoso.com" and host.platform == "ws2025"
    assert cluster.storage[0].kind == "disk" and cluster.storage[0].path == ""
    assert (host.gpu, host.gpu_partition_count, host.guardians) == ("NVIDIA A16", 8, ("G1",))
    assert (vm.dda_devices, vm.gpu_partitions, vm.passthrough_disks) == (("GPU0",), 2, ("disk 4",))
    assert (vm.checkpoint_type, vm.checkpoints, vm.key_protector) == ("standard", 3, "G1")
    assert vm.shielded and vm.vtpm  # a shielded VM has a vTPM unless told otherwise


def test_a_node_in_error_takes_the_cluster_platform_and_a_cluster_in_error_is_not_judged_again() -> None:
    model, problems = model_of(
        f'cluster "C" {{ platform = ws2022  host "H" {{ {NODE}; platform = ws2016 }} }}\n'
        f'cluster "D" {{ platform = ws2099  host "I" {{ {NODE}; platform = ws2016 }} }}'
    )
    assert [code for code, _ in problems] == ["HV004", "HV004"]
    assert "older than its cluster's functional level ws2022" in problems[0][1]
    assert "ws2099" in problems[1][1]
    assert model.clusters[0].hosts[0].platform == "ws2022"
    assert model.clusters[1].hosts[0].platform == "ws2016"


def test_kind_in_error_does_not_also_ask_for_a_path() -> None:
    _, problems = model_of('cluster "C" { storage "S" { kind = dsik } }')
    assert len(problems) == 1 and "did you mean `disk`?" in problems[0][1]


def test_a_value_in_error_silences_the_rules_that_read_it() -> None:
    text = f"""cluster "C" {{
  platform = ws2012r2; failover_clustering = true
  host "H1" {{ {NODE} }}
  host "H2" {{ {NODE} }}
  vm "V" {{ host = H1; memory = 1GiB; vtpm = true; shielded = true; key_protector = "G" }}
}}"""
    codes = sorted(f.code for f in lint(text, select=["HV7"]))
    assert codes == ["HV004", "HV004"]  # vtpm and shielded before ws2016; no HV710 or HV711


def test_movable_standalone_vms_are_judged_and_pinned_ones_are_not() -> None:
    model, _ = model_of(
        f'host "B1" {{ {NODE}; platform = ws2022  vm "A" {{ memory = 1GiB; shielded = true }} }}\n'
        f'host "B0" {{ {NODE}  vm "Z" {{ memory = 1GiB }} }}'
    )
    assert list(_judged.judged_vms(model)) == []
    pinned = model.hosts[0].vms[0]
    assert not _judged.movable_standalone(pinned) and not _judged.may_move(pinned)
    assert not any(
        f.code == "HV710"
        for f in lint(
            f'host "B1" {{ {NODE}; platform = ws2022  vm "A" {{ memory = 1GiB; shielded = true }} }}'
        )
    )


def test_names_are_in_name_order_and_cut_short() -> None:
    assert _judged.names(["b", "A", "c"]) == "A, b and c"
    assert _judged.names(["h1", "h2", "h3", "h4", "h5", "h6", "h7"], "or") == "h1, h2, h3, h4, h5 or 2 more"
    assert _judged.count(1, "device") == "1 device" and _judged.count(3, "device") == "3 devices"


def test_hv306_follows_its_setting() -> None:
    text = f"""cluster "C" {{
  platform = ws2019; failover_clustering = true; max_migrations = 4
  host "H1" {{ {NODE} }}
  host "H2" {{ {NODE} }}
  vm "V" {{ host = H1; memory = 1GiB }}
}}"""
    assert [f.code for f in lint(text, select=["HV306"])] == ["HV306"]
    assert lint(text, select=["HV306"], settings={"rules": {"HV306": {"recommended": 4}}}) == []


def test_ddas_and_gpu_moves_that_restart_get_no_estimate() -> None:
    from hvlint.estimator import devices

    model, _ = model_of(
        f"""cluster "C" {{
  platform = ws2025
  host "H1" {{ {NODE}; gpu = "A16"; iommu_dirty_tracking = true }}
  host "H2" {{ {NODE}; gpu = "A16"; iommu_dirty_tracking = true }}
  host "H3" {{ {NODE}; gpu = "A16" }}
  host "H4" {{ {NODE} }}
  vm "GPU"  {{ host = H1; memory = 1GiB; gpu_partitions = 1 }}
  vm "DDA"  {{ host = H1; memory = 1GiB; dda_devices = ["X"]; dda_pool = "P" }}
  vm "COLD" {{ host = H3; memory = 1GiB; gpu_partitions = 1 }}
  vm "PLAIN" {{ host = H3; memory = 1GiB }}
}}"""
    )
    gpu, dda, cold, plain = model.clusters[0].vms
    assert [h.name for h in devices.live_owners(gpu)] == ["H2"]
    assert devices.not_live(gpu) is None
    dda_reason = devices.not_live(dda)
    assert dda_reason is not None and "DDA" in dda_reason.reason and dda_reason.left_behind == "dda"
    cold_reason = devices.not_live(cold)
    assert devices.live_owners(cold) == () and cold_reason is not None and "IOMMU" in cold_reason.reason
    assert cold_reason.left_behind == "gpu-restart"
    assert [h.name for h in devices.live_owners(plain)] == ["H1", "H2", "H4"]


def _with_standalone_owners(text: str):  # type: ignore[no-untyped-def]
    """The model of `text`, whose first standalone host's first VM may also move to the second host (the
    shared-nothing `possible_owners` of language-v2, built by hand until the parser reads it)."""
    from hvlint.language.model import Later, replace

    model, problems = model_of(text)
    assert problems == []
    first, second = model.hosts
    vm = replace(first.vms[0], possible_owners=(first, second))
    return replace(model, hosts=(replace(first, guests=Later((vm,))), second))


def test_movable_standalone_vms_get_the_device_and_version_rules() -> None:
    from hvlint.plugins import load_plugins
    from hvlint.rule import Context
    from tests.conftest import make_config

    model = _with_standalone_owners(
        f"""host "BR01" {{ {NODE}; platform = ws2016
  vm "APP01" {{ memory = 1GiB; config_version = 5.0; passthrough_disks = ["Disk 4"] }} }}
host "BR02" {{ {NODE}; platform = ws2022 }}"""
    )
    registry = load_plugins()
    found = {}
    for code in ("HV106", "HV707"):
        rule = registry.rules[code].rule
        context = Context(model, None, make_config(), {})
        found[code] = [finding.message for finding in rule().check(context)]
    assert found["HV106"] == [
        "configuration version 5.0 of vm BR01/APP01 is not supported on BR02 (ws2022 runs 8.0 to 10.0): it "
        "cannot start on or move to BR02"
    ]
    assert found["HV707"] == [
        "pass-through disk 'Disk 4' of vm BR01/APP01 cannot be copied to BR02: storage migration moves only "
        "virtual hard disks"
    ]


def test_dynamic_memory_with_dda_devices_is_hv004_at_dynamic_memory_and_read_as_false() -> None:
    model, problems = model_of(
        f"""cluster "C" {{
  platform = ws2025
  host "H" {{ {NODE} }}
  vm "CAD01" {{ host = H; memory = 8GiB; dda_devices = ["GPU0"]; dynamic_memory = true }}
  vm "VDI01" {{ host = H; memory = 8GiB; dynamic_memory = true }}
}}"""
    )
    assert problems == [
        (
            "HV004",
            "vm C/CAD01 has devices assigned by Discrete Device Assignment (`dda_devices`), and Hyper-V does "
            "not allow dynamic memory with an assigned device: set dynamic_memory = false",
        )
    ]
    cad, vdi = model.clusters[0].vms
    assert (cad.dynamic_memory, cad.valid("dynamic_memory"), cad.dda_devices) == (False, False, ("GPU0",))
    assert vdi.dynamic_memory is True


def test_misspelt_booleans_and_device_attributes_get_the_closest_spelling() -> None:
    text = f"""cluster "C" {{
  platform = ws2025
  host "H" {{ {NODE} }}
  vm "A" {{ host = H; memory = 8GiB; dda_device = ["X"]; dynamic_memroy = true; vtpm = ture }}
}}"""
    messages = [(f.line, f.column, f.message.split(" (expected")[0]) for f in lint(text, select=["HV004"])]
    assert messages == [
        (4, 37, "unknown attribute `dda_device` in vm; did you mean `dda_devices`?"),
        (4, 57, "unknown attribute `dynamic_memroy` in vm; did you mean `dynamic_memory`?"),
        (4, 87, "attribute `vtpm` expects `true` or `false`, found a name `ture`; did you mean `true`?"),
    ]
