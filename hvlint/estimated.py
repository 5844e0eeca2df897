"""What `hvlint estimate` found (kept out of hvlint.pipeline, whose import every check pays: its fields'
types are the estimator's, named only for the type checker)."""

from __future__ import annotations

from hvlint.lean_typing import NamedTuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from hvlint.estimator import DrainPlan, VMEstimate
    from hvlint.failover import FailoverPlan
    from hvlint.pipeline import Run


class Estimated(NamedTuple):
    """What `hvlint estimate` found: every VM's estimate, or one host's drain plan, and the lint run of
    HV5 over the same documents (its exit status)."""

    run: Run
    estimates: list[VMEstimate]
    drain: DrainPlan | None = None
    failover: FailoverPlan | None = None
