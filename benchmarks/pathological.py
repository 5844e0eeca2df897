"""Pathological input (issue 6): each case is answered in seconds, with a clear finding.

    python benchmarks/pathological.py                 # every case, at full size
    python benchmarks/pathological.py --scale 0.1     # every case at a tenth of the size
    python benchmarks/pathological.py --case nul      # one case
    python benchmarks/pathological.py --linear        # issue 20's cases at 1/8, 1/4, 1/2 and 1

Each case runs in a fresh process (so that the peak memory is its own) through `hvlint check --format
json` in process, on a file written to a temporary directory. It prints the seconds the check took (not
counting writing the file, nor start-up: a one-line file is checked first, which imports what a check
needs), the process's peak resident memory, how many findings, and the first one.
The exit status is 1 when a case takes longer than --limit seconds (default 30), gives no finding, or
exits otherwise than 0 or 1. `tests/test_faults.py` checks the same cases, smaller, for the kind of
finding each gives.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

MB = 1_000_000

HEAD = 'cluster "C" {\n  host "H1" { processor = "intel-xeon-5600"; memory = 64GiB }\n'


def long_string(scale: float) -> str:
    """A 2 MB string that never ends (no closing quote before the end of the line)."""
    return HEAD + '  storage "S" { kind = csv; path = "' + "x" * int(2 * MB * scale) + "\n}\n"


def long_name(scale: float) -> str:
    """A 2 MB string used as a name: a VM whose host is a 2 MB name that nothing declares."""
    return HEAD + '  vm "V" { memory = 1GiB; host = "' + "H" * int(2 * MB * scale) + '" }\n}\n'


def long_line_of_names(scale: float) -> str:
    """A 2 MB line of bare names, separated by spaces: `a0 a1 a2 ...`."""
    words, size, index = [], 0, 0
    while size < 2 * MB * scale:
        word = f"a{index}"
        words.append(word)
        size += len(word) + 1
        index += 1
    return " ".join(words) + "\n"


def nested_brackets(scale: float) -> str:
    """200,000 nested brackets, closed: `switches = [[[...]]]`."""
    depth = int(200_000 * scale)
    return HEAD.replace("memory = 64GiB", "memory = 64GiB; switches = " + "[" * depth + "]" * depth) + "}\n"


def unclosed_brackets(scale: float) -> str:
    """200,000 opening brackets and no closing one."""
    return HEAD + "  x = " + "[" * int(200_000 * scale) + "\n"


def nested_blocks(scale: float) -> str:
    """200,000 nested blocks, closed: `cluster "a" { cluster "a" { ... } }`."""
    depth = int(200_000 * scale)
    return 'cluster "a" {\n' * depth + "}\n" * depth


def unclosed_blocks(scale: float) -> str:
    """200,000 nested blocks, none closed."""
    return 'vm "a" {\n' * int(200_000 * scale)


def many_attributes(scale: float) -> str:
    """100,000 attributes in one block, each unknown: `a0 = 1`, `a1 = 1`, ..."""
    count = int(100_000 * scale)
    return 'cluster "C" {\n' + "".join(f"  a{index} = 1\n" for index in range(count)) + "}\n"


def repeated_attribute(scale: float) -> str:
    """100,000 attributes in one block, the same one again and again."""
    return 'cluster "C" {\n' + "  platform = ws2019\n" * int(100_000 * scale) + "}\n"


def many_hosts_one_typo(scale: float) -> str:
    """A cluster of 20,000 hosts and 20,000 VMs whose `host` names none of them ("did you mean" hints
    compare each with every host)."""
    count = int(20_000 * scale)
    hosts = "".join(
        f'  host "H{i}" {{ processor = "intel-xeon-5600"; memory = 64GiB }}\n' for i in range(count)
    )
    vms = "".join(f'  vm "V{i}" {{ memory = 1GiB; host = "X{i}" }}\n' for i in range(count))
    return 'cluster "C" {\n' + hosts + vms + "}\n"


def nul_bytes(scale: float) -> bytes:
    """2 MB of NUL bytes."""
    return b"\0" * int(2 * MB * scale)


def invalid_utf8(scale: float) -> bytes:
    """2 MB of bytes that are not UTF-8."""
    return b"\xff\xfe" * int(MB * scale)


def stray_then_spaces(scale: float) -> str:
    """A stray character and 2 MB of spaces (issue 20: `printf '@%20000s'` took 100 s at 20 KB)."""
    return "@" + " " * int(2 * MB * scale)


def findings_on_one_line(scale: float) -> str:
    """40,000 disks off every storage on one 0.75 MB line: 40,000 HV201 findings on one line (issue 20:
    62 s, against 1.1 s one per line)."""
    disks = ", ".join(f"'D:\\v\\{index:07}.vhdx'" for index in range(int(40_000 * scale)))
    return HEAD + f'  vm "V" {{ host = H1; memory = 1GiB; disks = [{disks}] }}\n}}\n'


def suppressed_each(scale: float) -> str:
    """32,000 VMs, each suppressing its own HV505 (issue 20: 209 s at 2.1 MB): every suppression is
    matched, so none is reported unused; one last VM suppresses nothing, and has its HV505."""
    vms = "".join(
        f'  vm "V{index}" {{ host = H1; memory = 1GiB }}  # hvlint: disable=HV505\n'
        for index in range(int(32_000 * scale))
    )
    return SUPPRESSED_HEAD + vms + '  vm "LAST" { host = H1; memory = 1GiB }\n}\n'


SUPPRESSED_HEAD = (
    'cluster "C" {\n  failover_clustering = true\n'
    '  network "LM" { roles = [live_migration]; bandwidth = 1Gbps }\n'
    '  host "H1" { processor = "intel-xeon-5600"; memory = 64GiB }\n'
    '  host "H2" { processor = "intel-xeon-5600"; memory = 64GiB }\n'
)


CASES: dict[str, Callable[[float], str | bytes]] = {
    "long-string": long_string,
    "long-name": long_name,
    "long-line-of-names": long_line_of_names,
    "nested-brackets": nested_brackets,
    "unclosed-brackets": unclosed_brackets,
    "nested-blocks": nested_blocks,
    "unclosed-blocks": unclosed_blocks,
    "many-attributes": many_attributes,
    "repeated-attribute": repeated_attribute,
    "many-hosts-one-typo": many_hosts_one_typo,
    "nul": nul_bytes,
    "invalid-utf8": invalid_utf8,
    "stray-then-spaces": stray_then_spaces,
    "findings-on-one-line": findings_on_one_line,
    "suppressed-each": suppressed_each,
}
"""Every case, by name: each makes the file's content at a scale (1.0 is the size issue 6 names)."""


def run_case(name: str, scale: float) -> dict[str, object]:
    """Runs one case in this process: what `main()` returned, how long it took, and what it found."""
    from hvlint.cli import main

    content = CASES[name](scale)
    data = content.encode("utf-8") if isinstance(content, str) else content
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / f"{name}.hvc"
        path.write_bytes(data)
        (Path(directory) / "hvlint.toml").write_text("", encoding="utf-8")
        report = Path(directory) / "report.json"
        err = io.StringIO()
        warm_up = Path(directory) / "warm-up.hvc"
        warm_up.write_text(HEAD + "}\n", encoding="utf-8")
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            main(["check", "--no-cache", "--format", "json", str(warm_up)])
        started = time.perf_counter()
        with contextlib.redirect_stderr(err):
            status = main(["check", "--no-cache", "--format", "json", "--output", str(report), str(path)])
        seconds = time.perf_counter() - started
        findings = json.loads(report.read_text(encoding="utf-8"))["findings"] if report.exists() else []
    first = findings[0] if findings else None
    return {
        "case": name,
        "bytes": len(data),
        "status": status,
        "seconds": round(seconds, 3),
        "peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "findings": len(findings),
        "codes": sorted({finding["code"] for finding in findings}),
        "first": f"{first['line']}:{first['column']}: {first['code']} {first['message'][:150]}"
        if first
        else None,
        "stderr": err.getvalue().strip(),
    }


LINEAR_CASES = ("stray-then-spaces", "findings-on-one-line", "suppressed-each")
"""Issue 20's cases whose cost was quadratic."""
GROWTH_LIMIT = 2.3
"""The most a case's time may grow when its input doubles."""
SMALL_STRAY = 0.01
"""The scale of issue 20's 20 KB file of a stray character and spaces, which must take under 0.1 s."""


def _in_child(name: str, scale: float, limit: float = 30.0) -> dict[str, object] | None:
    """One case run in a fresh process: its result, or None (said on standard error) when it failed."""
    child = subprocess.run(
        [sys.executable, __file__, "--child", name, "--scale", str(scale)],
        capture_output=True,
        text=True,
        timeout=max(60.0, limit * 4),
        check=False,
    )
    if child.returncode != 0:
        print(f"{name}: the case itself failed:\n{child.stderr}", file=sys.stderr)
        return None
    return json.loads(child.stdout)  # type: ignore[no-any-return]


def linear(scale: float, names: list[str]) -> int:
    """Times each case at 1/8, 1/4, 1/2 and all of `scale` (the best of three runs each) and prints how
    the time grows as the input doubles; 1 when it grows more than GROWTH_LIMIT times, or the 20 KB
    stray-character file takes 0.1 s or more."""
    failed = False
    for name in names:
        times = []
        for fraction in (0.125, 0.25, 0.5, 1.0):
            runs = [_in_child(name, scale * fraction) for _ in range(3)]
            if any(run is None for run in runs):
                return 1
            best = min(runs, key=lambda run: run["seconds"])  # type: ignore[index]
            times.append((best["bytes"], best["seconds"]))  # type: ignore[index]
        growth = [later[1] / earlier[1] if earlier[1] else 0.0 for earlier, later in pairwise(times)]
        ok = all(step <= GROWTH_LIMIT for step in growth)
        failed = failed or not ok
        sizes = "  ".join(f"{size / MB:.2f} MB {seconds:.3f} s" for size, seconds in times)
        steps = " ".join(f"x{step:.2f}" for step in growth)
        print(f"{name:22} {sizes}  growth {steps}{'' if ok else '  FAILED'}")
    small = _in_child("stray-then-spaces", SMALL_STRAY)
    if small is not None:
        ok = small["seconds"] < 0.1  # type: ignore[operator]
        failed = failed or not ok
        verdict = "" if ok else "  FAILED"
        print(f"{'stray-then-spaces':22} {small['bytes']} bytes  {small['seconds']} s{verdict}")
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--case", choices=sorted(CASES), action="append", help="run only this case")
    parser.add_argument("--scale", type=float, default=1.0, help="size relative to issue 6's (default 1)")
    parser.add_argument("--limit", type=float, default=30.0, help="seconds a case may take (default 30)")
    parser.add_argument("--json", action="store_true", help="print one JSON object per case")
    parser.add_argument(
        "--linear", action="store_true", help="time issue 20's cases at doubling sizes (cost must be linear)"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_case(args.child, args.scale)))
        return 0
    if args.linear:
        return linear(args.scale, args.case or list(LINEAR_CASES))
    failed = False
    for name in args.case or list(CASES):
        result = _in_child(name, args.scale, args.limit)
        if result is None:
            failed = True
            continue
        ok = result["status"] in (0, 1) and result["findings"] and result["seconds"] <= args.limit
        failed = failed or not ok
        if args.json:
            print(json.dumps(result))
        else:
            print(
                f"{name:20} {result['bytes'] / MB:6.2f} MB  {result['seconds']:6.2f} s  "
                f"{result['peak_mib']:7.1f} MiB  exit {result['status']}  {result['findings']} findings"
                f"{'' if ok else '  FAILED'}\n{'':22}{result['first']}"
            )
            if result["stderr"]:
                print(f"{'':22}stderr: {result['stderr'][:200]}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
