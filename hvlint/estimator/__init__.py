"""The pre-copy estimator (estimator.md): how long moving a running VM takes, and how long it pauses.

One module per job, all pure (no I/O, no plugins, no configuration files):

- `settings`: the `[estimator]` settings of a run (`Parameters.from_config`) and estimator.md's defaults;
- `precopy`: the model over plain numbers, `precopy(M, D, L, ...)` or `simulate(MigrationInputs(...))`;
- `links` and `estimates`: the adapter from a resolved model, each VM's worst destination (`VMEstimate`);
- `assumptions`: which inputs of an estimate are built-in defaults (`assumed_keys`);
- `drain`: the evacuation of a host (`plan_drain`, `DrainPlan`), timed by `simulation` (`share_link`: the
  migrations copying share the link);
- `wording`: durations, links and inputs as messages print them.

Everything is in base units: bytes, bytes per second, seconds. The names below are the public interface.
"""

from __future__ import annotations

from hvlint.estimator.assumptions import ASSUMABLE_KEYS, assumed_keys, efficiency_note
from hvlint.estimator.drain import DrainMigration, DrainPlan, assign_slots, plan_drain, schedule
from hvlint.estimator.estimates import (
    LIVE_STATES,
    Move,
    VMEstimate,
    dirty_rate_of,
    downtime_threshold,
    estimate_cluster,
    estimate_model,
    estimate_vm,
    estimates_key,
    migration_inputs,
)
from hvlint.estimator.links import LIVE_MIGRATION, LinkError, Links, name_key
from hvlint.estimator.precopy import (
    STOP_MAX_ROUNDS,
    STOP_NO_PROGRESS,
    STOP_TARGET,
    MigrationInputs,
    Precopy,
    precopy,
    simulate,
)
from hvlint.estimator.settings import DEFAULTS, Parameters, max_rounds, transport_factor
from hvlint.estimator.wording import describe_inputs, describe_link, describe_storage, format_duration, plural

__all__ = [
    "ASSUMABLE_KEYS",
    "DEFAULTS",
    "LIVE_MIGRATION",
    "LIVE_STATES",
    "STOP_MAX_ROUNDS",
    "STOP_NO_PROGRESS",
    "STOP_TARGET",
    "DrainMigration",
    "DrainPlan",
    "LinkError",
    "Links",
    "MigrationInputs",
    "Move",
    "Parameters",
    "Precopy",
    "VMEstimate",
    "assign_slots",
    "assumed_keys",
    "describe_inputs",
    "describe_link",
    "describe_storage",
    "dirty_rate_of",
    "downtime_threshold",
    "efficiency_note",
    "estimate_cluster",
    "estimate_model",
    "estimate_vm",
    "estimates_key",
    "format_duration",
    "max_rounds",
    "migration_inputs",
    "name_key",
    "plan_drain",
    "plural",
    "precopy",
    "schedule",
    "simulate",
    "transport_factor",
]
