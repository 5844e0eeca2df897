"""The estimator's settings: the `[estimator]` values of a run and the defaults of estimator.md.

Every default is written once, in `hvlint.config.ESTIMATOR_KEYS` (which also validates the keys); the rest
of the estimator reads them from `DEFAULTS` here.
"""

from __future__ import annotations

from hvlint.config import ESTIMATOR_KEYS
from hvlint.records import FrozenRecord

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from hvlint.config import Config

DEFAULTS: dict[str, Any] = {key: default for key, (_, default) in ESTIMATOR_KEYS.items()}
"""Each `[estimator]` key's default in base units (None: no default)."""

EARLY_PLATFORMS = ("ws2008r2", "ws2012")
"""The platforms that run up to `EARLY_MAX_ROUNDS` pre-copy passes; later ones run `LATER_MAX_ROUNDS`."""
EARLY_MAX_ROUNDS = 10
LATER_MAX_ROUNDS = 5
SINGLE_MIGRATION_PLATFORMS = ("ws2008r2",)
"""Platforms that run one live migration per node at a time, whatever `max_migrations` says (HV307)."""


class Parameters(FrozenRecord):
    """The `[estimator]` settings of a run, in base units (None: not configured)."""

    __match_args__ = (
        "default_dirty_rate",
        "link_efficiency",
        "compression_ratio",
        "max_rounds",
        "stop_copy_target",
        "switchover",
        "setup",
        "max_downtime",
        "max_migration_time",
        "drain_window",
        "memory_aware_drain",
        "configured",
    )
    __slots__ = __match_args__
    default_dirty_rate: float | None
    link_efficiency: float
    compression_ratio: float
    max_rounds: int | None
    stop_copy_target: float
    switchover: float
    setup: float
    max_downtime: float
    max_migration_time: float | None
    drain_window: float | None
    memory_aware_drain: bool
    configured: frozenset[str]
    """The keys the configuration sets (the others are built-in defaults: `assumptions`)."""

    def __init__(
        self,
        default_dirty_rate: float | None = DEFAULTS["default_dirty_rate"],
        link_efficiency: float = DEFAULTS["link_efficiency"],
        compression_ratio: float = DEFAULTS["compression_ratio"],
        max_rounds: int | None = DEFAULTS["max_rounds"],
        stop_copy_target: float = DEFAULTS["stop_copy_target"],
        switchover: float = DEFAULTS["switchover"],
        setup: float = DEFAULTS["setup"],
        max_downtime: float = DEFAULTS["max_downtime"],
        max_migration_time: float | None = DEFAULTS["max_migration_time"],
        drain_window: float | None = DEFAULTS["drain_window"],
        memory_aware_drain: bool = DEFAULTS["memory_aware_drain"],
        configured: frozenset[str] = frozenset(),
    ) -> None:
        self._assign(
            default_dirty_rate,
            link_efficiency,
            compression_ratio,
            max_rounds,
            stop_copy_target,
            switchover,
            setup,
            max_downtime,
            max_migration_time,
            drain_window,
            memory_aware_drain,
            configured,
        )

    @classmethod
    def from_config(cls, config: Config) -> Parameters:
        """The settings `config.estimator_value` gives (its defaults where the file sets nothing)."""
        names = [name for name in cls.__match_args__ if name != "configured"]
        values = {name: config.estimator_value(name) for name in names}
        return cls(**values, configured=frozenset(config.estimator))


def max_rounds(platform: str, params: Parameters) -> int:
    """n_max: `estimator.max_rounds`, else 10 for ws2008r2 and ws2012, 5 from ws2012r2."""
    if params.max_rounds is not None:
        return params.max_rounds
    return EARLY_MAX_ROUNDS if platform in EARLY_PLATFORMS else LATER_MAX_ROUNDS


def transport_factor(transport: str, params: Parameters) -> float:
    """c: tcp and smb 1.0, compression `estimator.compression_ratio`."""
    return params.compression_ratio if transport == "compression" else 1.0


def migration_slots(platform: str, max_migrations: int) -> int:
    """The live migrations a node runs at once: 1 on ws2008r2 (HV307), else `max_migrations`."""
    return 1 if platform in SINGLE_MIGRATION_PLATFORMS else max_migrations
