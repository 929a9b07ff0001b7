"""The audit dashboard's figures (framework 13.2): for each practice area of the case-file
audits and each theme of the 175/157 and AP audits, the latest period, the trend and a status
by the rules in qpag.status_rules; the oversight of every action from every source; and the
audits graded inadequate or requires improvement. Everything is counted in SQL with a fixed
number of queries however much data there is. The QPAG pack (qpag.pack) reads these too.

INTERFACE (agreed before implementation; keep these names and fields):
"""

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Point:
    """One period of one measure."""

    label: str  # "Oct 2026" or the cycle's title
    starts_on: date
    measured: int  # graded items (area grades, or scored answers)
    good: float  # good-or-better items (compliant answers, a partly counting half)
    percent: float | None  # 100 * good / measured, one decimal place; None when measured is 0


@dataclass(frozen=True)
class Trend:
    key: str  # PracticeArea value or Theme slug
    label: str
    group: str  # the Service value (case-file audits) or the QuestionnaireKind value (175/157, AP)
    group_label: str
    points: list[Point]  # oldest first; the last is the latest period
    status: str  # a qpag.status_rules.Status value
    status_label: str
    change: float | None  # percentage points on the previous period

    @property
    def latest(self) -> Point | None:
        return self.points[-1] if self.points else None

    @property
    def previous(self) -> Point | None:
        return self.points[-2] if len(self.points) > 1 else None


@dataclass(frozen=True)
class OversightRow:
    key: str
    label: str
    open: int  # open and not overdue
    overdue: int  # open and past due
    completed: int  # completed (or verified) ever, within the filters

    @property
    def total_open(self) -> int:
        return self.open + self.overdue


@dataclass(frozen=True)
class ActionOversight:
    by_source: list[OversightRow]  # audits (175/157), AP audits, case-file audits, complaints, Ofsted, CSPR, ...
    by_service: list[OversightRow]  # case-file services, plus "Education settings" for settings' plans
    by_owner: list[OversightRow]  # busiest owners first (adviser leading a plan, or a case-file action's owner)
    totals: OversightRow = field(default=None)  # type: ignore[assignment]
