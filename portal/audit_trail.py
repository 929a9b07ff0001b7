"""The portal-wide audit trail for QA managers: every entry in Wagtail's log for our records
(state changes, sign-offs, exports, complaint views, downloads), searchable and exportable.

Wagtail's own "Site history" report shows an entry only to people holding a Django model
permission on its record; the portal grants access by role instead, so QA managers would see
nothing there. The log itself stays Wagtail's (append-only: nothing here writes or deletes)."""

import csv
from datetime import datetime, time

from django import forms
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.log_actions import registry as log_registry
from wagtail.models import ModelLogEntry

from portal.forms import GovukFormMixin
from portal.permissions import role_required
from portal.roles import Role

PER_PAGE = 50
EXPORT_LIMIT = 50_000


def _action_choices() -> list[tuple[str, str]]:
    actions = sorted(log_registry.get_choices(), key=lambda choice: str(choice[1]))
    return [("", "Any action"), *[(value, str(label)) for value, label in actions]]


class AuditTrailFilterForm(GovukFormMixin, forms.Form):
    q = forms.CharField(
        label="Record or details",
        required=False,
        max_length=200,
        help_text="Part of a record's name, such as a complaint reference or a case number.",
    )
    action = forms.ChoiceField(label="Action", required=False)
    user = forms.CharField(label="Person (email)", required=False, max_length=254)
    date_from = forms.DateField(
        label="From",
        required=False,
        help_text="For example 2026-10-01",
        error_messages={"invalid": "Enter the start date as a date, like 2026-10-01"},
    )
    date_to = forms.DateField(
        label="To",
        required=False,
        help_text="For example 2026-10-31",
        error_messages={"invalid": "Enter the end date as a date, like 2026-10-31"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = _action_choices()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The end date must be the same as or after the start date")
        return cleaned


def audit_trail_entries(filters: dict):
    entries = ModelLogEntry.objects.select_related("user", "content_type").order_by("-timestamp", "-pk")
    if filters.get("q"):
        entries = entries.filter(label__icontains=filters["q"])
    if filters.get("action"):
        entries = entries.filter(action=filters["action"])
    if filters.get("user"):
        entries = entries.filter(user__email__icontains=filters["user"])
    zone = timezone.get_current_timezone()
    if filters.get("date_from"):
        entries = entries.filter(timestamp__gte=datetime.combine(filters["date_from"], time.min, tzinfo=zone))
    if filters.get("date_to"):
        entries = entries.filter(timestamp__lte=datetime.combine(filters["date_to"], time.max, tzinfo=zone))
    return entries


def _message(entry) -> str:
    return (
        str(log_registry.get_action_label(entry.action)) if log_registry.action_exists(entry.action) else entry.action
    )


@role_required(Role.QA_MANAGER)
def audit_trail(request):
    form = AuditTrailFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    entries = audit_trail_entries(filters)
    if request.GET.get("format") == "csv" and (not form.is_bound or form.is_valid()):
        return _export(request, entries, filters)
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    rows = [{"entry": entry, "message": _message(entry)} for entry in page.object_list]
    return render(
        request,
        "portal/audit_trail.html",
        {"form": form, "page": page, "rows": rows, "filtered": bool(filters and any(filters.values()))},
    )


def _export(request, entries, filters: dict) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-trail.csv"'
    writer = csv.writer(response)
    writer.writerow(["When", "Action", "Record type", "Record", "Record id", "Person", "Details"])
    count = 0
    for entry in entries[:EXPORT_LIMIT].iterator(chunk_size=2000):
        writer.writerow(
            [
                timezone.localtime(entry.timestamp).isoformat(timespec="seconds"),
                entry.action,
                entry.content_type.name if entry.content_type_id else "",
                _safe_cell(entry.label),
                entry.object_id,
                entry.user.email if entry.user_id else "system",
                _safe_cell(str(entry.data or "")),
            ]
        )
        count += 1
    # Exporting the trail is itself recorded, on the person who did it.
    log(
        _concrete(request.user),
        "portal.audit_trail.export",
        user=request.user,
        data={"rows": count, "filters": {k: str(v) for k, v in filters.items() if v}},
    )
    return response


def _concrete(user):
    """request.user can be a lazy object wrapping another (the OTP middleware wraps Django's);
    Wagtail's log looks up the log model by the object's real type, so unwrap it."""
    from django.utils.functional import LazyObject, empty

    while isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        user = user._wrapped
    return user


def _safe_cell(text: str) -> str:
    # A spreadsheet runs a cell starting with = + - @ as a formula: keep it as text.
    return "'" + text if text[:1] in {"=", "+", "-", "@"} else text
