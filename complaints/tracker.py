"""The tracker's filters, search, sorting and status counts: one place, so the page and its
exports list exactly the same complaints. Reads only; every change goes through services."""

from dataclasses import dataclass
from datetime import date

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.http import QueryDict

from portal.forms import GovukFormMixin
from portal.models import Theme
from portal.roles import Role
from schools.forms import DATE_FORMATS
from schools.models import Setting

from . import clocks
from .models import FINAL_STATUSES, OPEN_STATUSES, Complaint, Source, Status

PAGE_SIZE = 25

SHOW_OPEN = "open"
SHOW_CLOSED = "closed"
SHOW_ALL = "all"
SHOW_CHOICES = [(SHOW_OPEN, "Open complaints"), (SHOW_CLOSED, "Closed complaints"), (SHOW_ALL, "All complaints")]
UNASSIGNED = "none"

# Sortable columns: the key used in ?sort= (prefix "-" for descending) and its label.
SORT_COLUMNS = {
    "reference": "Reference",
    "setting": "Setting",
    "received": "Received",
    "status": "Status",
    "due": "Due",
}
DEFAULT_SORT = "-received"

# The parameters that are filters (as opposed to paging, sorting or the export's own options).
FILTER_FIELDS = (
    "q",
    "status",
    "setting",
    "source",
    "adviser",
    "theme",
    "clock",
    "received_from",
    "received_to",
    "show",
)


def _date(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        help_text="For example, 27/3/2026",
        input_formats=DATE_FORMATS,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
        error_messages={"invalid": f"{label} must be a real date, like 27/3/2026"},
    )


def _choice(label: str, choices, any_label: str, *, what: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        required=False,
        choices=[("", any_label), *choices],
        error_messages={"invalid_choice": f"Choose {what} from the list"},
    )


class TrackerFilterForm(GovukFormMixin, forms.Form):
    """The tracker's filters, read from the query string. A value that does not make sense is
    reported in the error summary and left out of the filtering; the rest still apply."""

    q = forms.CharField(
        label="Search by reference or setting name",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )
    show = forms.ChoiceField(
        label="Show",
        required=False,
        choices=SHOW_CHOICES,
        error_messages={"invalid_choice": "Choose open, closed or all complaints"},
    )
    status = _choice("Status", Status.choices, "Any status", what="a status")
    setting = forms.ModelChoiceField(
        label="Setting",
        required=False,
        queryset=Setting.objects.none(),
        empty_label="Any setting",
        error_messages={"invalid_choice": "Choose a setting from the list"},
    )
    source = _choice("Source", Source.choices, "Any source", what="a source")
    adviser = _choice("Adviser", [], "Any adviser", what="an adviser")
    theme = forms.ModelChoiceField(
        label="Theme",
        required=False,
        queryset=Theme.objects.none(),
        empty_label="Any theme",
        error_messages={"invalid_choice": "Choose a theme from the list"},
    )
    clock = _choice("Clock", clocks.CLOCK_STATES, "Any clock", what="a clock state")
    received_from = _date("Received from")
    received_to = _date("Received to")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only settings that have complaints: the list stays short and every choice finds something.
        self.fields["setting"].queryset = Setting.objects.filter(
            pk__in=Complaint.objects.values("setting_id")
        ).order_by("name")
        self.fields["theme"].queryset = Theme.objects.order_by("sort_order", "name")
        self.fields["adviser"].choices = [
            ("", "Any adviser"),
            (UNASSIGNED, "Not assigned"),
            *((str(user.pk), user.get_full_name() or user.email) for user in _advisers()),
        ]

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("received_from"), cleaned.get("received_to")
        if start and end and start > end:
            # Neither date applies: we cannot tell which one was meant.
            cleaned.pop("received_from", None)
            self.add_error("received_to", "Received to must be the same as or after received from")
        return cleaned


def _advisers():
    """Anyone who holds the adviser role or has a complaint assigned, in name order."""
    return (
        get_user_model()
        .objects.filter(
            Q(groups__name=Role.ADVISER.group_name) | Q(pk__in=Complaint.objects.values("assigned_adviser_id"))
        )
        .distinct()
        .only("pk", "first_name", "last_name", "email")
        .order_by("first_name", "last_name", "email")
    )


@dataclass(frozen=True)
class TrackerQuery:
    """What the person asked for: the (bound) filter form, its usable values and the sort."""

    form: TrackerFilterForm
    values: dict
    sort: str
    today: date
    due_soon_days: int

    @property
    def show(self) -> str:
        return self.values.get("show") or SHOW_OPEN

    @property
    def is_filtered(self) -> bool:
        """True when anything beyond the default (open complaints) narrows the list."""
        return any(value not in (None, "") for name, value in self.values.items() if name != "show") or (
            self.show != SHOW_OPEN
        )

    @property
    def has_other_filters(self) -> bool:
        """True when a filter other than status and open or closed narrows the list."""
        return any(value not in (None, "") for name, value in self.values.items() if name not in {"show", "status"})

    def log_values(self) -> dict:
        """The filters in force, as plain strings, for the audit log."""
        logged = {"show": self.show}
        for name, value in self.values.items():
            if value in (None, "") or name == "show":
                continue
            logged[name] = value.isoformat() if isinstance(value, date) else str(getattr(value, "pk", value))
        logged["sort"] = self.sort
        return logged


def tracker_query(params: QueryDict, *, today: date, due_soon_days: int) -> TrackerQuery:
    form = TrackerFilterForm(params)
    form.is_valid()  # errors are shown; the values that did clean still apply
    values = {name: form.cleaned_data.get(name) for name in FILTER_FIELDS if name in form.cleaned_data}
    sort = params.get("sort", "")
    if sort.removeprefix("-") not in SORT_COLUMNS:
        sort = DEFAULT_SORT
    return TrackerQuery(form=form, values=values, sort=sort, today=today, due_soon_days=due_soon_days)


def apply_filters(qs: QuerySet[Complaint], query: TrackerQuery, *, statuses: bool = True) -> QuerySet[Complaint]:
    """Narrow `qs` by the filters. With statuses=False the status and open/closed filters are
    left out (for the counts by status, which show every status)."""
    values = query.values
    if text := (values.get("q") or "").strip():
        qs = qs.filter(Q(reference__icontains=text) | Q(setting__name__icontains=text))
    if values.get("setting"):
        qs = qs.filter(setting=values["setting"])
    if values.get("source"):
        qs = qs.filter(source=values["source"])
    adviser = values.get("adviser")
    if adviser == UNASSIGNED:
        qs = qs.filter(assigned_adviser__isnull=True)
    elif adviser:
        qs = qs.filter(assigned_adviser_id=int(adviser))
    if values.get("theme"):
        # A subquery, not a join, so a complaint with several themes is listed once.
        qs = qs.filter(pk__in=Complaint.themes.through.objects.filter(theme=values["theme"]).values("complaint_id"))
    if values.get("clock"):
        qs = qs.filter(clocks.clock_filter(values["clock"], query.today, query.due_soon_days))
    if values.get("received_from"):
        qs = qs.filter(received_on__gte=values["received_from"])
    if values.get("received_to"):
        qs = qs.filter(received_on__lte=values["received_to"])
    if statuses:
        if values.get("status"):
            qs = qs.filter(status=values["status"])
        if query.show == SHOW_OPEN:
            qs = qs.filter(status__in=OPEN_STATUSES)
        elif query.show == SHOW_CLOSED:
            qs = qs.filter(status__in=FINAL_STATUSES)
    return qs


def _status_rank() -> Case:
    """Statuses in lifecycle order (the order Status declares them), not alphabetical."""
    return Case(
        *(When(status=value, then=Value(rank)) for rank, value in enumerate(Status.values)),
        default=Value(len(Status.values)),
        output_field=IntegerField(),
    )


def apply_sort(qs: QuerySet[Complaint], sort: str) -> QuerySet[Complaint]:
    key = sort.removeprefix("-")
    descending = sort.startswith("-")
    if key == "status":
        qs = qs.annotate(status_rank=_status_rank())
    expressions = {
        "received": [F("received_on")],
        "reference": [F("year"), F("number")],
        "setting": [F("setting__name")],
        "due": [F("clock_due_on")],
        "status": [F("status_rank")],
    }[key]
    # Complaints without a running clock sort after the rest whichever way round.
    ordered = [e.desc(nulls_last=True) if descending else e.asc(nulls_last=True) for e in expressions]
    return qs.order_by(*ordered, "-received_on", "-number", "-pk")


def tracker_complaints(qs: QuerySet[Complaint], query: TrackerQuery) -> QuerySet[Complaint]:
    """The listed complaints, filtered and sorted, with what each row shows loaded up front."""
    qs = apply_filters(qs, query)
    qs = qs.select_related("setting", "assigned_adviser").prefetch_related("themes")
    return apply_sort(qs, query.sort)


def status_counts(qs: QuerySet[Complaint], query: TrackerQuery) -> list[dict]:
    """How many complaints are in each status, among those matching the other filters.
    One query, whatever the number of complaints."""
    qs = apply_filters(qs, query, statuses=False)
    totals = qs.aggregate(
        **{value: Count("pk", filter=Q(status=value)) for value in Status.values},
    )
    return [{"status": value, "label": label, "count": totals[value]} for value, label in Status.choices]


def sort_columns(sort: str) -> dict[str, dict]:
    """For each sortable column: its aria-sort value and the sort its header link asks for."""
    current = sort.removeprefix("-")
    descending = sort.startswith("-")
    columns = {}
    for key, label in SORT_COLUMNS.items():
        if key == current:
            aria = "descending" if descending else "ascending"
            next_sort = key if descending else f"-{key}"
        else:
            aria = "none"
            next_sort = key
        columns[key] = {"label": label, "aria_sort": aria, "next": next_sort}
    return columns
