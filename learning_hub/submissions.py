"""Good-practice examples sent in by schools, AP providers and advisers through the front end.

A submission becomes a DRAFT GoodPracticePage under the good-practice section, owned by the
person who sent it, with a revision and a moderation workflow in progress, exactly as if an
editor had pressed "Submit for moderation" in the admin. Editors approve (which publishes) or
request changes in the Wagtail admin; the submitter follows it on "Your submissions"."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, WorkflowState
from wagtail.users.models import UserProfile

from portal.models import Theme
from portal.permissions import is_staff_user, user_has_role
from portal.roles import Role
from portal.services import email_queue

from .models import GoodPracticeIndexPage, GoodPracticePage
from .workflows import ensure_good_practice_workflow

SUBMITTER_ROLES = (Role.SCHOOL_USER, Role.AP_PROVIDER_USER, Role.ADVISER)
# A second identical submission this soon after the first is a double click, not a new example.
RESUBMIT_WINDOW = timedelta(minutes=10)

REQUIRED_TEXT = {
    "title": "Enter a title for your example",
    "summary": "Enter a short summary",
    "what_we_did": "Describe what your setting did",
    "why_it_worked": "Describe why it worked",
    "impact_on_children": "Describe the impact on children",
}


def can_submit_good_practice(user) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return user.is_superuser or user_has_role(user, *SUBMITTER_ROLES)


@dataclass(frozen=True)
class GoodPracticeDraft:
    """What a submitter tells us. The service checks it again, whatever the form did."""

    title: str
    summary: str
    what_we_did: str
    why_it_worked: str
    impact_on_children: str
    setting_kind: str
    phase: str
    setting_name: str = ""
    named_with_consent: bool = False
    consent_recorded: str = ""
    contact: str = ""


def _problems(draft: GoodPracticeDraft) -> dict[str, str]:
    problems = {name: message for name, message in REQUIRED_TEXT.items() if not getattr(draft, name).strip()}
    if draft.setting_kind not in GoodPracticePage.SettingKind.values:
        problems["setting_kind"] = "Select the kind of setting"
    if draft.phase not in GoodPracticePage.Phase.values:
        problems["phase"] = "Select the phase"
    if draft.named_with_consent:
        if not draft.setting_name.strip():
            problems["setting_name"] = "Enter your setting's name, or untick the consent box"
        if not draft.consent_recorded.strip():
            problems["consent_recorded"] = "Enter who gave consent for your setting to be named, and when"
    return problems


def good_practice_submit(*, user, draft: GoodPracticeDraft, themes: Iterable[Theme] = ()) -> GoodPracticePage:
    """Create the draft page, save its first revision and start the section's moderation
    workflow. Raises PermissionDenied for people who may not submit, ValidationError (a dict
    keyed by field) for incomplete examples."""
    if not can_submit_good_practice(user):
        raise PermissionDenied("You cannot submit good-practice examples.")
    problems = _problems(draft)
    if problems:
        raise ValidationError(problems)
    index = GoodPracticeIndexPage.objects.first()
    if index is None:
        raise ValidationError("The good-practice section is not set up yet. Please try again later.")

    title = draft.title.strip()
    recent = (
        GoodPracticePage.objects.filter(
            submitted_by=user,
            title=title,
            live=False,
            latest_revision_created_at__gte=timezone.now() - RESUBMIT_WINDOW,
        )
        .order_by("-pk")
        .first()
    )
    if recent is not None:
        return recent

    with transaction.atomic():
        workflow = ensure_good_practice_workflow(index)
        named = draft.named_with_consent
        page = GoodPracticePage(
            title=title,
            summary=draft.summary.strip(),
            what_we_did=draft.what_we_did.strip(),
            why_it_worked=draft.why_it_worked.strip(),
            impact_on_children=draft.impact_on_children.strip(),
            setting_kind=draft.setting_kind,
            phase=draft.phase,
            setting_name=draft.setting_name.strip(),
            named_with_consent=named,
            consent_recorded=draft.consent_recorded.strip() if named else "",
            contact=draft.contact.strip(),
            live=False,
            owner=user,
            submitted_by=user,
        )
        page.themes.set(list(themes))  # a parental relation: written when the page is first saved
        # Wagtail makes a unique slug from the title, and logs the creation against the owner.
        index.add_child(instance=page)
        page.save_revision(user=user, log_action=True)
        # The section's workflow, or the one editors put on this page's ancestors instead.
        (page.get_workflow() or workflow).start(page, user)
        if not is_staff_user(user):
            # Wagtail's own approved/rejected emails link into the admin, which setting users
            # cannot open; they hear from the portal instead (submission_decided below).
            profile = UserProfile.get_for_user(user)
            profile.approved_notifications = False
            profile.rejected_notifications = False
            profile.save(update_fields=["approved_notifications", "rejected_notifications"])
    return page


def submission_decided(*, page: GoodPracticePage, approved: bool, comment: str = "") -> None:
    """Tell a setting user who submitted an example what the editor decided, with a link to
    'Your submissions' (never to the admin). Staff submitters get Wagtail's own emails."""
    submitter = page.submitted_by
    if submitter is None or not submitter.is_active or not submitter.email or is_staff_user(submitter):
        return
    email_queue(
        to=[submitter.email],
        subject_template="learning_hub/emails/submission_decided_subject.txt",
        body_template="learning_hub/emails/submission_decided.txt",
        context={
            "page": page,
            "approved": approved,
            "comment": comment,
            "page_url": settings.SITE_URL + page.url if approved and page.url else "",
            "submissions_url": settings.SITE_URL + reverse("learning_hub:my_submissions"),
        },
    )


# Reading them back -------------------------------------------------------------------------


class SubmissionStatus(models.TextChoices):
    IN_MODERATION = "in_moderation", "In moderation"
    PUBLISHED = "published", "Published"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Not published"


STATUS_TAG_CLASSES = {
    SubmissionStatus.IN_MODERATION: "govuk-tag--blue",
    SubmissionStatus.PUBLISHED: "govuk-tag--green",
    SubmissionStatus.REJECTED: "govuk-tag--red",
    SubmissionStatus.WITHDRAWN: "govuk-tag--grey",
}


def submissions_of(user) -> QuerySet:
    """The good-practice examples this person sent in, newest first, each annotated with its
    latest workflow's status and the reviewer's comment: one query however many there are."""
    latest = WorkflowState.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Page),
        object_id=Cast(OuterRef("pk"), output_field=models.CharField()),
    ).order_by("-created_at", "-pk")
    return (
        GoodPracticePage.objects.filter(submitted_by=user)
        .annotate(
            workflow_status=Subquery(latest.values("status")[:1]),
            workflow_started_at=Subquery(latest.values("created_at")[:1]),
            review_comment=Subquery(latest.values("current_task_state__comment")[:1]),
        )
        .order_by("-latest_revision_created_at", "-pk")
    )


def submission_status(page: GoodPracticePage) -> SubmissionStatus:
    """Published once live; otherwise what its latest workflow says. Needs `submissions_of`'s
    annotations."""
    if page.live:
        return SubmissionStatus.PUBLISHED
    status = getattr(page, "workflow_status", None)
    if status == WorkflowState.STATUS_IN_PROGRESS:
        return SubmissionStatus.IN_MODERATION
    if status == WorkflowState.STATUS_NEEDS_CHANGES:
        return SubmissionStatus.REJECTED
    return SubmissionStatus.WITHDRAWN
