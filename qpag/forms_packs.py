"""Forms for the monthly QPAG pack: choosing the month to draft, and the narrative per section."""

from datetime import date

from django import forms

from portal.forms import GovukFormMixin

from .constants import PACK_SECTIONS
from .dates import month_start, previous_month
from .services_packs import MAX_NARRATIVE_CHARS

MONTHS = [(n, date(2000, n, 1).strftime("%B")) for n in range(1, 13)]
MIN_YEAR = 2000


class PackMonthForm(GovukFormMixin, forms.Form):
    month = forms.TypedChoiceField(
        label="Month",
        choices=MONTHS,
        coerce=int,
        error_messages={"required": "Choose the month", "invalid_choice": "Choose a month from January to December"},
    )
    year = forms.IntegerField(
        label="Year",
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}),
        error_messages={"required": "Enter the year", "invalid": "Enter the year as a number, like 2026"},
    )

    def __init__(self, *args, today: date, **kwargs):
        last = previous_month(today)
        kwargs.setdefault("initial", {"month": last.month, "year": last.year})
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if not MIN_YEAR <= year <= self.today.year:
            raise forms.ValidationError(f"Enter a year from {MIN_YEAR} to {self.today.year}")
        return year

    def clean(self):
        cleaned = super().clean()
        if not self.errors and {"month", "year"} <= cleaned.keys():
            chosen = date(cleaned["year"], cleaned["month"], 1)
            if chosen >= month_start(self.today):
                latest = previous_month(self.today)
                self.add_error(
                    "month",
                    f"Choose a month that has ended. The latest month you can draft a pack for is {latest:%B %Y}",
                )
            else:
                cleaned["chosen"] = chosen
        return cleaned


class PackNarrativeForm(GovukFormMixin, forms.Form):
    """One textarea per section of the agenda, and the version the editor started from."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, title in PACK_SECTIONS:
            self.fields[key] = forms.CharField(
                label=title,
                required=False,
                max_length=MAX_NARRATIVE_CHARS,
                strip=False,
                widget=forms.Textarea(attrs={"rows": 6}),
                error_messages={"max_length": f"{title} must be {MAX_NARRATIVE_CHARS:,} characters or fewer"},
            )
        self.fields["version"].error_messages = {
            "required": "The form was incomplete. Reload the page and try again",
            "invalid": "The form was incomplete. Reload the page and try again",
        }

    def narrative(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(key) or "" for key, _title in PACK_SECTIONS}

    def section_fields(self):
        return [self[key] for key, _title in PACK_SECTIONS]
