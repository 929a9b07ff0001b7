"""Forms for the case-file audit pages, in GOV.UK markup (portal.forms). They check what a
person typed; the rules about states, dates, teams and roles live in `qpag.services`, whose
messages the views add to these forms (`add_service_errors`)."""

import re
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from complaints.forms import GovukDateField
from portal.forms import GovukFormMixin

from .constants import CASE_NUMBER_PATTERN, SERVICE_PRACTICE_AREAS, ChadCategory, Grade, PracticeArea, Service
from .models import Auditor, CaseFileAudit

NOT_APPLICABLE = "na"
YES_NO = [("yes", "Yes"), ("no", "No")]
AREA_PREFIX = "area_"


def _text(label: str, *, required_message: str = "", help_text: str = "", rows: int = 4, max_length: int = 10_000):
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=bool(required_message),
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": required_message},
    )


def _radios(label: str, choices, *, required_message: str, help_text: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        help_text=help_text,
        widget=forms.RadioSelect,
        error_messages={"required": required_message, "invalid_choice": required_message},
    )


def _yes_no(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


def _as_yes_no(value: bool | None) -> str | None:
    return None if value is None else ("yes" if value else "no")


def area_field_name(area: str) -> str:
    return f"{AREA_PREFIX}{area}"


def active_auditors() -> QuerySet[Auditor]:
    return Auditor.objects.filter(is_active=True, can_audit=True).order_by("name", "pk")


def active_moderators() -> QuerySet[Auditor]:
    return Auditor.objects.filter(is_active=True, can_moderate=True).order_by("name", "pk")


class AuditorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Auditor) -> str:
        return f"{obj.name}, {obj.team} ({obj.get_service_display()})"


def add_service_errors(form: forms.Form, error: ValidationError, field_map: dict[str, str] | None = None) -> None:
    """Put a service's ValidationError on the field it names (or at the top of the form)."""
    field_map = field_map or {}
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            target = field_map.get(name, name)
            form.add_error(target if target in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


# The list's filters ------------------------------------------------------------------------


class AuditFilterForm(GovukFormMixin, forms.Form):
    service = forms.ChoiceField(label="Service", required=False, choices=[("", "All services"), *Service.choices])
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "All statuses"), *CaseFileAudit.Status.choices]
    )
    month = forms.CharField(
        label="Month notified",
        required=False,
        max_length=7,
        help_text="For example, 2026-10",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-5"}),
    )
    team = forms.CharField(label="Team", required=False, max_length=120)
    overdue = forms.BooleanField(label="Only overdue audits (notified, past the due date)", required=False)

    def clean_month(self) -> date | None:
        value = self.cleaned_data["month"].strip()
        if not value:
            return None
        match = re.fullmatch(r"(\d{4})-(\d{1,2})", value)
        # Year 0000 matches the pattern but is no date: refused here, not a 500 from date().
        if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1:
            raise ValidationError("Enter the month as a year and month, like 2026-10")
        return date(int(match.group(1)), int(match.group(2)), 1)


# Recording an audit -----------------------------------------------------------------------


class AuditCreateForm(GovukFormMixin, forms.Form):
    case_number = forms.CharField(
        label="Case number",
        max_length=20,
        help_text="The case-management system's number only. Never enter the child's name.",
        error_messages={"required": "Enter the case number"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "autocomplete": "off", "spellcheck": "false"}),
    )
    service = _radios("Service", Service.choices, required_message="Choose the service the case belongs to")
    team = forms.CharField(
        label="Team",
        max_length=120,
        help_text="The team that holds the case, as spelt in the case-management extract.",
        error_messages={"required": "Enter the team that holds the case"},
    )
    locality = forms.CharField(label="Locality (optional)", max_length=80, required=False)
    chad_category = forms.ChoiceField(
        label="Front-door contact (ChAD audits only)",
        required=False,
        choices=[("", "Not a ChAD audit"), *ChadCategory.choices],
    )
    auditor = AuditorChoiceField(
        label="Auditor",
        queryset=Auditor.objects.none(),
        help_text="From another team than the case's.",
        error_messages={"required": "Choose the auditor", "invalid_choice": "Choose an active auditor"},
    )
    moderator = AuditorChoiceField(
        label="Moderator (optional)",
        queryset=Auditor.objects.none(),
        required=False,
        error_messages={"invalid_choice": "Choose an active moderator"},
    )
    notified_on = GovukDateField(
        label="Date the auditor was notified", required_message="Enter the date the auditor was notified"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["auditor"].queryset = active_auditors()
        self.fields["moderator"].queryset = active_moderators()

    def clean_case_number(self) -> str:
        value = self.cleaned_data["case_number"].strip()
        if not re.fullmatch(CASE_NUMBER_PATTERN, value):
            raise ValidationError(
                "Enter the case number only (3 to 20 letters, digits, hyphens or slashes), never a name"
            )
        return value

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("service") == Service.CHAD and not cleaned.get("chad_category"):
            self.add_error("chad_category", "Choose the kind of front-door contact")
        return cleaned


# The auditor's findings -------------------------------------------------------------------


def _grade_choices(*, not_applicable: bool) -> list[tuple[str, str]]:
    choices = list(Grade.choices)
    if not_applicable:
        choices.append((NOT_APPLICABLE, "Not applicable to this case"))
    return choices


class GradesForm(GovukFormMixin, forms.Form):
    """One grade radio group per practice area of the audit's service (built in __init__),
    then the overall grade, the date and the auditor's notes."""

    overall_grade = _radios("Overall grade", Grade.choices, required_message="Choose the overall grade")
    audited_on = GovukDateField(label="Date of the audit", required_message="Enter the date the audit was done")
    family_feedback_sought = _radios(
        "Was the family's feedback sought?", YES_NO, required_message="Say whether the family's feedback was sought"
    )
    family_feedback = _text("What the family said (optional)")
    worker_self_assessment = _text("The worker's self-assessment (optional)")
    findings = _text("Strengths and areas for development (optional)", rows=6)

    def __init__(self, *args, audit: CaseFileAudit, **kwargs):
        self.audit = audit
        kwargs.setdefault("initial", self.initial_for(audit))
        super().__init__(*args, **kwargs)
        area_fields = {}
        for area in SERVICE_PRACTICE_AREAS[audit.service]:
            label = PracticeArea(area).label
            area_fields[area_field_name(area)] = _radios(
                label,
                _grade_choices(not_applicable=True),
                required_message=f"Choose a grade for ‘{label}’, or say it does not apply",
            )
        # Areas first, in the framework's order.
        self.fields = {**area_fields, **self.fields}

    @staticmethod
    def initial_for(audit: CaseFileAudit) -> dict:
        if audit.status == CaseFileAudit.Status.NOTIFIED:
            return {}
        # Correcting: what was recorded, and "not applicable" for the areas left ungraded.
        grades = {grade.area: grade.auditor_grade for grade in audit.area_grades.all()}
        initial = {
            area_field_name(area): grades.get(area) or NOT_APPLICABLE for area in SERVICE_PRACTICE_AREAS[audit.service]
        }
        initial.update(
            overall_grade=audit.auditor_grade,
            audited_on=audit.audited_on,
            family_feedback_sought=_as_yes_no(audit.family_feedback_sought),
            family_feedback=audit.family_feedback,
            worker_self_assessment=audit.worker_self_assessment,
            findings=audit.findings,
        )
        return initial

    def area_fields(self) -> list:
        return [self[name] for name in self.fields if name.startswith(AREA_PREFIX)]

    def other_fields(self) -> list:
        return [self[name] for name in self.fields if not name.startswith(AREA_PREFIX)]

    def area_grades(self) -> dict[str, str]:
        return {
            name.removeprefix(AREA_PREFIX): ("" if value == NOT_APPLICABLE else value)
            for name, value in self.cleaned_data.items()
            if name.startswith(AREA_PREFIX)
        }

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "overall_grade": data["overall_grade"],
            "area_grades": self.area_grades(),
            "audited_on": data["audited_on"],
            "family_feedback_sought": _yes_no(data["family_feedback_sought"]),
            "family_feedback": data["family_feedback"].strip(),
            "worker_self_assessment": data["worker_self_assessment"].strip(),
            "findings": data["findings"].strip(),
        }


# Moderation -------------------------------------------------------------------------------


class ModerateForm(GovukFormMixin, forms.Form):
    moderator = AuditorChoiceField(
        label="Moderator",
        queryset=Auditor.objects.none(),
        error_messages={"required": "Choose the moderator", "invalid_choice": "Choose an active moderator"},
    )
    moderated_on = GovukDateField(label="Date of moderation", required_message="Enter the date of the moderation")
    overall_grade = _radios(
        "Moderated overall grade",
        Grade.choices,
        required_message="Choose the moderated grade",
        help_text="Both grades are kept: a different grade goes to the moderation panel.",
    )
    notes = _text("Moderation notes (optional)", rows=5)

    def __init__(self, *args, audit: CaseFileAudit, area_grades: list | None = None, **kwargs):
        self.audit = audit
        graded = {grade.area: grade.auditor_grade for grade in (area_grades or []) if grade.auditor_grade}
        initial = {
            "moderator": audit.moderator_id,
            "overall_grade": audit.auditor_grade,
            **{
                area_field_name(area): graded.get(area) or NOT_APPLICABLE
                for area in SERVICE_PRACTICE_AREAS[audit.service]
            },
        }
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.fields["moderator"].queryset = active_moderators().exclude(pk=audit.auditor_id)
        area_fields = {}
        for area in SERVICE_PRACTICE_AREAS[audit.service]:
            label = PracticeArea(area).label
            # An area the auditor graded keeps a grade; one they did not may stay not applicable.
            area_fields[area_field_name(area)] = _radios(
                label,
                _grade_choices(not_applicable=area not in graded),
                required_message=f"Choose the moderated grade for ‘{label}’",
            )
        self.fields = {**self.fields, **area_fields}

    def area_fields(self) -> list:
        return [self[name] for name in self.fields if name.startswith(AREA_PREFIX)]

    def other_fields(self) -> list:
        return [self[name] for name in self.fields if not name.startswith(AREA_PREFIX)]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "moderator": data["moderator"],
            "moderated_on": data["moderated_on"],
            "overall_grade": data["overall_grade"],
            "area_grades": {
                name.removeprefix(AREA_PREFIX): ("" if value == NOT_APPLICABLE else value)
                for name, value in data.items()
                if name.startswith(AREA_PREFIX)
            },
            "notes": data["notes"].strip(),
        }


# Closing, actions, the triple-lock review and the moderation panel ------------------------


class CloseForm(GovukFormMixin, forms.Form):
    closed_on = GovukDateField(label="Date closed", required_message="Enter the date the audit was closed")


class ActionForm(GovukFormMixin, forms.Form):
    description = _text("What must happen", required_message="Enter what must happen")
    owner = forms.CharField(
        label="Owner",
        max_length=200,
        help_text="Usually the team manager.",
        error_messages={"required": "Enter who owns the action"},
    )
    due_on = GovukDateField(label="Due date", required_message="Enter the date the action is due")


class ActionCompleteForm(GovukFormMixin, forms.Form):
    completed_on = GovukDateField(label="Date completed", required_message="Enter the date the action was completed")
    note = _text("What was done (optional)", rows=3)


class ReviewCompleteForm(GovukFormMixin, forms.Form):
    completed_on = GovukDateField(label="Date of the review", required_message="Enter the date of the review")
    actions_progressed = _radios(
        "Were the actions sufficient and progressed?",
        YES_NO,
        required_message="Say whether the actions were sufficient and progressed",
    )
    findings = _text("What the review found", required_message="Enter what the review found", rows=6)
    escalated = forms.BooleanField(
        label="Escalated to the Corporate Director",
        required=False,
        help_text="Where the review has concerns (framework 7.6).",
    )

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "completed_on": data["completed_on"],
            "actions_progressed": bool(_yes_no(data["actions_progressed"])),
            "findings": data["findings"],
            "escalated": data["escalated"],
        }


class PanelRecordForm(GovukFormMixin, forms.Form):
    discussed_on = GovukDateField(
        label="Date of the moderation panel", required_message="Enter the date the panel discussed the audit"
    )
    learning = _text(
        "The panel's learning for the auditor and moderator",
        required_message="Enter the panel's learning for the auditor and moderator",
        rows=6,
    )
