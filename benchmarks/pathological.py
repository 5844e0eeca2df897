"""Pathological input (issue 6): each case is answered in seconds, with a clear finding.

    python benchmarks/pathological.py                 # every case, at full size
    python benchmarks/pathological.py --scale 0.1     # every case at a tenth of the size
    python benchmarks/pathological.py --case nul      # one case

Each case runs in a fresh process (so that the peak memory is its own) through `hvlint check --format
json` in process, on a file written to a temporary directory. It prints the seconds the check took (not
counting writing the file), the process's peak resident memory, how many findings, and the first one.
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
        started = time.perf_counter()
        with contextlib.redirect_stderr(err):
            status = main(["check", "--format", "json", "--output", str(report), str(path)])
        seconds = time.perf_counter() - started
        findings = json.loads(report.read_text(encoding="utf-8"))["findings"] if report.exists() else []
    first = findings[0] if findings else None
    return {
        "case": name,
        "bytes": len(data),
        "status": status,
        "seconds": round(seconds, 2),
        "peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "findings": len(findings),
        "codes": sorted({finding["code"] for finding in findings}),
        "first": f"{first['line']}:{first['column']}: {first['code']} {first['message'][:150]}"
        if first
        else None,
        "stderr": err.getvalue().strip(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--case", choices=sorted(CASES), action="append", help="run only this case")
    parser.add_argument("--scale", type=float, default=1.0, help="size relative to issue 6's (default 1)")
    parser.add_argument("--limit", type=float, default=30.0, help="seconds a case may take (default 30)")
    parser.add_argument("--json", action="store_true", help="print one JSON object per case")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_case(args.child, args.scale)))
        return 0
    failed = False
    for name in args.case or list(CASES):
        child = subprocess.run(
            [sys.executable, __file__, "--child", name, "--scale", str(args.scale)],
            capture_output=True,
            text=True,
            timeout=max(60.0, args.limit * 4),
            check=False,
        )
        if child.returncode != 0:
            print(f"{name}: the case itself failed:\n{child.stderr}", file=sys.stderr)
            failed = True
            continue
        result = json.loads(child.stdout)
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
