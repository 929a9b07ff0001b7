"""Repeat complaint settings count in the adviser's risk list, through schools' hook."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from schools.risk import risk_list

pytestmark = pytest.mark.django_db


def test_two_complaints_in_twelve_months_add_to_the_risk_score(make_complaint, setting, other_setting):
    today = timezone.localdate()
    make_complaint(setting, received_on=today - datetime.timedelta(days=300), today=today)
    make_complaint(other_setting, received_on=today - datetime.timedelta(days=400), today=today)
    make_complaint(other_setting, received_on=today - datetime.timedelta(days=3), today=today)
    assert [row.setting for row in risk_list(today=today)] == []  # one each within the year

    make_complaint(setting, received_on=today - datetime.timedelta(days=2), today=today)
    rows = risk_list(today=today)
    assert [row.setting for row in rows] == [setting]
    assert rows[0].parts == [("Repeat complaints (2 in 12 months)", 2)]


def test_the_risk_page_prints_the_complaints_rule(client, adviser):
    client.force_login(adviser)
    response = client.get(reverse("schools:risk_list"))
    assert "2 or more complaints in the last 12 months" in response.content.decode()
