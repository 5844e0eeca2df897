"""Checking many files: through the result cache, and in parallel processes when that pays.

Every file is checked by `check_source`, whether in this process or in a worker, so `--jobs N` gives the
same findings as `--jobs 1`; only the order in which they are computed differs, and the report sorts them.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Sequence

from hvlint.lean_typing import NamedTuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from hvlint.cache import ResultCache
    from hvlint.config import Config
    from hvlint.engine import Linter
    from hvlint.findings import Finding

PARALLEL_MIN_BYTES = 256 * 1024
"""Below this much text to check, starting worker processes costs more than it saves."""


class Source(NamedTuple):
    """A file to check: the name it is reported under, its content, and its base revision's content."""

    name: str
    data: bytes
    base: bytes | None = None


class Checked(NamedTuple):
    """A checked file: its text (for excerpts), its findings, and the tracebacks of rules that raised."""

    name: str
    text: str
    findings: list[Finding]
    tracebacks: Sequence[str] = ()


def check_source(linter: Linter, source: Source) -> Checked:
    """The findings of one file (and of its base revision, for the change-aware rules)."""
    from hvlint.pipeline import lint_document, parse_and_resolve

    return lint_document(linter, *parse_and_resolve(source))


def _check_serially(linter: Linter, sources: Sequence[Source]) -> list[Checked]:
    """Each file checked in turn with the cycle collector paused. A model is a web of reference cycles (a
    VM refers to its cluster and back) that only the collector frees, so the previous file's is
    collected before the next file is read; the last file's is left to the caller (the `hvlint` command
    ends without collecting it)."""
    results: list[Checked] = []
    with _CollectorPaused():
        for source in sources:
            results.append(_check_after_the_last(linter, source, collect=bool(results)))
    return results


def _check_after_the_last(linter: Linter, source: Source, collect: bool) -> Checked:
    """`check_source`, after collecting what the file checked before left (when `collect`)."""
    if collect:
        gc.collect(0)
    return check_source(linter, source)


class _CollectorPaused:
    """Python's cycle collector paused while a file is parsed and checked. Parsing makes hundreds of
    thousands of objects that live on (tokens, the model) and no garbage cycles, and each collection
    walks them all: on a 2 MB file the collector took 40% of the parse."""

    __slots__ = ("was_enabled",)

    def __enter__(self) -> None:
        self.was_enabled = gc.isenabled()
        gc.disable()

    def __exit__(self, *exception: object) -> None:
        if self.was_enabled:
            gc.enable()


class CacheAnswers:
    """What the result cache holds for each file of a run: its result or None, and its key."""

    __slots__ = ("keys", "results")

    def __init__(self, count: int) -> None:
        self.results: list[Checked | None] = [None] * count
        self.keys: list[str | None] = [None] * count

    @property
    def complete(self) -> bool:
        """Whether the cache answered for every file, and there was at least one (nothing to check)."""
        return bool(self.results) and None not in self.results

    def checked(self) -> list[Checked]:
        """The results, every one of which the cache answered."""
        return [result for result in self.results if result is not None]


def look_up(sources: Sequence[Source], cache: ResultCache | None) -> CacheAnswers:
    """Each file's result from the cache, where it has one (no cache: none)."""
    from hvlint.language.encoding import utf8_text

    answers = CacheAnswers(len(sources))
    if cache is None:
        return answers
    for index, source in enumerate(sources):
        key = answers.keys[index] = cache.key(source.name, source.data, source.base)
        text = utf8_text(source.data)[0]
        found = cache.get(key, text)
        if found is not None:
            answers.results[index] = Checked(source.name, text, found)
    return answers


def check_sources(
    linter: Linter,
    sources: Sequence[Source],
    cache: ResultCache | None,
    jobs: int,
    answers: CacheAnswers | None = None,
) -> list[Checked]:
    """Every file's result, in the order given: the cache's `answers` (looked up if not given) where it
    has them, else checked (in `jobs` processes when there is enough to check); results without an
    internal error go into the cache."""
    if answers is None:
        answers = look_up(sources, cache)
    results = list(answers.results)
    todo = [index for index, result in enumerate(results) if result is None]
    pending = [sources[index] for index in todo]
    for index, checked in zip(todo, _run(linter, pending, jobs), strict=True):
        results[index] = checked
        key = answers.keys[index]
        if cache is not None and key is not None and not checked.tracebacks:
            cache.put(key, checked.findings)
    return [result for result in results if result is not None]


def _run(linter: Linter, sources: list[Source], jobs: int) -> list[Checked]:
    if jobs <= 1 or len(sources) < 2 or sum(len(source.data) for source in sources) < PARALLEL_MIN_BYTES:
        return _check_serially(linter, sources)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from hvlint.workers import worker_results

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    workers = min(jobs, len(sources))
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_start_worker, initargs=(linter.config,)
    ) as pool:
        return worker_results(pool, _check_in_worker, sources)


_WORKER: dict[str, Any] = {}


def _start_worker(config: Config) -> None:
    from hvlint.engine import Linter
    from hvlint.plugins import load_plugins

    registry = load_plugins(config.plugins, config.plugin_directory)
    _WORKER["linter"] = Linter(registry, config)


def _check_in_worker(source: Source) -> Checked:
    """A file checked in a worker process as in `_check_serially`: the collector paused (a worker forked
    from the `hvlint` command finds it off already) and the previous file's model collected first."""
    with _CollectorPaused():
        checked = _check_after_the_last(_WORKER["linter"], source, collect=_WORKER.get("checked", False))
    _WORKER["checked"] = True
    return checked


def default_jobs() -> int:
    """The number of processors this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - platforms without sched_getaffinity
        return os.cpu_count() or 1
