"""Time from `didChange` to `publishDiagnostics` in `hvlint server`, for a 50 KB and a 2 MB document
(server.md: within 100 ms and 2 s, after the first check). Not a test: run it by hand.

    python benchmarks/server_latency.py [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import inventory, to_hvc


def send(process: subprocess.Popen[bytes], message: dict[str, object]) -> None:
    """Writes one JSON-RPC message to the server."""
    body = json.dumps(message).encode("utf-8")
    assert process.stdin is not None
    process.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
    process.stdin.flush()


def receive(process: subprocess.Popen[bytes]) -> dict[str, object]:
    """Reads one JSON-RPC message from the server."""
    assert process.stdout is not None
    length = 0
    while True:
        line = process.stdout.readline()
        if line in (b"\r\n", b""):
            break
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    return json.loads(process.stdout.read(length))


def diagnostics_of(process: subprocess.Popen[bytes], version: int) -> int:
    """Waits for the diagnostics of `version`; returns how many there were."""
    while True:
        message = receive(process)
        params = message.get("params")
        published = message.get("method") == "textDocument/publishDiagnostics"
        if published and isinstance(params, dict) and params.get("version") == version:
            return len(params["diagnostics"])


def latencies(path: Path, text: str, runs: int) -> list[float]:
    """Seconds from each didChange (a one-character edit) to its diagnostics."""
    process = subprocess.Popen(
        [sys.executable, "-m", "hvlint", "server"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    uri = path.as_uri()
    send(process, {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}})
    receive(process)
    send(process, {"jsonrpc": "2.0", "method": "initialized", "params": {}})
    item = {"uri": uri, "languageId": "hvc", "version": 1, "text": text}
    send(process, {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": item}})
    diagnostics_of(process, 1)
    measured = []
    for version in range(2, runs + 2):
        changed = text + "#" * version + "\n"
        change = {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": changed}]}
        started = time.perf_counter()
        send(process, {"jsonrpc": "2.0", "method": "textDocument/didChange", "params": change})
        diagnostics_of(process, version)
        measured.append(time.perf_counter() - started)
    send(process, {"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
    receive(process)
    send(process, {"jsonrpc": "2.0", "method": "exit"})
    process.wait(timeout=30)
    return measured


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--dir", default="/tmp", help="where the documents are written")
    args = parser.parse_args()
    for label, hosts, vms, target in (("50 KB", 16, 200, 0.1), ("2 MB", 64, 8000, 2.0)):
        path = Path(args.dir) / f"server-latency-{vms}.hvc"
        text = to_hvc(inventory(hosts, vms))
        path.write_text(text, "utf-8")
        times = latencies(path, text, args.runs)
        median = statistics.median(times)
        verdict = "met" if median <= target else "missed"
        print(
            f"{label} ({len(text) / 1e3:.0f} KB): median {median * 1e3:.0f} ms, "
            f"best {min(times) * 1e3:.0f} ms "
            f"over {len(times)} changes; target {target * 1e3:.0f} ms: {verdict}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
