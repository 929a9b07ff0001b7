"""An internal case-file audit and what follows from it. Statuses change only through
qpag.services; the record holds a case number and never a child's name."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models

from portal.models import TimeStampedModel
from qpag.constants import CASE_NUMBER_PATTERN, ChadCategory, Grade, PracticeArea, Service

from .people import Auditor
from .sampling import SampleDraw

case_number_validator = RegexValidator(
    CASE_NUMBER_PATTERN,
    "Enter the case number only (3 to 20 letters, digits, hyphens or slashes), never a name",
)


class CaseFileAudit(TimeStampedModel):
    class Status(models.TextChoices):
        NOTIFIED = "notified", "Auditor notified"
        AUDITED = "audited", "Audited, waiting for moderation"
        MODERATED = "moderated", "Moderated"
        CLOSED = "closed", "Closed"

    case_number = models.CharField(max_length=20, validators=[case_number_validator], db_index=True)
    service = models.CharField(max_length=20, choices=Service.choices, db_index=True)
    team = models.CharField(max_length=120, db_index=True)
    locality = models.CharField(max_length=80, blank=True, db_index=True)
    chad_category = models.CharField(
        "front-door contact", max_length=20, choices=ChadCategory.choices, blank=True, help_text="ChAD audits only."
    )
    draw = models.ForeignKey(SampleDraw, null=True, blank=True, on_delete=models.PROTECT, related_name="audits")
    auditor = models.ForeignKey(Auditor, on_delete=models.PROTECT, related_name="audits")
    moderator = models.ForeignKey(Auditor, null=True, blank=True, on_delete=models.PROTECT, related_name="moderated")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOTIFIED, db_index=True)
    notified_on = models.DateField(db_index=True, help_text="Also the month the audit is reported in.")
    due_on = models.DateField(help_text="Two weeks after notification.")
    audited_on = models.DateField(null=True, blank=True)
    moderated_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    auditor_grade = models.CharField(max_length=25, choices=Grade.choices, blank=True)
    moderator_grade = models.CharField(max_length=25, choices=Grade.choices, blank=True)
    # The moderator's grade where there is one, otherwise the auditor's: kept for counting in SQL.
    final_grade = models.CharField(max_length=25, choices=Grade.choices, blank=True, db_index=True)
    family_feedback_sought = models.BooleanField(null=True, blank=True)
    family_feedback = models.TextField("what the family said", blank=True)
    worker_self_assessment = models.TextField("the worker's self-assessment", blank=True)
    findings = models.TextField("strengths and areas for development", blank=True)
    moderation_notes = models.TextField(blank=True)
    panel_discussed_on = models.DateField(
        "discussed at the moderation panel", null=True, blank=True, help_text="For audits whose grades differ."
    )
    panel_learning = models.TextField("the panel's learning for the auditor and moderator", blank=True)
    imported = models.BooleanField(default=False, help_text="Loaded from a CSV of completed audits.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-notified_on", "case_number"]
        indexes = [
            models.Index(fields=["service", "notified_on"]),
            models.Index(fields=["status", "due_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(moderator=models.F("auditor")), name="qpag_moderator_is_not_auditor"
            ),
        ]

    def __str__(self) -> str:
        return f"Case {self.case_number} ({self.get_service_display()}, {self.notified_on:%B %Y})"

    @property
    def grades_differ(self) -> bool:
        return bool(self.auditor_grade and self.moderator_grade and self.auditor_grade != self.moderator_grade)


class PracticeAreaGrade(models.Model):
    audit = models.ForeignKey(CaseFileAudit, on_delete=models.CASCADE, related_name="area_grades")
    area = models.CharField(max_length=30, choices=PracticeArea.choices)
    auditor_grade = models.CharField(max_length=25, choices=Grade.choices, blank=True)
    moderator_grade = models.CharField(max_length=25, choices=Grade.choices, blank=True)
    final_grade = models.CharField(max_length=25, choices=Grade.choices, blank=True)

    class Meta:
        ordering = ["audit", "pk"]
        constraints = [models.UniqueConstraint(fields=["audit", "area"], name="qpag_one_grade_per_area")]
        indexes = [models.Index(fields=["area", "final_grade"])]

    def __str__(self) -> str:
        return f"{self.get_area_display()}: {self.get_final_grade_display()}"


class CaseFileAuditAction(TimeStampedModel):
    """An action from an audit, sent to the team manager (framework 7.5) and tracked here."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"

    audit = models.ForeignKey(CaseFileAudit, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField("what must happen")
    owner = models.CharField(max_length=200, help_text="Usually the team manager.")
    due_on = models.DateField(db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    completed_on = models.DateField(null=True, blank=True)
    completion_note = models.TextField(blank=True)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.description[:80]


class TripleLockReview(TimeStampedModel):
    """QA's review of an inadequate audit within a month of the grading (framework 7.6, 9.2)."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        COMPLETED = "completed", "Completed"
        NOT_REQUIRED = "not_required", "Not required after moderation"

    audit = models.OneToOneField(CaseFileAudit, on_delete=models.CASCADE, related_name="triple_lock_review")
    opened_on = models.DateField(help_text="The day the audit was graded inadequate.")
    due_on = models.DateField(db_index=True)
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.OPEN, db_index=True)
    completed_on = models.DateField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actions_progressed = models.BooleanField(null=True, blank=True, help_text="Were the actions sufficient and done?")
    findings = models.TextField(blank=True)
    escalated = models.BooleanField(
        "escalated to the Corporate Director", default=False, help_text="Where there are concerns (framework 7.6)."
    )

    class Meta:
        ordering = ["due_on"]

    def __str__(self) -> str:
        return f"Triple-lock review of {self.audit.case_number}"
