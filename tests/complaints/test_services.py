"""The complaint lifecycle through its service functions: every transition allowed and
refused, by role and by state; the clocks they move; the timeline and audit log they write."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from wagtail.models import ModelLogEntry

from complaints import services
from complaints.models import Complaint, ComplaintEvent, ComplaintResponse, ReferredTo, Status
from complaints.services import InvalidTransition
from portal.roles import Role
from schools import services_plans
from schools.models import ActionPlan

from .conftest import TODAY, D

pytestmark = pytest.mark.django_db


def _statuses(complaint):
    return list(complaint.events.filter(kind=ComplaintEvent.Kind.STATUS).values_list("changes__status", flat=True))


def acknowledge(complaint, user, on=TODAY):
    return services.complaint_acknowledge(complaint=complaint, user=user, on=on, today=TODAY)


def investigate(complaint, user):
    acknowledge(complaint, user)
    return services.complaint_start_investigation(complaint=complaint, user=user)


def signed_off_response(complaint, adviser, qa_manager, outcome="partly_upheld"):
    services.response_save(complaint=complaint, user=adviser, findings="Records were late.", outcome=outcome, body="x")
    services.response_submit(complaint=complaint, user=adviser)
    return services.response_sign_off(complaint=complaint, user=qa_manager)


# Logging ------------------------------------------------------------------------------------


def test_references_are_numbered_per_year(make_complaint, setting):
    first = make_complaint(setting, received_on=D("2025-12-30"))
    second = make_complaint(setting, received_on=D("2026-01-02"))
    third = make_complaint(setting, received_on=D("2026-02-02"))
    assert [first.reference, second.reference, third.reference] == ["SC-2025-0001", "SC-2026-0001", "SC-2026-0002"]


def test_logging_sets_the_targets_in_force_and_writes_the_timeline_and_log(complaint, adviser):
    # Received Wednesday 25 November 2026: 3 working days is Monday 30th; 20 is Wednesday 23 December.
    assert complaint.received_on == D("2026-11-25")
    assert (complaint.acknowledge_target_days, complaint.respond_target_days) == (3, 20)
    assert complaint.acknowledge_due_on == D("2026-11-30")
    assert complaint.respond_due_on == D("2026-12-23")
    assert complaint.clock_due_on == complaint.acknowledge_due_on
    assert complaint.status == Status.RECEIVED
    assert complaint.events.get().kind == ComplaintEvent.Kind.CREATED
    assert ModelLogEntry.objects.filter(action="complaints.complaint.create", user_id=adviser.pk).exists()


def test_changed_targets_apply_to_new_complaints_only(make_complaint, setting, complaint):
    settings_row = services.complaints_settings()
    settings_row.respond_within_days = 10
    settings_row.save()
    newer = make_complaint(setting)
    assert newer.respond_target_days == 10
    complaint.refresh_from_db()
    assert complaint.respond_target_days == 20


def test_a_closed_setting_or_a_future_date_is_refused(make_complaint, setting):
    setting.is_open = False
    setting.save()
    with pytest.raises(ValidationError, match="closed"):
        make_complaint(setting)
    setting.is_open = True
    setting.save()
    with pytest.raises(ValidationError, match="today or in the past"):
        make_complaint(setting, received_on=TODAY + datetime.timedelta(days=1))
    assert not Complaint.objects.exists()


@pytest.mark.parametrize("role", [Role.SCHOOL_USER, Role.SENIOR_MANAGER, Role.EDITOR, Role.COMMISSIONING_OFFICER])
def test_only_advisers_and_qa_managers_log_complaints(make_complaint, setting, make_user, role):
    with pytest.raises(PermissionDenied):
        make_complaint(setting, user=make_user(role))


def test_editing_records_what_changed_but_never_copies_personal_details(complaint, adviser, second_adviser):
    services.complaint_update(
        complaint=complaint,
        user=adviser,
        complainant_name="Someone Else",
        severity="high",
        assigned_adviser=second_adviser,
    )
    event = complaint.events.get(kind=ComplaintEvent.Kind.EDITED)
    assert event.changes["severity"] == ["Medium", "High"]
    assert event.changes["complainant_name"] == ["", "changed"]
    assert "Someone Else" not in str(event.changes)
    complaint.refresh_from_db()
    assert complaint.assigned_adviser == second_adviser


def test_correcting_the_received_date_moves_the_clocks(complaint, adviser):
    services.complaint_update(complaint=complaint, user=adviser, received_on=D("2026-11-20"), today=TODAY)
    complaint.refresh_from_db()
    assert complaint.acknowledge_due_on == D("2026-11-25")
    assert complaint.clock_due_on == D("2026-11-25")


# The lifecycle ----------------------------------------------------------------------------


def test_the_whole_lifecycle_to_closure_through_the_learning_plan(complaint, adviser, qa_manager, setting):
    investigate(complaint, adviser)
    signed_off_response(complaint, adviser, qa_manager)
    services.response_mark_sent(complaint=complaint, user=adviser, on=TODAY, today=TODAY)
    plan = services.learning_plan_open(complaint=complaint, user=adviser, title="Learning from the complaint")
    complaint.refresh_from_db()
    assert complaint.status == Status.MONITORING_LEARNING
    assert plan.source == ActionPlan.Source.COMPLAINT and plan.source_reference == complaint.reference
    assert plan.setting == setting

    services_plans.action_save(plan=plan, user=adviser, description="Retrain staff", due_on=TODAY)
    with pytest.raises(InvalidTransition, match="not complete"):
        services.complaint_close(complaint=complaint, user=adviser, today=TODAY)
    # Agree, complete and verify: the plan completes and the complaint closes with it.
    _complete_plan(plan, adviser, setting)
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED
    assert complaint.closed_on is not None
    assert _statuses(complaint)[-1] == ["Monitoring learning", "Closed"]


def _complete_plan(plan, adviser, setting):
    from schools.models import Membership, SettingRole
    from tests.factories import UserFactory

    dsl = UserFactory(roles=[Role.SCHOOL_USER])
    Membership.objects.create(user=dsl, setting=setting, role=SettingRole.DSL)
    services_plans.plan_share(plan=plan, user=adviser)
    services_plans.plan_agree(plan=plan, user=dsl, agreed_with="Headteacher")
    for action in plan.actions.all():
        services_plans.action_record_progress(action=action, user=dsl, note="Done", completed=True)
        action.refresh_from_db()
        services_plans.action_verify(action=action, user=adviser)


def test_closing_with_no_learning(complaint, adviser, qa_manager):
    investigate(complaint, adviser)
    signed_off_response(complaint, adviser, qa_manager)
    services.response_mark_sent(complaint=complaint, user=adviser, on=TODAY, today=TODAY)
    services.complaint_close(complaint=complaint, user=adviser, today=TODAY)
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED and complaint.learning_identified is False


@pytest.mark.parametrize(
    "step",
    [
        lambda c, u: services.complaint_start_investigation(complaint=c, user=u),
        lambda c, u: services.complaint_pause(complaint=c, user=u, on=TODAY, reason="x", today=TODAY),
        lambda c, u: services.complaint_resume(complaint=c, user=u, on=TODAY, today=TODAY),
        lambda c, u: services.complaint_close(complaint=c, user=u, today=TODAY),
        lambda c, u: services.learning_plan_open(complaint=c, user=u, title="Plan"),
    ],
    ids=["investigate", "pause", "resume", "close", "learning"],
)
def test_a_status_jump_that_skips_a_step_is_refused_and_changes_nothing(complaint, adviser, step):
    with pytest.raises(InvalidTransition) as error:
        step(complaint, adviser)
    assert any(word in str(error.value) for word in ("first", "Only", "once"))
    complaint.refresh_from_db()
    assert complaint.status == Status.RECEIVED
    assert complaint.events.count() == 1


def test_recording_a_response_as_sent_needs_sign_off(complaint, adviser, qa_manager):
    investigate(complaint, adviser)
    with pytest.raises(InvalidTransition, match="sign off"):
        services.response_mark_sent(complaint=complaint, user=adviser, on=TODAY, today=TODAY)
    services.response_save(complaint=complaint, user=adviser, findings="F", outcome="upheld", body="Dear")
    with pytest.raises(InvalidTransition, match="sign off"):
        services.response_mark_sent(complaint=complaint, user=adviser, on=TODAY, today=TODAY)
    services.response_submit(complaint=complaint, user=adviser)
    with pytest.raises(InvalidTransition, match="sign off"):
        services.response_mark_sent(complaint=complaint, user=adviser, on=TODAY, today=TODAY)
    services.response_sign_off(complaint=complaint, user=qa_manager)
    services.response_mark_sent(complaint=complaint, user=adviser, on=TODAY, today=TODAY)
    complaint.refresh_from_db()
    assert complaint.status == Status.RESPONSE_SENT and complaint.outcome == "upheld"
    assert complaint.clock_due_on is None
    assert complaint.response.status == ComplaintResponse.Status.SENT


def test_only_a_qa_manager_other_than_the_author_signs_off(complaint, adviser, make_user, senior_manager):
    investigate(complaint, adviser)
    services.response_save(complaint=complaint, user=adviser, findings="F", outcome="upheld", body="Dear")
    services.response_submit(complaint=complaint, user=adviser)
    for refused in (adviser, senior_manager):
        with pytest.raises(PermissionDenied):
            services.response_sign_off(complaint=complaint, user=refused)
    author_qa = make_user(Role.QA_MANAGER)
    complaint.response.drafted_by = author_qa
    complaint.response.save()
    with pytest.raises(PermissionDenied, match="other than the author"):
        services.response_sign_off(complaint=complaint, user=author_qa)


def test_submitting_an_incomplete_response_lists_what_is_missing(complaint, adviser):
    investigate(complaint, adviser)
    services.response_save(complaint=complaint, user=adviser, findings="", outcome="", body="")
    with pytest.raises(ValidationError) as error:
        services.response_submit(complaint=complaint, user=adviser)
    assert error.value.messages == ["Choose the outcome", "Enter the findings", "Write the response or upload it"]


def test_editing_a_signed_off_response_needs_signing_off_again(complaint, adviser, qa_manager):
    investigate(complaint, adviser)
    signed_off_response(complaint, adviser, qa_manager)
    services.response_save(complaint=complaint, user=adviser, findings="Changed", outcome="upheld", body="x")
    complaint.response.refresh_from_db()
    assert complaint.response.status == ComplaintResponse.Status.DRAFT
    assert complaint.response.signed_off_by is None
    with pytest.raises(InvalidTransition):
        services.response_mark_sent(complaint=complaint, user=adviser, on=TODAY, today=TODAY)


def test_a_returned_response_carries_the_comment(complaint, adviser, qa_manager):
    investigate(complaint, adviser)
    services.response_save(complaint=complaint, user=adviser, findings="F", outcome="upheld", body="x")
    services.response_submit(complaint=complaint, user=adviser)
    with pytest.raises(ValidationError):
        services.response_return(complaint=complaint, user=qa_manager, comment=" ")
    services.response_return(complaint=complaint, user=qa_manager, comment="Say what the school will change")
    complaint.response.refresh_from_db()
    assert complaint.response.status == ComplaintResponse.Status.DRAFT
    assert complaint.response.returned_comment == "Say what the school will change"


def test_a_response_date_before_the_received_date_is_refused(complaint, adviser, qa_manager):
    investigate(complaint, adviser)
    signed_off_response(complaint, adviser, qa_manager)
    with pytest.raises(ValidationError, match="on or after the date the complaint was received"):
        services.response_mark_sent(complaint=complaint, user=adviser, on=D("2026-11-01"), today=TODAY)


def test_withdrawn_and_referred_complaints_are_finished(make_complaint, setting, adviser):
    withdrawn = make_complaint(setting)
    services.complaint_withdraw(complaint=withdrawn, user=adviser, on=TODAY, reason="Parent withdrew", today=TODAY)
    referred = make_complaint(setting)
    acknowledge(referred, adviser)
    services.complaint_refer_on(
        complaint=referred, user=adviser, to=ReferredTo.LADO, on=TODAY, reason="Allegation", today=TODAY
    )
    for complaint, status in ((withdrawn, Status.WITHDRAWN), (referred, Status.REFERRED)):
        complaint.refresh_from_db()
        assert complaint.status == status and complaint.closed_on == TODAY and complaint.clock_due_on is None
        with pytest.raises(InvalidTransition):
            services.complaint_acknowledge(complaint=complaint, user=adviser, on=TODAY, today=TODAY)
        with pytest.raises(InvalidTransition):
            services.complaint_update(complaint=complaint, user=adviser, severity="high")


@pytest.mark.parametrize("role", [Role.SENIOR_MANAGER, Role.SCHOOL_USER, Role.EDITOR])
def test_people_who_do_not_investigate_cannot_move_a_complaint(complaint, make_user, role):
    user = make_user(role)
    for step in (
        lambda: services.complaint_acknowledge(complaint=complaint, user=user, on=TODAY, today=TODAY),
        lambda: services.complaint_withdraw(complaint=complaint, user=user, on=TODAY, reason="x", today=TODAY),
        lambda: services.complaint_add_note(complaint=complaint, user=user, about="note", note="x"),
        lambda: services.complaint_update(complaint=complaint, user=user, severity="high"),
    ):
        with pytest.raises(PermissionDenied):
            step()
    complaint.refresh_from_db()
    assert complaint.status == Status.RECEIVED


def test_senior_managers_add_scrutiny_comments_and_nothing_else(complaint, senior_manager, adviser):
    event = services.complaint_add_scrutiny_comment(complaint=complaint, user=senior_manager, comment="Why slow?")
    assert event.kind == ComplaintEvent.Kind.SCRUTINY and event.user == senior_manager
    with pytest.raises(PermissionDenied):
        services.complaint_add_scrutiny_comment(complaint=complaint, user=adviser, comment="x")
    with pytest.raises(ValidationError):
        services.complaint_add_scrutiny_comment(complaint=complaint, user=senior_manager, comment="  ")


def test_setting_notification_and_contact_notes_land_in_the_timeline(complaint, adviser):
    services.complaint_record_setting_notified(complaint=complaint, user=adviser, on=TODAY, whom="both", today=TODAY)
    services.complaint_add_note(complaint=complaint, user=adviser, about="complainant", note="Rang Pat back")
    complaint.refresh_from_db()
    assert complaint.setting_notified_on == TODAY and complaint.setting_notified_whom == "both"
    kinds = list(complaint.events.values_list("kind", flat=True))
    assert kinds[-2:] == [ComplaintEvent.Kind.SETTING_NOTIFIED, ComplaintEvent.Kind.CONTACT_COMPLAINANT]
    with pytest.raises(ValidationError):
        services.complaint_record_setting_notified(
            complaint=complaint, user=adviser, on=D("2026-11-01"), whom="both", today=TODAY
        )


def test_every_change_is_in_wagtails_audit_log(complaint, adviser, qa_manager):
    investigate(complaint, adviser)
    signed_off_response(complaint, adviser, qa_manager)
    actions = set(
        ModelLogEntry.objects.filter(object_id=str(complaint.pk), content_type__model="complaint").values_list(
            "action", flat=True
        )
    )
    assert {
        "complaints.complaint.create",
        "complaints.complaint.status",
        "complaints.response.save",
        "complaints.response.submit",
        "complaints.response.sign_off",
    } <= actions


def test_legal_hold_is_for_qa_managers_with_a_reason(complaint, qa_manager, adviser):
    with pytest.raises(PermissionDenied):
        services.complaint_set_legal_hold(complaint=complaint, user=adviser, hold=True, reason="Litigation")
    with pytest.raises(ValidationError):
        services.complaint_set_legal_hold(complaint=complaint, user=qa_manager, hold=True, reason="")
    services.complaint_set_legal_hold(complaint=complaint, user=qa_manager, hold=True, reason="Litigation")
    complaint.refresh_from_db()
    assert complaint.legal_hold and complaint.legal_hold_reason == "Litigation"


def test_qa_managers_set_the_targets_in_the_admin_and_advisers_cannot(client, qa_manager, adviser):
    from wagtail.models import Site

    site = Site.objects.get(is_default_site=True)
    url = f"/admin/settings/complaints/complaintssettings/{site.pk}/"
    client.force_login(adviser)
    assert client.get(url).status_code in {302, 403}
    client.force_login(qa_manager)
    assert client.get(url).status_code == 200
    form = {
        "acknowledge_within_days": "2",
        "respond_within_days": "15",
        "due_soon_days": "3",
        "retention_years": "6",
        "response_template": "Dear {complainant}",
    }
    assert client.post(url, form).status_code == 302
    assert services.complaints_settings().respond_within_days == 15
