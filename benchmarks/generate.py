"""Generates realistic cluster files of any size, as `.hvc` and as the same inventory in YAML.

    python benchmarks/generate.py --hosts 64 --vms 8000 --out /tmp/big.hvc [--yaml /tmp/big.yaml]

The clusters mix processor generations of one vendor, carry a dedicated live-migration network, CSV
volumes and an SMB library, and VMs with disks, ISOs, adapters, dirty rates, working sets and
compatibility modes, so that every rule family has work to do. The output is deterministic for a size.

Each host has memory for what it runs (language-v2.md's derived terms): the smallest usual size, at least
the one drawn for it, whose memory for VMs is `RUNNING_SHARE` of it at most, so that the estate holds its
VMs, survives a host failing and can drain any host, as a cluster in service can.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
from pathlib import Path

PROCESSORS = ["intel-xeon-e5-2600", "intel-xeon-e5-2600-v3", "intel-xeon-scalable"]
STATES = ["running"] * 8 + ["off", "saved"]
MODES = ["minimum"] * 7 + ["off"] * 3
GIB = 1024**3
HOST_MEMORY_GIB = [256, 384, 512, 768, 1024, 1536, 2048, 3072, 4096, 6144, 8192, 12288, 16384]
"""Host memory sizes as servers are sold, in GiB."""
RUNNING_SHARE = 0.8
"""The largest share of a host's memory for VMs that its running VMs take."""


def memory_for_vms(gib: int) -> float:
    """U(h) in bytes of a host of `gib` GiB with Hyper-V's default root reserve (language-v2.md)."""
    memory = gib * GIB
    return memory - (402_653_184 + memory * 30 // 1024)


def host_memory(drawn: int, running: float) -> str:
    """The host's `memory`: the smallest usual size of at least `drawn` GiB whose memory for VMs holds
    `running` bytes within RUNNING_SHARE (the largest usual size when none does)."""
    fits = [gib for gib in HOST_MEMORY_GIB if gib >= drawn and running <= RUNNING_SHARE * memory_for_vms(gib)]
    return f"{fits[0] if fits else HOST_MEMORY_GIB[-1]}GiB"


def inventory(hosts: int, vms: int, seed: int = 7, v2: bool = False) -> dict:
    """The inventory as plain data: one cluster with `hosts` hosts and `vms` VMs; with `v2`, the version 2
    attributes too (`with_v2_attributes`)."""
    rng = random.Random(seed)
    volumes = max(1, hosts // 4)
    drawn = [rng.choice([256, 384, 512, 768]) for _ in range(hosts)]
    running = [0.0] * hosts
    vm_list = []
    for index in range(vms):
        host = f"HV{index % hosts:03d}"
        volume = f"Volume{index % volumes + 1}"
        name = f"VM{index:05d}"
        vm = {
            "name": name,
            "host": host,
            "state": STATES[index % len(STATES)],
            "memory": f"{rng.choice([2, 4, 8, 16, 32])}GiB",
            "dirty_rate": f"{rng.choice([5, 10, 20, 40, 80, 150])}MB/s",
            "compatibility_mode": MODES[index % len(MODES)],
            "disks": [
                f"C:\\ClusterStorage\\{volume}\\{name}\\os.vhdx",
                f"C:\\ClusterStorage\\{volume}\\{name}\\data.vhdx",
            ],
            "adapters": ["External"],
        }
        if index % 3 == 0:
            vm["working_set"] = f"{rng.choice([1, 2, 4])}GiB"
        if index % 7 == 0:
            vm["dvd"] = ["\\\\fs01\\library\\iso\\tools.iso"]
        if vm["state"] == "running":
            running[index % hosts] += int(vm["memory"].removesuffix("GiB")) * GIB
        vm_list.append(vm)
    host_list = [
        {
            "name": f"HV{index:03d}",
            "processor": PROCESSORS[index * len(PROCESSORS) // hosts],
            "memory": host_memory(drawn[index], running[index]),
            "switches": ["External", "Backup"] if index % 5 else ["External"],
        }
        for index in range(hosts)
    ]
    data = {
        "cluster": {
            "name": "HVC-BENCH",
            "platform": "ws2019",
            "failover_clustering": True,
            "max_migrations": 2,
            "networks": [
                {"name": "LiveMigration", "roles": ["live_migration"], "bandwidth": "10Gbps"},
                {"name": "Management", "roles": ["management", "client"], "bandwidth": "1Gbps"},
                {"name": "Heartbeat", "roles": ["cluster"], "bandwidth": "1Gbps"},
            ],
            "storage": [
                {"name": f"Volume{v + 1}", "kind": "csv", "path": f"C:\\ClusterStorage\\Volume{v + 1}"}
                for v in range(volumes)
            ]
            + [{"name": "Library", "kind": "smb", "path": "\\\\fs01\\library"}],
            "hosts": host_list,
            "vms": vm_list,
        }
    }
    return with_v2_attributes(data) if v2 else data


V2_EVERY = 10
"""One VM in this many carries version 2 attributes (issue 14's benchmark: a tenth of them)."""
UPGRADED = 4
"""Hosts, the last of the cluster, already upgraded to ws2022 in a rolling upgrade."""


def with_v2_attributes(data: dict) -> dict:
    """The inventory with every attribute version 2 adds (language-v2.md): the cluster's domain and a
    clustered disk; on every host its processors, NUMA nodes and virtual SANs, and on some of them a
    written reserve, NUMA spanning off, a partitionable GPU, guarded-host keys and a newer release (a
    rolling upgrade); and on every V2_EVERY-th VM its processors, configuration version, checkpoints, a
    `disk` block with a size and a Fibre Channel adapter, with in turn dynamic memory, DDA devices, a
    shielded VM, a vTPM with its guardian, or a GPU partition and a pass-through disk. The version 1
    attributes are unchanged, so the file differs from the plain one by these alone."""
    settings = {key: value for key, value in data["cluster"].items() if not isinstance(value, list)}
    cluster = data["cluster"] = {**settings, "domain": "contoso.com", **data["cluster"]}
    cluster["storage"].append({"name": "SQLDisk", "kind": "disk"})
    hosts = cluster["hosts"]
    for index, host in enumerate(hosts):
        gib = int(host["memory"].removesuffix("GiB"))
        if len(hosts) - index <= UPGRADED:
            host["platform"] = "ws2022"
        if index % 5 == 1:
            host["memory_reserve"] = f"{math.ceil(gib * 30 / 1024) + 2}GiB"
        host["logical_processors"] = (64, 96, 128)[index % 3]
        host["numa_nodes"] = 2
        host["numa_spanning"] = index % 8 != 7
        host["virtual_sans"] = ["SAN-A", "SAN-B"] if index % 6 else ["SAN-A"]
        if index % 4 == 0:
            host.update(gpu="NVIDIA A16", gpu_partition_count=4, iommu_dirty_tracking=True)
        if index % 2 == 0:
            host.update(guarded=True, guardians=["HGS-PROD"])
    for index, vm in enumerate(cluster["vms"][V2_EVERY // 2 :: V2_EVERY]):
        gib = int(vm["memory"].removesuffix("GiB"))
        vm["processors"] = (2, 4, 8, 16)[index % 4]
        vm["config_version"] = 9.0
        vm["checkpoint_type"] = "standard" if index % 3 == 0 else "production"
        vm["checkpoints"] = index % 4
        vm["fibre_channel"] = ["SAN-B"] if index % 2 else ["SAN-A"]
        vm["disk"] = [{"path": vm["disks"][0].replace("os.vhdx", "logs.vhdx"), "size": "40GiB"}]
        variant = index % 5
        if variant == 0:
            vm.update(dynamic_memory=True, startup_memory=f"{max(1, gib // 2)}GiB")
        elif variant == 1:
            vm.update(dda_devices=["PCIROOT(0)#PCI(0300)#PCI(0000)"], dda_pool="GPU-POOL")
        elif variant == 2:
            vm["shielded"] = True
        elif variant == 3:
            vm.update(vtpm=True, key_protector="HGS-PROD")
        else:
            vm.update(gpu_partitions=1, passthrough_disks=["SQLDisk"])
    return data


BARE_WORDS = ("running", "off", "saved", "minimum", "production", "standard")
"""Enumerated values the generator writes, which `.hvc` spells as bare words."""


def _hvc_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_hvc_value(item) for item in value) + "]"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if "\\" in text:
        return f"'{text}'"
    if text[:1].isdigit() or text in BARE_WORDS or "_" in text:
        return text
    return f'"{text}"'


def to_hvc(data: dict) -> str:
    """The inventory in the `.hvc` language."""
    cluster = data["cluster"]
    out = [f'# generated by benchmarks/generate.py\ncluster "{cluster["name"]}" {{']
    for key, value in cluster.items():
        if key != "name" and not isinstance(value, list):
            out.append(f"  {key} = {_hvc_value(value)}")
    for kind, items in (("network", cluster["networks"]), ("storage", cluster["storage"])):
        for item in items:
            body = "; ".join(f"{k} = {_hvc_value(v)}" for k, v in item.items() if k != "name")
            out.append(f'  {kind} "{item["name"]}" {{ {body} }}')
    for host in cluster["hosts"]:
        body = "; ".join(f"{k} = {_hvc_value(v)}" for k, v in host.items() if k != "name")
        out.append(f'  host "{host["name"]}" {{ {body} }}')
    for vm in cluster["vms"]:
        out.append(f'  vm "{vm["name"]}" {{')
        out.extend(f"    {k} = {_hvc_value(v)}" for k, v in vm.items() if k not in ("name", "disk"))
        out.extend(f"    disk '{disk['path']}' {{ size = {disk['size']} }}" for disk in vm.get("disk", ()))
        out.append("  }")
    out.append("}")
    return "\n".join(out) + "\n"


def _yaml_scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    needs_quotes = "\\" in text or ":" in text or text[:1].isdigit()
    return "'" + text.replace("'", "''") + "'" if needs_quotes else text


def _yaml_item(item: object) -> str:
    """One item of a list, at the depth of a VM's or host's attribute."""
    if isinstance(item, dict):
        return "\n".join(
            f"{'          ' if position else '        - '}{k}: {_yaml_scalar(v)}"
            for position, (k, v) in enumerate(item.items())
        )
    return f"        - {_yaml_scalar(item)}"


def to_yaml(data: dict) -> str:
    """The same inventory in YAML, as a team keeping it in YAML would write it."""
    out = ["---", "cluster:"]
    cluster = data["cluster"]
    for key, value in cluster.items():
        if not isinstance(value, list):
            out.append(f"  {key}: {_yaml_scalar(value)}")
            continue
        out.append(f"  {key}:")
        for item in value:
            first = True
            for k, v in item.items():
                prefix = "    - " if first else "      "
                first = False
                if isinstance(v, list):
                    out.append(f"{prefix}{k}:")
                    out.extend(_yaml_item(x) for x in v)
                else:
                    out.append(f"{prefix}{k}: {_yaml_scalar(v)}")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Writes the generated files."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, default=16)
    parser.add_argument("--vms", type=int, default=200)
    parser.add_argument("--out", type=Path, required=True, help="the .hvc file to write")
    parser.add_argument("--yaml", type=Path, help="also write the inventory as YAML here")
    parser.add_argument(
        "--v2-attributes",
        action="store_true",
        help=f"set the version 2 attributes on the hosts and on one VM in {V2_EVERY}",
    )
    args = parser.parse_args(argv)
    data = inventory(args.hosts, args.vms, v2=args.v2_attributes)
    args.out.write_text(to_hvc(data), encoding="utf-8")
    if args.yaml:
        args.yaml.write_text(to_yaml(data), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
