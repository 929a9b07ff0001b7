"""Complaint clocks in working days: the targets, pauses that stop the clock, amber within
3 working days, red when past, and the SQL filter agreeing with the rule day by day."""

import datetime

import pytest

from complaints import clocks, services
from complaints.models import Complaint, Status

from .conftest import D

pytestmark = pytest.mark.django_db


def test_targets_count_working_days_over_christmas(make_complaint, setting):
    # Received Monday 21 December 2026: 25th, 28th (Boxing Day moved) and the weekend skipped.
    complaint = make_complaint(setting, received_on=D("2026-12-21"), today=D("2026-12-21"))
    assert complaint.acknowledge_due_on == D("2026-12-24")
    # 20 working days: 22, 23, 24, 29, 30, 31 Dec, 4-8 Jan (11), 11-15 (16), 18-21 Jan (20).
    assert complaint.respond_due_on == D("2027-01-21")


def test_a_complaint_received_at_the_weekend_starts_counting_on_monday(make_complaint, setting):
    complaint = make_complaint(setting, received_on=D("2026-11-21"), today=D("2026-11-23"))  # a Saturday
    assert complaint.acknowledge_due_on == D("2026-11-25")  # Mon 1, Tue 2, Wed 3


def test_pausing_stops_the_clock_and_resuming_moves_the_target(make_complaint, setting, adviser):
    today = D("2026-11-02")
    complaint = make_complaint(setting, received_on=D("2026-10-01"), today=today)
    services.complaint_acknowledge(complaint=complaint, user=adviser, on=D("2026-10-02"), today=today)
    services.complaint_start_investigation(complaint=complaint, user=adviser)
    original = Complaint.objects.get(pk=complaint.pk).respond_due_on
    assert original == D("2026-10-29")

    services.complaint_pause(complaint=complaint, user=adviser, on=D("2026-10-12"), reason="Records", today=today)
    complaint.refresh_from_db()
    assert complaint.status == Status.PAUSED and complaint.clock_due_on is None
    assert clocks.clock_state(complaint, today) == clocks.PAUSED
    # Paused Monday 12th; by Friday 16th four working days have stood still.
    assert clocks.paused_so_far(complaint, D("2026-10-16")) == 4

    services.complaint_resume(complaint=complaint, user=adviser, on=D("2026-10-19"), today=today)
    complaint.refresh_from_db()
    assert complaint.paused_working_days == 5
    assert complaint.respond_due_on == D("2026-11-05")  # 29 October + 5 working days
    assert complaint.clock_due_on == complaint.respond_due_on
    pause = complaint.pauses.get()
    assert (pause.resumed_on, pause.working_days, pause.reason) == (D("2026-10-19"), 5, "Records")


def test_two_pauses_add_up(make_complaint, setting, adviser):
    today = D("2026-11-20")
    complaint = make_complaint(setting, received_on=D("2026-10-01"), today=today)
    services.complaint_acknowledge(complaint=complaint, user=adviser, on=D("2026-10-01"), today=today)
    services.complaint_start_investigation(complaint=complaint, user=adviser)
    for paused, resumed in (("2026-10-05", "2026-10-07"), ("2026-10-14", "2026-10-15")):
        services.complaint_pause(complaint=complaint, user=adviser, on=D(paused), reason="Waiting", today=today)
        services.complaint_resume(complaint=complaint, user=adviser, on=D(resumed), today=today)
    complaint.refresh_from_db()
    assert complaint.paused_working_days == 3
    assert complaint.respond_due_on == D("2026-11-03")  # 29 October + 3


def test_resuming_before_the_pause_began_is_refused(make_complaint, setting, adviser):
    today = D("2026-11-20")
    complaint = make_complaint(setting, received_on=D("2026-10-01"), today=today)
    services.complaint_acknowledge(complaint=complaint, user=adviser, on=D("2026-10-01"), today=today)
    services.complaint_start_investigation(complaint=complaint, user=adviser)
    services.complaint_pause(complaint=complaint, user=adviser, on=D("2026-10-10"), reason="Waiting", today=today)
    with pytest.raises(Exception, match="on or after the date it was paused"):
        services.complaint_resume(complaint=complaint, user=adviser, on=D("2026-10-09"), today=today)


def test_response_working_days_leave_out_time_paused(make_complaint, setting, adviser, qa_manager):
    today = D("2026-11-20")
    complaint = make_complaint(setting, received_on=D("2026-10-01"), today=today)
    services.complaint_acknowledge(complaint=complaint, user=adviser, on=D("2026-10-01"), today=today)
    services.complaint_start_investigation(complaint=complaint, user=adviser)
    services.complaint_pause(complaint=complaint, user=adviser, on=D("2026-10-12"), reason="x", today=today)
    services.complaint_resume(complaint=complaint, user=adviser, on=D("2026-10-19"), today=today)
    complaint.refresh_from_db()
    # 1 Oct to 30 Oct is 21 working days; 5 were paused.
    assert clocks.response_working_days(complaint, D("2026-10-30")) == 16


@pytest.mark.parametrize(
    ("today", "state"),
    [
        ("2026-11-25", clocks.DUE_SOON),  # day 0: 3 working days left, amber at once
        ("2026-11-30", clocks.DUE_SOON),  # the due day itself
        ("2026-12-01", clocks.OVERDUE),
    ],
)
def test_acknowledgement_clock_states(make_complaint, setting, today, state):
    complaint = make_complaint(setting, received_on=D("2026-11-25"), today=D("2026-11-25"))
    assert clocks.clock_state(complaint, D(today)) == state


@pytest.mark.parametrize(
    ("today", "state"),
    [
        ("2026-12-17", clocks.ON_TRACK),  # 4 working days before 23 December
        ("2026-12-18", clocks.DUE_SOON),  # 3 working days before
        ("2026-12-23", clocks.DUE_SOON),
        ("2026-12-24", clocks.OVERDUE),
    ],
)
def test_response_clock_states(make_complaint, setting, adviser, today, state):
    complaint = make_complaint(setting, received_on=D("2026-11-25"), today=D("2026-11-25"))
    services.complaint_acknowledge(complaint=complaint, user=adviser, on=D("2026-11-25"), today=D("2026-11-25"))
    complaint.refresh_from_db()
    assert complaint.clock_due_on == D("2026-12-23")
    assert clocks.clock_state(complaint, D(today)) == state


def test_the_sql_filter_agrees_with_the_rule_every_day_for_two_months(make_complaint, setting):
    received = [D("2026-10-01") + datetime.timedelta(days=n) for n in range(0, 60, 2)]
    for day in received:
        make_complaint(setting, received_on=day, today=D("2026-12-31"))
    complaints = list(Complaint.objects.all())
    for offset in range(0, 70, 3):
        today = D("2026-10-01") + datetime.timedelta(days=offset)
        for state, _label in clocks.CLOCK_STATES:
            in_sql = set(Complaint.objects.filter(clocks.clock_filter(state, today)).values_list("pk", flat=True))
            by_rule = {c.pk for c in complaints if clocks.clock_state(c, today) == state}
            assert in_sql == by_rule, (today, state)


def test_the_summary_says_what_the_page_shows(make_complaint, setting):
    complaint = make_complaint(setting, received_on=D("2026-11-25"), today=D("2026-11-25"))
    summary = clocks.summary(complaint, D("2026-11-26"))
    assert (summary.state, summary.label, summary.tag_class) == (clocks.DUE_SOON, "Due soon", "govuk-tag--orange")
    assert summary.due_on == D("2026-11-30") and summary.working_days_left == 2
