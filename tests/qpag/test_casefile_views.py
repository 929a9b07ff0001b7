"""The case-file audit pages: every page by role, each workflow step through its page (allowed
and refused), the list's filters and counts, and constant query counts for the list and the
detail page."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from wagtail.log_actions import registry as log_registry

from portal.roles import Role
from qpag import services, views_casefile
from qpag.constants import SERVICE_PRACTICE_AREAS, Grade, Service
from qpag.models import CaseFileAudit, CaseFileAuditAction, TripleLockReview
from tests.qpag.conftest import D

Status = CaseFileAudit.Status
TODAY = D("2026-11-26")


def date_data(name: str, day: datetime.date) -> dict[str, str]:
    return {f"{name}_day": str(day.day), f"{name}_month": str(day.month), f"{name}_year": str(day.year)}


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def url(name: str, *args) -> str:
    return reverse(f"qpag:{name}", args=args)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    """The pages judge 'overdue' against today: fix it at the fixtures' today."""
    monkeypatch.setattr(views_casefile, "_today", lambda: TODAY)


@pytest.fixture
def audits(make_audit, qa_manager):
    """An audit at each point the pages need: inadequate and audited (review open, an open
    action), moderated with a lowered grade (ready to close and for the panel)."""
    inadequate = make_audit(grade=Grade.INADEQUATE, audited_on=D("2026-10-08"), case_number="MOS-INAD")
    action = services.casefile_action_add(
        audit=inadequate, user=qa_manager, description="Update the safety plan", owner="Team manager", due_on=TODAY
    )
    lowered = make_audit(grade=Grade.GOOD, moderated_grade=Grade.REQUIRES_IMPROVEMENT, case_number="MOS-LOW")
    return {"inadequate": inadequate, "action": action, "lowered": lowered}


def read_pages(audits) -> list[str]:
    return [
        url("case_file_audit_list"),
        url("case_file_audit_detail", audits["inadequate"].pk),
        url("triple_lock_review_list"),
        url("moderation_panel"),
    ]


def change_pages(audits) -> list[str]:
    inadequate, lowered = audits["inadequate"], audits["lowered"]
    return [
        url("case_file_audit_new"),
        url("case_file_audit_grade", inadequate.pk),
        url("case_file_audit_moderate", inadequate.pk),
        url("case_file_audit_close", lowered.pk),
        url("case_file_audit_action_add", inadequate.pk),
        url("case_file_audit_action_complete", inadequate.pk, audits["action"].pk),
        url("triple_lock_review_complete", inadequate.pk),
        url("moderation_panel_record", lowered.pk),
    ]


# Every page by role ------------------------------------------------------------------------


def test_anonymous_people_are_sent_to_sign_in(client, audits):
    for address in read_pages(audits) + change_pages(audits):
        response = client.get(address)
        assert response.status_code == 302, address
        assert response.url.startswith("/sign-in/"), address


@pytest.mark.parametrize(
    "role", [Role.SCHOOL_USER, Role.AP_PROVIDER_USER, Role.ADVISER, Role.COMMISSIONING_OFFICER, Role.EDITOR]
)
def test_other_roles_get_404_everywhere(client, user_for_role, audits, role):
    client.force_login(user_for_role(role))
    for address in read_pages(audits) + change_pages(audits):
        assert client.get(address).status_code == 404, address
        assert client.post(address, {}).status_code == 404, address


def test_senior_managers_read_but_cannot_change(client, qpag_senior, audits):
    client.force_login(qpag_senior)
    for address in read_pages(audits):
        response = client.get(address)
        assert response.status_code == 200, address
        assert "Record an audit" not in response.content.decode()
    for address in change_pages(audits):
        assert client.get(address).status_code == 403, address
        assert client.post(address, {}).status_code == 403, address
    detail = client.get(url("case_file_audit_detail", audits["inadequate"].pk)).content.decode()
    assert "Record the moderation" not in detail
    assert "Mark as completed" not in detail


def test_qa_managers_see_every_page(client, qa_manager, audits):
    client.force_login(qa_manager)
    for address in read_pages(audits) + change_pages(audits):
        assert client.get(address).status_code == 200, address


# The list ---------------------------------------------------------------------------------


def test_the_list_shows_each_audit_with_its_grades_and_counts(client, qa_manager, audits, make_audit):
    make_audit(case_number="MOS-LATE", notified_on=D("2026-10-01"))  # due 15 October, not audited: overdue
    client.force_login(qa_manager)
    response = client.get(url("case_file_audit_list"))
    html = response.content.decode()
    assert "Record an audit" in html
    assert "MOS-INAD" in html and "MOS-LOW" in html
    assert "moderated from good" in html
    assert "Overdue" in html
    counts = {row["status"]: row["count"] for row in response.context["status_counts"]}
    assert counts == {"notified": 1, "audited": 1, "moderated": 1, "closed": 0}
    assert response.context["overdue_count"] == 1
    assert response.context["total"] == 3


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"service": Service.EARLY_HELP}, {"EH-1"}),
        ({"status": Status.MODERATED}, {"MOS-LOW"}),
        ({"month": "2026-09"}, {"EH-1"}),
        ({"team": "south"}, {"MOS-INAD", "MOS-LOW", "MOS-LATE"}),
        ({"overdue": "on"}, {"MOS-LATE", "EH-1"}),
        ({"service": Service.SOCIAL_CARE, "overdue": "on"}, {"MOS-LATE"}),
    ],
    ids=["service", "status", "month", "team", "overdue", "service-and-overdue"],
)
def test_the_list_filters(client, qa_manager, audits, auditors, make_audit, query, expected):
    make_audit(case_number="MOS-LATE", notified_on=D("2026-10-01"))
    make_audit(
        case_number="EH-1",
        service=Service.EARLY_HELP,
        team="Early Help West",
        auditor=auditors["dee"],
        notified_on=D("2026-09-14"),
    )
    client.force_login(qa_manager)
    response = client.get(url("case_file_audit_list"), query)
    assert response.status_code == 200
    assert {row["audit"].case_number for row in response.context["rows"]} == expected


def test_a_bad_month_is_shown_as_an_error_not_a_failure(client, qa_manager, audits):
    client.force_login(qa_manager)
    response = client.get(url("case_file_audit_list"), {"month": "October"})
    assert response.status_code == 200
    assert "Enter the month as a year and month" in response.content.decode()


def test_the_empty_list_says_so(client, qa_manager, auditors):
    client.force_login(qa_manager)
    html = client.get(url("case_file_audit_list")).content.decode()
    assert "No case-file audits have been recorded yet" in html
    html = client.get(url("case_file_audit_list"), {"service": Service.SEND}).content.decode()
    assert "No case-file audits have been recorded yet" in html or "No audits match your filters" in html


def test_the_list_is_paginated_at_50(client, qa_manager, make_audit):
    for _ in range(51):
        make_audit()
    client.force_login(qa_manager)
    first = client.get(url("case_file_audit_list"))
    assert len(first.context["rows"]) == 50
    second = client.get(url("case_file_audit_list"), {"page": 2})
    assert len(second.context["rows"]) == 1


def _build(make_audit, qa_manager, count: int) -> CaseFileAudit:
    audit = None
    for number in range(count):
        audit = make_audit(grade=Grade.INADEQUATE, moderated_grade=Grade.REQUIRES_IMPROVEMENT)
        for step in range(count):
            services.casefile_action_add(
                audit=audit, user=qa_manager, description=f"Action {number}.{step}", owner="TM", due_on=TODAY
            )
    return audit


def test_the_list_and_detail_cost_the_same_queries_at_two_sizes(
    client, qa_manager, make_audit, django_assert_max_num_queries
):
    client.force_login(qa_manager)
    small = _build(make_audit, qa_manager, 2)
    client.get(url("case_file_audit_list"))
    client.get(url("case_file_audit_detail", small.pk))
    with django_assert_max_num_queries(20) as small_list:
        client.get(url("case_file_audit_list"))
    with django_assert_max_num_queries(20) as small_detail:
        client.get(url("case_file_audit_detail", small.pk))

    large = _build(make_audit, qa_manager, 8)
    with django_assert_max_num_queries(len(small_list.captured_queries)):
        response = client.get(url("case_file_audit_list"))
    assert len(response.context["rows"]) == 10
    with django_assert_max_num_queries(len(small_detail.captured_queries)):
        response = client.get(url("case_file_audit_detail", large.pk))
    assert len(response.context["actions"]) == 8


# Recording an audit -----------------------------------------------------------------------


def new_audit_data(auditors, **overrides) -> dict:
    data = {
        "case_number": "MOS-77001",
        "service": Service.SOCIAL_CARE,
        "team": "South locality team",
        "locality": "West",
        "chad_category": "",
        "auditor": auditors["ava"].pk,
        "moderator": auditors["mo"].pk,
        **date_data("notified_on", D("2026-11-02")),
    }
    data.update(overrides)
    return data


def test_a_qa_manager_records_an_audit(client, qa_manager, auditors):
    client.force_login(qa_manager)
    response = client.post(url("case_file_audit_new"), new_audit_data(auditors))
    audit = CaseFileAudit.objects.get()
    assert response.status_code == 302
    assert response.url == url("case_file_audit_detail", audit.pk)
    assert (audit.case_number, audit.due_on, audit.moderator) == ("MOS-77001", D("2026-11-16"), auditors["mo"])
    assert "due by 16 November 2026" in messages_of(response)[-1]


def test_a_same_team_auditor_is_refused_on_the_auditor_field(client, qa_manager, auditors):
    client.force_login(qa_manager)
    response = client.post(url("case_file_audit_new"), new_audit_data(auditors, team="North locality team"))
    assert response.status_code == 200
    assert "Choose an auditor from another team" in str(response.context["form"].errors["auditor"])
    assert not CaseFileAudit.objects.exists()


def test_the_new_audit_form_offers_only_active_auditors_and_moderators(client, qa_manager, auditors):
    auditors["ben"].is_active = False
    auditors["ben"].save()
    client.force_login(qa_manager)
    form = client.get(url("case_file_audit_new")).context["form"]
    assert auditors["ben"] not in form.fields["auditor"].queryset
    assert auditors["mo"] not in form.fields["auditor"].queryset
    assert list(form.fields["moderator"].queryset) == [auditors["mo"], auditors["nia"]]
    response = client.post(url("case_file_audit_new"), new_audit_data(auditors, auditor=auditors["ben"].pk))
    assert "Choose an active auditor" in response.content.decode()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"case_number": "Jane Smith"}, "never a name"),
        ({"case_number": ""}, "Enter the case number"),
        ({"notified_on_day": "31", "notified_on_month": "2"}, "must be a real date"),
        ({"service": Service.CHAD, "team": "North locality team"}, "Choose the kind of front-door contact"),
        ({"moderator": "999999"}, "Choose an active moderator"),
    ],
    ids=["a-name", "no-case-number", "bad-date", "chad-without-category", "unknown-moderator"],
)
def test_bad_new_audits_are_refused_with_messages(client, qa_manager, auditors, overrides, message):
    client.force_login(qa_manager)
    response = client.post(url("case_file_audit_new"), new_audit_data(auditors, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CaseFileAudit.objects.exists()


# The auditor's findings -------------------------------------------------------------------


def grades_data(service=Service.SOCIAL_CARE, grade=Grade.GOOD, *, not_applicable=(), **overrides) -> dict:
    data = {f"area_{area}": ("na" if area in not_applicable else grade) for area in SERVICE_PRACTICE_AREAS[service]}
    data.update(
        overall_grade=grade,
        family_feedback_sought="yes",
        family_feedback="Dad felt listened to.",
        worker_self_assessment="Good relationship with the family.",
        findings="Clear analysis.",
        **date_data("audited_on", D("2026-10-09")),
    )
    data.update(overrides)
    return data


def test_the_grades_page_shows_one_group_per_practice_area(client, qa_manager, make_audit, auditors):
    audit = make_audit(
        service=Service.SEND, team="SEND casework North", auditor=auditors["fay"], notified_on=D("2026-10-01")
    )
    client.force_login(qa_manager)
    html = client.get(url("case_file_audit_grade", audit.pk)).content.decode()
    assert "EHCP standard 1" in html and "EHCP standard 5" in html
    assert "Permanence" not in html
    assert html.count("Not applicable to this case") == 5


def test_recording_findings_through_the_page(client, qa_manager, make_audit):
    audit = make_audit(notified_on=D("2026-10-01"))
    client.force_login(qa_manager)
    data = grades_data(grade=Grade.INADEQUATE, not_applicable=("permanence", "placements"))
    response = client.post(url("case_file_audit_grade", audit.pk), data)
    assert response.status_code == 302
    audit.refresh_from_db()
    assert (audit.status, audit.auditor_grade, audit.family_feedback_sought) == (Status.AUDITED, "inadequate", True)
    assert audit.area_grades.count() == 6
    assert audit.triple_lock_review.due_on == D("2026-11-09")
    assert "triple-lock review is due within a month" in messages_of(response)[-1]


def test_correcting_findings_prefills_the_form(client, qa_manager, make_audit):
    audit = make_audit(grade=Grade.GOOD, notified_on=D("2026-10-01"))
    client.force_login(qa_manager)
    form = client.get(url("case_file_audit_grade", audit.pk)).context["form"]
    assert form.initial["overall_grade"] == Grade.GOOD
    assert form.initial["area_safety_and_risk"] == Grade.GOOD
    assert form.initial["family_feedback_sought"] == "yes"


def test_bad_findings_are_shown_on_the_fields(client, qa_manager, make_audit):
    audit = make_audit(notified_on=D("2026-10-01"))
    client.force_login(qa_manager)
    response = client.post(
        url("case_file_audit_grade", audit.pk), grades_data(**date_data("audited_on", D("2026-09-30")))
    )
    assert response.status_code == 200
    assert "on or after the day the auditor was notified" in str(response.context["form"].errors["audited_on"])
    data = grades_data()
    del data["area_planning"]
    response = client.post(url("case_file_audit_grade", audit.pk), data)
    assert "Choose a grade for ‘Plans and planning’" in response.content.decode()
    response = client.post(
        url("case_file_audit_grade", audit.pk),
        grades_data(not_applicable=SERVICE_PRACTICE_AREAS[Service.SOCIAL_CARE]),
    )
    assert "Grade at least one practice area" in response.content.decode()
    audit.refresh_from_db()
    assert audit.status == Status.NOTIFIED


def test_grades_page_refuses_a_moderated_audit(client, qa_manager, audits):
    client.force_login(qa_manager)
    response = client.get(url("case_file_audit_grade", audits["lowered"].pk))
    assert response.status_code == 302
    assert "can no longer change" in messages_of(response)[-1]
    response = client.post(url("case_file_audit_grade", audits["lowered"].pk), grades_data())
    assert response.status_code == 302
    audits["lowered"].refresh_from_db()
    assert audits["lowered"].auditor_grade == Grade.GOOD


# Moderation -------------------------------------------------------------------------------


def moderation_data(moderator, grade=Grade.GOOD, **overrides) -> dict:
    data = {f"area_{area}": Grade.GOOD for area in SERVICE_PRACTICE_AREAS[Service.SOCIAL_CARE]} | {
        "moderator": moderator.pk,
        "overall_grade": grade,
        "notes": "Agreed.",
        **date_data("moderated_on", TODAY),
    }
    data.update(overrides)
    return data


def test_the_moderation_page_is_prefilled_with_the_auditors_grades(client, qa_manager, make_audit, auditors):
    audit = make_audit(grade=Grade.REQUIRES_IMPROVEMENT, moderator=auditors["mo"])
    client.force_login(qa_manager)
    response = client.get(url("case_file_audit_moderate", audit.pk))
    form = response.context["form"]
    assert form.initial["overall_grade"] == Grade.REQUIRES_IMPROVEMENT
    assert form.initial["area_planning"] == Grade.REQUIRES_IMPROVEMENT
    assert audit.auditor not in form.fields["moderator"].queryset
    assert "The auditor's grades" in response.content.decode()


def test_moderating_through_the_page(client, qa_manager, make_audit, auditors):
    audit = make_audit(grade=Grade.INADEQUATE)
    client.force_login(qa_manager)
    response = client.post(url("case_file_audit_moderate", audit.pk), moderation_data(auditors["mo"]))
    assert response.status_code == 302
    audit.refresh_from_db()
    assert (audit.status, audit.auditor_grade, audit.moderator_grade) == (Status.MODERATED, "inadequate", "good")
    assert audit.triple_lock_review.status == TripleLockReview.Status.NOT_REQUIRED
    assert "raised" in messages_of(response)[-1]


def test_moderation_before_the_audit_date_is_refused_on_the_field(client, qa_manager, make_audit, auditors):
    audit = make_audit(grade=Grade.GOOD, audited_on=D("2026-10-08"))
    client.force_login(qa_manager)
    data = moderation_data(auditors["mo"], **date_data("moderated_on", D("2026-10-07")))
    response = client.post(url("case_file_audit_moderate", audit.pk), data)
    assert response.status_code == 200
    assert "on or after the audit date" in str(response.context["form"].errors["moderated_on"])


def test_moderating_a_notified_audit_is_refused(client, qa_manager, make_audit, auditors):
    audit = make_audit()
    client.force_login(qa_manager)
    response = client.post(url("case_file_audit_moderate", audit.pk), moderation_data(auditors["mo"]))
    assert response.status_code == 302
    assert "Only an audited case can be moderated" in messages_of(response)[-1]


# Closing ----------------------------------------------------------------------------------


def test_closing_through_the_page(client, qa_manager, audits):
    client.force_login(qa_manager)
    audit = audits["lowered"]
    response = client.post(url("case_file_audit_close", audit.pk), date_data("closed_on", TODAY))
    assert response.status_code == 302
    audit.refresh_from_db()
    assert (audit.status, audit.closed_on) == (Status.CLOSED, TODAY)


def test_closing_is_refused_clearly_while_the_review_is_open(client, qa_manager, make_audit):
    audit = make_audit(grade=Grade.INADEQUATE, moderated_grade=Grade.INADEQUATE)
    client.force_login(qa_manager)
    response = client.get(url("case_file_audit_close", audit.pk))
    assert "cannot be closed yet: its triple-lock review is still open" in response.content.decode()
    response = client.post(url("case_file_audit_close", audit.pk), date_data("closed_on", TODAY))
    assert response.status_code == 200
    assert "Complete the triple-lock review before closing this audit" in response.content.decode()
    audit.refresh_from_db()
    assert audit.status == Status.MODERATED


def test_closing_with_a_bad_date_shows_the_error(client, qa_manager, audits):
    client.force_login(qa_manager)
    response = client.post(url("case_file_audit_close", audits["lowered"].pk), date_data("closed_on", D("2026-01-01")))
    assert response.status_code == 200
    assert "on or after the moderation date" in response.content.decode()
    response = client.post(url("case_file_audit_close", audits["lowered"].pk), {})
    assert "Enter the date the audit was closed" in response.content.decode()


def test_closing_an_audited_case_is_refused(client, qa_manager, audits):
    client.force_login(qa_manager)
    response = client.post(url("case_file_audit_close", audits["inadequate"].pk), date_data("closed_on", TODAY))
    assert response.status_code == 302
    assert "Only a moderated audit can be closed" in messages_of(response)[-1]


# Actions ----------------------------------------------------------------------------------


def test_adding_and_completing_an_action_through_the_pages(client, qa_manager, audits):
    client.force_login(qa_manager)
    audit = audits["inadequate"]
    data = {"description": "Hold a strategy discussion", "owner": "Team manager", **date_data("due_on", TODAY)}
    response = client.post(url("case_file_audit_action_add", audit.pk), data)
    assert response.status_code == 302
    action = CaseFileAuditAction.objects.get(description="Hold a strategy discussion")
    response = client.post(
        url("case_file_audit_action_complete", audit.pk, action.pk),
        {"note": "Held on the 20th", **date_data("completed_on", D("2026-11-20"))},
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.completion_note) == ("completed", "Held on the 20th")
    response = client.get(url("case_file_audit_action_complete", audit.pk, action.pk))
    assert response.status_code == 302
    assert "not open" in messages_of(response)[-1]


def test_an_action_of_another_audit_is_not_found(client, qa_manager, audits):
    client.force_login(qa_manager)
    address = url("case_file_audit_action_complete", audits["lowered"].pk, audits["action"].pk)
    assert client.get(address).status_code == 404
    assert client.post(address, date_data("completed_on", TODAY)).status_code == 404


def test_actions_are_refused_on_a_notified_audit(client, qa_manager, make_audit):
    audit = make_audit()
    client.force_login(qa_manager)
    response = client.post(url("case_file_audit_action_add", audit.pk), {"description": "x", "owner": "y"})
    assert response.status_code == 302
    assert "Record the auditor's findings before adding actions" in messages_of(response)[-1]


def test_an_action_without_a_description_is_refused(client, qa_manager, audits):
    client.force_login(qa_manager)
    response = client.post(url("case_file_audit_action_add", audits["inadequate"].pk), {"owner": "y"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter what must happen" in html and "Enter the date the action is due" in html


# The triple-lock review -------------------------------------------------------------------


def review_data(on: datetime.date, **overrides) -> dict:
    return {
        "actions_progressed": "yes",
        "findings": "Safety plan in place.",
        **date_data("completed_on", on),
    } | overrides


def test_completing_the_review_through_the_page(client, qa_manager, audits):
    client.force_login(qa_manager)
    audit = audits["inadequate"]
    response = client.post(url("triple_lock_review_complete", audit.pk), review_data(D("2026-11-09"), escalated="on"))
    assert response.status_code == 302
    assert "(late)" in messages_of(response)[-1]
    review = TripleLockReview.objects.get(audit=audit)
    assert (review.status, review.escalated, review.actions_progressed) == ("completed", True, True)
    response = client.get(url("triple_lock_review_complete", audit.pk))
    assert response.status_code == 302


def test_a_review_before_the_grading_is_refused_on_the_field(client, qa_manager, audits):
    client.force_login(qa_manager)
    response = client.post(url("triple_lock_review_complete", audits["inadequate"].pk), review_data(D("2026-10-01")))
    assert response.status_code == 200
    assert "on or after the inadequate grading" in str(response.context["form"].errors["completed_on"])


def test_an_audit_without_a_review_has_no_review_page(client, qa_manager, audits):
    client.force_login(qa_manager)
    assert client.get(url("triple_lock_review_complete", audits["lowered"].pk)).status_code == 404


def test_the_review_list_puts_open_reviews_first(client, qa_manager, make_audit):
    on_time = make_audit(grade=Grade.INADEQUATE, audited_on=D("2026-10-08"), case_number="MOS-ONTIME")
    services.triple_lock_review_complete(
        review=on_time.triple_lock_review,
        user=qa_manager,
        completed_on=D("2026-11-01"),
        actions_progressed=True,
        findings="Fine",
    )
    late = make_audit(grade=Grade.INADEQUATE, audited_on=D("2026-10-08"), case_number="MOS-LATEREV")
    services.triple_lock_review_complete(
        review=late.triple_lock_review,
        user=qa_manager,
        completed_on=D("2026-11-20"),
        actions_progressed=False,
        findings="Late",
    )
    make_audit(grade=Grade.INADEQUATE, audited_on=D("2026-10-20"), case_number="MOS-OVERDUE")
    make_audit(grade=Grade.INADEQUATE, notified_on=D("2026-11-10"), audited_on=D("2026-11-20"), case_number="MOS-OPEN")
    make_audit(grade=Grade.INADEQUATE, moderated_grade=Grade.GOOD, case_number="MOS-STOOD-DOWN")
    client.force_login(qa_manager)
    response = client.get(url("triple_lock_review_list"))
    open_rows = [
        (row["review"].audit.case_number, row["overdue"], row["days_left"]) for row in response.context["open_rows"]
    ]
    assert open_rows == [("MOS-OVERDUE", True, -6), ("MOS-OPEN", False, 24)]
    completed = {row["review"].audit.case_number: row["late"] for row in response.context["completed_rows"]}
    assert completed == {"MOS-ONTIME": False, "MOS-LATEREV": True}
    assert response.context["counts"]["not_required"] == 1
    assert "MOS-STOOD-DOWN" not in response.content.decode()


# The moderation panel ---------------------------------------------------------------------


def test_the_panel_lists_differences_with_their_direction(client, qa_manager, make_audit, auditors):
    lowered = make_audit(grade=Grade.GOOD, case_number="MOS-DOWN")
    lowered = services.casefile_audit_moderate(
        audit=lowered,
        user=qa_manager,
        moderator=auditors["mo"],
        moderated_on=D("2026-10-20"),
        overall_grade=Grade.INADEQUATE,
        area_grades={"planning": Grade.INADEQUATE, "safety_and_risk": Grade.REQUIRES_IMPROVEMENT},
    )
    make_audit(grade=Grade.INADEQUATE, moderated_grade=Grade.REQUIRES_IMPROVEMENT, case_number="MOS-UP")
    make_audit(grade=Grade.GOOD, moderated_grade=Grade.GOOD, case_number="MOS-AGREED")
    client.force_login(qa_manager)
    response = client.get(url("moderation_panel"))
    rows = {
        row["audit"].case_number: (row["direction"], row["audit"].area_differences) for row in response.context["rows"]
    }
    assert rows == {"MOS-DOWN": ("lowered", 2), "MOS-UP": ("raised", 0)}
    assert "MOS-AGREED" not in response.content.decode()


def test_recording_the_panel_moves_the_audit_to_recently_discussed(client, qa_manager, audits):
    client.force_login(qa_manager)
    audit = audits["lowered"]
    response = client.post(
        url("moderation_panel_record", audit.pk),
        {"learning": "Weigh the impact on the child.", **date_data("discussed_on", TODAY)},
    )
    assert response.status_code == 302
    assert response.url == url("moderation_panel")
    panel = client.get(url("moderation_panel"))
    assert panel.context["rows"] == []
    assert [row["audit"] for row in panel.context["discussed"]] == [audit]
    response = client.get(url("moderation_panel_record", audit.pk))
    assert response.status_code == 302
    assert "already discussed" in messages_of(response)[-1]


def test_the_panel_refuses_agreed_grades_and_empty_learning(client, qa_manager, audits, make_audit):
    client.force_login(qa_manager)
    agreed = make_audit(grade=Grade.GOOD, moderated_grade=Grade.GOOD)
    response = client.get(url("moderation_panel_record", agreed.pk))
    assert response.status_code == 302
    response = client.post(url("moderation_panel_record", audits["lowered"].pk), date_data("discussed_on", TODAY))
    assert response.status_code == 200
    assert "Enter the panel&#x27;s learning" in response.content.decode()


# The detail page --------------------------------------------------------------------------


def test_the_detail_page_shows_everything_and_the_history(client, qa_manager, make_audit, auditors):
    audit = make_audit(grade=Grade.INADEQUATE, audited_on=D("2026-10-08"), case_number="MOS-DETAIL")
    services.casefile_audit_moderate(
        audit=audit,
        user=qa_manager,
        moderator=auditors["mo"],
        moderated_on=D("2026-10-10"),
        overall_grade=Grade.REQUIRES_IMPROVEMENT,
        notes="Risk is managed, though plans drift.",
    )
    client.force_login(qa_manager)
    response = client.get(url("case_file_audit_detail", audit.pk))
    html = response.content.decode()
    for text in (
        "MOS-DETAIL",
        "Ava Auditor",
        "Mo Moderator",
        "15 October 2026",  # due two weeks after notification
        "Children are safe and risk is managed",
        "moderated from inadequate",
        "Mum said the social worker listened.",
        "Risk is managed, though plans drift.",
        "Not required after moderation",
        "Audit moderated",
        "Quinn Manager",
        "Close the audit",
        "Record the moderation panel",
    ):
        assert text in html, text
    assert len(response.context["history"]) == len(log_registry.get_logs_for_instance(audit))


def test_the_detail_page_offers_the_next_step_for_each_state(client, qa_manager, make_audit):
    client.force_login(qa_manager)
    notified = make_audit()
    labels = [step["label"] for step in client.get(url("case_file_audit_detail", notified.pk)).context["steps"]]
    assert labels == ["Record the auditor's findings"]
    audited = make_audit(grade=Grade.INADEQUATE)
    labels = [step["label"] for step in client.get(url("case_file_audit_detail", audited.pk)).context["steps"]]
    assert labels == [
        "Record the moderation",
        "Correct the auditor's findings",
        "Complete the triple-lock review",
        "Add an action",
    ]
    closed = make_audit(grade=Grade.GOOD, moderated_grade=Grade.GOOD, closed_on=D("2026-10-30"))
    assert client.get(url("case_file_audit_detail", closed.pk)).context["steps"] == []


def test_an_unknown_audit_is_not_found(client, qa_manager, auditors):
    client.force_login(qa_manager)
    assert client.get(url("case_file_audit_detail", 999999)).status_code == 404
    assert client.get(url("case_file_audit_grade", 999999)).status_code == 404
