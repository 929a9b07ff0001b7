"""The audit dashboard (framework 13.2) and its two full lists: the audits of concern and the
action oversight tables. Read-only pages for the QA team and senior managers."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from qpag import charts, dashboard
from qpag.access import qpag_view_required
from qpag.forms_dashboard import dashboard_filters

PAGE_SIZE = 25
CONCERN_LISTS = (("case_file", "Case-file audits"), ("returns", "Settings' audit returns"))


def _common(filters) -> dict:
    # Links between the three pages carry the filters in force (the valid ones only).
    params = {"period": f"{filters.month:%Y-%m}", **{k: v for k, v in filters.as_kwargs().items() if v}}
    return {
        "form": filters.form,
        "filter_query": "?" + urlencode(params),
        "filters": filters,
        "month": filters.month,
        "service_label": dict(dashboard.SERVICE_CHOICES).get(filters.service, ""),
    }


def _oversight_tables(oversight, *, full: bool) -> list[dict]:
    owners_caption = "Actions by owner: the adviser leading a setting's plan, or a case-file action's owner"
    if not full:
        owners_caption += f", busiest {dashboard.TOP_OWNERS} first"
    return [
        {
            "key": "by-source",
            "caption": "Actions by source",
            "heading": "Source",
            "rows": oversight.by_source,
            "totals": oversight.totals,
        },
        {"key": "by-service", "caption": "Actions by service", "heading": "Service", "rows": oversight.by_service},
        {"key": "by-owner", "caption": owners_caption, "heading": "Owner", "rows": oversight.by_owner},
    ]


@qpag_view_required
def dashboard_view(request):
    today = timezone.localdate()
    filters = dashboard_filters(request.GET, today=today)
    context = dashboard.dashboard_context(month=filters.month, today=today, **filters.as_kwargs())
    context.update(_common(filters))
    context["oversight_tables"] = _oversight_tables(context["oversight"], full=False)
    return render(request, "qpag/dashboard/dashboard.html", context)


@qpag_view_required
def audits_of_concern_view(request):
    """Every audit graded inadequate or requires improvement in the dashboard's 12 months, one
    list at a time (case-file audits or settings' returns), 25 to a page."""
    today = timezone.localdate()
    filters = dashboard_filters(request.GET, today=today)
    since, until = dashboard.concern_window(filters.month)
    showing = request.GET.get("list")
    if showing not in dict(CONCERN_LISTS):
        showing = "case_file"
    if showing == "case_file":
        queryset = dashboard.concern_case_file_audits(
            since=since, until=until, service=filters.service, locality=filters.locality
        )
    else:
        queryset = dashboard.concern_returns(until=until, today=today, **filters.as_kwargs())
    page_obj = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = (
        dashboard.with_action_counts(page_obj.object_list, today=today)
        if showing == "case_file"
        else list(page_obj.object_list)
    )
    count = page_obj.paginator.count
    plural = "" if count == 1 else "s"
    context = _common(filters)
    context.update(
        {
            "page_obj": page_obj,
            "rows": rows,
            "showing": showing,
            "list_caption": (
                f"{count} case-file audit{plural}, newest first"
                if showing == "case_file"
                else f"{count} return{plural}, inadequate first"
            ),
            "lists": CONCERN_LISTS,
            "concern_since": since,
            "concern_until": until,
            "today": today,
        }
    )
    return render(request, "qpag/dashboard/audits_of_concern.html", context)


@qpag_view_required
def action_oversight_view(request):
    today = timezone.localdate()
    filters = dashboard_filters(request.GET, today=today)
    oversight = dashboard.action_oversight(today=today, top_owners=None, **filters.as_kwargs())
    context = _common(filters)
    context.update(
        {
            "oversight": oversight,
            "today": today,
            "oversight_chart": charts.oversight_bar_svg(
                chart_id="actions-by-source",
                title="Actions by source: overdue, open and completed",
                rows=oversight.by_source,
            ),
            "service_chart": charts.oversight_bar_svg(
                chart_id="actions-by-service",
                title="Actions by service: overdue, open and completed",
                rows=oversight.by_service,
            ),
            "oversight_tables": _oversight_tables(oversight, full=True),
        }
    )
    return render(request, "qpag/dashboard/action_oversight.html", context)
