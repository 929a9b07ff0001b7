"""Action plans: every transition allowed and refused, the RAG rules at their boundaries,
extensions, completion closing the source return, and who sees what."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from portal.roles import Role
from schools import services_plans as plans
from schools.action_rag import action_rag
from schools.models import Action, ActionPlan, AuditReturn, ExtensionRequest
from schools.selectors import plans_visible_to

TODAY = timezone.localdate()
PDF = b"%PDF-1.4\n%%EOF\n"


def test_plan_from_feedback_proposes_one_action_per_red_or_amber_answer(plan, reviewed_return):
    actions = list(plan.actions.order_by("sort_order"))
    assert [a.description for a in actions] == ["1.1 Train governors by March", "2.1 Appoint a deputy DSL"]
    assert plan.status == ActionPlan.Status.DRAFT and plan.source == ActionPlan.Source.SCHOOLS_AUDIT
    assert plan.source_return == reviewed_return
    assert all(a.theme is not None for a in actions)


def test_creating_the_plan_twice_returns_the_same_plan(plan, reviewed_return, adviser):
    assert plans.plan_create_from_return(audit_return=reviewed_return, user=adviser).pk == plan.pk


def test_plan_needs_a_reviewed_return_and_an_adviser(open_cycle, other_setting, dsl, reviewed_return, adviser):
    not_reviewed = open_cycle.returns.get(setting=other_setting)
    with pytest.raises(plans.InvalidTransition):
        plans.plan_create_from_return(audit_return=not_reviewed, user=adviser)
    with pytest.raises(PermissionDenied):
        plans.plan_create_from_return(audit_return=reviewed_return, user=dsl)


def test_share_then_agree(plan, adviser, dsl, outsider, mailoutbox, django_capture_on_commit_callbacks):
    with pytest.raises(plans.InvalidTransition):
        plans.plan_agree(plan=plan, user=dsl, agreed_with="Dee")  # not shared yet
    with pytest.raises(PermissionDenied):
        plans.plan_share(plan=plan, user=dsl)
    with django_capture_on_commit_callbacks(execute=True):
        plans.plan_share(plan=plan, user=adviser)
    assert any("ready for you to agree" in m.subject for m in mailoutbox)
    with pytest.raises(PermissionDenied):
        plans.plan_agree(plan=plan, user=outsider, agreed_with="Not me")
    with pytest.raises(ValidationError):
        plans.plan_agree(plan=plan, user=dsl, agreed_with=" ")
    plans.plan_agree(plan=plan, user=dsl, agreed_with="Dee Lead, DSL")
    assert plan.status == ActionPlan.Status.AGREED and plan.agreed_on == TODAY


def test_sharing_an_empty_plan_is_refused(adviser, setting):
    empty = plans.plan_create(user=adviser, setting=setting, source=ActionPlan.Source.OTHER, title="Visit follow-up")
    with pytest.raises(ValidationError):
        plans.plan_share(plan=empty, user=adviser)


def test_progress_verify_and_completion_closes_the_return(
    agreed_plan, adviser, dsl, reviewed_return, settings, tmp_path
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    first, second = agreed_plan.actions.order_by("sort_order")
    with pytest.raises(PermissionDenied):
        plans.action_record_progress(action=first, user=adviser, note="x")  # only the setting records progress
    with pytest.raises(plans.InvalidTransition):
        plans.action_verify(action=first, user=adviser)  # not completed yet
    plans.action_record_progress(action=first, user=dsl, note="Training booked")
    agreed_plan.refresh_from_db()
    assert agreed_plan.status == ActionPlan.Status.IN_PROGRESS
    from django.core.files.uploadedfile import SimpleUploadedFile

    plans.action_add_evidence(action=first, user=dsl, uploaded=SimpleUploadedFile("register.pdf", PDF))
    plans.action_record_progress(action=first, user=dsl, note="Governors trained", completed=True)
    with pytest.raises(PermissionDenied):
        plans.action_verify(action=first, user=dsl)
    plans.action_send_back(action=first, user=adviser, reason="Add the attendance list")
    first.refresh_from_db()
    assert first.status == Action.Status.IN_PROGRESS
    plans.action_record_progress(action=first, user=dsl, note="List added", completed=True)
    plans.action_verify(action=first, user=adviser)
    plans.action_cancel(action=second, user=adviser, reason="Superseded by the new staffing structure")
    agreed_plan.refresh_from_db()
    reviewed_return.refresh_from_db()
    assert agreed_plan.status == ActionPlan.Status.COMPLETE
    assert reviewed_return.status == AuditReturn.Status.CLOSED
    plans.plan_close(plan=agreed_plan, user=adviser)
    assert agreed_plan.status == ActionPlan.Status.CLOSED
    with pytest.raises(plans.InvalidTransition):
        plans.action_save(plan=agreed_plan, user=adviser, description="More", due_on=TODAY)


def test_extensions_keep_both_dates_and_count(agreed_plan, adviser, dsl):
    action = agreed_plan.actions.first()
    original = action.due_on
    with pytest.raises(ValidationError):
        plans.extension_request(action=action, user=dsl, new_due_on=TODAY - datetime.timedelta(days=1), reason="x")
    with pytest.raises(ValidationError):
        plans.extension_request(action=action, user=dsl, new_due_on=original, reason="x")
    request = plans.extension_request(
        action=action, user=dsl, new_due_on=original + datetime.timedelta(days=30), reason="Staff illness"
    )
    with pytest.raises(ValidationError):
        plans.extension_request(action=action, user=dsl, new_due_on=original + datetime.timedelta(days=40), reason="y")
    with pytest.raises(PermissionDenied):
        plans.extension_decide(request=request, user=dsl, approve=True)
    with pytest.raises(ValidationError):
        plans.extension_decide(request=request, user=adviser, approve=False, note="")
    plans.extension_decide(request=request, user=adviser, approve=True)
    action.refresh_from_db()
    assert action.due_on == original + datetime.timedelta(days=30)
    assert action.original_due_on == original and action.extension_count == 1
    with pytest.raises(plans.InvalidTransition):
        plans.extension_decide(request=request, user=adviser, approve=False, note="late")
    refused = plans.extension_request(
        action=action, user=dsl, new_due_on=action.due_on + datetime.timedelta(days=10), reason="Again"
    )
    plans.extension_decide(request=refused, user=adviser, approve=False, note="Please keep to the date")
    action.refresh_from_db()
    assert action.extension_count == 1
    assert ExtensionRequest.objects.filter(action=action).count() == 2


def make_action(status, due_in, started_days_ago=60):
    action = Action(status=status, due_on=TODAY + datetime.timedelta(days=due_in))
    return action, TODAY - datetime.timedelta(days=started_days_ago)


@pytest.mark.parametrize(
    ("status", "due_in", "started_days_ago", "rag"),
    [
        ("verified", -10, 60, "green"),
        ("completed", -10, 60, "green"),
        ("cancelled", -10, 60, None),
        ("in_progress", -1, 60, "red"),  # overdue
        ("in_progress", 0, 60, "amber"),  # due today
        ("in_progress", 14, 60, "amber"),  # the amber boundary
        ("in_progress", 15, 60, "green"),  # just outside it
        ("not_started", 61, 60, "green"),  # just under half the time gone
        ("not_started", 59, 60, "red"),  # more than half gone, not started
        ("not_started", 60, 60, "green"),  # exactly half: not yet red
    ],
)
def test_rag_boundaries(status, due_in, started_days_ago, rag):
    action, started = make_action(status, due_in, started_days_ago)
    assert action_rag(action, TODAY, started_on=started) == rag


def test_setting_users_see_their_shared_plans_only(plan, adviser, dsl, outsider, user_for_role):
    assert not plans_visible_to(dsl).exists()  # drafts are the adviser's until shared
    plans.plan_share(plan=plan, user=adviser)
    assert list(plans_visible_to(dsl)) == [plan]
    assert not plans_visible_to(outsider).exists()
    assert plans_visible_to(adviser).count() == 1
    assert not plans_visible_to(user_for_role(Role.COMMISSIONING_OFFICER)).exists()  # school plans are not theirs


def test_plan_pages_in_the_browserless_flow(client, plan, adviser, dsl, outsider, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    client.force_login(adviser)
    url = reverse("schools:plan_detail", args=[plan.pk])
    html = client.get(url).content.decode()
    assert "Share with the setting for agreement" in html and "Train governors by March" in html
    # Editing refuses a past due date and keeps the input.
    action = plan.actions.first()
    edit = reverse("schools:action_edit", args=[plan.pk, action.pk])
    html = client.post(edit, {"description": "Kept text", "due_on": "1/1/2020"}).content.decode()
    assert "The due date must be today or in the future" in html and "Kept text" in html
    client.post(url, {"action": "share"})
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(dsl)
    html = client.post(url, {"action": "agree", "agreed_with": ""}).content.decode()
    assert "Enter the name of the person agreeing the plan" in html
    client.post(url, {"action": "agree", "agreed_with": "Dee Lead"})
    plan.refresh_from_db()
    assert plan.status == ActionPlan.Status.AGREED
    action_url = reverse("schools:action_detail", args=[action.pk])
    upload = io.BytesIO(PDF)
    upload.name = "evidence.pdf"
    response = client.post(action_url, {"form": "progress", "note": "Done it", "completed": "on", "evidence": upload})
    assert response.status_code == 302
    assert client.post(action_url, {"form": "verify"}).status_code == 403  # the school cannot verify
    client.force_login(adviser)
    client.post(action_url, {"form": "verify"})
    action.refresh_from_db()
    assert action.status == Action.Status.VERIFIED
    assert client.get(reverse("schools:plan_list")).status_code == 200
