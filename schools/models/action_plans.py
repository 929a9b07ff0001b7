"""One action-plan model for every source of learning (DESIGN.md): audit returns, Ofsted,
complaints, CSPRs, allegations meetings and AP audits all produce the same plans, so every
list, reminder and dashboard treats them alike. Statuses change only through
schools.services_plans."""

import uuid

from django.conf import settings
from django.db import models

from portal.models import Theme, TimeStampedModel
from schools.storage import private_storage

from .audits import AuditReturn
from .questionnaires import Question
from .register import OfstedInspection, Setting


class ActionPlan(TimeStampedModel):
    class Source(models.TextChoices):
        SCHOOLS_AUDIT = "schools_audit", "175/157 audit return"
        AP_AUDIT = "ap_audit", "AP audit return"
        OFSTED = "ofsted", "Ofsted inspection"
        COMPLAINT = "complaint", "Complaint"
        CSPR = "cspr", "Child safeguarding practice review"
        ALLEGATIONS = "allegations", "Managing allegations meeting"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        AGREED = "agreed", "Agreed"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETE = "complete", "Complete"
        CLOSED = "closed", "Closed"

    setting = models.ForeignKey(Setting, on_delete=models.PROTECT, related_name="action_plans")
    source = models.CharField(max_length=20, choices=Source.choices, db_index=True)
    source_return = models.ForeignKey(
        AuditReturn, null=True, blank=True, on_delete=models.PROTECT, related_name="action_plans"
    )
    source_inspection = models.ForeignKey(
        OfstedInspection, null=True, blank=True, on_delete=models.PROTECT, related_name="action_plans"
    )
    # Complaints, CSPRs and allegations meetings link here by reference until their own models arrive.
    source_reference = models.CharField(max_length=100, blank=True)
    title = models.CharField(max_length=200)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="led_action_plans",
        help_text="The adviser (or commissioning officer for AP) who monitors the plan.",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    shared_at = models.DateTimeField(null=True, blank=True, help_text="When the draft was shared for agreement.")
    agreed_on = models.DateField(null=True, blank=True)
    agreed_with = models.CharField(max_length=200, blank=True, help_text="Who agreed it for the setting.")
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["setting", "status"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.setting.name})"

    @property
    def is_awaiting_agreement(self) -> bool:
        return self.status == self.Status.DRAFT and self.shared_at is not None


class Action(TimeStampedModel):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETED = "completed", "Completed by the setting"
        VERIFIED = "verified", "Verified"
        CANCELLED = "cancelled", "Cancelled"

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField("what must change")
    theme = models.ForeignKey(Theme, null=True, blank=True, on_delete=models.PROTECT, related_name="actions")
    owner_name = models.CharField("owner at the setting", max_length=200, blank=True)
    owner_role = models.CharField("owner's role", max_length=120, blank=True)
    original_due_on = models.DateField()
    due_on = models.DateField(db_index=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED, db_index=True)
    cancelled_reason = models.TextField(blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_question = models.ForeignKey(Question, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    extension_count = models.PositiveSmallIntegerField(default=0)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["plan", "sort_order", "pk"]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def is_open(self) -> bool:
        return self.status in {self.Status.NOT_STARTED, self.Status.IN_PROGRESS, self.Status.COMPLETED}


class ActionNote(models.Model):
    """A dated progress note from either side."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_setting = models.BooleanField(default=False)
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Note on {self.action_id}"


def action_evidence_upload_to(instance: "ActionEvidence", filename: str) -> str:
    return f"action-evidence/{instance.action_id}/{uuid.uuid4().hex}"


class ActionEvidence(TimeStampedModel):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="evidence_files")
    file = models.FileField(upload_to=action_evidence_upload_to, storage=private_storage, max_length=255)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.original_name


class ExtensionRequest(TimeStampedModel):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a decision"
        APPROVED = "approved", "Approved"
        REFUSED = "refused", "Refused"

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="extension_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    previous_due_on = models.DateField()
    requested_due_on = models.DateField()
    reason = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["action"], condition=models.Q(status="pending"), name="schools_one_pending_extension"
            )
        ]

    def __str__(self) -> str:
        return f"Extension to {self.requested_due_on} for action {self.action_id}"


class ActionReminderSent(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="reminders_sent")
    reminder = models.CharField(max_length=40)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["action", "reminder"], name="schools_action_reminder_sent_once")]

    def __str__(self) -> str:
        return f"{self.reminder} for action {self.action_id}"


class AdviserDigestSent(models.Model):
    """The weekly digest already sent to an adviser, so a rerun in the same week sends nothing."""

    adviser = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week = models.CharField(max_length=10, help_text="ISO week, e.g. 2026-W48")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["adviser", "week"], name="schools_digest_sent_once")]

    def __str__(self) -> str:
        return f"Digest {self.week} for {self.adviser_id}"
