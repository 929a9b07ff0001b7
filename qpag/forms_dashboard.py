"""The dashboard's filters, read from the query string. A value that makes no sense is reported
in the error summary and replaced by its default; the other filters still apply."""

import re
from dataclasses import dataclass
from datetime import date

from django import forms

from portal.forms import GovukFormMixin
from qpag.dashboard import SERVICE_CHOICES
from qpag.dates import previous_month
from qpag.models import CaseFileAudit
from schools.models import Setting, SettingKind

PERIOD_PATTERN = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")
EARLIEST_YEAR = 2000
FILTER_FIELDS = ("service", "locality", "setting_kind", "period")


def default_month(today: date) -> date:
    """The last complete month."""
    return previous_month(today)


def locality_choices() -> list[tuple[str, str]]:
    """Every locality a setting or a case-file audit is recorded in, in one query."""
    settings = Setting.objects.exclude(locality="").order_by().values_list("locality")
    audits = CaseFileAudit.objects.exclude(locality="").order_by().values_list("locality")
    names = {row[0] for row in settings.union(audits)}
    return [(name, name) for name in sorted(names, key=str.casefold)]


class DashboardFilterForm(GovukFormMixin, forms.Form):
    service = forms.ChoiceField(
        label="Service",
        required=False,
        choices=[("", "All services"), *SERVICE_CHOICES],
        error_messages={"invalid_choice": "Choose a service from the list"},
    )
    locality = forms.ChoiceField(
        label="Locality",
        required=False,
        choices=[("", "All localities")],
        error_messages={"invalid_choice": "Choose a locality from the list"},
    )
    setting_kind = forms.ChoiceField(
        label="Kind of setting",
        required=False,
        choices=[("", "All kinds of setting"), *SettingKind.choices],
        help_text="Applies to settings' audits and actions only.",
        error_messages={"invalid_choice": "Choose a kind of setting from the list"},
    )
    period = forms.CharField(
        label="Month",
        required=False,
        max_length=7,
        help_text="Year and month, for example 2026-10",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "inputmode": "numeric", "spellcheck": "false"}),
    )

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["locality"].choices = [("", "All localities"), *locality_choices()]

    def clean_period(self) -> date | None:
        value = self.cleaned_data.get("period") or ""
        if not value.strip():
            return None
        match = PERIOD_PATTERN.match(value)
        if not match:
            raise forms.ValidationError("Enter the month as a year and month, like 2026-10")
        year, month = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12 or year < EARLIEST_YEAR:
            raise forms.ValidationError("Enter a real month, like 2026-10")
        chosen = date(year, month, 1)
        if chosen > self.today.replace(day=1):
            raise forms.ValidationError("The month must be this month or earlier")
        return chosen


@dataclass(frozen=True)
class DashboardFilters:
    form: DashboardFilterForm
    month: date
    service: str
    locality: str
    setting_kind: str

    @property
    def is_filtered(self) -> bool:
        return bool(self.service or self.locality or self.setting_kind)

    def as_kwargs(self) -> dict:
        return {"service": self.service, "locality": self.locality, "setting_kind": self.setting_kind}


def dashboard_filters(data, *, today: date) -> DashboardFilters:
    """The filters in force: the valid values asked for, and the defaults for the rest."""
    data = data.copy()
    if not data.get("period"):
        data["period"] = f"{default_month(today):%Y-%m}"
    form = DashboardFilterForm(data, today=today)
    form.is_valid()
    cleaned = form.cleaned_data
    return DashboardFilters(
        form=form,
        month=cleaned.get("period") or default_month(today),
        service=cleaned.get("service") or "",
        locality=cleaned.get("locality") or "",
        setting_kind=cleaned.get("setting_kind") or "",
    )
