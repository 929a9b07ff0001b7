"""Admin listing filters for the settings register and questionnaires (django-filter, as
Wagtail's own listings use: https://docs.wagtail.org/en/stable/reference/viewsets.html)."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet

from schools.models import Membership, OfstedInspection, Question, Questionnaire, Section, Setting
from schools.models.questionnaires import AnswerType
from schools.models.register import OfstedJudgement, Phase, ReportCardOutcome, SettingKind, SettingRole

# The database form of OfstedInspection.safeguarding_concern: keep the two in step.
SAFEGUARDING_CONCERN = (
    Q(overall_effectiveness__in=[OfstedJudgement.REQUIRES_IMPROVEMENT, OfstedJudgement.INADEQUATE])
    | Q(safeguarding_effective=False)
    | Q(report_card_safeguarding=ReportCardOutcome.NOT_MET)
)

OFSTED_CONCERN = "concern"
OFSTED_NO_CONCERN = "no_concern"
OFSTED_NOT_INSPECTED = "not_inspected"
OFSTED_OUTCOME_CHOICES = [
    (OFSTED_CONCERN, "Safeguarding concern at the latest inspection"),
    (OFSTED_NO_CONCERN, "No concern at the latest inspection"),
    (OFSTED_NOT_INSPECTED, "No inspection recorded"),
]


def settings_by_latest_ofsted(queryset: QuerySet[Setting], outcome: str) -> QuerySet[Setting]:
    """Settings whose most recent inspection is (or is not) a safeguarding concern: requires
    improvement or inadequate, safeguarding not effective, or the report card standard not met.
    Only the latest counts, so a school that has since improved drops out of the concern list."""
    if outcome == OFSTED_NOT_INSPECTED:
        return queryset.filter(~Exists(OfstedInspection.objects.filter(setting=OuterRef("pk"))))
    latest_pk = Subquery(
        OfstedInspection.objects.filter(setting=OuterRef("pk")).order_by("-inspected_on", "-pk").values("pk")[:1]
    )
    latest_is_concern = Exists(
        OfstedInspection.objects.filter(SAFEGUARDING_CONCERN, pk=OuterRef("latest_inspection_pk"))
    )
    queryset = queryset.annotate(latest_inspection_pk=latest_pk)
    if outcome == OFSTED_CONCERN:
        return queryset.filter(latest_is_concern)
    if outcome == OFSTED_NO_CONCERN:
        return queryset.filter(~latest_is_concern, latest_inspection_pk__isnull=False)
    return queryset


def _radio_choice(label: str, choices, **kwargs) -> django_filters.ChoiceFilter:
    # Wagtail's look for single-choice filters (WagtailFilterSet.filter_for_lookup).
    return django_filters.ChoiceFilter(
        label=label, choices=choices, widget=forms.RadioSelect, empty_label="All", **kwargs
    )


class SettingFilterSet(WagtailFilterSet):
    kind = _radio_choice("Kind", SettingKind.choices)
    phase = _radio_choice("Phase", Phase.choices)
    # Localities are the council's own names, so offer those in use.
    locality = _radio_choice("Locality", [])
    ofsted_outcome = _radio_choice("Ofsted outcome", OFSTED_OUTCOME_CHOICES, method="filter_ofsted_outcome")

    class Meta:
        model = Setting
        fields = ["kind", "phase", "locality", "ofsted_outcome", "is_open", "on_ap_framework"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Filters are copied per instance: one query per listing, however many rows.
        localities = Setting.objects.exclude(locality="").order_by("locality").values_list("locality", flat=True)
        self.filters["locality"].extra["choices"] = [(name, name) for name in localities.distinct()]

    def filter_ofsted_outcome(self, queryset: QuerySet[Setting], name: str, value: str) -> QuerySet[Setting]:
        return settings_by_latest_ofsted(queryset, value) if value else queryset


class OfstedInspectionFilterSet(WagtailFilterSet):
    setting = django_filters.ModelChoiceFilter(queryset=Setting.objects.only("pk", "name", "urn"), label="Setting")
    overall_effectiveness = _radio_choice("Overall effectiveness", OfstedJudgement.choices)
    report_card_safeguarding = _radio_choice("Report card: safeguarding", ReportCardOutcome.choices)
    safeguarding_concern = django_filters.BooleanFilter(
        label="Safeguarding concern", method="filter_safeguarding_concern", widget=forms.NullBooleanSelect
    )
    inspected_on = django_filters.DateFromToRangeFilter(label="Inspected between", widget=DateRangePickerWidget)

    class Meta:
        model = OfstedInspection
        fields = [
            "setting",
            "overall_effectiveness",
            "safeguarding_effective",
            "report_card_safeguarding",
            "safeguarding_concern",
            "inspected_on",
        ]

    def filter_safeguarding_concern(
        self, queryset: QuerySet[OfstedInspection], name: str, value: bool | None
    ) -> QuerySet[OfstedInspection]:
        if value is None:
            return queryset
        return queryset.filter(SAFEGUARDING_CONCERN) if value else queryset.exclude(SAFEGUARDING_CONCERN)


class MembershipFilterSet(WagtailFilterSet):
    role = _radio_choice("Role at the setting", SettingRole.choices)
    setting__kind = _radio_choice("Kind of setting", SettingKind.choices)
    user__is_active = django_filters.BooleanFilter(label="Account active")

    class Meta:
        model = Membership
        fields = ["role", "setting__kind", "user__is_active"]


class QuestionnaireFilterSet(WagtailFilterSet):
    class Meta:
        model = Questionnaire
        fields = ["kind", "status", "academic_year"]


class _SectionChoiceField(django_filters.fields.ModelChoiceField):
    def label_from_instance(self, obj: Section) -> str:
        return f"{obj.questionnaire.academic_year} {obj.questionnaire.get_kind_display()}: {obj}"


class _SectionFilter(django_filters.ModelChoiceFilter):
    field_class = _SectionChoiceField


class QuestionFilterSet(WagtailFilterSet):
    questionnaire = django_filters.ModelChoiceFilter(
        field_name="section__questionnaire", queryset=Questionnaire.objects.all(), label="Questionnaire"
    )
    section = _SectionFilter(
        queryset=Section.objects.select_related("questionnaire").order_by(
            "-questionnaire__academic_year", "questionnaire__kind", "sort_order"
        ),
        label="Section",
    )
    answer_type = _radio_choice("Answer type", AnswerType.choices)

    class Meta:
        model = Question
        fields = ["questionnaire", "section", "answer_type", "required", "evidence_expected"]
