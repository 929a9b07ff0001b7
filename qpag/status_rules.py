"""The audit dashboard's status rules, written once and shown on the page. A measure is the
share of graded items that are good or better (case-file audits: graded good or outstanding;
175/157 and AP audits: compliant answers, a partly-compliant answer counting half)."""

from dataclasses import dataclass


class Status:
    STRONG = "strong"
    IMPROVING = "improving"
    STABLE = "stable"
    NEEDS_STRENGTHENING = "needs_strengthening"
    NO_DATA = "no_data"


LABELS = {
    Status.STRONG: "Strong",
    Status.IMPROVING: "Improving",
    Status.STABLE: "Stable",
    Status.NEEDS_STRENGTHENING: "Needs strengthening",
    Status.NO_DATA: "Not enough data",
}
# GOV.UK tag colours for each status.
TAG_CLASSES = {
    Status.STRONG: "govuk-tag--green",
    Status.IMPROVING: "govuk-tag--turquoise",
    Status.STABLE: "govuk-tag--grey",
    Status.NEEDS_STRENGTHENING: "govuk-tag--red",
    Status.NO_DATA: "govuk-tag--grey",
}

STRONG_AT_LEAST = 80  # per cent good or better / compliant
IMPROVING_BY_AT_LEAST = 10  # percentage points up on the previous period
WEAK_BELOW = 60  # per cent
FALLING_BY_AT_LEAST = 10  # percentage points down on the previous period


@dataclass(frozen=True)
class Rule:
    status: str
    text: str


# In the order they are applied: the first that matches decides.
RULES = (
    Rule(Status.STRONG, f"Strong: {STRONG_AT_LEAST}% or more good or better (or compliant) in the latest period."),
    Rule(Status.IMPROVING, f"Improving: up {IMPROVING_BY_AT_LEAST} percentage points or more on the previous period."),
    Rule(
        Status.NEEDS_STRENGTHENING,
        f"Needs strengthening: below {WEAK_BELOW}%, or down {FALLING_BY_AT_LEAST} percentage points or more "
        "on the previous period.",
    ),
    Rule(Status.STABLE, "Stable: anything else."),
    Rule(Status.NO_DATA, "Not enough data: nothing graded in the latest period."),
)


def status_for(latest: float | None, previous: float | None) -> str:
    """The status of a measure from its latest and previous values (per cent, or None when
    nothing was graded in that period)."""
    if latest is None:
        return Status.NO_DATA
    if latest >= STRONG_AT_LEAST:
        return Status.STRONG
    change = None if previous is None else latest - previous
    if change is not None and change >= IMPROVING_BY_AT_LEAST:
        return Status.IMPROVING
    if latest < WEAK_BELOW or (change is not None and change <= -FALLING_BY_AT_LEAST):
        return Status.NEEDS_STRENGTHENING
    return Status.STABLE
