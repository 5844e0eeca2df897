"""Which inputs of an estimate are hvlint's built-in defaults rather than the file's or the
configuration's: the `assumed` list of `hvlint estimate --format json`, the `*` of its table, and the
note HV501 and HV502 add where the default link efficiency is known to be optimistic."""

from __future__ import annotations

from hvlint.estimator.settings import Parameters

ASSUMABLE_KEYS = (
    "link_efficiency",
    "compression_ratio",
    "setup",
    "switchover",
    "stop_copy_target",
    "max_rounds",
)
"""The `[estimator]` keys whose built-in default an estimate may use, in the order `assumed` lists them."""

DIRTY_RATE = "dirty_rate"
"""In `assumed` when the VM gives no dirty rate (the configured default, or nothing, stands in)."""

FAST_LINK = 10e9 / 8
"""10 Gbps in bytes/s: from this speed on the default link efficiency is known to be about three times
optimistic for one TCP stream (docs/estimator.md, accuracy)."""

EFFICIENCY_NOTE = "(assuming the default link efficiency {efficiency:g}; calibrate with `hvlint calibrate`)"
"""What HV501 and HV502 add on a fast link with the default link efficiency."""


def assumed_keys(params: Parameters, compressed: bool, dirty_rate_given: bool) -> tuple[str, ...]:
    """The built-in defaults an estimate with `params` uses: each key of `ASSUMABLE_KEYS` the
    configuration does not set (`compression_ratio` only when the migration is `compressed`), then
    `dirty_rate` when the VM gives none."""
    keys = tuple(
        key
        for key in ASSUMABLE_KEYS
        if key not in params.configured and (compressed or key != "compression_ratio")
    )
    return keys if dirty_rate_given else (*keys, DIRTY_RATE)


def default_efficiency_on_fast_link(link: float, assumed: tuple[str, ...]) -> bool:
    """Whether a migration over `link` bytes/s uses the built-in link efficiency on a 10 Gbps or faster
    link, where that default is optimistic."""
    return link >= FAST_LINK and "link_efficiency" in assumed


def efficiency_note(efficiency: float) -> str:
    """`(assuming the default link efficiency 0.9; calibrate with `hvlint calibrate`)`."""
    return EFFICIENCY_NOTE.format(efficiency=efficiency)
