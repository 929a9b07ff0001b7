"""Complaints' part of the training-needs page: settings with a complaint on a theme in the
last 12 months, through the `schools_training_need_signals` hook."""

import datetime

from django.urls import reverse

from complaints import services
from complaints.training_needs import complaint_training_needs
from portal.models import Theme
from schools.training_needs import HOOK_NAME, training_need_signals, training_needs
from tests.complaints.conftest import TODAY


def themes(*slugs):
    return list(Theme.objects.filter(slug__in=slugs))


def test_the_hook_is_registered():
    assert complaint_training_needs in [signal.fn for signal in training_need_signals()]
    assert [s.label for s in training_need_signals() if s.fn is complaint_training_needs] == ["Complaints"]


def test_complaint_themes_in_the_last_12_months(make_complaint, setting, other_setting, adviser):
    safer, online = themes("safer-recruitment"), themes("online-safety")
    make_complaint(setting, themes=safer + online, received_on=TODAY - datetime.timedelta(days=30))
    make_complaint(setting, themes=safer, received_on=TODAY - datetime.timedelta(days=200))
    make_complaint(other_setting, themes=safer, received_on=TODAY - datetime.timedelta(days=365))
    make_complaint(other_setting, themes=online, received_on=TODAY - datetime.timedelta(days=366))  # too old
    withdrawn = make_complaint(other_setting, themes=themes("records"), received_on=TODAY - datetime.timedelta(days=5))
    services.complaint_withdraw(complaint=withdrawn, user=adviser, on=TODAY, reason="Complainant withdrew", today=TODAY)

    found = complaint_training_needs(TODAY - datetime.timedelta(days=365))

    assert found == {safer[0].pk: {setting.pk, other_setting.pk}, online[0].pk: {setting.pk}}


def test_training_needs_counts_complaints_with_the_other_parts(make_complaint, setting, other_setting):
    safer = themes("safer-recruitment")
    make_complaint(setting, themes=safer, received_on=TODAY - datetime.timedelta(days=3))
    make_complaint(other_setting, themes=safer, received_on=TODAY - datetime.timedelta(days=10))
    make_complaint(other_setting, themes=safer, received_on=TODAY - datetime.timedelta(days=11))

    needs = training_needs(today=TODAY)

    column = [s.label for s in needs.signals].index("Complaints")
    row = next(r for r in needs.rows if r.theme == safer[0])
    assert row.signal_counts[column] == 2 and row.need == 2
    assert needs.rows[0] == row


def test_the_page_shows_the_complaints_column(make_complaint, setting, qa_manager, client):
    make_complaint(setting, themes=themes("records"), received_on=TODAY - datetime.timedelta(days=3))
    client.force_login(qa_manager)

    page = client.get(reverse("schools:training_needs")).content.decode()

    assert ">Complaints</th>" in page
    assert "it had a complaint on the theme in the last 12 months" in page
    assert HOOK_NAME == "schools_training_need_signals"
