"""Annual audit cycles and the returns settings make in them."""

import uuid

from django.conf import settings
from django.db import models

from portal.models import TimeStampedModel
from schools.storage import private_storage

from .questionnaires import Compliance, Question, Questionnaire, QuestionnaireKind, Section
from .register import Setting


class AuditCycle(TimeStampedModel):
    """One year's audit of one kind: opening it creates a return for every setting in scope."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    kind = models.CharField(max_length=30, choices=QuestionnaireKind.choices)
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="cycles")
    title = models.CharField(max_length=200)
    opens_on = models.DateField()
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-opens_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("opens_on")), name="schools_cycle_due_after_open"
            )
        ]

    def __str__(self) -> str:
        return self.title


class AuditReturn(TimeStampedModel):
    """A setting's return in a cycle. Its status changes only through schools.services."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        SUBMITTED = "submitted", "Submitted"
        IN_REVIEW = "in_review", "In review"
        RETURNED = "returned", "Returned for changes"
        FEEDBACK_SENT = "feedback_sent", "Feedback sent"
        CLOSED = "closed", "Closed"

    class Judgement(models.TextChoices):
        STRONG = "strong", "Strong: fully compliant"
        GOOD = "good", "Good: minor improvements"
        REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
        INADEQUATE = "inadequate", "Inadequate: urgent action needed"

    cycle = models.ForeignKey(AuditCycle, on_delete=models.PROTECT, related_name="returns")
    setting = models.ForeignKey(Setting, on_delete=models.PROTECT, related_name="audit_returns")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED, db_index=True)
    headteacher_signoff_name = models.CharField(max_length=200, blank=True)
    headteacher_signoff_on = models.DateField(null=True, blank=True)
    chair_signoff_name = models.CharField(max_length=200, blank=True)
    chair_signoff_on = models.DateField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="returns_reviewed"
    )
    returned_reason = models.TextField(blank=True)
    overall_judgement = models.CharField(max_length=30, choices=Judgement.choices, blank=True)
    feedback_summary = models.TextField(blank=True)
    feedback_sent_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["cycle", "setting__name"]
        constraints = [models.UniqueConstraint(fields=["cycle", "setting"], name="schools_one_return_per_cycle")]
        indexes = [models.Index(fields=["status", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.cycle.title}: {self.setting.name}"

    @property
    def is_editable_by_setting(self) -> bool:
        return self.status in {self.Status.NOT_STARTED, self.Status.IN_PROGRESS, self.Status.RETURNED}


class Answer(models.Model):
    """One answer in a return. `version` rises with every save so that a second editor's
    stale page is detected rather than silently overwriting the first."""

    audit_return = models.ForeignKey(AuditReturn, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    compliance = models.CharField(max_length=20, choices=Compliance.choices, blank=True)
    text = models.TextField(blank=True)
    number = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    date = models.DateField(null=True, blank=True)
    follow_up = models.TextField(blank=True)
    carried_forward = models.BooleanField(
        default=False, help_text="Copied from last year's return and not yet confirmed by the setting."
    )
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["audit_return", "question"], name="schools_one_answer_per_question")
        ]

    def __str__(self) -> str:
        return f"Answer to {self.question.code}"


class SectionProgress(models.Model):
    """Who is working on a section of a return, and whether it has been checked and completed."""

    audit_return = models.ForeignKey(AuditReturn, on_delete=models.CASCADE, related_name="section_progress")
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="+")
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_edited_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["audit_return", "section"], name="schools_one_progress_per_section")
        ]

    def __str__(self) -> str:
        return f"{self.audit_return}: section {self.section_id}"


def evidence_upload_to(instance: "EvidenceFile", filename: str) -> str:
    # A random name: never the uploader's file name, never guessable. Served only by a view.
    return f"evidence/{instance.answer.audit_return_id}/{uuid.uuid4().hex}"


class EvidenceFile(TimeStampedModel):
    class ScanStatus(models.TextChoices):
        NOT_SCANNED = "not_scanned", "Not scanned"
        CLEAN = "clean", "Clean"
        INFECTED = "infected", "Infected"

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="evidence_files")
    file = models.FileField(upload_to=evidence_upload_to, storage=private_storage, max_length=255)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    scan_status = models.CharField(max_length=20, choices=ScanStatus.choices, default=ScanStatus.NOT_SCANNED)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.original_name


class ReviewComment(TimeStampedModel):
    """An adviser's comment on a question, a section or (neither) the whole return."""

    audit_return = models.ForeignKey(AuditReturn, on_delete=models.CASCADE, related_name="review_comments")
    section = models.ForeignKey(Section, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    question = models.ForeignKey(Question, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()

    class Meta:
        ordering = ["created_at"]


class ReminderSent(models.Model):
    """A reminder already sent for a return, so the daily task never sends it twice."""

    audit_return = models.ForeignKey(AuditReturn, on_delete=models.CASCADE, related_name="reminders_sent")
    reminder = models.CharField(max_length=40, help_text="e.g. due-in-14-days, due-in-3-days, overdue-week-1")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["audit_return", "reminder"], name="schools_reminder_sent_once")]

    def __str__(self) -> str:
        return f"{self.reminder} for {self.audit_return}"
