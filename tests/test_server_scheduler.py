"""When the server checks and collects (hvlint.server.scheduler, memory), what a failed check shows, and
benchmarks/server_latency.py stopping with a message instead of waiting when the server cannot answer."""

from __future__ import annotations

import asyncio
import importlib.util
import tempfile
import threading
from pathlib import Path

import pytest

from hvlint.server import memory
from hvlint.server.checker import failed
from hvlint.server.scheduler import Scheduler

ROOT = Path(__file__).resolve().parent.parent


class Recorder:
    """A document store for the scheduler: what each check saw and what was delivered."""

    def __init__(self) -> None:
        self.text = {"a": "a1", "b": "b1"}
        self.checked: list[str] = []
        self.delivered: list[tuple[str, str]] = []
        self.release = threading.Event()
        self.done = asyncio.Event()

    def prepare(self, key: str):
        if key not in self.text:
            return None
        text = self.text[key]

        def work() -> str:
            self.release.wait(10)
            self.checked.append(text)
            return text

        return work

    def deliver(self, key: str, result: str) -> None:
        self.delivered.append((key, result))
        self.done.set()


async def settle(recorder: Recorder, scheduler: Scheduler[str]) -> None:
    while scheduler.busy:
        recorder.done.clear()
        await asyncio.wait_for(recorder.done.wait(), 10)


@pytest.mark.asyncio
async def test_changes_during_a_check_are_checked_once_and_the_stale_result_dropped():
    recorder = Recorder()
    scheduler: Scheduler[str] = Scheduler(recorder.prepare, recorder.deliver)
    scheduler.request("a")
    for text in ("a2", "a3", "a4"):
        recorder.text["a"] = text
        scheduler.request("a")
    assert scheduler.busy
    recorder.release.set()
    await settle(recorder, scheduler)
    assert recorder.checked == ["a1", "a4"]
    assert recorder.delivered == [("a", "a4")]


@pytest.mark.asyncio
async def test_documents_are_checked_one_after_the_other_and_a_closed_one_not_at_all():
    recorder = Recorder()
    recorder.release.set()
    scheduler: Scheduler[str] = Scheduler(recorder.prepare, recorder.deliver)
    scheduler.request("a")
    scheduler.request("b")
    scheduler.request("closed")
    order: list[str] = []
    scheduler.in_order(lambda: order.append("after a and b"))
    await settle(recorder, scheduler)
    await asyncio.sleep(0.05)
    assert sorted(recorder.delivered) == [("a", "a1"), ("b", "b1")]
    assert order == ["after a and b"] and len(recorder.checked) == 2


@pytest.mark.asyncio
async def test_the_collector_waits_for_quiet_and_bounds_the_garbage(monkeypatch: pytest.MonkeyPatch):
    collections: list[int] = []
    made = [0]
    monkeypatch.setattr(memory.gc, "collect", lambda: collections.append(made[0]) or 0)
    monkeypatch.setattr(memory.gc, "get_count", lambda: (made[0], 0, 0))
    collector = memory.Collector(quiet=0.01, most=1000)
    made[0] = 400
    collector.after_check(idle=True)
    collector.before_check()
    await asyncio.sleep(0.05)
    assert collections == []
    made[0] = 999
    collector.after_check(idle=False)
    collector.before_check()
    await asyncio.sleep(0.05)
    assert collections == []
    made[0] = 1000
    collector.after_check(idle=False)
    collector.before_check()
    assert collections == [1000]
    made[0] = 10
    collector.after_check(idle=True)
    await asyncio.sleep(0.05)
    assert collections == [1000, 10]


def test_a_check_that_raised_is_one_hv000_diagnostic_on_line_1():
    linted = failed("cluster \U0001f600 {\n}\n", RuntimeError("boom"))
    (diagnostic,) = linted.diagnostics
    assert diagnostic.code == "HV000" and "RuntimeError: boom" in diagnostic.message
    assert (diagnostic.range.start.line, diagnostic.range.end.line) == (0, 0)
    assert diagnostic.range.end.character == len("cluster \U0001f600 {".encode("utf-16-le")) // 2
    assert linted.document is None and linted.findings == []


def _latency_module():
    spec = importlib.util.spec_from_file_location("server_latency", ROOT / "benchmarks" / "server_latency.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_latency_benchmark_says_why_when_the_server_cannot_start(tmp_path: Path):
    latency = _latency_module()
    shadow = tmp_path / "hvlint"
    shadow.mkdir()
    (shadow / "__init__.py").write_text("raise ImportError('not the installed hvlint')\n", "utf-8")
    with pytest.raises(latency.ServerFailed, match=r"holds a checkout's hvlint/.*--dir"):
        latency.preflight(tmp_path)
    latency.preflight(ROOT / "tests")


def test_the_latency_benchmark_stops_when_the_server_exits_or_is_silent(tmp_path: Path):
    latency = _latency_module()
    fake = tmp_path / "hvlint"
    fake.mkdir()
    (fake / "__init__.py").write_text("", "utf-8")
    (fake / "__main__.py").write_text(
        "import sys, time\nsys.stderr.write('cannot serve\\n')\n"
        "if '--silent' in open('mode').read(): time.sleep(30)\nsys.exit(3)\n",
        "utf-8",
    )
    (tmp_path / "mode").write_text("--exit", "utf-8")
    with tempfile.TemporaryFile() as errors:
        server = latency.Server(tmp_path, 20, errors)
        with pytest.raises(latency.ServerFailed, match="exited with status 3: cannot serve"):
            server.receive()
    (tmp_path / "mode").write_text("--silent", "utf-8")
    with tempfile.TemporaryFile() as errors:
        server = latency.Server(tmp_path, 0.5, errors)
        with pytest.raises(latency.ServerFailed, match="the server sent nothing for"):
            server.receive()
        server.process.kill()
        server.process.wait()


def test_the_latency_benchmark_times_changes_and_the_checks_inside_the_server(tmp_path: Path):
    latency = _latency_module()
    path = tmp_path / "small.hvc"
    text = 'cluster "C" {\n  platform = ws2019\n  host "H1" { memory = 64GiB }\n}\n'
    path.write_text(text, "utf-8")
    times, checks = latency.latencies(path, text, 2, 60, split=True)
    assert len(times) == len(checks) == 2
    assert all(0 < check <= total for check, total in zip(checks, times, strict=True))
