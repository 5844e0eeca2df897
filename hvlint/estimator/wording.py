"""Words and numbers of estimates, as messages and tables print them."""

from __future__ import annotations

from hvlint.estimator.estimates import Move
from hvlint.language import units


def format_duration(seconds: float) -> str:
    """A duration as messages print it: `0s`, `50ms`, `16.4s`, `11.7min`; a whole number of minutes or
    hours in that unit (`5min`, `2h`, as configurations write them); hours from ten hours."""
    if seconds == 0:
        return "0s"
    seconds = units.significant(seconds)
    if seconds >= 3600 and seconds % 3600 == 0:
        return f"{seconds / 3600:g}h"
    if seconds >= 60 and seconds % 60 == 0:
        return f"{seconds / 60:g}min"
    if seconds < 36000:
        return units.format_duration(seconds)
    return f"{seconds / 3600:.3g}h"


def plural(count: int, word: str, suffix: str = "s") -> str:
    """`1 pass`, `10 passes`."""
    return f"{count} {word}" if count == 1 else f"{count} {word}{suffix}"


def describe_link(move: Move) -> str:
    """The link as a message names it: `1Gbps`, `10Gbps with 2x compression`, `1Gbps shared by 2`."""
    inputs = move.precopy.inputs
    text = units.format_bit_rate(move.link)
    if inputs.transport_factor != 1.0:
        text += f" with {inputs.transport_factor:g}x compression"
    if inputs.sharing != 1:
        text += f" shared by {inputs.sharing}"
    return text


def describe_storage(move: Move) -> str:
    """The storage phase of a shared-nothing move: `storage 60GiB in 57.3s` (empty for a clustered VM)."""
    if move.kind != "shared-nothing":
        return ""
    return f"storage {units.format_size(move.storage_bytes)} in {format_duration(move.storage_time)}"


def describe_inputs(move: Move, origin: str = "vm") -> str:
    """What explains an estimate: `16GiB dirtied at 90MB/s over 1Gbps, 10 passes`."""
    inputs = move.precopy.inputs
    memory = units.format_size(inputs.memory)
    if inputs.working_set is not None and inputs.working_set < inputs.memory:
        memory += f" (working set {units.format_size(inputs.working_set)})"
    rate = units.format_rate(inputs.dirty_rate) if inputs.dirty_rate else "0B/s"
    if origin == "default":
        rate += " (estimator.default_dirty_rate)"
    elif origin == "unknown":
        rate += " (assumed: no dirty_rate)"
    passes = plural(move.precopy.passes, "pass", "es")
    storage = describe_storage(move)
    return f"{memory} dirtied at {rate} over {describe_link(move)}, {passes}" + (
        f", {storage}" if storage else ""
    )
