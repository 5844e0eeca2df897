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

import importlib

from hvlint.estimator.precopy import precopy  # the function, not its module: imported before any other

TYPE_CHECKING = False
if TYPE_CHECKING:
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
        simulate,
    )
    from hvlint.estimator.settings import DEFAULTS, Parameters, max_rounds, transport_factor
    from hvlint.estimator.wording import (
        describe_inputs,
        describe_link,
        describe_storage,
        format_duration,
        plural,
    )

_HOMES = {
    "ASSUMABLE_KEYS": "assumptions",
    "DEFAULTS": "settings",
    "DrainMigration": "drain",
    "DrainPlan": "drain",
    "LIVE_MIGRATION": "links",
    "LIVE_STATES": "estimates",
    "LinkError": "links",
    "Links": "links",
    "MigrationInputs": "precopy",
    "Move": "estimates",
    "Parameters": "settings",
    "Precopy": "precopy",
    "STOP_MAX_ROUNDS": "precopy",
    "STOP_NO_PROGRESS": "precopy",
    "STOP_TARGET": "precopy",
    "VMEstimate": "estimates",
    "assign_slots": "drain",
    "assumed_keys": "assumptions",
    "describe_inputs": "wording",
    "describe_link": "wording",
    "describe_storage": "wording",
    "dirty_rate_of": "estimates",
    "downtime_threshold": "estimates",
    "efficiency_note": "assumptions",
    "estimate_cluster": "estimates",
    "estimate_model": "estimates",
    "estimate_vm": "estimates",
    "estimates_key": "estimates",
    "format_duration": "wording",
    "max_rounds": "settings",
    "migration_inputs": "estimates",
    "name_key": "links",
    "plan_drain": "drain",
    "plural": "wording",
    "schedule": "drain",
    "simulate": "precopy",
    "transport_factor": "settings",
}
"""Each public name's module: a name is imported on first use (PEP 562), so that a rule needing only the
estimates does not import the drain planner and its simulation (docs/performance.md)."""


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOMES])


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
