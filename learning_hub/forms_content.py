"""The front-end form for sending in a good-practice example, in GOV.UK Frontend markup."""

from django import forms

from portal.forms import GovukFormMixin
from portal.models import Theme

from .models import GoodPracticePage
from .submissions import REQUIRED_TEXT, GoodPracticeDraft

NO_CHILD_NAMES = "Do not name any child or give details that could identify one."


def _text(label: str, name: str, help_text: str = "", *, rows: int = 5, max_length: int | None = None):
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": REQUIRED_TEXT[name]},
    )


class GoodPracticeSubmissionForm(GovukFormMixin, forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="A short name for what you did, for example 'Daily safeguarding huddles'.",
        error_messages={"required": REQUIRED_TEXT["title"], "max_length": "Title must be 200 characters or fewer"},
    )
    summary = _text(
        "Summary",
        "summary",
        "One or two sentences. We show this in lists and search results.",
        rows=3,
        max_length=600,
    )
    what_we_did = _text("What your setting did", "what_we_did", NO_CHILD_NAMES)
    why_it_worked = _text("Why it worked", "why_it_worked")
    impact_on_children = _text("The impact on children", "impact_on_children", NO_CHILD_NAMES)
    setting_kind = forms.ChoiceField(
        label="Kind of setting",
        choices=GoodPracticePage.SettingKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of setting"},
    )
    phase = forms.ChoiceField(
        label="Phase",
        choices=GoodPracticePage.Phase.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the phase"},
    )
    setting_name = forms.CharField(
        label="Your setting's name",
        max_length=200,
        required=False,
        help_text="We only show it on the example if you consent to your setting being named.",
    )
    named_with_consent = forms.BooleanField(label="We consent to our setting being named", required=False)
    consent_recorded = forms.CharField(
        label="Who gave consent, and when",
        max_length=200,
        required=False,
        help_text="Needed if your setting is to be named. For example 'Headteacher, 3 March 2026'.",
    )
    contact = forms.CharField(
        label="Who to contact to learn more (optional)",
        max_length=200,
        required=False,
        help_text="A role and a work email address, for example 'DSL, dsl@school.example.org'.",
    )
    themes = forms.ModelMultipleChoiceField(
        label="Themes (optional)",
        queryset=Theme.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all the safeguarding practice areas it relates to.",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("named_with_consent"):
            if not (cleaned.get("setting_name") or "").strip():
                self.add_error("setting_name", "Enter your setting's name, or untick the consent box")
            if not (cleaned.get("consent_recorded") or "").strip():
                self.add_error("consent_recorded", "Enter who gave consent for your setting to be named, and when")
        return cleaned

    def to_draft(self) -> GoodPracticeDraft:
        data = self.cleaned_data
        return GoodPracticeDraft(**{name: data[name] for name in GoodPracticeDraft.__dataclass_fields__})
