"""Time from `didChange` to `publishDiagnostics` in `hvlint server`, for a 50 KB and a 2 MB document
(server.md: within 100 ms and 2 s, after the first check). Not a test: run it by hand.

    python benchmarks/server_latency.py [--runs 5] [--timeout 120] [--split]

What it needs: hvlint installed in the interpreter that runs this script, as README.md installs it
(`pip install .`, or `pip install -e .` for a checkout); that brings pygls and lsprotocol, which the server
runs on. Nothing else: the LSP client here is a few lines of JSON-RPC over the server's standard input
and output, not pytest-lsp. The server is started as `python -m hvlint server` with this interpreter, in
the directory the documents are written to (`--dir`), so that a checkout in the current directory does
not stand in for the installed hvlint (a plain install's rules live in site-packages only).

`--split` also says how much of each interval was the check itself (what `hvlint check` does: parsing
and resolving, `pipeline.parse_and_resolve`, then the rules, `pipeline.lint_document`, timed inside the
server) and how much the server's own work around it (reading the change, scheduling it, finding the
configuration, converting the findings to diagnostics, writing them). For that the server is started
through `hvlint.cli.run` with those two functions wrapped in a timer, not as `python -m hvlint server`.

It stops with a message, never waits for ever: when hvlint or the server's libraries cannot be imported,
when the server exits or shows an error (`window/showMessage`), and when an answer takes longer than
`--timeout` seconds.
"""

from __future__ import annotations

import argparse
import json
import queue
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import IO, Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import inventory, to_hvc

TIMED_SERVER = """
import sys, time
from hvlint import pipeline
parse, lint, spent = pipeline.parse_and_resolve, pipeline.lint_document, [0.0]
def timed_parse(*args):
    started = time.perf_counter()
    try:
        return parse(*args)
    finally:
        spent[0] = time.perf_counter() - started
def timed_lint(*args):
    started = time.perf_counter()
    try:
        return lint(*args)
    finally:
        seconds = spent[0] + time.perf_counter() - started
        sys.stderr.write(f"hvlint-check-seconds {seconds:.6f}\\n")
        sys.stderr.flush()
pipeline.parse_and_resolve, pipeline.lint_document = timed_parse, timed_lint
from hvlint.cli import run
sys.argv = ["hvlint", "server"]
run()
"""
"""`hvlint server` with the duration of each check's parse and rules on standard error (--split)."""

INSTALL_HINT = "install hvlint into this interpreter first: `pip install .` (or `pip install -e .`)"


class ServerFailed(Exception):
    """The server cannot be measured: why, in a sentence."""


def preflight(directory: Path) -> None:
    """Fails fast when this interpreter, started where the server will be, cannot import the server."""
    code = "import hvlint.rules, hvlint.server.protocol"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=directory, capture_output=True, text=True, timeout=120
    )
    if done.returncode == 0:
        return
    last = (done.stderr.strip().splitlines() or ["(no message)"])[-1]
    if (directory / "hvlint" / "__init__.py").exists():
        raise ServerFailed(
            f"{directory} holds a checkout's hvlint/, which stands in for the installed hvlint there "
            f"({last}): write the documents elsewhere (--dir)"
        )
    raise ServerFailed(f"{sys.executable} cannot run `hvlint server` ({last}): {INSTALL_HINT}")


class Server:
    """`hvlint server` in a subprocess, and the messages it sends, read by a thread into a queue."""

    def __init__(self, directory: Path, timeout: float, errors: IO[bytes], timed: bool = False) -> None:
        self.timeout = timeout
        self.errors = errors
        command = ["-c", TIMED_SERVER] if timed else ["-m", "hvlint", "server"]
        self.process = subprocess.Popen(
            [sys.executable, *command],
            cwd=directory,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.errors,
        )
        self.messages: queue.Queue[dict[str, Any] | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stdout = self.process.stdout
        assert stdout is not None
        while True:
            length = 0
            while True:
                line = stdout.readline()
                if line == b"":
                    self.messages.put(None)
                    return
                if line == b"\r\n":
                    break
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            self.messages.put(json.loads(stdout.read(length)))

    def send(self, message: dict[str, Any]) -> None:
        """Writes one JSON-RPC message to the server."""
        body = json.dumps(message).encode("utf-8")
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
            self.process.stdin.flush()
        except BrokenPipeError:
            raise ServerFailed(self._ended()) from None

    def receive(self) -> dict[str, Any]:
        """The server's next message; ServerFailed when it exits, shows an error or is silent too long."""
        try:
            message = self.messages.get(timeout=self.timeout)
        except queue.Empty:
            raise ServerFailed(f"the server sent nothing for {self.timeout:.0f} s") from None
        if message is None:
            raise ServerFailed(self._ended())
        if message.get("method") == "window/showMessage" and message["params"].get("type") == 1:
            raise ServerFailed(f"the server showed an error: {message['params']['message']}")
        if "id" in message and "method" in message:
            self.send({"jsonrpc": "2.0", "id": message["id"], "result": None})
        return message

    def _ended(self) -> str:
        status = self.process.wait(timeout=30)
        self.errors.seek(0)
        said = self.errors.read().decode("utf-8", "replace").strip().splitlines()
        return f"the server exited with status {status}: {said[-1] if said else '(nothing on stderr)'}"

    def answer(self, request_id: int) -> dict[str, Any]:
        """Waits for the response to request `request_id`."""
        while True:
            message = self.receive()
            if message.get("id") == request_id and "method" not in message:
                return message

    def diagnostics(self, version: int) -> int:
        """Waits for the diagnostics of `version`; returns how many there were."""
        while True:
            message = self.receive()
            params = message.get("params")
            published = message.get("method") == "textDocument/publishDiagnostics"
            if published and isinstance(params, dict) and params.get("version") == version:
                return len(params["diagnostics"])

    def check_seconds(self) -> list[float]:
        """How long each check took inside the server, in order (a timed server's standard error)."""
        self.errors.seek(0)
        lines = self.errors.read().decode("utf-8", "replace").splitlines()
        return [float(line.split()[1]) for line in lines if line.startswith("hvlint-check-seconds ")]

    def close(self) -> None:
        """shutdown and exit, or kill the server when it does not answer."""
        try:
            self.send({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
            self.answer(2)
            self.send({"jsonrpc": "2.0", "method": "exit"})
            self.process.wait(timeout=30)
        except (ServerFailed, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()


def latencies(
    path: Path, text: str, runs: int, timeout: float, split: bool
) -> tuple[list[float], list[float]]:
    """Seconds from each didChange (a one-character edit) to its diagnostics, and (with `split`) how long
    each of those changes' checks took inside the server."""
    with tempfile.TemporaryFile() as errors:
        server = Server(path.parent, timeout, errors, timed=split)
        try:
            measured = _measure(server, path, text, runs)
        finally:
            server.close()
        return measured, server.check_seconds()[1 : runs + 1]


def _measure(server: Server, path: Path, text: str, runs: int) -> list[float]:
    """Opens the document, then times each one-character change to its diagnostics."""
    uri = path.as_uri()
    server.send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}})
    server.answer(1)
    server.send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    item = {"uri": uri, "languageId": "hvc", "version": 1, "text": text}
    server.send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": item}})
    server.diagnostics(1)
    measured = []
    for version in range(2, runs + 2):
        changed = text + "#" * version + "\n"
        change = {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": changed}]}
        started = time.perf_counter()
        server.send({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": change})
        server.diagnostics(version)
        measured.append(time.perf_counter() - started)
    return measured


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--dir", default=tempfile.gettempdir(), help="where the documents are written")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds to wait for any answer")
    parser.add_argument("--split", action="store_true", help="also time the check inside the server")
    args = parser.parse_args()
    directory = Path(args.dir)
    try:
        preflight(directory)
        for label, hosts, vms, target in (("50 KB", 16, 200, 0.1), ("2 MB", 64, 8000, 2.0)):
            path = directory / f"server-latency-{vms}.hvc"
            text = to_hvc(inventory(hosts, vms))
            path.write_text(text, "utf-8")
            times, checks = latencies(path, text, args.runs, args.timeout, args.split)
            median = statistics.median(times)
            verdict = "met" if median <= target else "missed"
            print(
                f"{label} ({len(text) / 1e3:.0f} KB): median {median * 1e3:.0f} ms, "
                f"best {min(times) * 1e3:.0f} ms, worst {max(times) * 1e3:.0f} ms "
                f"over {len(times)} changes; target {target * 1e3:.0f} ms: {verdict}",
                flush=True,
            )
            if checks:
                own = [total - check for total, check in zip(times, checks, strict=True)]
                print(
                    f"  of which the check itself: median {statistics.median(checks) * 1e3:.0f} ms; "
                    f"the server's own work: median {statistics.median(own) * 1e3:.1f} ms",
                    flush=True,
                )
    except ServerFailed as failure:
        print(f"server_latency: {failure}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
