"""`hvlint format` of the largest benchmark cluster against `hvlint check --no-cache` of it (issue 15:
at most 1.5x; format.md §7: at most 3x), one run of each, as whole processes.

    python benchmarks/format.py [--hosts 64] [--vms 8000]

Three commands on the same generated file: `check --no-cache`; `format --check`, which parses, lays out,
parses its own output and lays it out again (format.md §5.4) and writes nothing; and `format` of a copy,
which also writes the result. Wall time and CPU time (user + system) of each, and peak memory; the
ratios are of CPU times, which a machine shared with other work disturbs less than wall times.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import compile_bytecode, write_cluster  # noqa: E402

HVLINT = [sys.executable, "-m", "hvlint"]


def measure(command: list[str], cwd: Path) -> tuple[float, float, float, int]:
    """Wall seconds, CPU seconds, peak MiB and exit status of one run of `command`."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def main(argv: list[str] | None = None) -> int:
    """Generates the file, times the three commands once each, prints a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, default=64)
    parser.add_argument("--vms", type=int, default=8000)
    args = parser.parse_args(argv)
    compile_bytecode()
    with tempfile.TemporaryDirectory() as directory:
        work = Path(directory)
        cluster = work / "cluster.hvc"
        write_cluster(cluster, args.hosts, args.vms)
        shutil.copy(cluster, work / "copy.hvc")
        check = measure([*HVLINT, "check", "--no-cache", "cluster.hvc"], work)
        dry = measure([*HVLINT, "format", "--check", "cluster.hvc"], work)
        write = measure([*HVLINT, "format", "copy.hvc"], work)
        again = measure([*HVLINT, "format", "--check", "copy.hvc"], work)
        size = cluster.stat().st_size / 1e6
    print(f"{args.hosts} hosts, {args.vms} VMs, {size:.1f} MB; one run of each command")
    print("| command | wall | CPU | peak memory | exit | CPU / check |")
    print("|---|---|---|---|---|---|")
    for name, (wall, cpu, peak, status) in (
        ("check --no-cache", check),
        ("format --check (changes found)", dry),
        ("format (file rewritten)", write),
        ("format --check (already formatted)", again),
    ):
        print(f"| {name} | {wall:.2f}s | {cpu:.2f}s | {peak:.0f} MiB | {status} | {cpu / check[1]:.2f}x |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
