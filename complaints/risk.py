"""Complaints' part of the adviser's risk list (schools.risk): repeat complaint settings."""

from wagtail import hooks

from schools.risk import RiskPartSource

from .selectors import REPEAT_THRESHOLD, repeat_setting_counts

REPEAT_COMPLAINTS_POINTS = 2


def _parts(today):
    for setting_id, count in repeat_setting_counts(today).items():
        yield setting_id, f"Repeat complaints ({count} in 12 months)", REPEAT_COMPLAINTS_POINTS


@hooks.register("schools_risk_parts")
def repeat_complaints_risk() -> RiskPartSource:
    return RiskPartSource(
        rule=f"{REPEAT_COMPLAINTS_POINTS} for {REPEAT_THRESHOLD} or more complaints in the last 12 months",
        parts=_parts,
    )
