from django.conf import settings
from django.db import models
from wagtail.search import index

from portal.models import TimeStampedModel


class SettingKind(models.TextChoices):
    MAINTAINED_SCHOOL = "maintained_school", "Maintained school"
    ACADEMY = "academy", "Academy"
    FREE_SCHOOL = "free_school", "Free school"
    SPECIAL_SCHOOL = "special_school", "Special school"
    PUPIL_REFERRAL_UNIT = "pupil_referral_unit", "Pupil referral unit"
    INDEPENDENT_SCHOOL = "independent_school", "Independent school"
    FE_COLLEGE = "fe_college", "FE or sixth-form college"
    AP_PROVIDER = "ap_provider", "Alternative provision provider"


class Phase(models.TextChoices):
    NURSERY = "nursery", "Nursery"
    PRIMARY = "primary", "Primary"
    MIDDLE = "middle", "Middle"
    SECONDARY = "secondary", "Secondary"
    ALL_THROUGH = "all_through", "All-through"
    SIXTEEN_PLUS = "16_plus", "16 plus"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


class Setting(index.Indexed, TimeStampedModel):
    """An education setting the service quality-assures: a school, college or AP provider."""

    name = models.CharField(max_length=200)
    urn = models.CharField(
        "URN", max_length=8, unique=True, help_text="The DfE unique reference number (6 or 7 digits)."
    )
    la_establishment_number = models.CharField("LA establishment number", max_length=8, blank=True)
    kind = models.CharField(max_length=30, choices=SettingKind.choices, db_index=True)
    phase = models.CharField(max_length=20, choices=Phase.choices, default=Phase.NOT_APPLICABLE, db_index=True)
    locality = models.CharField(max_length=80, blank=True, db_index=True)
    trust_name = models.CharField("multi-academy trust", max_length=200, blank=True, db_index=True)
    street = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    headteacher_name = models.CharField("headteacher or manager", max_length=200, blank=True)
    dsl_name = models.CharField("designated safeguarding lead", max_length=200, blank=True)
    dsl_email = models.EmailField("DSL email", blank=True)
    is_open = models.BooleanField("open", default=True, db_index=True)
    on_ap_framework = models.BooleanField("on the AP framework", default=False)
    ap_framework_from = models.DateField("on the AP framework from", null=True, blank=True)
    ap_framework_to = models.DateField("on the AP framework until", null=True, blank=True)

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("urn"),
        index.SearchField("town"),
        index.SearchField("trust_name"),
        index.FilterField("kind"),
        index.FilterField("phase"),
        index.FilterField("locality"),
        index.FilterField("is_open"),
    ]

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ap_framework_to__isnull=True)
                | models.Q(ap_framework_from__isnull=True)
                | models.Q(ap_framework_to__gte=models.F("ap_framework_from")),
                name="schools_setting_ap_framework_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.urn})"

    @property
    def is_ap_provider(self) -> bool:
        return self.kind == SettingKind.AP_PROVIDER

    @property
    def address(self) -> str:
        return ", ".join(part for part in (self.street, self.town, self.postcode) if part)

    @property
    def latest_inspection(self) -> "OfstedInspection | None":
        # Uses the prefetch cache when present (see selectors), so lists stay at constant queries.
        inspections = list(self.inspections.all())
        return max(inspections, key=lambda i: i.inspected_on) if inspections else None


class OfstedJudgement(models.TextChoices):
    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
    INADEQUATE = "inadequate", "Inadequate"


class ReportCardOutcome(models.TextChoices):
    MET = "met", "Met"
    NOT_MET = "not_met", "Not met"


class OfstedInspection(TimeStampedModel):
    """An Ofsted inspection and its safeguarding outcome. Inspections before November 2025
    carry a graded judgement and "safeguarding effective"; report cards since then say
    whether the safeguarding standard was met."""

    setting = models.ForeignKey(Setting, on_delete=models.CASCADE, related_name="inspections")
    inspected_on = models.DateField()
    overall_effectiveness = models.CharField(max_length=30, choices=OfstedJudgement.choices, blank=True)
    safeguarding_effective = models.BooleanField(null=True, blank=True, help_text="Graded inspections only.")
    report_card_safeguarding = models.CharField(
        "report card: safeguarding", max_length=10, choices=ReportCardOutcome.choices, blank=True
    )
    report_url = models.URLField(blank=True)

    class Meta:
        ordering = ["-inspected_on"]
        indexes = [models.Index(fields=["setting", "-inspected_on"])]

    def __str__(self) -> str:
        return f"{self.setting.name}: Ofsted {self.inspected_on:%d %B %Y}"

    @property
    def safeguarding_concern(self) -> bool:
        """Requires improvement or inadequate, safeguarding not effective, or standard not met:
        the framework offers such settings a support visit and an action plan."""
        return (
            self.overall_effectiveness in {OfstedJudgement.REQUIRES_IMPROVEMENT, OfstedJudgement.INADEQUATE}
            or self.safeguarding_effective is False
            or self.report_card_safeguarding == ReportCardOutcome.NOT_MET
        )


class SettingRole(models.TextChoices):
    DSL = "dsl", "Designated safeguarding lead"
    DEPUTY_DSL = "deputy_dsl", "Deputy designated safeguarding lead"
    HEADTEACHER = "headteacher", "Headteacher"
    CHAIR_OF_GOVERNORS = "chair_of_governors", "Chair of governors"
    BUSINESS_MANAGER = "business_manager", "Business manager"
    PROVIDER_MANAGER = "provider_manager", "Provider manager"


class Membership(TimeStampedModel):
    """A person's place at a setting, with their role there."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    setting = models.ForeignKey(Setting, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=30, choices=SettingRole.choices)

    class Meta:
        ordering = ["setting__name", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "setting", "role"], name="schools_membership_unique_role")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} at {self.setting.name}"


class TrustMembership(TimeStampedModel):
    """A person at a multi-academy trust, who may see all of that trust's schools."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="trust_memberships")
    trust_name = models.CharField("multi-academy trust", max_length=200)

    class Meta:
        ordering = ["trust_name"]
        constraints = [models.UniqueConstraint(fields=["user", "trust_name"], name="schools_trust_membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} – {self.trust_name}"
