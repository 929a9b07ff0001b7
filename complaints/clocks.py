"""The complaint clocks, in working days (portal.working_days): acknowledge by, respond by,
pauses, and the red/amber/green state shown on the tracker. One place for the rules, so the
page, the filters (in SQL) and the quarterly report all agree."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from portal.working_days import add_working_days, working_days_between

from .models import CLOCK_RUNNING, Complaint, Status

ON_TRACK = "on_track"
DUE_SOON = "due_soon"
OVERDUE = "overdue"
PAUSED = "paused"
STOPPED = "stopped"

CLOCK_STATES = [
    (OVERDUE, "Overdue"),
    (DUE_SOON, "Due soon"),
    (ON_TRACK, "On track"),
    (PAUSED, "Paused"),
    (STOPPED, "Clock stopped"),
]
CLOCK_LABELS = dict(CLOCK_STATES)
# GOV.UK tag colours; the label is always shown too, so colour is never the only signal.
CLOCK_TAG_CLASSES = {
    OVERDUE: "govuk-tag--red",
    DUE_SOON: "govuk-tag--orange",
    ON_TRACK: "govuk-tag--green",
    PAUSED: "govuk-tag--grey",
    STOPPED: "govuk-tag--grey",
}


def acknowledge_due_on(received_on: date, target_days: int) -> date:
    return add_working_days(received_on, target_days)


def respond_due_on(received_on: date, target_days: int, paused_working_days: int) -> date:
    """Pausing stops the clock: the target moves later by the working days spent paused."""
    return add_working_days(received_on, target_days + paused_working_days)


def current_due_on(complaint: Complaint) -> date | None:
    """The target the clock is running towards now, or None when it is not running."""
    if complaint.status == Status.RECEIVED:
        return complaint.acknowledge_due_on
    if complaint.status in CLOCK_RUNNING:
        return complaint.respond_due_on
    return None


def refresh(complaint: Complaint) -> None:
    """Recompute the stored targets from the received date, the targets and the pauses."""
    complaint.acknowledge_due_on = acknowledge_due_on(complaint.received_on, complaint.acknowledge_target_days)
    complaint.respond_due_on = respond_due_on(
        complaint.received_on, complaint.respond_target_days, complaint.paused_working_days
    )
    complaint.clock_due_on = current_due_on(complaint)


def clock_state(complaint: Complaint, today: date, due_soon_days: int = 3) -> str:
    if complaint.status == Status.PAUSED:
        return PAUSED
    due = complaint.clock_due_on
    if due is None:
        return STOPPED
    if today > due:
        return OVERDUE
    if working_days_between(today, due) <= due_soon_days:
        return DUE_SOON
    return ON_TRACK


def clock_filter(state: str, today: date, due_soon_days: int = 3) -> Q:
    """The same rule as `clock_state`, as a database filter."""
    # working_days_between(today, due) <= n  <=>  due < the (n + 1)th working day after today
    soon_limit = add_working_days(today, due_soon_days + 1)
    return {
        OVERDUE: Q(clock_due_on__lt=today),
        DUE_SOON: Q(clock_due_on__gte=today, clock_due_on__lt=soon_limit),
        ON_TRACK: Q(clock_due_on__gte=soon_limit),
        PAUSED: Q(status=Status.PAUSED),
        STOPPED: Q(clock_due_on__isnull=True) & ~Q(status=Status.PAUSED),
    }[state]


def paused_so_far(complaint: Complaint, today: date) -> int:
    """Working days paused, including a pause still running."""
    running = working_days_between(complaint.paused_since, today) if complaint.paused_since else 0
    return complaint.paused_working_days + max(running, 0)


def response_working_days(complaint: Complaint, sent_on: date) -> int:
    return max(working_days_between(complaint.received_on, sent_on) - complaint.paused_working_days, 0)


@dataclass(frozen=True)
class ClockSummary:
    state: str
    label: str
    tag_class: str
    due_on: date | None
    working_days_left: int | None
    paused_days: int


def summary(complaint: Complaint, today: date, due_soon_days: int = 3) -> ClockSummary:
    state = clock_state(complaint, today, due_soon_days)
    due = complaint.clock_due_on
    return ClockSummary(
        state=state,
        label=CLOCK_LABELS[state],
        tag_class=CLOCK_TAG_CLASSES[state],
        due_on=due,
        working_days_left=working_days_between(today, due) if due else None,
        paused_days=paused_so_far(complaint, today),
    )
