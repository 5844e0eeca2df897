"""A drain's migrations sharing the link (docs/estimator.md, "Draining a host: the shared link"): an event
simulation in which the migrations that are copying divide the link equally, and setup and switch-over use
none of it.

`share_link(migrations, slots)` starts the migrations in the order given, each on whichever slot frees
first, and returns when each starts and ends and how its passes went under the rate it received.

Processor sharing is simulated in virtual time: `service` is what one copying migration has received since
the start, in seconds of a whole link, and grows at 1/n per second while n migrations copy. A copying phase
of w seconds of whole link begun at service s ends when the service reaches s + w, whatever n does
meanwhile, so each event costs O(log m) for m migrations under way.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence

from hvlint.estimator.precopy import STOP_MAX_ROUNDS, STOP_NO_PROGRESS, STOP_TARGET, MigrationInputs, Precopy
from hvlint.records import FrozenRecord, Record

COPYING = ("storage", "pass", "blackout")
"""The phases that use the link."""


class SharedMigration(FrozenRecord):
    """One migration of a drain: its pre-copy inputs (`sharing` is not used: the simulation shares the
    link) and the bytes B a shared-nothing move copies before the memory."""

    __match_args__ = ("inputs", "storage")
    __slots__ = __match_args__
    inputs: MigrationInputs
    storage: float

    def __init__(self, inputs: MigrationInputs, storage: float = 0.0) -> None:
        self._assign(inputs, storage)


class SimulatedMigration(FrozenRecord):
    """How one migration of a drain went: its slot (0-based), when it started and ended, its storage phase,
    and its passes with the times they took while sharing the link: `precopy.total` is end - start,
    `precopy.rate` the average rate its memory was copied at (the passes and the blackout), and
    `precopy.converges` says D < that rate."""

    __match_args__ = ("slot", "start", "end", "storage_time", "precopy")
    __slots__ = __match_args__
    slot: int
    start: float
    end: float
    storage_time: float
    precopy: Precopy

    def __init__(self, slot: int, start: float, end: float, storage_time: float, precopy: Precopy) -> None:
        self._assign(slot, start, end, storage_time, precopy)


class _Run(Record):
    """A migration under way: what it is doing and what it has done."""

    __match_args__ = (
        "migration",
        "index",
        "slot",
        "start",
        "rate",
        "cap",
        "phase",
        "phase_start",
        "phase_work",
        "storage_time",
        "volumes",
        "times",
        "stop",
        "blackout",
    )
    __slots__ = __match_args__

    def __init__(
        self,
        migration: SharedMigration,
        index: int,
        slot: int,
        start: float,
        rate: float,
        cap: float,
        phase_start: float = 0.0,
    ) -> None:
        self.migration = migration
        self.index = index
        """Its place in the start order."""
        self.slot = slot
        self.start = start
        self.rate = rate
        self.cap = cap
        self.phase = "setup"
        self.phase_start = phase_start
        self.phase_work = 0.0
        """The copying phase's length in seconds of a whole link."""
        self.storage_time = 0.0
        self.volumes: list[float] = []
        self.times: list[float] = []
        self.stop = ""
        self.blackout = 0.0


def share_link(migrations: Sequence[SharedMigration], slots: int) -> list[SimulatedMigration]:
    """The migrations, started in the order given on whichever of `slots` slots frees first (ties: the
    lowest slot), each through setup (no link), its storage copy and its pre-copy passes and blackout copy
    (the link's rate η·L·c divided equally among the migrations copying), and switch-over (no link).
    Raises ValueError for inputs the model has no meaning for, as `precopy.simulate` does."""
    if slots < 1 and migrations:
        raise ValueError(f"at least one slot is needed, found {slots}")
    for migration in migrations:
        _check(migration)
    return _Simulation(migrations, slots).run()


def _check(migration: SharedMigration) -> None:
    inputs = migration.inputs
    if inputs.max_rounds < 1:
        raise ValueError(f"n_max (most passes) must be at least 1, found {inputs.max_rounds}")
    if inputs.memory < 0 or inputs.dirty_rate < 0 or migration.storage < 0:
        raise ValueError("memory, dirty rate, working set and storage cannot be negative")
    if inputs.working_set is not None and inputs.working_set < 0:
        raise ValueError("memory, dirty rate, working set and storage cannot be negative")
    if not _alone(inputs) > 0:
        raise ValueError(f"the effective rate R = η·L·c must be above 0, found {_alone(inputs)}")


def _alone(inputs: MigrationInputs) -> float:
    """R with the link to itself: η · L · c."""
    return inputs.efficiency * inputs.link * inputs.transport_factor


class _Simulation:
    """One run of `share_link`: the clock, the service, and the two queues of events."""

    def __init__(self, migrations: Sequence[SharedMigration], slots: int) -> None:
        self.waiting = list(reversed(list(enumerate(migrations))))
        self.free = list(range(slots))
        self.now = 0.0
        self.service = 0.0
        self.timers: list[tuple[float, int, _Run]] = []
        """(time, sequence, run): ends of setup and of switch-over, in real time."""
        self.copying: list[tuple[float, int, _Run]] = []
        """(service, sequence, run): ends of copying phases, one per migration copying."""
        self.sequence = 0
        self.changed = 0.0
        """When the number of migrations copying last changed."""
        self.done: list[tuple[int, SimulatedMigration]] = []

    def run(self) -> list[SimulatedMigration]:
        self._start_waiting()
        while self.timers or self.copying:
            self._advance()
            before = len(self.copying)
            freed: list[int] = []
            while self._due_copy() or self._due_timer():
                while self._due_copy():
                    _, _, run = heapq.heappop(self.copying)
                    self._copied(run, before)
                while self._due_timer():
                    _, _, run = heapq.heappop(self.timers)
                    self._timer(run, freed)
            for slot in freed:
                heapq.heappush(self.free, slot)
            self._start_waiting()
        self.done.sort(key=lambda item: item[0])
        return [simulated for _, simulated in self.done]

    def _advance(self) -> None:
        """Moves the clock to the next event, and the service with it."""
        at_timer = self.timers[0][0] if self.timers else math.inf
        n = len(self.copying)
        at_copy = self.now + (self.copying[0][0] - self.service) * n if n else math.inf
        if at_copy <= at_timer:
            self.service = self.copying[0][0]
            self.now = at_copy
        else:
            if n:
                self.service += (at_timer - self.now) / n
            self.now = at_timer

    def _due_copy(self) -> bool:
        return bool(self.copying) and self.copying[0][0] <= self.service

    def _due_timer(self) -> bool:
        return bool(self.timers) and self.timers[0][0] <= self.now

    def _start_waiting(self) -> None:
        while self.free and self.waiting:
            index, migration = self.waiting.pop()
            slot = heapq.heappop(self.free)
            inputs = migration.inputs
            cap = inputs.memory if inputs.working_set is None else min(inputs.working_set, inputs.memory)
            run = _Run(migration, index, slot, self.now, _alone(inputs), cap, phase_start=self.now)
            self._after(run, inputs.setup)

    def _after(self, run: _Run, seconds: float) -> None:
        self.sequence += 1
        heapq.heappush(self.timers, (self.now + seconds, self.sequence, run))

    def _copy(self, run: _Run, phase: str, work: float) -> None:
        """Starts a copying phase of `work` seconds of whole link."""
        if run.phase not in COPYING:
            self.changed = self.now
        run.phase, run.phase_start, run.phase_work = phase, self.now, work
        self.sequence += 1
        heapq.heappush(self.copying, (self.service + work, self.sequence, run))

    def _timer(self, run: _Run, freed: list[int]) -> None:
        if run.phase == "setup":
            storage = run.migration.storage
            if storage > 0:
                inputs = run.migration.inputs
                self._copy(run, "storage", storage / (inputs.efficiency * inputs.link))
            else:
                self._first_pass(run)
        else:
            freed.append(run.slot)
            self._finish(run)

    def _first_pass(self, run: _Run) -> None:
        memory = run.migration.inputs.memory
        run.volumes.append(memory)
        self._copy(run, "pass", memory / run.rate)

    def _copied(self, run: _Run, copying: int) -> None:
        """A copying phase of `run` ended now; `copying` migrations shared the link until now. A phase
        through which that number held took its work times it, which the clock's difference would round."""
        held = self.changed <= run.phase_start
        elapsed = run.phase_work * copying if held else self.now - run.phase_start
        if run.phase == "storage":
            run.storage_time = elapsed
            self._first_pass(run)
        elif run.phase == "pass":
            self._passed(run, elapsed, copying)
        else:
            run.blackout = elapsed
            run.phase, run.phase_start = "switchover", self.now
            self.changed = self.now
            self._after(run, run.migration.inputs.switchover)

    def _passed(self, run: _Run, elapsed: float, copying: int) -> None:
        """Pass i ended after `elapsed` seconds: the stop rules of estimator.md, with R the rate the pass
        was getting when it ended."""
        inputs = run.migration.inputs
        run.times.append(elapsed)
        volume = run.volumes[-1]
        left = min(inputs.dirty_rate * elapsed, run.cap)
        run.volumes.append(left)
        rate = run.rate / max(copying, 1)
        if len(run.times) == inputs.max_rounds:
            run.stop = STOP_MAX_ROUNDS
        elif left / rate <= inputs.stop_copy_target:
            run.stop = STOP_TARGET
        elif left >= volume:
            run.stop = STOP_NO_PROGRESS
        else:
            self._copy(run, "pass", left / run.rate)
            return
        self._copy(run, "blackout", left / run.rate)

    def _finish(self, run: _Run) -> None:
        inputs = run.migration.inputs
        copying = math.fsum(run.times) + run.blackout
        rate = math.fsum(run.volumes) / copying if copying > 0 else run.rate
        precopy = Precopy(
            inputs,
            rate,
            tuple(run.volumes),
            tuple(run.times),
            run.stop,
            run.blackout + inputs.switchover,
            self.now - run.start,
            inputs.dirty_rate < rate,
        )
        simulated = SimulatedMigration(run.slot, run.start, self.now, run.storage_time, precopy)
        self.done.append((run.index, simulated))
