"""Importing an inventory of 64 hosts and 8,000 VMs against `hvlint check --no-cache` of the result
(import.md §8.5, issue 15). `python benchmarks/import_speed.py [RUNS]` runs both commands RUNS times
(default 5), alternately so that both see the same load, and prints the minimum and median of each: the
elapsed time, which the issue is about, and the processor time of the command, which the other work on a
shared machine disturbs less."""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HOSTS, VMS, CLUSTERS = 64, 8000, 4


def inventory() -> dict[str, object]:
    """A collector-shaped document: 4 clusters of 16 hosts, 125 VMs on each host."""
    clusters, hosts, vms = [], [], []
    per_cluster = HOSTS // CLUSTERS
    for c in range(CLUSTERS):
        name = f"HVC-{c:02d}"
        nodes = [f"HV{c:02d}{h:02d}" for h in range(per_cluster)]
        clusters.append(
            {
                "name": name,
                "max_parallel_migrations": None,
                "nodes": [{"name": n, "state": "Up"} for n in nodes],
                "networks": [
                    {
                        "name": "LM",
                        "id": f"00000000-0000-4000-8000-{c:012d}",
                        "role": "Cluster",
                        "address": "10.0.50.0",
                        "address_mask": "255.255.255.0",
                    }
                ],
                "network_interfaces": [
                    {"node": n, "network": "LM", "adapter": "LM1", "address": f"10.0.50.{i + 1}"}
                    for i, n in enumerate(nodes)
                ],
                "migration_exclude_networks": [],
                "shared_volumes": [{"name": "Cluster Disk 1", "paths": ["C:\\ClusterStorage\\Volume1"]}],
                "vm_groups": [],
            }
        )
        for i, node in enumerate(nodes):
            hosts.append(
                {
                    "name": node,
                    "cluster": name,
                    "os": {"build": 17763},
                    "installed_memory_bytes": 1024**4,
                    "processors": [{"manufacturer": "GenuineIntel", "processor_id": "BFEBFBFF00050654"}],
                    "switches": [{"name": "External"}],
                    "migration": {"enabled": True, "performance": "SMB", "max_migrations": 4},
                    "net_adapters": [{"name": "LM1", "interface_index": 7, "speed_bps": 25 * 10**9}],
                    "ip_addresses": [
                        {"interface_index": 7, "address": f"10.0.50.{i + 1}", "prefix_length": 24}
                    ],
                }
            )
    for v in range(VMS):
        host = hosts[v % HOSTS]
        name = f"VM{v:05d}"
        root = f"C:\\ClusterStorage\\Volume1\\{name}"
        vms.append(
            {
                "name": name,
                "id": f"{v:08x}-0000-4000-8000-000000000000",
                "host": host["name"],
                "state": "Running",
                "memory_startup_bytes": 8 * 1024**3,
                "memory_assigned_bytes": 8 * 1024**3,
                "compatibility_for_migration_enabled": False,
                "configuration_version": "9.0",
                "is_clustered": True,
                "paths": {"configuration": root, "snapshots": root, "smart_paging": root},
                "disks": [
                    {
                        "path": root + "\\os.vhdx",
                        "controller_type": "SCSI",
                        "controller_number": 0,
                        "controller_location": 0,
                    }
                ],
                "network_adapters": [
                    {"name": "Network Adapter", "switch_name": "External", "connected": True}
                ],
            }
        )
    return {
        "schema": "hvlint-inventory/1",
        "collector": {"name": "Export-HvlintInventory.ps1", "version": "0.1.0"},
        "collected_at": "2025-01-31T14:05:09Z",
        "powershell_version": "5.1.17763.6414",
        "clusters": clusters,
        "hosts": hosts,
        "vms": vms,
    }


def _timed(args: list[str], statuses: tuple[int, ...]) -> tuple[float, float]:
    """The elapsed and the processor time (user and system) of one run of `args`, which must end with
    one of `statuses`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    ended = subprocess.run(args, check=False, capture_output=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if ended.returncode not in statuses:
        raise SystemExit(f"{' '.join(args[2:])} ended with {ended.returncode}: {ended.stderr.decode()}")
    return elapsed, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def _figures(name: str, times: list[float]) -> str:
    return f"{name} min {min(times):.2f}s median {statistics.median(times):.2f}s"


def main(argv: list[str]) -> int:
    """Prints the figures of both commands and the ratios of their minimums and medians."""
    runs = int(argv[0]) if argv else 5
    with tempfile.TemporaryDirectory() as directory:
        source, output = Path(directory, "inventory.json"), Path(directory, "estate.hvc")
        source.write_text(json.dumps(inventory()), encoding="utf-8")
        hvlint = [sys.executable, "-m", "hvlint"]
        imported: list[tuple[float, float]] = []
        checked: list[tuple[float, float]] = []
        for _ in range(runs):
            output.unlink(missing_ok=True)
            imported.append(_timed([*hvlint, "import", str(source), "-o", str(output), "--quiet"], (0,)))
            checked.append(_timed([*hvlint, "check", "--no-cache", str(output)], (0, 1)))
        lines = output.read_text(encoding="utf-8").count("\n")
        print(f"inventory {source.stat().st_size / 1e6:.1f} MB -> {lines} lines of .hvc, {runs} runs each")
        for measure, index in (("elapsed", 0), ("processor", 1)):
            mine = [times[index] for times in imported]
            theirs = [times[index] for times in checked]
            print(f"{measure}: {_figures('import', mine)}; {_figures('check --no-cache', theirs)}")
            print(
                f"  ratio of minimums {min(mine) / min(theirs):.2f}, "
                f"of medians {statistics.median(mine) / statistics.median(theirs):.2f}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
