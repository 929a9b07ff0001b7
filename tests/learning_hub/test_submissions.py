"""Good-practice examples sent in through the front end go through Wagtail's moderation
workflow: a draft page with a workflow in progress, approved (and so published) by an editor."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from wagtail.models import GroupApprovalTask, Page, TaskState, Workflow, WorkflowPage, WorkflowState

from learning_hub.models import GoodPracticePage
from learning_hub.submissions import (
    GoodPracticeDraft,
    SubmissionStatus,
    good_practice_submit,
    submission_status,
    submissions_of,
)
from learning_hub.workflows import TASK_NAME, WORKFLOW_NAME, ensure_good_practice_workflow
from portal.models import Theme
from portal.roles import Role

pytestmark = pytest.mark.django_db

SUBMIT_URL = "/hub/good-practice/submit/"
MINE_URL = "/hub/good-practice/mine/"


def form_data(**overrides) -> dict:
    data = {
        "title": "Lunchtime safeguarding walkabouts",
        "summary": "Senior leaders walk the site at lunchtime with a checklist.",
        "what_we_did": "Two senior leaders walk the playground and corridors every lunchtime.",
        "why_it_worked": "Pupils see leaders about and tell them things.",
        "impact_on_children": "Fewer incidents in hidden corners of the site.",
        "setting_kind": "school",
        "phase": "primary",
        "setting_name": "Oakfield Primary School",
        "consent_recorded": "",
        "contact": "DSL, dsl@oakfield.example.org",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def draft(**overrides) -> GoodPracticeDraft:
    data = form_data(**overrides)
    data.pop("themes", None)
    data["named_with_consent"] = data.get("named_with_consent") == "on"
    return GoodPracticeDraft(**data)


def latest_state(page) -> WorkflowState:
    return WorkflowState.objects.filter(object_id=str(page.pk)).order_by("-pk").first()


@pytest.fixture
def editor(make_user):
    return make_user(Role.EDITOR, email="editor@example.org")


# The workflow ------------------------------------------------------------------------------


def test_ensure_workflow_gives_the_section_an_editor_approval_step_once(hub):
    workflow = ensure_good_practice_workflow(hub.good_practice)
    assert ensure_good_practice_workflow(hub.good_practice) == workflow
    assert workflow.name == WORKFLOW_NAME and workflow.active
    task = GroupApprovalTask.objects.get(name=TASK_NAME)
    assert list(task.groups.values_list("name", flat=True)) == ["Editor"]
    assert list(workflow.tasks.specific()) == [task]
    assert WorkflowPage.objects.get(page=hub.good_practice).workflow == workflow
    assert hub.example.get_workflow() == workflow
    assert Workflow.objects.filter(name=WORKFLOW_NAME).count() == 1


def test_ensure_workflow_respects_a_workflow_editors_chose(hub):
    chosen = Workflow.objects.create(name="Two-step approval")
    WorkflowPage.objects.create(page=hub.good_practice, workflow=chosen)
    assert ensure_good_practice_workflow(hub.good_practice) == chosen
    assert not Workflow.objects.filter(name=WORKFLOW_NAME).exists()


# The service -------------------------------------------------------------------------------


def test_submission_creates_a_draft_in_moderation(hub, school_user, editor):
    themes = Theme.objects.filter(slug__in=["dsl-role", "site-security"])
    page = good_practice_submit(user=school_user, draft=draft(), themes=themes)

    page = GoodPracticePage.objects.get(pk=page.pk)
    assert not page.live
    assert page.get_parent().pk == hub.good_practice.pk
    assert page.owner == school_user and page.submitted_by == school_user
    assert set(page.themes.values_list("slug", flat=True)) == {"dsl-role", "site-security"}
    revision = page.get_latest_revision()
    assert revision is not None and revision.user == school_user
    state = latest_state(page)
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == WORKFLOW_NAME and state.requested_by == school_user
    assert state.current_task_state.status == TaskState.STATUS_IN_PROGRESS
    # It waits for editors ("Awaiting your review" on their Wagtail dashboard) and no one else.
    assert TaskState.objects.reviewable_by(editor).filter(pk=state.current_task_state.pk).exists()
    assert not TaskState.objects.reviewable_by(school_user).exists()
    # Not named: the setting's name is kept for editors but not shown.
    assert not page.named_with_consent and page.shown_setting_name == ""
    assert not GoodPracticePage.objects.live().filter(pk=page.pk).exists()


def test_editor_approval_publishes_it(hub, client, school_user, editor):
    page = good_practice_submit(user=school_user, draft=draft())
    task_state = latest_state(page).current_task_state.specific
    task_state.task.specific.on_action(task_state, editor, "approve")

    page.refresh_from_db()
    assert page.live
    assert latest_state(page).status == WorkflowState.STATUS_APPROVED
    assert submission_status(submissions_of(school_user).get(pk=page.pk)) == SubmissionStatus.PUBLISHED
    assert client.get(page.url).status_code == 200


def test_editor_approval_through_the_admin_publishes_it(hub, client, school_user, editor):
    page = good_practice_submit(user=school_user, draft=draft())
    task_state = latest_state(page).current_task_state
    client.force_login(editor)
    response = client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk]), {"comment": ""}
    )
    assert response.status_code in (200, 302)
    page.refresh_from_db()
    assert page.live


def test_a_submitter_cannot_approve_their_own(hub, client, school_user):
    page = good_practice_submit(user=school_user, draft=draft())
    task_state = latest_state(page).current_task_state
    client.force_login(school_user)
    client.post(reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk]))
    page.refresh_from_db()
    assert not page.live
    assert latest_state(page).status == WorkflowState.STATUS_IN_PROGRESS


def test_changes_requested_show_as_rejected_with_the_comment(hub, school_user, editor):
    page = good_practice_submit(user=school_user, draft=draft())
    task_state = latest_state(page).current_task_state.specific
    task_state.task.specific.on_action(task_state, editor, "reject", comment="Please remove the pupil's initials.")
    page.refresh_from_db()
    assert not page.live
    listed = submissions_of(school_user).get(pk=page.pk)
    assert submission_status(listed) == SubmissionStatus.REJECTED
    assert listed.review_comment == "Please remove the pupil's initials."


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"named_with_consent": "on", "consent_recorded": ""}, "consent_recorded"),
        ({"named_with_consent": "on", "setting_name": "", "consent_recorded": "Head, 1 May"}, "setting_name"),
        ({"title": "  "}, "title"),
        ({"phase": "nursery"}, "phase"),
    ],
)
def test_the_service_refuses_incomplete_examples(hub, school_user, overrides, field):
    with pytest.raises(ValidationError) as error:
        good_practice_submit(user=school_user, draft=draft(**overrides))
    assert field in error.value.message_dict
    assert not GoodPracticePage.objects.filter(submitted_by=school_user).exists()


@pytest.mark.parametrize("role", [Role.EDITOR, Role.QA_MANAGER, Role.SENIOR_MANAGER, Role.COMMISSIONING_OFFICER])
def test_the_service_refuses_other_roles(hub, user_for_role, role):
    with pytest.raises(PermissionDenied):
        good_practice_submit(user=user_for_role(role), draft=draft())


def test_a_double_click_makes_one_example(hub, school_user):
    first = good_practice_submit(user=school_user, draft=draft())
    second = good_practice_submit(user=school_user, draft=draft())
    assert first.pk == second.pk
    assert GoodPracticePage.objects.filter(submitted_by=school_user).count() == 1


def test_two_examples_with_the_same_title_from_different_people_get_their_own_slugs(hub, school_user, adviser):
    one = good_practice_submit(user=school_user, draft=draft())
    two = good_practice_submit(user=adviser, draft=draft())
    assert one.slug != two.slug


# The views ---------------------------------------------------------------------------------


def test_anonymous_people_are_sent_to_sign_in(client, hub):
    for url in (SUBMIT_URL, MINE_URL):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/sign-in/")
    assert client.post(SUBMIT_URL, form_data()).status_code == 302
    assert not GoodPracticePage.objects.filter(title="Lunchtime safeguarding walkabouts").exists()


@pytest.mark.parametrize("role", [Role.EDITOR, Role.QA_MANAGER, Role.SENIOR_MANAGER, Role.COMMISSIONING_OFFICER])
def test_other_roles_are_refused(client, hub, user_for_role, role):
    client.force_login(user_for_role(role))
    assert client.get(SUBMIT_URL).status_code == 403
    assert client.post(SUBMIT_URL, form_data()).status_code == 403
    assert client.get(MINE_URL).status_code == 403
    assert not GoodPracticePage.objects.filter(title="Lunchtime safeguarding walkabouts").exists()


@pytest.mark.parametrize("role", [Role.SCHOOL_USER, Role.AP_PROVIDER_USER, Role.ADVISER])
def test_setting_users_and_advisers_submit_and_see_a_confirmation(client, hub, user_for_role, role):
    user = user_for_role(role)
    client.force_login(user)
    form = client.get(SUBMIT_URL)
    assert form.status_code == 200
    assert b'for="id_consent_recorded"' in form.content
    theme = Theme.objects.get(slug="dsl-role")
    response = client.post(
        SUBMIT_URL, form_data(named_with_consent="on", consent_recorded="Headteacher, 3 March 2026", themes=[theme.pk])
    )
    page = GoodPracticePage.objects.get(submitted_by=user)
    assert response.status_code == 302
    assert response["Location"] == reverse("learning_hub:good_practice_submitted", args=[page.pk])
    assert page.named_with_consent and page.consent_recorded == "Headteacher, 3 March 2026"
    assert list(page.themes.all()) == [theme]

    confirmation = client.get(response["Location"])
    assert confirmation.status_code == 200
    assert b"govuk-panel--confirmation" in confirmation.content
    assert b"Example sent for review" in confirmation.content
    listing = client.get(MINE_URL)
    assert b"Lunchtime safeguarding walkabouts" in listing.content
    assert b"In moderation" in listing.content


def test_named_without_consent_details_is_a_form_error_and_nothing_is_lost(client, hub, school_user):
    client.force_login(school_user)
    response = client.post(SUBMIT_URL, form_data(named_with_consent="on"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "govuk-error-summary" in content
    assert "Enter who gave consent for your setting to be named, and when" in content
    assert 'href="#id_consent_recorded"' in content
    # What they typed is still there.
    assert "Two senior leaders walk the playground and corridors every lunchtime." in content
    assert 'value="Lunchtime safeguarding walkabouts"' in content
    assert "<title>Error:" in content
    assert not GoodPracticePage.objects.filter(submitted_by=school_user).exists()


def test_missing_answers_are_listed_in_the_error_summary(client, hub, school_user):
    client.force_login(school_user)
    response = client.post(SUBMIT_URL, form_data(title="", setting_kind="", impact_on_children=""))
    content = response.content.decode()
    assert response.status_code == 200
    for message in ("Enter a title for your example", "Select the kind of setting", "Describe the impact on children"):
        assert message in content
    assert "<title>Error:" in content


def test_a_service_refusal_is_shown_on_the_form(client, hub, school_user):
    # The section has been removed since the form was opened.
    Page.objects.filter(pk=hub.good_practice.pk).delete()
    client.force_login(school_user)
    response = client.post(SUBMIT_URL, form_data())
    assert response.status_code == 200
    assert "The good-practice section is not set up yet" in response.content.decode()


def test_people_see_only_their_own_submissions(client, hub, school_user, adviser):
    mine = good_practice_submit(user=school_user, draft=draft(title="Mine"))
    theirs = good_practice_submit(user=adviser, draft=draft(title="Theirs"))
    client.force_login(school_user)
    listing = client.get(MINE_URL).content.decode()
    assert "Mine" in listing and "Theirs" not in listing
    assert client.get(reverse("learning_hub:good_practice_submitted", args=[mine.pk])).status_code == 200
    assert client.get(reverse("learning_hub:good_practice_submitted", args=[theirs.pk])).status_code == 404


def test_the_list_shows_each_status(client, hub, school_user, editor):
    waiting = good_practice_submit(user=school_user, draft=draft(title="Waiting"))
    approved = good_practice_submit(user=school_user, draft=draft(title="Approved"))
    rejected = good_practice_submit(user=school_user, draft=draft(title="Rejected"))
    for page, action in ((approved, "approve"), (rejected, "reject")):
        task_state = latest_state(page).current_task_state.specific
        task_state.task.specific.on_action(task_state, editor, action, comment="Thanks")
    client.force_login(school_user)
    content = client.get(MINE_URL).content.decode()
    for label in ("In moderation", "Published", "Rejected"):
        assert f">{label}</strong>" in content
    assert "Read it in the learning hub" in content
    assert waiting.title in content


def test_the_list_is_a_fixed_number_of_queries(client, hub, school_user, editor, django_assert_max_num_queries):
    def add(count, start):
        for number in range(start, start + count):
            page = good_practice_submit(user=school_user, draft=draft(title=f"Example {number}"))
            if number % 2:
                task_state = latest_state(page).current_task_state.specific
                task_state.task.specific.on_action(task_state, editor, "approve")

    client.force_login(school_user)
    add(2, 0)
    client.get(MINE_URL)  # warm caches (site root paths)
    with django_assert_max_num_queries(12) as small:
        assert client.get(MINE_URL).status_code == 200
    add(8, 2)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(MINE_URL).status_code == 200


def test_editors_are_told_by_wagtail(hub, school_user, editor):
    mail.outbox.clear()
    good_practice_submit(user=school_user, draft=draft())
    assert any(editor.email in message.to for message in mail.outbox)


@pytest.mark.parametrize("decision", ["approve", "reject"])
def test_a_setting_submitter_hears_from_the_portal_never_with_an_admin_link(
    hub, school_user, editor, decision, mailoutbox, django_capture_on_commit_callbacks
):
    page = good_practice_submit(user=school_user, draft=draft())
    mailoutbox.clear()
    task_state = latest_state(page).current_task_state.specific
    with django_capture_on_commit_callbacks(execute=True):
        task_state.task.specific.on_action(task_state, editor, decision, comment="Please add the impact.")
    to_submitter = [message for message in mailoutbox if school_user.email in message.to]
    assert len(to_submitter) == 1
    message = to_submitter[0]
    assert "/admin/" not in message.body
    assert "/hub/good-practice/mine/" in message.body
    if decision == "approve":
        assert message.subject.startswith("Your good-practice example is published")
        page.refresh_from_db()
        assert page.url in message.body
    else:
        assert message.subject.startswith("Your good-practice example needs changes")
        assert "Please add the impact." in message.body


def test_a_staff_submitter_keeps_wagtails_own_notifications(hub, adviser, editor, mailoutbox):
    from wagtail.users.models import UserProfile

    good_practice_submit(user=adviser, draft=draft())
    profile = UserProfile.get_for_user(adviser)
    assert profile.approved_notifications and profile.rejected_notifications
