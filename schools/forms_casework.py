"""Forms for visits, Ofsted support offers, allegations meetings and practice reviews, in
GOV.UK markup (portal.forms). They check what a person typed; the services check the rest."""

import re
from datetime import date

from django import forms
from django.utils import timezone

from portal.forms import GovukFormMixin
from schools.forms import date_field
from schools.models import AllegationCategory, Setting, Visit
from schools.selectors_casework import actions_to_review, casework_staff_users, plans_open_for_actions

YES_NO = [("yes", "Yes"), ("no", "No")]


def uk_date(day: date | None) -> str:
    """A date as people type it here, for a form's initial value (the text inputs would show ISO)."""
    return f"{day.day}/{day.month}/{day.year}" if day else ""


def _yes_no(*, label: str, required_message: str, choices=YES_NO) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=choices,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": required_message},
    )


def _text(*, label: str, required_message: str | None = None, rows: int = 4, help_text: str = "", max_length=10_000):
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required_message is not None,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": required_message or ""},
    )


def _optional_date(*, label: str, example: str = "27/3/2027") -> forms.DateField:
    field = date_field(label=label, required_message="", example=example)
    field.required = False
    return field


def _setting_field(label: str = "Setting") -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=Setting.objects.filter(is_open=True).order_by("name"),
        label=label,
        empty_label="Choose a setting",
        error_messages={"required": "Choose the setting", "invalid_choice": "Choose a setting from the list"},
    )


class NotInFutureMixin:
    """Dates of things that have happened cannot be in the future."""

    past_date_fields: tuple[str, ...] = ()

    def clean(self) -> dict:
        cleaned = super().clean()
        today = timezone.localdate()
        for name in self.past_date_fields:
            if cleaned.get(name) and cleaned[name] > today:
                self.add_error(name, "The date must be today or in the past")
        return cleaned


class FutureDueDateMixin:
    due_date_fields: tuple[str, ...] = ("due_on",)

    def clean(self) -> dict:
        cleaned = super().clean()
        for name in self.due_date_fields:
            if cleaned.get(name) and cleaned[name] < timezone.localdate():
                self.add_error(name, "The due date must be today or in the future")
        return cleaned


# Visits --------------------------------------------------------------------------------------


class VisitPlanForm(GovukFormMixin, forms.Form):
    setting = _setting_field()
    planned_on = date_field(
        label="Date of the visit", required_message="Enter the date of the visit", example="31/3/2027"
    )
    purpose = forms.ChoiceField(
        label="Purpose of the visit",
        choices=Visit.Purpose.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the purpose of the visit"},
    )
    announced = _yes_no(
        label="Will the visit be announced?",
        required_message="Select whether the visit will be announced",
        choices=[("yes", "Announced: the setting is told now"), ("no", "Unannounced: the setting is told afterwards")],
    )
    adviser = forms.ModelChoiceField(
        queryset=None,
        label="Who will visit?",
        error_messages={"required": "Choose who will visit"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["adviser"].queryset = casework_staff_users()
        self.fields["adviser"].label_from_instance = lambda user: user.get_full_name() or user.email


class VisitRecordForm(NotInFutureMixin, FutureDueDateMixin, GovukFormMixin, forms.Form):
    past_date_fields = ("held_on",)
    due_date_fields = ("action_due_on",)

    held_on = date_field(label="Date the visit was held", required_message="Enter the date the visit was held")
    attendees = _text(label="Who attended", required_message="Say who attended", rows=3, max_length=2000)
    notes = _text(label="Notes (optional)", help_text="Your notes. The setting does not see these.", rows=6)
    outcome = _text(
        label="Outcome", required_message="Enter the outcome of the visit", help_text="The setting sees this.", rows=5
    )
    actions_reviewed = forms.ModelMultipleChoiceField(
        queryset=None,
        label="Actions reviewed at the visit",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    review_note = _text(
        label="Progress note for the reviewed actions (optional)",
        help_text="Added to each action ticked above. The setting sees this.",
        rows=3,
        max_length=5000,
    )
    add_to_plan = forms.ModelChoiceField(
        queryset=None,
        label="Add a new action to a plan (optional)",
        required=False,
        empty_label="No new action",
    )
    action_description = _text(label="What must change", rows=3, max_length=2000)
    action_due_on = _optional_date(label="New action due on")

    def __init__(self, *args, visit: Visit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actions_reviewed"].queryset = actions_to_review(visit.setting)
        self.fields["actions_reviewed"].label_from_instance = lambda a: f"{a.plan.title}: {a.description[:120]}"
        plans = plans_open_for_actions(visit.setting)
        self.fields["add_to_plan"].queryset = plans
        self.fields["add_to_plan"].label_from_instance = lambda plan: plan.title
        if not plans.exists():
            for name in ("add_to_plan", "action_description", "action_due_on"):
                del self.fields[name]

    def clean(self) -> dict:
        cleaned = super().clean()
        if "add_to_plan" not in self.fields:
            return cleaned
        plan = cleaned.get("add_to_plan")
        description = (cleaned.get("action_description") or "").strip()
        due_on = cleaned.get("action_due_on")
        if plan is None and (description or due_on):
            self.add_error("add_to_plan", "Choose the plan for the new action")
        if plan is not None and not description:
            self.add_error("action_description", "Describe the new action")
        if plan is not None and due_on is None and not self.has_error("action_due_on"):
            self.add_error("action_due_on", "Enter the date the new action is due")
        return cleaned


class VisitCancelForm(GovukFormMixin, forms.Form):
    reason = _text(label="Why is the visit cancelled?", required_message="Say why the visit is cancelled", rows=3)


# Ofsted support offers -----------------------------------------------------------------------


class SupportOfferMakeForm(NotInFutureMixin, GovukFormMixin, forms.Form):
    past_date_fields = ("offered_on",)

    offered_on = date_field(label="Date support was offered", required_message="Enter the date support was offered")
    notes = _text(label="What was offered (optional)", help_text="For example, a visit on 4 March and a plan.", rows=3)


class SupportOfferResponseForm(NotInFutureMixin, GovukFormMixin, forms.Form):
    past_date_fields = ("response_on",)

    accepted = _yes_no(
        label="Did the setting accept the offer?",
        required_message="Select whether the setting accepted the offer",
        choices=[("yes", "Accepted"), ("no", "Declined")],
    )
    response_on = date_field(label="Date of the response", required_message="Enter the date of the response")
    notes = _text(label="Notes (optional)", rows=3)


class PlanFromLinesForm(FutureDueDateMixin, GovukFormMixin, forms.Form):
    """A draft plan with one action per line, all due on one date (the adviser edits them after)."""

    title = forms.CharField(label="Title of the plan", max_length=200, error_messages={"required": "Enter a title"})
    lines = _text(
        label="Actions",
        required_message="Enter at least one action",
        help_text="One action a line. You can edit them, add owners and change dates afterwards.",
        rows=8,
        max_length=20_000,
    )
    due_on = date_field(
        label="Actions due on", required_message="Enter the date the actions are due", example="31/3/2027"
    )

    def __init__(self, *args, lines_label: str = "", lines_required: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if lines_label:
            self.fields["lines"].label = lines_label
        if lines_required:
            self.fields["lines"].error_messages["required"] = lines_required


# Managing allegations meetings --------------------------------------------------------------


class AllegationsMeetingForm(NotInFutureMixin, GovukFormMixin, forms.Form):
    past_date_fields = ("met_on",)

    setting = _setting_field("Education setting")
    met_on = date_field(label="Date of the meeting", required_message="Enter the date of the meeting")
    lado_reference = forms.CharField(
        label="LADO reference",
        max_length=50,
        help_text="Only the reference: do not enter the names of children or staff anywhere on this form.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20", "spellcheck": "false"}),
        error_messages={"required": "Enter the LADO reference"},
    )
    category = forms.ModelChoiceField(
        queryset=AllegationCategory.objects.filter(active=True),
        label="Category of allegation",
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Select the category of allegation"},
    )
    adviser_attended = _yes_no(
        label="Did the adviser attend?", required_message="Select whether the adviser attended the meeting"
    )
    learning = _text(
        label="Learning for the setting (optional)",
        help_text="What the setting should change. No names or details that identify a child or member of staff.",
        rows=5,
    )


# CSPR learning ------------------------------------------------------------------------------------


class PracticeReviewForm(GovukFormMixin, forms.Form):
    name = forms.CharField(label="Name of the review", max_length=200, error_messages={"required": "Enter the name"})
    reference = forms.CharField(
        label="Reference",
        max_length=50,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20"}),
        error_messages={"required": "Enter the review's reference"},
    )
    published_on = date_field(label="Date published", required_message="Enter the date the review was published")
    urns = _text(
        label="Settings the review names",
        help_text="Their URNs, one a line.",
        rows=6,
        max_length=5000,
    )

    def clean_urns(self) -> list[Setting]:
        urns = [urn for urn in re.split(r"[\s,;]+", self.cleaned_data.get("urns", "")) if urn]
        found = {s.urn: s for s in Setting.objects.filter(urn__in=urns)}
        unknown = [urn for urn in urns if urn not in found]
        if unknown:
            raise forms.ValidationError(f"No setting has the URN {', '.join(unknown)}")
        return list({urn: found[urn] for urn in urns}.values())


class PracticeReviewPlansForm(FutureDueDateMixin, GovukFormMixin, forms.Form):
    lines = _text(
        label="Starting actions for every plan (optional)",
        help_text="One a line. Each setting's plan can then be tailored.",
        rows=5,
        max_length=20_000,
    )
    due_on = _optional_date(label="Actions due on")

    def clean(self) -> dict:
        cleaned = super().clean()
        if (cleaned.get("lines") or "").strip() and not cleaned.get("due_on") and not self.has_error("due_on"):
            self.add_error("due_on", "Enter the date the actions are due")
        return cleaned
