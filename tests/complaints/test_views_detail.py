"""The complaint pages: logging a complaint, the detail page and its timeline, the details form
and every action on the page, for every role. Dates are relative to the real today, because
the views use it; the services are given the same `today`."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from wagtail.models import ModelLogEntry

from complaints import services
from complaints.models import Complaint, ComplaintEvent, ComplaintPause, ReceivedVia, Severity, Source, Status
from complaints.views_detail import ACTIONS
from portal.models import Theme
from portal.roles import Role
from schools import services_plans
from schools.models import ActionPlan

pytestmark = pytest.mark.django_db

SUMMARY = "A parent says a safeguarding concern about their child was not passed to the DSL."
NO_ACCESS_ROLES = [Role.SCHOOL_USER, Role.AP_PROVIDER_USER, Role.EDITOR, Role.COMMISSIONING_OFFICER]


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def received_on(today):
    return today - datetime.timedelta(days=14)


@pytest.fixture
def live(make_complaint, setting, today, received_on):
    """A complaint received a fortnight ago, so every action can be dated between then and today."""
    return make_complaint(setting, received_on=received_on, today=today)


def acknowledged(complaint, user, on):
    return services.complaint_acknowledge(complaint=complaint, user=user, on=on, today=timezone.localdate())


def investigating(complaint, user, on):
    acknowledged(complaint, user, on)
    return services.complaint_start_investigation(complaint=complaint, user=user)


def detail_url(complaint):
    return reverse("complaints:complaint_detail", args=[complaint.pk])


def action_url(complaint, action):
    return reverse("complaints:complaint_action", args=[complaint.pk, action])


def date_data(prefix, name, day: datetime.date) -> dict:
    key = f"{prefix}-{name}" if prefix else name
    return {f"{key}_day": str(day.day), f"{key}_month": str(day.month), f"{key}_year": str(day.year)}


def log_data(setting, adviser, received_on, **overrides) -> dict:
    data = {
        "setting": str(setting.pk),
        **date_data("", "received_on", received_on),
        "source": Source.OFSTED,
        "source_reference": "OF-1234",
        "received_via": ReceivedVia.EMAIL,
        "complainant_name": "Pat Parent",
        "complainant_contact": "pat@example.net",
        "summary": SUMMARY,
        "themes": [str(Theme.objects.filter(is_active=True).first().pk)],
        "severity": Severity.HIGH,
        "assigned_adviser": str(adviser.pk),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# Access, for every role ------------------------------------------------------------------------


def _page_urls(complaint):
    return [
        reverse("complaints:complaint_new"),
        detail_url(complaint),
        reverse("complaints:complaint_edit", args=[complaint.pk]),
        reverse("complaints:complaint_response", args=[complaint.pk]),
        reverse("complaints:complaint_response_document", args=[complaint.pk]),
    ]


def test_anonymous_people_are_sent_to_sign_in(client, live):
    for url in _page_urls(live):
        response = client.get(url)
        assert response.status_code == 302, url
        assert reverse("portal:sign_in") in response["Location"]
    for action in ACTIONS:
        response = client.post(action_url(live, action), {})
        assert response.status_code == 302
        assert reverse("portal:sign_in") in response["Location"]


@pytest.mark.parametrize("role", NO_ACCESS_ROLES)
def test_people_without_a_complaints_role_get_404_everywhere(client, live, make_user, role):
    client.force_login(make_user(role, email=f"{role.value}-nobody@example.org"))
    for url in _page_urls(live):
        assert client.get(url).status_code == 404, url
    for action in ACTIONS:
        assert client.post(action_url(live, action), {}).status_code == 404, action
    assert live.events.count() == 1  # nothing added


def test_the_settings_own_users_get_404(client, live, setting_member):
    client.force_login(setting_member)
    assert client.get(detail_url(live)).status_code == 404
    assert client.post(action_url(live, "note"), {"note-about": "note", "note-note": "x"}).status_code == 404


def test_senior_managers_read_and_scrutinise_but_change_nothing(client, live, senior_manager):
    client.force_login(senior_manager)
    assert client.get(detail_url(live)).status_code == 200
    assert client.get(reverse("complaints:complaint_new")).status_code == 403
    assert client.get(reverse("complaints:complaint_edit", args=[live.pk])).status_code == 403
    assert client.get(reverse("complaints:complaint_response", args=[live.pk])).status_code == 403
    for action in ACTIONS:
        if action == "scrutiny":
            continue
        assert client.post(action_url(live, action), {}).status_code == 403, action
    live.refresh_from_db()
    assert live.status == Status.RECEIVED
    response = client.post(action_url(live, "scrutiny"), {"scrutiny-comment": "Why was this not acknowledged sooner?"})
    assert response.status_code == 302
    event = live.events.get(kind=ComplaintEvent.Kind.SCRUTINY)
    assert (event.user, event.note) == (senior_manager, "Why was this not acknowledged sooner?")


@pytest.mark.parametrize("role", [Role.ADVISER, Role.QA_MANAGER])
def test_advisers_and_qa_managers_reach_every_page(client, live, make_user, role):
    services.complaint_acknowledge(
        complaint=live, user=live.assigned_adviser, on=live.received_on, today=timezone.localdate()
    )
    client.force_login(make_user(role, email=f"another-{role.value}@example.org"))
    for name in ("complaints:complaint_detail", "complaints:complaint_edit", "complaints:complaint_response"):
        assert client.get(reverse(name, args=[live.pk])).status_code == 200, name
    assert client.get(reverse("complaints:complaint_new")).status_code == 200


def test_unknown_actions_are_404_and_actions_are_post_only(client, live, adviser):
    client.force_login(adviser)
    assert client.post(action_url(live, "delete-everything"), {}).status_code == 404
    assert client.get(action_url(live, "acknowledge")).status_code == 405
    assert client.get(detail_url(Complaint(pk=live.pk + 1000))).status_code == 404


# The detail page --------------------------------------------------------------------------------


def test_every_view_of_the_detail_page_is_logged(client, live, adviser, senior_manager):
    client.force_login(adviser)
    client.get(detail_url(live))
    client.get(detail_url(live))
    client.force_login(senior_manager)
    client.get(detail_url(live))
    views = ModelLogEntry.objects.filter(action="complaints.complaint.view", object_id=str(live.pk))
    assert views.filter(user=adviser).count() == 2
    assert views.filter(user=senior_manager).count() == 1


def test_detail_page_shows_the_details_clocks_and_timeline(client, live, adviser):
    client.force_login(adviser)
    response = client.get(detail_url(live))
    content = response.content.decode()
    assert f"<title>{live.reference}" in content
    assert f"Complaint {live.reference}</h1>" in content
    assert "Oakfield Primary School" in content
    assert "Pat Parent" in content and "pat.parent@example.net" in content
    assert escape(SUMMARY) in content
    assert "Received</strong>" in content  # the status tag, with its text
    assert "Acknowledge by" in content
    # The clock's state is a tag with its words, never colour alone.
    assert any(
        f'govuk-tag {css}">{label}</strong>' in content
        for css, label in [
            ("govuk-tag--red", "Overdue"),
            ("govuk-tag--orange", "Due soon"),
            ("govuk-tag--green", "On track"),
        ]
    )
    assert (
        "left to acknowledge" in content
        or "Due today (to acknowledge)" in content
        or "the target to acknowledge" in content
    )
    assert "Complaint logged (Parent or carer)" in content
    assert reverse("complaints:tracker") in content
    assert 'action="' + action_url(live, "acknowledge") + '"' in content
    # Not yet offered in this state.
    assert action_url(live, "start-investigation") not in content
    assert action_url(live, "place-legal-hold") not in content  # QA managers only


def test_senior_managers_do_not_see_the_complainant_or_change_actions(client, live, senior_manager):
    client.force_login(senior_manager)
    content = client.get(detail_url(live)).content.decode()
    assert "Pat Parent" not in content
    assert "pat.parent@example.net" not in content
    assert "Only advisers and QA managers see the complainant" in content
    assert action_url(live, "scrutiny") in content
    for action in ACTIONS:
        if action != "scrutiny":
            assert action_url(live, action) not in content, action
    assert reverse("complaints:complaint_edit", args=[live.pk]) not in content


def test_timeline_shows_changes_as_old_and_new(client, live, adviser, today):
    services.complaint_update(complaint=live, user=adviser, severity=Severity.HIGH, today=today)
    client.force_login(adviser)
    content = client.get(detail_url(live)).content.decode()
    assert "Severity: Medium → High" in content
    # Newest first: the change comes before the logging.
    assert content.index("Changed: severity") < content.index("Complaint logged")


def test_detail_page_queries_do_not_grow_with_the_timeline(client, live, adviser, today, django_assert_max_num_queries):
    client.force_login(adviser)
    client.get(detail_url(live))  # warm the site and settings caches
    with django_assert_max_num_queries(30) as few:
        client.get(detail_url(live))
    for number in range(15):
        services.complaint_add_note(complaint=live, user=adviser, about="note", note=f"Note {number}")
    investigating(live, adviser, today)
    services.complaint_pause(complaint=live, user=adviser, on=today, reason="Waiting for records", today=today)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(detail_url(live))
    assert "Note 14" in response.content.decode()


# Logging a complaint ----------------------------------------------------------------------------


def test_the_log_form_offers_open_settings_and_preselects(client, adviser, setting, other_setting):
    other_setting.is_open = False
    other_setting.save()
    client.force_login(adviser)
    response = client.get(reverse("complaints:complaint_new"), {"setting": setting.pk})
    content = response.content.decode()
    assert f'<option value="{setting.pk}" selected>' in content
    assert "Riverside Academy" not in content
    assert f'<option value="{adviser.pk}" selected>' in content  # the adviser is assigned by default
    assert 'class="govuk-date-input"' in content
    assert "For example, 27 3 2026" in content


def test_logging_a_complaint(client, adviser, setting, received_on):
    client.force_login(adviser)
    response = client.post(reverse("complaints:complaint_new"), log_data(setting, adviser, received_on), follow=True)
    complaint = Complaint.objects.get()
    assert response.redirect_chain[-1][0] == detail_url(complaint)
    assert complaint.reference.startswith(f"SC-{received_on.year}-")
    assert (complaint.source, complaint.source_reference, complaint.severity) == ("ofsted", "OF-1234", "high")
    assert complaint.received_on == received_on
    assert complaint.themes.count() == 1
    assert complaint.assigned_adviser == adviser
    assert f"Complaint {complaint.reference} logged" in response.content.decode()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("future", "The date received must be today or in the past"),
        ("no_summary", "Enter a summary of the complaint"),
        ("closed_setting", "This setting is closed. Complaints can only be logged for open settings"),
        ("no_month", "Date received must include a month"),
        ("not_a_date", "Date received must be a real date"),
        ("no_source", "Choose who raised the complaint"),
    ],
)
def test_logging_refuses_bad_input_with_a_clear_message(client, adviser, setting, received_on, today, change, message):
    overrides = {
        "future": date_data("", "received_on", today + datetime.timedelta(days=1)),
        "no_summary": {"summary": "   "},
        "no_month": {"received_on_month": ""},
        "not_a_date": {"received_on_day": "31", "received_on_month": "2"},
        "no_source": {"source": None},
        "closed_setting": {},
    }[change]
    if change == "closed_setting":
        setting.is_open = False
        setting.save()
    client.force_login(adviser)
    data = log_data(setting, adviser, received_on, **overrides)
    response = client.post(reverse("complaints:complaint_new"), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "There is a problem" in content
    assert escape(message) in content
    assert Complaint.objects.count() == 0
    assert "Pat Parent" in content  # what was typed is kept


# Changing the details ---------------------------------------------------------------------------


def test_editing_the_details(client, live, adviser, second_adviser):
    client.force_login(adviser)
    page = client.get(reverse("complaints:complaint_edit", args=[live.pk])).content.decode()
    assert f'value="{live.received_on.day}"' in page  # the date boxes are filled in
    data = log_data(live.setting, second_adviser, live.received_on, summary="A corrected summary.")
    data["themes"] = list(map(str, live.themes.values_list("pk", flat=True)))
    response = client.post(reverse("complaints:complaint_edit", args=[live.pk]), data)
    assert response.status_code == 302
    live.refresh_from_db()
    assert (live.summary, live.severity, live.assigned_adviser) == ("A corrected summary.", "high", second_adviser)
    event = live.events.get(kind=ComplaintEvent.Kind.EDITED)
    assert event.changes["summary"] == ["", "changed"]  # never copied into the timeline


def test_editing_keeps_a_setting_that_has_since_closed(client, live, adviser):
    live.setting.is_open = False
    live.setting.save()
    client.force_login(adviser)
    data = log_data(live.setting, adviser, live.received_on, severity=Severity.LOW)
    response = client.post(reverse("complaints:complaint_edit", args=[live.pk]), data)
    assert response.status_code == 302
    live.refresh_from_db()
    assert live.severity == Severity.LOW


def test_a_finished_complaint_cannot_be_edited(client, live, adviser, today):
    services.complaint_withdraw(complaint=live, user=adviser, on=today, reason="Resolved locally", today=today)
    client.force_login(adviser)
    response = client.get(reverse("complaints:complaint_edit", args=[live.pk]), follow=True)
    assert "A finished or redacted complaint cannot be changed." in response.content.decode()


# The actions ------------------------------------------------------------------------------------


def test_acknowledging(client, live, adviser, received_on):
    client.force_login(adviser)
    response = client.post(action_url(live, "acknowledge"), date_data("acknowledge", "on", received_on))
    assert response.status_code == 302
    live.refresh_from_db()
    assert (live.status, live.acknowledged_on) == (Status.ACKNOWLEDGED, received_on)


def test_acknowledging_in_the_future_is_refused_and_the_input_kept(client, live, adviser, today):
    client.force_login(adviser)
    tomorrow = today + datetime.timedelta(days=1)
    response = client.post(action_url(live, "acknowledge"), date_data("acknowledge", "on", tomorrow))
    assert response.status_code == 200
    content = response.content.decode()
    assert "There is a problem" in content
    assert "The date acknowledged must be today or in the past" in content
    assert f'value="{tomorrow.year}"' in content
    live.refresh_from_db()
    assert live.status == Status.RECEIVED


def test_a_step_cannot_be_skipped(client, live, adviser, today):
    client.force_login(adviser)
    before = live.events.count()
    response = client.post(action_url(live, "mark-sent"), date_data("mark-sent", "on", today))
    assert response.status_code == 200
    assert "A QA manager must sign off the response before it is recorded as sent." in response.content.decode()
    response = client.post(action_url(live, "start-investigation"), {})
    assert response.status_code == 200
    assert "Record the acknowledgement first." in response.content.decode()
    live.refresh_from_db()
    assert (live.status, live.response_sent_on, live.events.count()) == (Status.RECEIVED, None, before)


def test_starting_the_investigation(client, live, adviser, received_on):
    acknowledged(live, adviser, received_on)
    client.force_login(adviser)
    assert client.post(action_url(live, "start-investigation"), {}).status_code == 302
    live.refresh_from_db()
    assert live.status == Status.UNDER_INVESTIGATION


def test_pause_and_resume_move_the_due_date(client, live, adviser, received_on, today):
    investigating(live, adviser, received_on)
    live.refresh_from_db()
    respond_by = live.respond_due_on
    client.force_login(adviser)

    response = client.post(action_url(live, "pause"), date_data("pause", "on", received_on))
    assert response.status_code == 200  # no reason given
    assert "Enter what information you are waiting for" in response.content.decode()

    data = {**date_data("pause", "on", received_on), "pause-reason": "The school's records of the referral"}
    assert client.post(action_url(live, "pause"), data).status_code == 302
    live.refresh_from_db()
    assert (live.status, live.clock_due_on) == (Status.PAUSED, None)
    page = client.get(detail_url(live)).content.decode()
    assert "The school&#x27;s records of the referral" in page
    assert "Still paused" in page

    assert client.post(action_url(live, "resume"), date_data("resume", "on", today)).status_code == 302
    live.refresh_from_db()
    pause = ComplaintPause.objects.get(complaint=live)
    assert pause.working_days > 0
    assert live.status == Status.UNDER_INVESTIGATION
    assert live.respond_due_on > respond_by
    assert live.clock_due_on == live.respond_due_on
    assert live.paused_working_days == pause.working_days


def test_resume_before_the_pause_is_refused(client, live, adviser, received_on, today):
    investigating(live, adviser, received_on)
    services.complaint_pause(complaint=live, user=adviser, on=today, reason="Records", today=today)
    client.force_login(adviser)
    response = client.post(action_url(live, "resume"), date_data("resume", "on", received_on))
    assert response.status_code == 200
    assert "The date resumed must be on or after the date it was paused" in response.content.decode()
    live.refresh_from_db()
    assert live.status == Status.PAUSED


def test_recording_that_the_setting_was_told(client, live, adviser, today):
    client.force_login(adviser)
    data = {**date_data("setting-notified", "on", today), "setting-notified-whom": "headteacher"}
    assert client.post(action_url(live, "setting-notified"), data).status_code == 302
    live.refresh_from_db()
    assert (live.setting_notified_on, live.setting_notified_whom) == (today, "headteacher")
    response = client.post(action_url(live, "setting-notified"), date_data("setting-notified", "on", today))
    assert response.status_code == 200
    assert "Choose who at the setting was told" in response.content.decode()


def test_adding_a_note(client, live, adviser):
    client.force_login(adviser)
    data = {"note-about": "complainant", "note-note": "Phoned Pat to explain the next steps."}
    assert client.post(action_url(live, "note"), data).status_code == 302
    event = live.events.get(kind=ComplaintEvent.Kind.CONTACT_COMPLAINANT)
    assert event.note == "Phoned Pat to explain the next steps."
    response = client.post(action_url(live, "note"), {"note-about": "setting", "note-note": ""})
    assert response.status_code == 200
    assert "Enter the note" in response.content.decode()


def test_withdrawing(client, live, adviser, today):
    client.force_login(adviser)
    data = {**date_data("withdraw", "on", today), "withdraw-reason": "The parent resolved it with the school."}
    assert client.post(action_url(live, "withdraw"), data).status_code == 302
    live.refresh_from_db()
    assert (live.status, live.closed_on, live.clock_due_on) == (Status.WITHDRAWN, today, None)
    # A finished complaint offers no more lifecycle actions, and refuses them.
    response = client.post(action_url(live, "acknowledge"), date_data("acknowledge", "on", today))
    assert response.status_code == 200
    assert "It is finished and cannot change." in response.content.decode()


def test_referring_on(client, live, adviser, today):
    client.force_login(adviser)
    data = {**date_data("refer-on", "on", today), "refer-on-to": "lado", "refer-on-reason": "An allegation."}
    assert client.post(action_url(live, "refer-on"), data).status_code == 302
    live.refresh_from_db()
    assert (live.status, live.referred_to) == (Status.REFERRED, "lado")


def _sent(complaint, adviser, qa_manager, today):
    investigating(complaint, adviser, complaint.received_on)
    services.response_save(complaint=complaint, user=adviser, findings="Late referral.", outcome="upheld", body="x")
    services.response_submit(complaint=complaint, user=adviser)
    services.response_sign_off(complaint=complaint, user=qa_manager)
    return services.response_mark_sent(complaint=complaint, user=adviser, on=today, today=today)


def test_closing_with_no_learning(client, live, adviser, qa_manager, today):
    _sent(live, adviser, qa_manager, today)
    client.force_login(adviser)
    assert action_url(live, "close") in client.get(detail_url(live)).content.decode()
    assert client.post(action_url(live, "close"), date_data("close", "on", today)).status_code == 302
    live.refresh_from_db()
    assert (live.status, live.learning_identified) == (Status.CLOSED, False)


def test_closing_before_the_response_is_refused(client, live, adviser, today):
    client.force_login(adviser)
    response = client.post(action_url(live, "close"), date_data("close", "on", today))
    assert response.status_code == 200
    assert "cannot become" in response.content.decode()
    live.refresh_from_db()
    assert live.status == Status.RECEIVED


def test_opening_a_learning_plan_keeps_the_complaint_from_the_setting(
    client, live, adviser, qa_manager, setting_member, today
):
    _sent(live, adviser, qa_manager, today)
    client.force_login(adviser)
    response = client.post(action_url(live, "learning-plan"), {"learning-plan-title": "Referral practice"})
    assert response.status_code == 302
    live.refresh_from_db()
    plan = live.learning_plan
    assert (live.status, plan.source, plan.setting) == (Status.MONITORING_LEARNING, "complaint", live.setting)
    assert reverse("schools:plan_detail", args=[plan.pk]) in client.get(detail_url(live)).content.decode()
    # The plan is shared with the setting, whose people see it and never the complaint.
    services_plans.action_save(
        plan=plan, user=adviser, description="Review how concerns reach the DSL", due_on=today + datetime.timedelta(30)
    )
    services_plans.plan_share(plan=plan, user=adviser)
    client.force_login(setting_member)
    page = client.get(reverse("schools:plan_detail", args=[plan.pk]))
    assert page.status_code == 200
    content = page.content.decode()
    assert "Referral practice" in content
    assert "Pat Parent" not in content
    assert "pat.parent@example.net" not in content
    assert escape(SUMMARY) not in content and SUMMARY not in content
    # Closing waits for the plan.
    client.force_login(adviser)
    response = client.post(action_url(live, "close"), date_data("close", "on", today))
    assert "The learning action plan is not complete yet." in response.content.decode()
    assert ActionPlan.objects.get(pk=plan.pk).status != ActionPlan.Status.COMPLETE


def test_scrutiny_comments_by_qa_managers_but_not_advisers(client, live, adviser, qa_manager):
    client.force_login(adviser)
    assert action_url(live, "scrutiny") not in client.get(detail_url(live)).content.decode()
    assert client.post(action_url(live, "scrutiny"), {"scrutiny-comment": "x"}).status_code == 403
    client.force_login(qa_manager)
    response = client.post(action_url(live, "scrutiny"), {"scrutiny-comment": ""})
    assert response.status_code == 200
    assert "Enter your comment" in response.content.decode()
    assert client.post(action_url(live, "scrutiny"), {"scrutiny-comment": "Seen."}).status_code == 302
    assert live.events.filter(kind=ComplaintEvent.Kind.SCRUTINY).count() == 1


def test_legal_hold_is_for_qa_managers(client, live, adviser, qa_manager):
    client.force_login(adviser)
    assert client.post(action_url(live, "place-legal-hold"), {"place-legal-hold-reason": "x"}).status_code == 403
    client.force_login(qa_manager)
    response = client.post(action_url(live, "place-legal-hold"), {"place-legal-hold-reason": ""})
    assert response.status_code == 200
    assert "Enter why the complaint is on legal hold" in response.content.decode()
    data = {"place-legal-hold-reason": "Employment tribunal"}
    assert client.post(action_url(live, "place-legal-hold"), data).status_code == 302
    live.refresh_from_db()
    assert live.legal_hold
    content = client.get(detail_url(live)).content.decode()
    assert "This complaint is on legal hold: Employment tribunal" in content
    assert action_url(live, "lift-legal-hold") in content
    assert client.post(action_url(live, "lift-legal-hold"), {}).status_code == 302
    live.refresh_from_db()
    assert not live.legal_hold


def test_a_redacted_complaint_says_so_and_offers_no_changes(client, live, adviser, today):
    from complaints.retention import REDACTED, complaint_redact

    services.complaint_withdraw(complaint=live, user=adviser, on=today, reason="Resolved locally", today=today)
    complaint_redact(live)
    client.force_login(adviser)
    content = client.get(detail_url(live)).content.decode()
    assert "were redacted on" in content
    assert "Pat Parent" not in content and "Resolved locally" not in content
    assert REDACTED in content
    for action in ("note", "setting-notified", "acknowledge", "withdraw"):
        assert action_url(live, action) not in content
    response = client.post(action_url(live, "note"), {"note-about": "note", "note-note": "Late note"})
    assert response.status_code == 200
    assert "This complaint has been redacted and can no longer change." in response.content.decode()


@pytest.mark.parametrize(
    ("action", "fields", "message"),
    [
        ("refer-on", {"refer-on-reason": "x"}, "Choose who the complaint was referred to"),
        ("withdraw", {"withdraw-reason": ""}, "Enter why the complaint was withdrawn"),
        (
            "learning-plan",
            {"learning-plan-title": "Learning"},
            "Open the learning plan once the response has been sent.",
        ),
        ("learning-plan", {"learning-plan-title": ""}, "Enter a title for the plan"),
        ("resume", {}, "Only a paused complaint can be resumed."),
    ],
)
def test_actions_refused_say_why_and_change_nothing(client, live, adviser, today, action, fields, message):
    data = {**date_data(action, "on", today), **fields}
    client.force_login(adviser)
    before = live.events.count()
    response = client.post(action_url(live, action), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "There is a problem" in content
    assert escape(message) in content
    live.refresh_from_db()
    assert (live.status, live.events.count(), live.learning_plan) == (Status.RECEIVED, before, None)
