"""The central complaints tracker: every complaint, filtered, sorted and paged, with its
clock, and the export of the same list (framework 11.4: management oversight of timescales)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from . import clocks, exports, selectors, services, tracker
from .access import complaints_view_required
from .models import Status


def _query(request) -> tracker.TrackerQuery:
    return tracker.tracker_query(
        request.GET, today=timezone.localdate(), due_soon_days=services.complaints_settings().due_soon_days
    )


@complaints_view_required
def tracker_list(request):
    query = _query(request)
    visible = selectors.complaints_visible_to(request.user)
    page = Paginator(tracker.tracker_complaints(visible, query), tracker.PAGE_SIZE).get_page(request.GET.get("page"))
    repeat = selectors.repeat_setting_counts(query.today)
    rows = [
        {
            "complaint": complaint,
            "clock": clocks.summary(complaint, query.today, query.due_soon_days),
            "repeat_count": repeat.get(complaint.setting_id),
        }
        for complaint in page.object_list
    ]
    counts = tracker.status_counts(visible, query)
    any_complaints = bool(rows) or sum(row["count"] for row in counts) > 0 or visible.exists()
    # The export carries the filters in force; paging and the export's own choices are its own.
    export_params = [
        (name, value)
        for name, values in request.GET.lists()
        if name in (*tracker.FILTER_FIELDS, "sort")
        for value in values
    ]
    return render(
        request,
        "complaints/tracker.html",
        {
            "form": query.form,
            "query": query,
            "page": page,
            "rows": rows,
            "status_counts": counts,
            "status_total": sum(row["count"] for row in counts),
            "columns": tracker.sort_columns(query.sort),
            "any_complaints": any_complaints,
            "can_work": services.can_work_on_complaints(request.user),
            "can_export_personal": exports.can_export_personal(request.user),
            "export_params": export_params,
            "export_formats": exports.FORMATS,
            "overdue": clocks.OVERDUE,
            "show_all": tracker.SHOW_ALL,
            "status_labels": dict(Status.choices),
        },
    )


@complaints_view_required
def tracker_export(request):
    """The filtered list as CSV or Excel. Complainants' details only for a QA manager who asked;
    anyone else asking gets the export without them. Every export is in the audit log."""
    query = _query(request)
    export_format = request.GET.get("format", exports.CSV)
    back = reverse("complaints:tracker")
    filters = urlencode(
        [(n, v) for n, values in request.GET.lists() if n in (*tracker.FILTER_FIELDS, "sort") for v in values]
    )
    if filters:
        back = f"{back}?{filters}"
    if export_format not in dict(exports.FORMATS):
        messages.error(request, "Choose CSV or Excel for the download")
        return redirect(back)
    if query.form.errors:
        # Never export a different list from the one asked for: show the problem instead.
        messages.error(request, "Correct the filters before downloading")
        return redirect(back)
    personal = request.GET.get("personal") in {"1", "on", "true"} and exports.can_export_personal(request.user)
    complaints = list(tracker.tracker_complaints(selectors.complaints_visible_to(request.user), query))
    headings, rows = exports.export_rows(
        complaints, today=query.today, due_soon_days=query.due_soon_days, personal=personal
    )
    if export_format == exports.XLSX:
        body, content_type = exports.xlsx_bytes(headings, rows), exports.XLSX_CONTENT_TYPE
    else:
        body, content_type = exports.csv_bytes(headings, rows), exports.CSV_CONTENT_TYPE
    exports.tracker_export_log(
        user=request.user,
        export_format=export_format,
        rows=len(rows),
        personal=personal,
        filters=query.log_values(),
    )
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(query.today, export_format)}"'
    response["Cache-Control"] = "private, no-store"
    return response
