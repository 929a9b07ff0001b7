"""The central safeguarding complaints tracker (DESIGN.md, framework 11.4).

A complaint holds personal data about children, families and staff: statuses change only
through `complaints.services`, every change lands in the complaint's timeline and in
Wagtail's audit log, and free text is redacted after the retention period
(`complaints.retention`). Schools never see any of it (`complaints.selectors`).
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from portal.models import Theme, TimeStampedModel
from schools.models import ActionPlan, Setting
from schools.storage import private_storage

DEFAULT_RESPONSE_TEMPLATE = """Dear {complainant},

Complaint reference {reference}: {setting}

Thank you for raising your concerns with the council on {received_on}. I am the Safeguarding and \
Standards Adviser for Schools, and I have looked into the safeguarding matters you raised.

What I looked at
[Describe the enquiries made: records seen, people spoken to, policies checked.]

What I found
{findings}

Outcome
Your complaint is {outcome}.

What happens next
[Describe any learning agreed with the setting, and how the council will monitor it.]

If you are not satisfied with this response, you can contact the council's complaints team.

Yours sincerely,
"""


@register_setting(icon="warning")
class ComplaintsSettings(BaseSiteSetting):
    """Targets and retention for the complaints tracker, set by QA managers. A complaint keeps
    the targets in force when it was received, so changing them never rewrites history."""

    acknowledge_within_days = models.PositiveSmallIntegerField(
        "acknowledge within (working days)", default=3, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    respond_within_days = models.PositiveSmallIntegerField(
        "send the formal response within (working days)",
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    due_soon_days = models.PositiveSmallIntegerField(
        "amber when a target is this many working days away or fewer",
        default=3,
        validators=[MinValueValidator(0), MaxValueValidator(20)],
    )
    retention_years = models.PositiveSmallIntegerField(
        "keep personal details for (years after closure)",
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text="After this the complainant's details and free-text notes are redacted; the figures stay.",
    )
    response_template = models.TextField(
        default=DEFAULT_RESPONSE_TEMPLATE,
        help_text="The starting text of every formal response. Placeholders: {complainant}, {reference}, "
        "{setting}, {received_on}, {findings}, {outcome}.",
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("acknowledge_within_days"), FieldPanel("respond_within_days"), FieldPanel("due_soon_days")],
            heading="Targets",
        ),
        FieldPanel("retention_years"),
        FieldPanel("response_template"),
    ]

    class Meta:
        verbose_name = "complaints settings"


class Source(models.TextChoices):
    OFSTED = "ofsted", "Ofsted notification"
    DFE = "dfe", "DfE notification"
    PARENT = "parent", "Parent or carer"
    PUPIL = "pupil", "Pupil"
    STAFF = "staff", "Member of staff or whistleblower"
    OTHER_AGENCY = "other_agency", "Other agency"
    ANONYMOUS = "anonymous", "Anonymous"
    OTHER = "other", "Other"


class ReceivedVia(models.TextChoices):
    EMAIL = "email", "Email"
    PHONE = "phone", "Telephone"
    LETTER = "letter", "Letter"
    ONLINE = "online", "Online form"
    IN_PERSON = "in_person", "In person"
    REFERRAL = "referral", "Referral from another organisation"


class Severity(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class Status(models.TextChoices):
    RECEIVED = "received", "Received"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    UNDER_INVESTIGATION = "under_investigation", "Under investigation"
    PAUSED = "paused", "Paused awaiting information"
    RESPONSE_SENT = "response_sent", "Response sent"
    MONITORING_LEARNING = "monitoring_learning", "Monitoring learning"
    CLOSED = "closed", "Closed"
    WITHDRAWN = "withdrawn", "Withdrawn"
    REFERRED = "referred", "Referred on"


# The clock runs until the formal response is sent; these are the statuses in which it does.
CLOCK_RUNNING = frozenset({Status.RECEIVED, Status.ACKNOWLEDGED, Status.UNDER_INVESTIGATION})
OPEN_STATUSES = frozenset(
    {
        Status.RECEIVED,
        Status.ACKNOWLEDGED,
        Status.UNDER_INVESTIGATION,
        Status.PAUSED,
        Status.RESPONSE_SENT,
        Status.MONITORING_LEARNING,
    }
)
FINAL_STATUSES = frozenset({Status.CLOSED, Status.WITHDRAWN, Status.REFERRED})


class ReferredTo(models.TextChoices):
    LADO = "lado", "Local authority designated officer (LADO)"
    POLICE = "police", "Police"
    OFSTED = "ofsted", "Ofsted"
    SETTING = "setting", "The setting's own complaints procedure"


class Outcome(models.TextChoices):
    UPHELD = "upheld", "Upheld"
    PARTLY_UPHELD = "partly_upheld", "Partly upheld"
    NOT_UPHELD = "not_upheld", "Not upheld"


class NotifiedWhom(models.TextChoices):
    HEADTEACHER = "headteacher", "Headteacher or manager"
    CHAIR = "chair", "Chair of governors or proprietor"
    BOTH = "both", "Headteacher and chair"


class ComplaintQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def closed(self):
        return self.filter(status__in=FINAL_STATUSES)


class Complaint(TimeStampedModel):
    reference = models.CharField(max_length=20, unique=True, editable=False)
    year = models.PositiveSmallIntegerField(editable=False)
    number = models.PositiveIntegerField(editable=False)
    setting = models.ForeignKey(Setting, on_delete=models.PROTECT, related_name="complaints")
    received_on = models.DateField(db_index=True)
    source = models.CharField(max_length=20, choices=Source.choices, db_index=True)
    source_reference = models.CharField(
        "Ofsted or DfE reference", max_length=60, blank=True, help_text="As given on the notification."
    )
    received_via = models.CharField("how it was received", max_length=20, choices=ReceivedVia.choices)
    complainant_name = models.CharField(max_length=200, blank=True)
    complainant_contact = models.CharField(
        max_length=300, blank=True, help_text="Email address, telephone number or postal address."
    )
    summary = models.TextField()
    themes = models.ManyToManyField(Theme, related_name="complaints", blank=True)
    severity = models.CharField(max_length=10, choices=Severity.choices, default=Severity.MEDIUM)
    assigned_adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_complaints",
    )
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.RECEIVED, db_index=True)
    status_changed_at = models.DateTimeField(auto_now_add=True)

    # The targets in force when it was received, and the dates they give.
    acknowledge_target_days = models.PositiveSmallIntegerField()
    respond_target_days = models.PositiveSmallIntegerField()
    acknowledge_due_on = models.DateField()
    respond_due_on = models.DateField(help_text="Moves later by the working days spent paused.")
    # The target the clock is running towards now (acknowledge, then respond); empty while
    # paused or once the response is sent. Kept so the tracker can filter by clock in SQL.
    clock_due_on = models.DateField(null=True, blank=True, db_index=True)
    paused_working_days = models.PositiveIntegerField(default=0)
    paused_since = models.DateField(null=True, blank=True)

    acknowledged_on = models.DateField(null=True, blank=True)
    response_sent_on = models.DateField(null=True, blank=True)
    response_working_days = models.PositiveIntegerField(
        null=True, blank=True, help_text="Working days from receipt to response, less time paused."
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    learning_identified = models.BooleanField(null=True, blank=True)
    learning_plan = models.ForeignKey(
        ActionPlan, null=True, blank=True, on_delete=models.PROTECT, related_name="complaints"
    )
    setting_notified_on = models.DateField(null=True, blank=True)
    setting_notified_whom = models.CharField(max_length=20, choices=NotifiedWhom.choices, blank=True)
    referred_to = models.CharField(max_length=20, choices=ReferredTo.choices, blank=True)
    closure_reason = models.TextField(blank=True, help_text="Why it was withdrawn or referred on.")
    closed_on = models.DateField(null=True, blank=True, db_index=True)

    legal_hold = models.BooleanField(default=False, help_text="Stops redaction while set.")
    legal_hold_reason = models.CharField(max_length=300, blank=True)
    redacted_at = models.DateTimeField(null=True, blank=True)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-number"]
        constraints = [models.UniqueConstraint(fields=["year", "number"], name="complaint_number_per_year")]
        indexes = [
            models.Index(fields=["status", "clock_due_on"]),
            models.Index(fields=["setting", "received_on"]),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_redacted(self) -> bool:
        return self.redacted_at is not None


class ComplaintPause(models.Model):
    """A time the clock stood still, awaiting information. `working_days` is filled on resume."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="pauses")
    paused_on = models.DateField()
    resumed_on = models.DateField(null=True, blank=True)
    reason = models.TextField()
    working_days = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["paused_on", "pk"]

    def __str__(self) -> str:
        return f"Paused {self.paused_on}"


class ComplaintEvent(models.Model):
    """One line in the complaint's timeline: a change (with what changed), a note of contact
    with the complainant or the setting, or a scrutiny comment from a senior manager."""

    class Kind(models.TextChoices):
        CREATED = "created", "Complaint logged"
        STATUS = "status", "Status changed"
        EDITED = "edited", "Details changed"
        CONTACT_COMPLAINANT = "contact_complainant", "Contact with the complainant"
        CONTACT_SETTING = "contact_setting", "Contact with the setting"
        NOTE = "note", "Case note"
        SETTING_NOTIFIED = "setting_notified", "Setting notified"
        RESPONSE = "response", "Formal response"
        LEARNING = "learning", "Learning"
        SCRUTINY = "scrutiny", "Scrutiny comment"
        LEGAL_HOLD = "legal_hold", "Legal hold"
        REDACTED = "redacted", "Personal details redacted"

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    summary = models.CharField(max_length=300)
    note = models.TextField(blank=True)
    changes = models.JSONField(default=dict, blank=True)  # field -> [old, new]

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.summary


def response_upload_path(instance, filename: str) -> str:
    # A random name: the complaint reference and the complainant stay out of paths.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"complaints/responses/{uuid.uuid4().hex}.{suffix}"


class ComplaintResponse(TimeStampedModel):
    """The formal response: drafted (or uploaded) by the adviser, signed off by a QA manager,
    then recorded as sent. Any edit after sign-off needs signing off again."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        AWAITING_SIGN_OFF = "awaiting_sign_off", "Awaiting sign-off"
        SIGNED_OFF = "signed_off", "Signed off"
        SENT = "sent", "Sent"

    complaint = models.OneToOneField(Complaint, on_delete=models.CASCADE, related_name="response")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    findings = models.TextField(blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    body = models.TextField(blank=True)
    document = models.FileField(storage=private_storage, upload_to=response_upload_path, blank=True)
    document_name = models.CharField(max_length=255, blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="complaint_responses_drafted"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="complaint_responses_signed_off",
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    returned_comment = models.TextField(blank=True, help_text="Why the QA manager sent it back.")


def report_upload_path(instance, filename: str) -> str:
    return f"complaints/reports/{uuid.uuid4().hex}-{filename}"


class QuarterlyReport(TimeStampedModel):
    """A quarterly complaints report, produced by a Celery task and kept as it was presented:
    the figures are frozen in `figures` and the files, and are never recomputed."""

    class Basis(models.TextChoices):
        FINANCIAL = "financial", "Financial year (April to March)"
        CALENDAR = "calendar", "Calendar year"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to start"
        RUNNING = "running", "Being produced"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    basis = models.CharField(max_length=10, choices=Basis.choices, default=Basis.FINANCIAL)
    label = models.CharField(max_length=60, help_text="For example 'Q3 2026-27'.")
    starts_on = models.DateField()
    ends_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent done.")
    progress_message = models.CharField(max_length=200, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    figures = models.JSONField(default=dict, blank=True)
    xlsx = models.FileField(storage=private_storage, upload_to=report_upload_path, blank=True)
    pdf = models.FileField(storage=private_storage, upload_to=report_upload_path, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Complaints report {self.label}"
