"""Forms for the sampling and import pages, in GOV.UK markup. They check what was typed; the
file's rows and the sampling rules are checked by qpag.imports and qpag.sampling."""

from datetime import date

from django import forms
from django.utils import timezone

from complaints.forms import GovukDateField
from portal.forms import GovukFormMixin

from .constants import Service
from .dates import add_months, month_start
from .imports import MAX_UPLOAD_BYTES
from .sampling import MAX_PER_TEAM, SEED_BITS

FILE_ERRORS = {
    "required": "Select a CSV file",
    "invalid": "The selected file could not be uploaded. Try again",
    "missing": "The selected file could not be uploaded. Try again",
    "empty": "The selected file is empty",
}
FILE_HELP = (
    f"A CSV file smaller than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB, saved from Excel as “CSV UTF-8” or “CSV”. "
    "The first row holds the column names."
)


def _csv_field(label: str) -> forms.FileField:
    return forms.FileField(
        label=label,
        help_text=FILE_HELP,
        error_messages=FILE_ERRORS,
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )


class ExtractUploadForm(GovukFormMixin, forms.Form):
    file = _csv_field("Extract from the case-management system")
    extracted_on = GovukDateField(
        label="Date the extract was taken", required_message="Enter the date the extract was taken"
    )

    def __init__(self, *args, today: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()

    def clean_extracted_on(self) -> date:
        value = self.cleaned_data["extracted_on"]
        if value and value > self.today:
            raise forms.ValidationError("The date the extract was taken must be today or in the past")
        return value


class AuditImportForm(GovukFormMixin, forms.Form):
    file = _csv_field("Completed case-file audits")


class SampleDrawForm(GovukFormMixin, forms.Form):
    service = forms.ChoiceField(
        label="Service",
        choices=Service.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the service to sample", "invalid_choice": "Choose the service to sample"},
    )
    month = forms.ChoiceField(
        label="Month audited",
        help_text="For children's social care, Early Help and SEND. Auditors are told of their case at its start.",
        required=False,
    )
    week_commencing = GovukDateField(
        label="Week commencing",
        required=False,
        help_text="For ChAD only: the Monday of the week the audits are done. For example, 23 11 2026",
    )
    per_team = forms.IntegerField(
        label="Cases for each team",
        help_text=f"From 1 to {MAX_PER_TEAM}. ChAD's weekly sample is always 2 of each kind of contact.",
        min_value=1,
        max_value=MAX_PER_TEAM,
        initial=1,
        error_messages={
            "required": "Enter the number of cases for each team",
            "invalid": "The number of cases for each team must be a whole number",
            "min_value": f"The number of cases for each team must be between 1 and {MAX_PER_TEAM}",
            "max_value": f"The number of cases for each team must be between 1 and {MAX_PER_TEAM}",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-2"}),
    )
    notified_on = GovukDateField(
        label="Date auditors are notified",
        required_message="Enter the date auditors are notified",
        help_text="The 2-week deadline for each audit runs from this day. For example, 2 11 2026",
    )
    seed = forms.IntegerField(
        label="Seed (optional)",
        required=False,
        min_value=0,
        max_value=2**SEED_BITS - 1,
        help_text="Leave this empty for a new random draw. Enter an earlier draw's seed only to repeat that draw.",
        error_messages={
            "invalid": "The seed must be a whole number",
            "min_value": "The seed must be a whole number from 0 to 9223372036854775807",
            "max_value": "The seed must be a whole number from 0 to 9223372036854775807",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-20"}),
    )

    def __init__(self, *args, extracted_on: date, **kwargs):
        super().__init__(*args, **kwargs)
        first = add_months(month_start(extracted_on), -2)
        months = [add_months(first, offset) for offset in range(6)]
        self.fields["month"].choices = [("", "Choose a month")] + [
            (month.isoformat(), f"{month:%B %Y}") for month in months
        ]
        self.fields["month"].initial = add_months(month_start(extracted_on), 1).isoformat()

    def clean(self):
        cleaned = super().clean()
        service = cleaned.get("service")
        if not service:
            return cleaned
        if service == Service.CHAD:
            week = cleaned.get("week_commencing")
            if "week_commencing" in self.errors:
                pass
            elif week is None:
                self.add_error("week_commencing", "Enter the week commencing date for a ChAD sample")
            elif week.weekday() != 0:
                self.add_error("week_commencing", "The week commencing date must be a Monday")
            else:
                cleaned["period_start"] = week
        else:
            month = cleaned.get("month")
            if not month:
                self.add_error("month", "Choose the month audited")
            else:
                cleaned["period_start"] = date.fromisoformat(month)
        return cleaned
