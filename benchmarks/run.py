"""hvlint's benchmarks: every figure beside its reference, as ratios, from one run.

    python benchmarks/run.py [--runs 5] [--quick]

Each command runs as a whole process, several times after one warm-up; the median wall time is quoted,
and each ratio is the median of the ratios of runs taken in turn (A B A B ...), so that a machine whose
speed drifts still compares like with like. Peak memory is the largest resident set of one run. Needs
`yamllint` (`pip install -e '.[bench]'`); its rows are skipped, with a note, when it is missing.

hvlint's bytecode is compiled first, as `pip install` does: a checkout edited since its last import, run
with PYTHONDONTWRITEBYTECODE set, would otherwise recompile modules on every run and measure the compiler.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from drain_speed import drain_speed_row  # noqa: E402
from generate import inventory, to_hvc, to_yaml  # noqa: E402

PYTHON = sys.executable


@dataclass(frozen=True)
class Run:
    """One finished process: wall seconds, peak resident memory in MiB, exit status, processor seconds
    (user and system)."""

    seconds: float
    peak_mib: float
    status: int
    cpu: float = 0.0


def run_once(command: Sequence[str], cwd: Path) -> Run:
    """Runs `command` once, its output discarded."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    return Run(seconds, usage.ru_maxrss / 1024, process.returncode, usage.ru_utime + usage.ru_stime)


def paired(
    a: Sequence[str], b: Sequence[str], cwd: Path, runs: int, prepare_a=None
) -> tuple[list[Run], list[Run]]:  # type: ignore[no-untyped-def]
    """`runs` runs of each command in turn, after one warm-up of each."""
    results_a, results_b = [], []
    for index in range(runs + 1):
        if prepare_a is not None:
            prepare_a()
        run_a = run_once(a, cwd)
        run_b = run_once(b, cwd)
        if index:
            results_a.append(run_a)
            results_b.append(run_b)
    return results_a, results_b


def ratio(a: list[Run], b: list[Run]) -> float:
    """The median of the pairwise ratios A/B."""
    return statistics.median(x.seconds / y.seconds for x, y in zip(a, b, strict=True))


def median(runs: list[Run]) -> float:
    """The median wall time."""
    return statistics.median(run.seconds for run in runs)


class Table:
    """Rows of figures, printed aligned, with each target's verdict."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, str]] = []

    def add(self, what: str, figure: str, target: str, met: bool | None) -> None:
        """One row: what was measured, the figure, the target, and whether it is met (None: no target)."""
        verdict = "" if met is None else ("met" if met else "NOT MET")
        self.rows.append((what, figure, target, verdict))
        print(f"  {what}: {figure} (target {target}) {verdict}", file=sys.stderr, flush=True)

    def render(self) -> str:
        """The table as Markdown."""
        header = ("measure", "figure", "target", "")
        widths = [max(len(row[i]) for row in [header, *self.rows]) for i in range(4)]
        lines = [
            "| " + " | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) + " |"
            for row in [header, *self.rows]
        ]
        lines.insert(1, "|" + "|".join("-" * (width + 2) for width in widths) + "|")
        return "\n".join(lines) + "\n"


def ratio_row(table: Table, what: str, a: list[Run], b: list[Run], limit: float) -> None:
    """A row for the ratio of A's times to B's, with both medians, met when at most `limit`."""
    table.add(
        what,
        f"{ratio(a, b):.2f}x ({median(a):.2f}s vs {median(b):.2f}s)",
        f"<= {limit:g}x",
        ratio(a, b) <= limit,
    )


def write_cluster(path: Path, hosts: int, vms: int, yaml: Path | None = None) -> None:
    """A generated cluster file (and, if asked, the same inventory as YAML)."""
    data = inventory(hosts, vms)
    path.write_text(to_hvc(data), encoding="utf-8")
    if yaml is not None:
        yaml.write_text(to_yaml(data), encoding="utf-8")


def report_row(table: Table, hvlint: list[str], check: list[str], big: Path, work: Path, runs: int) -> None:
    """`hvlint report` of the big cluster against `check` of it (report.md: under 3x, under 10 MB);
    skipped, with a note, by an hvlint without the command."""
    help_text = subprocess.run([*hvlint, "--help"], capture_output=True, text=True).stdout
    if "report" not in help_text:
        table.add("report of the big cluster / its check", "no report command", "<= 3x, < 10 MB", None)
        return
    page = work / "report.html"
    a, b = paired([*hvlint, "report", str(big), "-o", str(page)], check, work, runs)
    size = page.stat().st_size / 1e6
    table.add(
        "report of the big cluster / its check",
        f"{ratio(a, b):.2f}x ({median(a):.2f}s vs {median(b):.2f}s), {size:.1f} MB",
        "<= 3x, < 10 MB",
        ratio(a, b) <= 3 and size < 10,
    )


def compile_bytecode() -> None:
    """Writes the bytecode of the hvlint that `python -m hvlint` imports, as an installation does."""
    located = subprocess.run(
        [PYTHON, "-c", "import hvlint, os; print(os.path.dirname(hvlint.__file__))"],
        capture_output=True,
        text=True,
        check=True,
    )
    subprocess.run([PYTHON, "-m", "compileall", "-q", located.stdout.strip()], check=True)


def main(argv: list[str] | None = None) -> int:
    """Runs every benchmark and prints the table."""
    parser = argparse.ArgumentParser(description="hvlint's benchmarks, as ratios to their references")
    parser.add_argument("--runs", type=int, default=5, help="counted runs of each command (default 5)")
    parser.add_argument("--quick", action="store_true", help="smaller files, for a smoke run")
    parser.add_argument("--startup", action="store_true", help="only the start-up rows (50 KB, --version)")
    args = parser.parse_args(argv)
    hvlint = [PYTHON, "-m", "hvlint"]
    compile_bytecode()
    help_text = subprocess.run([*hvlint, "check", "--help"], capture_output=True, text=True).stdout
    no_cache = ["--no-cache"] if "--no-cache" in help_text else []
    vms = 800 if args.quick else 8000
    work = Path(tempfile.mkdtemp(prefix="hvlint-bench-"))
    table = Table()
    try:
        if args.startup:
            return _startup_only(table, hvlint, no_cache, work, args.runs)
        big, big_yaml = work / "big.hvc", work / "big.yaml"
        write_cluster(big, 64, vms, big_yaml)
        double = work / "double.hvc"
        write_cluster(double, 64, vms * 2)
        small = work / "small.hvc"
        write_cluster(small, 16, 200)
        print(
            f"machine: {os.cpu_count()} CPUs; python {sys.version.split()[0]}; files in {work}",
            file=sys.stderr,
        )
        print(
            f"big: {big.stat().st_size / 1e6:.1f} MB ({vms} VMs); small: {small.stat().st_size / 1e3:.0f} KB",
            file=sys.stderr,
        )

        check_big = [*hvlint, "check", *no_cache, str(big)]
        a = _against_plain_lark(table, check_big, big, vms, work, args.runs)
        peak = max(run.peak_mib for run in a)
        table.add(
            f"peak memory, full check of {vms} VMs", f"{peak:.0f} MiB", "<= 150 MB", peak <= 150 * 1e6 / 2**20
        )
        report_row(table, hvlint, check_big, big, work, args.runs)
        _against_yamllint(table, check_big, big_yaml, work, args.runs)

        _small_file_check(table, hvlint, no_cache, small, work, args.runs)
        _version(table, hvlint, work, args.runs)
        a, b = paired([*hvlint, "check", *no_cache, str(double)], check_big, work, args.runs)
        table.add(
            f"full check of {2 * vms} VMs / of {vms} VMs",
            f"{ratio(a, b):.2f}x",
            "<= 2.2x",
            ratio(a, b) <= 2.2,
        )
        _capacity(table, hvlint, no_cache, (big, double), vms, work, args.runs)
        _hosts_scaling(table, hvlint, no_cache, work, args.runs, args.quick)
        _estimate_against_check(table, hvlint, no_cache, big, work, args.runs)
        _memory_per_vm(table, hvlint, no_cache, work, args.quick)
        _new_attributes(table, hvlint, no_cache, big, vms, work, args.runs)
        _warm_rerun(table, hvlint, work, args.runs, bool(no_cache))
        drain_speed_row(table, args.quick)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(table.render(), end="")
    return 0


def _against_plain_lark(
    table: Table, check_big: list[str], big: Path, vms: int, work: Path, runs: int
) -> list[Run]:
    """The full check of the big cluster against a naive Lark parse of it that keeps positions (issue 19:
    at most 0.35x); returns the check's runs."""
    a, b = paired(check_big, [PYTHON, str(HERE / "plain_lark.py"), str(big)], work, runs)
    ratio_row(table, f"full check of {vms} VMs / plain Lark parse with positions", a, b, 0.35)
    return a


def _against_yamllint(table: Table, check_big: list[str], big_yaml: Path, work: Path, runs: int) -> None:
    """yamllint of the same inventory as YAML against the full check (issue 19: at least 10x slower)."""
    what = "yamllint on the same inventory / full check"
    yamllint = shutil.which("yamllint") or str(Path(PYTHON).with_name("yamllint"))
    if not Path(yamllint).exists():
        table.add(what, "yamllint not installed", ">= 10x", None)
        return
    a, b = paired(check_big, [yamllint, str(big_yaml)], work, runs)
    speedup = 1 / ratio(a, b)
    table.add(what, f"{speedup:.1f}x faster ({median(b):.2f}s vs {median(a):.2f}s)", ">= 10x", speedup >= 10)


def _startup_only(table: Table, hvlint: list[str], no_cache: list[str], work: Path, runs: int) -> int:
    """The start-up rows alone (`--startup`), printed as a table."""
    small = work / "small.hvc"
    write_cluster(small, 16, 200)
    _small_file_check(table, hvlint, no_cache, small, work, runs)
    _version(table, hvlint, work, runs)
    _startup_split(table, no_cache, small, work, runs)
    print(table.render(), end="")
    return 0


_TWO_CHECKS = """
import contextlib, io, sys, time
before = len(sys.modules)
from hvlint import cli
times = []
for _ in range(2):
    started = time.process_time()
    with contextlib.redirect_stdout(io.StringIO()):
        cli.main(sys.argv[1:])
    times.append(time.process_time() - started)
    modules = len(sys.modules) - before if len(times) == 1 else modules
print(times[0], times[1], modules)
"""


def _startup_split(table: Table, no_cache: list[str], small: Path, work: Path, runs: int) -> None:
    """What of the 50 KB file's check is set-up paid once per process (imports, tables) and what is the
    work: two checks in one process, processor time, medians of `runs` processes (issue 19)."""
    firsts, seconds, modules = [], [], 0
    for _ in range(runs):
        done = subprocess.run(
            [PYTHON, "-c", _TWO_CHECKS, "check", *no_cache, str(small)],
            cwd=work,
            capture_output=True,
            text=True,
            check=True,
        )
        first, second, count = done.stdout.split()
        firsts.append(float(first))
        seconds.append(float(second))
        modules = int(count)
    setup = statistics.median(firsts) - statistics.median(seconds)
    table.add(
        "check of the 50 KB file in one process: set-up (first check less the second) / the work",
        f"{setup * 1000:.0f}ms / {statistics.median(seconds) * 1000:.0f}ms processor time; {modules} modules",
        "none (what start-up leaves to take)",
        None,
    )


def _small_file_check(
    table: Table, hvlint: list[str], no_cache: list[str], small: Path, work: Path, runs: int
) -> None:
    """A check of a 50 KB file against the interpreter's own start-up (issue 19: what a pre-commit hook
    or an editor pays on every run)."""
    a, b = paired([*hvlint, "check", *no_cache, str(small)], [PYTHON, "-c", "pass"], work, runs)
    table.add(
        "check of a 50 KB file (16 hosts, 200 VMs) / python -c pass",
        f"{ratio(a, b):.1f}x ({median(a) * 1000:.0f}ms vs {median(b) * 1000:.0f}ms)",
        "<= 6x",
        ratio(a, b) <= 6,
    )


def _version(table: Table, hvlint: list[str], work: Path, runs: int) -> None:
    """`hvlint --version` against the interpreter's own start-up (issue 19)."""
    a, b = paired([*hvlint, "--version"], [PYTHON, "-c", "pass"], work, runs)
    table.add(
        "hvlint --version / python -c pass",
        f"{ratio(a, b):.1f}x ({median(a) * 1000:.0f}ms vs {median(b) * 1000:.0f}ms)",
        "<= 3x",
        ratio(a, b) <= 3,
    )


def _capacity(
    table: Table,
    hvlint: list[str],
    no_cache: list[str],
    files: tuple[Path, Path],
    vms: int,
    work: Path,
    runs: int,
) -> None:
    """HV603 and HV604 (every host's failover and drain plan) against a full check without them, and
    their own time on twice the VMs (the placement must stay linear in the VMs). The first ratio is also
    given in processor time over at least 15 pairs, with its range: the load of a shared machine moves
    one pair by more than the 15% the target allows."""
    big, double = files
    without = [*hvlint, "check", *no_cache, "--ignore", "HV603,HV604", str(big)]
    a, b = paired([*hvlint, "check", *no_cache, str(big)], without, work, max(runs, 15))
    ratio_row(table, f"full check of {vms} VMs / the same without HV603 and HV604", a, b, 1.15)
    processor_ratio_row(table, f"the same, processor time, {len(a)} pairs", a, b, 1.15)
    only = [*hvlint, "check", *no_cache, "--select", "HV603,HV604"]
    a, b = paired([*only, str(double)], [*only, str(big)], work, runs)
    table.add(
        f"HV603 and HV604 on {2 * vms} VMs / on {vms} VMs",
        f"{ratio(a, b):.2f}x",
        "<= 2.2x",
        ratio(a, b) <= 2.2,
    )


def processor_ratio_row(table: Table, what: str, a: list[Run], b: list[Run], limit: float) -> None:
    """A row for the median ratio of A's processor times to B's, with the range of the pairs' ratios."""
    ratios = sorted(x.cpu / y.cpu for x, y in zip(a, b, strict=True))
    found = statistics.median(ratios)
    table.add(
        what, f"{found:.2f}x (from {ratios[0]:.2f}x to {ratios[-1]:.2f}x)", f"<= {limit:g}x", found <= limit
    )


def _hosts_scaling(
    table: Table, hvlint: list[str], no_cache: list[str], work: Path, runs: int, quick: bool
) -> None:
    """2,000 hosts against 125 with the same 2,000 VMs: the cost must grow with the file, not with pairs
    of hosts (issue 19), in wall and in processor time."""
    vms, few, many = (500, 30, 500) if quick else (2000, 125, 2000)
    small, large = work / "hosts-few.hvc", work / "hosts-many.hvc"
    write_cluster(small, few, vms)
    write_cluster(large, many, vms)
    a, b = paired(
        [*hvlint, "check", *no_cache, str(large)], [*hvlint, "check", *no_cache, str(small)], work, runs
    )
    ratio_row(table, f"full check of {many} hosts / {few} hosts, {vms} VMs each", a, b, 2)
    processor_ratio_row(table, "the same, processor time", a, b, 2)


def _estimate_against_check(
    table: Table, hvlint: list[str], no_cache: list[str], big: Path, work: Path, runs: int
) -> None:
    """`hvlint estimate` and `estimate --drain` of the big cluster against its check (issue 19: one parse
    per file, the estimates computed once)."""
    check = [*hvlint, "check", *no_cache, str(big)]
    for what, extra in (("estimate", []), ("estimate --drain", ["--drain", "HV001"])):
        a, b = paired([*hvlint, "estimate", *extra, str(big)], check, work, runs)
        ratio_row(table, f"{what} of the big cluster / its check", a, b, 1.15)


def _memory_per_vm(table: Table, hvlint: list[str], no_cache: list[str], work: Path, quick: bool) -> None:
    """Peak memory of a check of 50,000 VMs on 64 hosts, per VM (issue 19: memory linear, <= 8 KB a VM)."""
    vms = 5000 if quick else 50000
    path = work / "fifty-thousand.hvc"
    write_cluster(path, 64, vms)
    peak = run_once([*hvlint, "check", *no_cache, str(path)], work).peak_mib
    per_vm = peak * 2**20 / vms / 1000
    table.add(
        f"peak memory of a check of {vms} VMs, per VM",
        f"{per_vm:.1f} KB ({peak:.0f} MiB)",
        "<= 8 KB",
        per_vm <= 8,
    )
    path.unlink()


def _new_attributes(
    table: Table, hvlint: list[str], no_cache: list[str], big: Path, vms: int, work: Path, runs: int
) -> None:
    """The big cluster with every version 2 attribute set on its hosts and on a tenth of its VMs, against
    the big cluster itself (issue 14)."""
    attributed = work / "big-v2.hvc"
    attributed.write_text(to_hvc(inventory(64, vms, v2=True)), encoding="utf-8")
    a, b = paired(
        [*hvlint, "check", *no_cache, str(attributed)], [*hvlint, "check", *no_cache, str(big)], work, runs
    )
    table.add(
        f"full check of {vms} VMs, a tenth with the version 2 attributes / without them",
        f"{ratio(a, b):.2f}x ({median(a):.2f}s vs {median(b):.2f}s)",
        "<= 1.2x",
        ratio(a, b) <= 1.2,
    )


def _warm_rerun(table: Table, hvlint: list[str], work: Path, runs: int, has_cache: bool) -> None:
    """40 unchanged files checked again with the result cache, against the same run without it."""
    tree = work / "forty"
    tree.mkdir()
    for index in range(40):
        write_cluster(tree / f"cluster{index:02d}.hvc", 8, 60 + index)
    if not has_cache:
        table.add("warm re-run over 40 unchanged files / cold", "no result cache yet", "<= 0.15x", None)
        return
    cache = work / ".hvlint_cache"
    subprocess.run([*hvlint, "check", str(tree)], cwd=work, capture_output=True)
    a, b = paired([*hvlint, "check", str(tree)], [*hvlint, "check", "--no-cache", str(tree)], work, runs)
    table.add(
        "warm re-run over 40 unchanged files / cold",
        f"{ratio(a, b):.2f}x ({median(a):.2f}s vs {median(b):.2f}s)",
        "<= 0.15x",
        ratio(a, b) <= 0.15,
    )
    shutil.rmtree(cache, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
