"""Learning driven by audit findings: the QA manager's training-needs page and its CSV. The
"Recommended for you" panel is in schools.dashboard_panels_learning; the feedback page adds the
same recommendations in schools.views.return_feedback."""

import csv

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from portal.permissions import role_required
from portal.roles import Role
from schools.training_needs import HIGH_NEED_MIN_SETTINGS, SCHEDULE_MONTHS, training_needs

# Read-only for senior managers: the page changes nothing.
TRAINING_NEEDS_ROLES = (Role.QA_MANAGER, Role.SENIOR_MANAGER)

# A spreadsheet treats a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


@role_required(*TRAINING_NEEDS_ROLES)
def training_needs_view(request):
    needs = training_needs(today=timezone.localdate())
    return render(
        request,
        "schools/learning/training_needs.html",
        {"needs": needs, "high_need_min": HIGH_NEED_MIN_SETTINGS, "months": SCHEDULE_MONTHS},
    )


@role_required(*TRAINING_NEEDS_ROLES)
def training_needs_csv(request):
    today = timezone.localdate()
    needs = training_needs(today=today)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="training-needs-{today:%Y-%m-%d}.csv"'
    response["Cache-Control"] = "private, no-store"
    writer = csv.writer(response)
    writer.writerow(
        [
            "Theme",
            "Settings in need",
            "Audit red or amber",
            "Open actions",
            *(signal.label for signal in needs.signals),
            f"Sessions in the next {SCHEDULE_MONTHS} months",
            "Next session",
            "Places left",
            "High need, no training scheduled",
            "Settings",
        ]
    )
    for row in needs.rows:
        writer.writerow(
            [
                _cell(row.theme.name),
                row.need,
                len(row.audit),
                len(row.actions),
                *row.signal_counts,
                row.sessions,
                timezone.localtime(row.next_session).strftime("%Y-%m-%d %H:%M") if row.next_session else "",
                row.places_left,
                "Yes" if row.unmet else "No",
                _cell("; ".join(row.setting_names)),
            ]
        )
    return response
