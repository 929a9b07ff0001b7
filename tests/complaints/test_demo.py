"""The demo holds a year of realistic complaints in every state, with a repeat setting, and
loading it twice adds nothing."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from complaints import clocks
from complaints.models import Complaint, Source, Status
from complaints.selectors import repeat_setting_counts

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_year_of_complaints_in_every_state():
    call_command("seed_demo")
    count = Complaint.objects.count()
    call_command("seed_demo")
    assert Complaint.objects.count() == count >= 30

    assert set(Complaint.objects.values_list("status", flat=True)) == set(Status.values)
    today = timezone.localdate()
    oldest = Complaint.objects.order_by("received_on").first().received_on
    assert today - oldest <= datetime.timedelta(days=366)
    assert Complaint.objects.filter(source=Source.OFSTED).count() >= 5
    states = {clocks.clock_state(c, today) for c in Complaint.objects.all()}
    assert {clocks.OVERDUE, clocks.PAUSED, clocks.STOPPED} <= states
    assert repeat_setting_counts(today)
    for complaint in Complaint.objects.filter(status=Status.MONITORING_LEARNING):
        assert complaint.learning_plan.source == "complaint"
        assert complaint.learning_plan.actions.exists()
    # Timelines read as they happened: the events of a closed complaint span more than one day.
    closed = Complaint.objects.filter(status=Status.CLOSED).first()
    days = {event.at.date() for event in closed.events.all()}
    assert len(days) > 2
