"""Casework around a setting (DESIGN.md, "Apps and what each owns"): visits, Ofsted support
offers, managing allegations meetings and CSPR learning. Each can start an action plan of
the one kind every source produces; statuses change only through schools.services_casework."""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone

from portal.models import TimeStampedModel
from portal.working_days import add_working_days, working_days_between

from .action_plans import Action, ActionPlan
from .register import OfstedInspection, Setting

# The framework: a setting judged to have a safeguarding concern is offered support within
# this many working days of the inspection being recorded.
SUPPORT_OFFER_WORKING_DAYS = 10
# Read once here: PracticeReview has a field called `settings`, which would hide django.conf's.
USER_MODEL = settings.AUTH_USER_MODEL


class SupportOffer(TimeStampedModel):
    """Support for a setting whose Ofsted inspection raised a safeguarding concern, opened
    when the inspection is recorded (schools.receivers_casework)."""

    class Status(models.TextChoices):
        OPEN = "open", "Not yet offered"
        OFFERED = "offered", "Offered, waiting for a reply"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"

    setting = models.ForeignKey(Setting, on_delete=models.PROTECT, related_name="support_offers")
    # An inspection recorded in error is deleted with its offer; the audit log keeps the history.
    inspection = models.OneToOneField(OfstedInspection, on_delete=models.CASCADE, related_name="support_offer")
    adviser = models.ForeignKey(
        USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="support_offers",
        help_text="The adviser who looks after the setting; empty until someone takes it on.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    offered_on = models.DateField(null=True, blank=True)
    notes = models.TextField("what was offered", blank=True)
    response_on = models.DateField(null=True, blank=True)
    response_notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Support offer to {self.setting.name} (Ofsted {self.inspection.inspected_on:%d %B %Y})"

    @property
    def opened_on(self) -> date:
        return timezone.localdate(self.created_at)

    @property
    def offer_due_on(self) -> date:
        return add_working_days(self.opened_on, SUPPORT_OFFER_WORKING_DAYS)

    @property
    def is_pending(self) -> bool:
        return self.status in {self.Status.OPEN, self.Status.OFFERED}

    def is_overdue(self, today: date) -> bool:
        """Still not offered more than 10 working days after it opened."""
        return (
            self.status == self.Status.OPEN and working_days_between(self.opened_on, today) > SUPPORT_OFFER_WORKING_DAYS
        )


class Visit(TimeStampedModel):
    class Purpose(models.TextChoices):
        AUDIT_FOLLOW_UP = "audit_follow_up", "Audit follow-up"
        OFSTED_SUPPORT = "ofsted_support", "Ofsted support"
        COMPLAINT_FOLLOW_UP = "complaint_follow_up", "Complaint follow-up"
        CSPR = "cspr", "Child safeguarding practice review"
        AP_QUALITY = "ap_quality", "AP quality visit"

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"

    setting = models.ForeignKey(Setting, on_delete=models.PROTECT, related_name="visits")
    purpose = models.CharField(max_length=30, choices=Purpose.choices)
    announced = models.BooleanField(
        default=True, help_text="An unannounced visit is not shown to the setting until it has been held."
    )
    planned_on = models.DateField(db_index=True)
    held_on = models.DateField(null=True, blank=True)
    adviser = models.ForeignKey(USER_MODEL, on_delete=models.PROTECT, related_name="visits")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED, db_index=True)
    attendees = models.TextField("who attended", blank=True)
    notes = models.TextField(blank=True, help_text="The adviser's notes; not shown to the setting.")
    outcome = models.TextField(blank=True)
    cancelled_reason = models.TextField(blank=True)
    actions_reviewed = models.ManyToManyField(Action, blank=True, related_name="visits")
    support_offer = models.ForeignKey(
        SupportOffer, null=True, blank=True, on_delete=models.SET_NULL, related_name="visits"
    )

    class Meta:
        ordering = ["-planned_on", "-pk"]
        indexes = [models.Index(fields=["setting", "planned_on"])]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} visit to {self.setting.name}, {self.visit_on:%d %B %Y}"

    @property
    def visit_on(self) -> date:
        return self.held_on or self.planned_on


class AllegationCategory(TimeStampedModel):
    """The kinds of allegation a managing allegations meeting considers. QA managers keep
    the list in the Wagtail admin; retired categories stay on the meetings that used them."""

    name = models.CharField(max_length=120, unique=True)
    active = models.BooleanField(default=True, help_text="Only active categories can be chosen for a new meeting.")
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = "allegation category"
        verbose_name_plural = "allegation categories"

    def __str__(self) -> str:
        return self.name


class AllegationsMeeting(TimeStampedModel):
    """A managing allegations meeting involving a setting. Only the LADO reference is kept:
    identifying details of children or staff stay in the LADO's own records."""

    setting = models.ForeignKey(Setting, on_delete=models.PROTECT, related_name="allegations_meetings")
    met_on = models.DateField("date of the meeting", db_index=True)
    lado_reference = models.CharField("LADO reference", max_length=50, db_index=True)
    category = models.ForeignKey(AllegationCategory, on_delete=models.PROTECT, related_name="meetings")
    adviser_attended = models.BooleanField()
    learning = models.TextField("learning for the setting", blank=True)
    recorded_by = models.ForeignKey(USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action_plan = models.ForeignKey(ActionPlan, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-met_on", "-pk"]
        indexes = [models.Index(fields=["setting", "met_on"])]

    def __str__(self) -> str:
        return f"Allegations meeting {self.lado_reference}, {self.met_on:%d %B %Y}"


class PracticeReview(TimeStampedModel):
    """A child safeguarding practice review whose learning names settings. Each named
    setting gets an action plan (source CSPR) linked by the review's reference."""

    name = models.CharField(max_length=200)
    reference = models.CharField(max_length=50, unique=True)
    published_on = models.DateField("date published")
    settings = models.ManyToManyField(Setting, blank=True, related_name="practice_reviews")
    created_by = models.ForeignKey(USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-published_on", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.reference})"

    def action_plans(self) -> models.QuerySet[ActionPlan]:
        return ActionPlan.objects.filter(source=ActionPlan.Source.CSPR, source_reference=self.reference)
