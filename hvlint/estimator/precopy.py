"""The pre-copy model over plain numbers (estimator.md): how long moving a running VM takes, and how long
it pauses. `precopy(M, D, L, ...)` (or `simulate(MigrationInputs(...))`) runs the passes and returns a
`Precopy` with every pass, the downtime and the total.

Everything is in base units: bytes, bytes per second, seconds. The same inputs always give the same numbers:
the arithmetic is plain floating point in a fixed order.
"""

from __future__ import annotations

from functools import lru_cache

from hvlint.estimator.settings import DEFAULTS, EARLY_MAX_ROUNDS
from hvlint.records import FrozenRecord

STOP_MAX_ROUNDS = "max_rounds"
"""Stop condition 1: i + 1 = n_max, the passes ran out."""
STOP_TARGET = "stop_copy_target"
"""Stop condition 2: V_i+1 / R <= t_stop, what is left fits the stop-copy target."""
STOP_NO_PROGRESS = "no_progress"
"""Stop condition 3: V_i+1 >= V_i, the workload dirties memory as fast as the link sends it."""


class MigrationInputs(FrozenRecord):
    """Every input of one migration (estimator.md's table), as plain numbers in base units."""

    __match_args__ = (
        "memory",
        "dirty_rate",
        "link",
        "working_set",
        "efficiency",
        "transport_factor",
        "sharing",
        "max_rounds",
        "stop_copy_target",
        "switchover",
        "setup",
    )
    __slots__ = __match_args__
    memory: float
    """M: memory to copy, bytes."""
    dirty_rate: float
    """D: rate at which the workload dirties memory, bytes/s."""
    link: float
    """L: the link's rate, bytes/s."""
    working_set: float | None
    """W: the writable working set, bytes (None: M)."""
    efficiency: float
    """η: the share of the link a migration gets."""
    transport_factor: float
    """c: 1.0 for tcp and smb, the compression ratio for compression."""
    sharing: int
    """k: migrations sharing the link."""
    max_rounds: int
    """n_max: the most pre-copy passes."""
    stop_copy_target: float
    """t_stop, seconds."""
    switchover: float
    """t_sw, seconds."""
    setup: float
    """t_setup, seconds."""

    def __init__(
        self,
        memory: float,
        dirty_rate: float,
        link: float,
        working_set: float | None = None,
        efficiency: float = DEFAULTS["link_efficiency"],
        transport_factor: float = 1.0,
        sharing: int = 1,
        max_rounds: int = EARLY_MAX_ROUNDS,
        stop_copy_target: float = DEFAULTS["stop_copy_target"],
        switchover: float = DEFAULTS["switchover"],
        setup: float = DEFAULTS["setup"],
    ) -> None:
        self._assign(
            memory,
            dirty_rate,
            link,
            working_set,
            efficiency,
            transport_factor,
            sharing,
            max_rounds,
            stop_copy_target,
            switchover,
            setup,
        )

    @property
    def rate(self) -> float:
        """R = η · L · c / k, the effective rate of this migration."""
        return self.efficiency * self.link * self.transport_factor / self.sharing


class Precopy(FrozenRecord):
    """The outcome of one migration: its passes, what was left for the blackout, downtime and total.

    `rate`: R, bytes/s. `volumes`: V_0 ... V_n, what each pass copied, then what was left dirty for the
    blackout (V_n). `pass_times`: T_0 ... T_n-1, seconds. `stop`: why the passes stopped, STOP_MAX_ROUNDS,
    STOP_TARGET or STOP_NO_PROGRESS. `downtime`: V_n / R + t_sw, seconds. `total`: t_setup + T_0 + ... +
    T_n-1 + downtime, seconds. `converges`: D < R.
    """

    __match_args__ = ("inputs", "rate", "volumes", "pass_times", "stop", "downtime", "total", "converges")
    __slots__ = __match_args__
    inputs: MigrationInputs
    rate: float
    volumes: tuple[float, ...]
    pass_times: tuple[float, ...]
    stop: str
    downtime: float
    total: float
    converges: bool

    def __init__(
        self,
        inputs: MigrationInputs,
        rate: float,
        volumes: tuple[float, ...],
        pass_times: tuple[float, ...],
        stop: str,
        downtime: float,
        total: float,
        converges: bool,
    ) -> None:
        self._assign(inputs, rate, volumes, pass_times, stop, downtime, total, converges)

    def with_total(self, total: float) -> Precopy:
        """The same outcome with another total."""
        return Precopy(
            self.inputs,
            self.rate,
            self.volumes,
            self.pass_times,
            self.stop,
            self.downtime,
            total,
            self.converges,
        )

    @property
    def passes(self) -> int:
        """n, the number of pre-copy passes done."""
        return len(self.pass_times)

    @property
    def remaining(self) -> float:
        """V_n, the bytes copied while the VM is paused."""
        return self.volumes[-1]


def simulate(inputs: MigrationInputs) -> Precopy:
    """Runs the passes of estimator.md:

        R = η·L·c/k;  V_0 = M;  T_i = V_i / R;  V_i+1 = min(D·T_i, W, M)

    stopping after pass i as soon as i + 1 = n_max, or V_i+1 / R <= t_stop, or V_i+1 >= V_i (checked in
    that order, which only decides the reason recorded). Raises ValueError for inputs the model has no
    meaning for (a rate of zero, negative sizes, fewer than one pass or one migration).
    """
    memory, dirty_rate = inputs.memory, inputs.dirty_rate
    if inputs.sharing < 1:
        raise ValueError(f"k (migrations sharing the link) must be at least 1, found {inputs.sharing}")
    if inputs.max_rounds < 1:
        raise ValueError(f"n_max (most passes) must be at least 1, found {inputs.max_rounds}")
    if memory < 0 or dirty_rate < 0 or (inputs.working_set is not None and inputs.working_set < 0):
        raise ValueError("memory, dirty rate and working set cannot be negative")
    rate = inputs.rate
    if not rate > 0:
        raise ValueError(f"the effective rate R = η·L·c/k must be above 0, found {rate}")
    cap = memory if inputs.working_set is None else min(inputs.working_set, memory)
    volumes = [memory]
    times: list[float] = []
    i = 0
    while True:
        volume = volumes[i]
        time = volume / rate
        times.append(time)
        left = min(dirty_rate * time, cap)
        volumes.append(left)
        if i + 1 == inputs.max_rounds:
            stop = STOP_MAX_ROUNDS
        elif left / rate <= inputs.stop_copy_target:
            stop = STOP_TARGET
        elif left >= volume:
            stop = STOP_NO_PROGRESS
        else:
            i += 1
            continue
        break
    downtime = volumes[-1] / rate + inputs.switchover
    total = inputs.setup + sum(times) + downtime
    return Precopy(inputs, rate, tuple(volumes), tuple(times), stop, downtime, total, dirty_rate < rate)


@lru_cache(maxsize=4096)
def simulate_once(inputs: MigrationInputs) -> Precopy:
    """`simulate(inputs)`, remembered for the last 4096 distinct inputs (VMs alike in memory, dirty rate,
    working set and link are common; a `Precopy` is immutable, so they share it)."""
    return simulate(inputs)


def precopy(
    memory: float,
    dirty_rate: float,
    link: float,
    *,
    working_set: float | None = None,
    efficiency: float = DEFAULTS["link_efficiency"],
    transport_factor: float = 1.0,
    sharing: int = 1,
    max_rounds: int = EARLY_MAX_ROUNDS,
    stop_copy_target: float = DEFAULTS["stop_copy_target"],
    switchover: float = DEFAULTS["switchover"],
    setup: float = DEFAULTS["setup"],
) -> Precopy:
    """The migration of M = `memory` bytes dirtied at D = `dirty_rate` over a link of L = `link` bytes/s
    (the other inputs default to estimator.md's defaults): see `simulate`."""
    return simulate(
        MigrationInputs(
            memory,
            dirty_rate,
            link,
            working_set,
            efficiency,
            transport_factor,
            sharing,
            max_rounds,
            stop_copy_target,
            switchover,
            setup,
        )
    )
