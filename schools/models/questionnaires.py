"""Questionnaires are data, edited in the admin and versioned per academic year. A cycle
freezes the questionnaire it runs: once published, a questionnaire cannot change, so every
return is read against the questions it answered."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from portal.models import Theme, TimeStampedModel

from .register import SettingKind

PUBLISHED_IS_FROZEN = "This questionnaire is published, so it cannot change. Copy it to a new draft instead."


class QuestionnaireKind(models.TextChoices):
    SCHOOLS_175_157 = "schools_175_157", "175/157 schools safeguarding audit"
    AP_PROVIDER = "ap_provider", "Alternative provision safeguarding audit"


class Questionnaire(ClusterableModel, TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        RETIRED = "retired", "Retired"

    kind = models.CharField(max_length=30, choices=QuestionnaireKind.choices)
    academic_year = models.CharField(max_length=7, help_text="For example 2022/23.")
    title = models.CharField(max_length=200)
    introduction = models.TextField(blank=True, help_text="Shown to settings before they start.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies", editable=False
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("kind"),
        FieldPanel("academic_year"),
        FieldPanel("introduction"),
        InlinePanel("sections", heading="Sections", label="Section"),
    ]

    class Meta:
        ordering = ["-academic_year", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "academic_year"],
                condition=models.Q(status="published"),
                name="schools_one_published_questionnaire_per_kind_and_year",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display().lower()})"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    def clean(self) -> None:
        if self.pk and not self.is_editable:
            saved = type(self).objects.filter(pk=self.pk).values("status").first()
            if saved and saved["status"] != self.Status.DRAFT:
                raise ValidationError(PUBLISHED_IS_FROZEN)


class Section(Orderable, ClusterableModel):
    questionnaire = ParentalKey(Questionnaire, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(max_length=200)
    theme = models.ForeignKey(Theme, null=True, blank=True, on_delete=models.PROTECT, related_name="audit_sections")
    intro = models.TextField(blank=True)

    panels = [FieldPanel("title"), FieldPanel("theme"), FieldPanel("intro")]

    class Meta(Orderable.Meta):
        verbose_name = "section"

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def number(self) -> int:
        return (self.sort_order or 0) + 1


class AnswerType(models.TextChoices):
    COMPLIANCE = "compliance", "Compliance: yes, partly, no or not applicable"
    SHORT_TEXT = "short_text", "Short text"
    LONG_TEXT = "long_text", "Long text"
    NUMBER = "number", "Number"
    DATE = "date", "Date"
    EVIDENCE = "evidence", "Evidence files"


class Compliance(models.TextChoices):
    YES = "yes", "Yes"
    PARTLY = "partly", "Partly"
    NO = "no", "No"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


class Question(Orderable):
    section = ParentalKey(Section, on_delete=models.CASCADE, related_name="questions")
    code = models.CharField(max_length=10, help_text="Shown beside the question, e.g. 4.2.")
    text = models.TextField()
    why_we_ask = models.TextField("why we ask", blank=True)
    kcsie_reference = models.CharField("KCSIE reference", max_length=120, blank=True)
    answer_type = models.CharField(max_length=20, choices=AnswerType.choices, default=AnswerType.COMPLIANCE)
    required = models.BooleanField(default=True)
    evidence_expected = models.BooleanField(default=False, help_text="Ask the setting to upload evidence.")
    red_descriptor = models.TextField("what red looks like", blank=True)
    amber_descriptor = models.TextField("what amber looks like", blank=True)
    green_descriptor = models.TextField("what green looks like", blank=True)
    follow_up_prompt = models.CharField(
        max_length=250,
        blank=True,
        help_text="Required of the setting when the answer is partly or no, e.g. 'What will you do, and by when?'",
    )
    setting_kinds = models.JSONField(
        default=list, blank=True, help_text="Limit the question to these kinds of setting; empty means every kind."
    )

    panels = [
        FieldPanel("code"),
        FieldPanel("text"),
        FieldPanel("why_we_ask"),
        FieldPanel("kcsie_reference"),
        FieldPanel("answer_type"),
        FieldPanel("required"),
        FieldPanel("evidence_expected"),
        MultiFieldPanel(
            [FieldPanel("red_descriptor"), FieldPanel("amber_descriptor"), FieldPanel("green_descriptor")],
            heading="RAG descriptors",
        ),
        FieldPanel("follow_up_prompt"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "question"

    def __str__(self) -> str:
        return f"{self.code} {self.text[:80]}"

    def applies_to(self, kind: str) -> bool:
        return not self.setting_kinds or kind in self.setting_kinds

    def clean(self) -> None:
        unknown = set(self.setting_kinds or []) - set(SettingKind.values)
        if unknown:
            raise ValidationError({"setting_kinds": f"Unknown kinds of setting: {', '.join(sorted(unknown))}"})


# Answers are compared with this when scoring: the RAG of a compliance answer.
COMPLIANCE_RAG = {
    Compliance.YES: "green",
    Compliance.PARTLY: "amber",
    Compliance.NO: "red",
    Compliance.NOT_APPLICABLE: None,
}

AUDIT_EVIDENCE_MAX_BYTES = getattr(settings, "AUDIT_EVIDENCE_MAX_BYTES", 20 * 1024 * 1024)
