"""The quarterly complaints report (DESIGN.md: "a quarterly complaints report (and a quarterly
Ofsted-complaints report to QPAG) measures performance").

`quarterly_figures()` counts a quarter and the quarter before it in a fixed number of SQL
queries, however many complaints there are, and returns a plain JSON-serialisable dict. A
snapshot (`QuarterlyReport`) stores that dict as it was and is re-rendered from it alone by
`report_context()`, so a snapshot never changes when complaints do. `report_build()` runs in
Celery (complaints.tasks) and writes the XLSX and PDF files.

How each figure is counted (also shown on the page, see RULES):

- received: complaints with received_on in the quarter; by source, by theme (a complaint with
  several themes counts once under each) and by kind of setting.
- outcomes, within-target responses, working days to respond and learning identified: the
  complaints whose formal response was sent (response_sent_on) in the quarter.
- acknowledged within target: acknowledged in the quarter with acknowledged_on on or before
  acknowledge_due_on. Answered within target: response sent in the quarter with
  response_working_days (receipt to response, less time paused) <= respond_target_days.
- median and 90th percentile working days to respond: linear interpolation between the closest
  ranks (the "inclusive" method of Python's statistics.quantiles, numpy's default), over the
  sorted list of response_working_days; to one decimal place.
- open at quarter end: received on or before the last day and not finished by then (closed_on
  empty or after the last day; closed_on is set on closing, withdrawal and referral, so a
  complaint whose response was sent but whose learning is still being monitored is open).
- overdue at quarter end: open at quarter end, respond_due_on before the last day, response not
  sent by the last day, and not paused on the last day (a pause that began on or before it and
  was not resumed by it). respond_due_on is the stored target, which already includes every
  completed pause, even one taken after the quarter ended.
- repeat settings: settings with two or more complaints received in the 365 days up to and
  including the last day (the tracker's rule, complaints.selectors).
- action plans opened / completed: schools action plans with source "complaint" created / whose
  completed_at falls in the quarter (London time).
The Ofsted section applies the same rules to complaints whose source is Ofsted, and to the
action plans opened for them.
"""

import logging
import math
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from functools import partial

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.text import slugify
from wagtail.log_actions import log

from schools.models import ActionPlan, SettingKind

from .charts import bar_chart_svg
from .models import Complaint, ComplaintPause, Outcome, QuarterlyReport, Source
from .quarters import Quarter, quarter_containing
from .selectors import REPEAT_THRESHOLD, REPEAT_WINDOW_DAYS
from .services import can_view_complaints

logger = logging.getLogger(__name__)

FIGURES_VERSION = 1
NO_THEME = ""

# (key, title, source filter). The Ofsted section is the QPAG report.
SECTIONS = [
    ("all", "All complaints", None),
    ("ofsted", "Ofsted complaints", Source.OFSTED),
]

RULES = [
    "Complaints received are those with a date received in the quarter. A complaint with "
    "several themes is counted once under each theme.",
    "Outcomes, responses within target, working days to respond and learning identified count "
    "the formal responses sent in the quarter.",
    "Acknowledged within target: acknowledged in the quarter on or before the acknowledgement "
    "target date. Responses within target: sent in the quarter within the response target, in "
    "working days from receipt, not counting time paused.",
    "Median and 90th percentile working days to respond use linear interpolation between the closest ranks.",
    "Open at quarter end: received by the last day of the quarter and not closed, withdrawn or referred on by then.",
    "Overdue at quarter end: open at quarter end, past its response target date, with no response "
    "sent by then and not paused on the last day of the quarter.",
    f"Repeat settings: {REPEAT_THRESHOLD} or more complaints received in the 12 months to the last day of the quarter.",
    "Learning action plans: action plans from complaints opened, or completed, in the quarter.",
]


# Figures ------------------------------------------------------------------------------------


def percentile(values: Iterable[int], fraction: float) -> float | None:
    """Linear interpolation between closest ranks (numpy's default; statistics.quantiles'
    "inclusive" method): the median of [1, 2, 3, 4] is 2.5, its 90th percentile 3.7."""
    ordered = sorted(values)
    if not ordered:
        return None
    position = (len(ordered) - 1) * fraction
    lower = math.floor(position)
    upper = min(lower + 1, len(ordered) - 1)
    value = ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)
    return round(value, 1)


def _share(count: int, of: int) -> float | None:
    return round(100 * count / of, 1) if of else None


def _day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """A date range as aware datetimes in the site's time zone: [start 00:00, end + 1 day 00:00)."""
    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(start, time.min), tz),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), tz),
    )


def _period_figures(start: date, end: date, *, source: str | None, theme_names: dict) -> dict:
    """One quarter's figures in seven queries, whatever the number of complaints."""
    complaints = Complaint.objects.order_by()
    plans = ActionPlan.objects.filter(source=ActionPlan.Source.COMPLAINT).order_by()
    if source:
        complaints = complaints.filter(source=source)
        plans = plans.filter(complaints__source=source)
    received = complaints.filter(received_on__range=(start, end))

    by_source = dict.fromkeys(Source.values, 0)
    for row in received.values("source").annotate(n=Count("id")):
        by_source[row["source"]] = row["n"]
    by_kind = dict.fromkeys(SettingKind.values, 0)
    for row in received.values("setting__kind").annotate(n=Count("id")):
        by_kind[row["setting__kind"]] = row["n"]
    by_theme: dict[str, int] = {}
    for row in received.values("themes__slug", "themes__name", "themes__sort_order").annotate(
        n=Count("id", distinct=True)
    ):
        slug = row["themes__slug"] or NO_THEME
        by_theme[slug] = row["n"]
        if slug != NO_THEME:
            theme_names[slug] = (row["themes__sort_order"], row["themes__name"])

    sent = Q(response_sent_on__range=(start, end))
    acknowledged = Q(acknowledged_on__range=(start, end))
    open_at_end = Q(received_on__lte=end) & (Q(closed_on__isnull=True) | Q(closed_on__gt=end))
    paused_at_end = Exists(
        ComplaintPause.objects.filter(complaint=OuterRef("pk"), paused_on__lte=end).filter(
            Q(resumed_on__isnull=True) | Q(resumed_on__gt=end)
        )
    )
    overdue_at_end = (
        open_at_end
        & Q(respond_due_on__lt=end)
        & (Q(response_sent_on__isnull=True) | Q(response_sent_on__gt=end))
        & ~paused_at_end
    )
    outcome_counts = {f"outcome_{key}": Count("id", filter=sent & Q(outcome=key)) for key in Outcome.values}
    totals = complaints.aggregate(
        acknowledged=Count("id", filter=acknowledged),
        acknowledged_within_target=Count("id", filter=acknowledged & Q(acknowledged_on__lte=F("acknowledge_due_on"))),
        responses_sent=Count("id", filter=sent),
        answered_within_target=Count("id", filter=sent & Q(response_working_days__lte=F("respond_target_days"))),
        learning_identified=Count("id", filter=sent & Q(learning_identified=True)),
        open_at_end=Count("id", filter=open_at_end),
        overdue_at_end=Count("id", filter=overdue_at_end),
        **outcome_counts,
    )
    working_days = list(
        complaints.filter(sent, response_working_days__isnull=False).values_list("response_working_days", flat=True)
    )

    since = end - timedelta(days=REPEAT_WINDOW_DAYS)
    repeat_settings = [
        {"setting_id": row["setting_id"], "name": row["setting__name"], "urn": row["setting__urn"], "count": row["n"]}
        for row in complaints.filter(received_on__gt=since, received_on__lte=end)
        .values("setting_id", "setting__name", "setting__urn")
        .annotate(n=Count("id"))
        .filter(n__gte=REPEAT_THRESHOLD)
        .order_by("-n", "setting__name", "setting_id")
    ]

    start_at, end_before = _day_bounds(start, end)
    plan_totals = plans.aggregate(
        opened=Count("id", filter=Q(created_at__gte=start_at, created_at__lt=end_before), distinct=True),
        completed=Count("id", filter=Q(completed_at__gte=start_at, completed_at__lt=end_before), distinct=True),
    )

    return {
        "received": sum(by_source.values()),
        "by_source": by_source,
        "by_theme": by_theme,
        "by_kind": by_kind,
        "outcomes": {key: totals[f"outcome_{key}"] for key in Outcome.values},
        "acknowledged": totals["acknowledged"],
        "acknowledged_within_target": totals["acknowledged_within_target"],
        "acknowledged_within_target_percent": _share(totals["acknowledged_within_target"], totals["acknowledged"]),
        "responses_sent": totals["responses_sent"],
        "answered_within_target": totals["answered_within_target"],
        "answered_within_target_percent": _share(totals["answered_within_target"], totals["responses_sent"]),
        "response_days_median": percentile(working_days, 0.5),
        "response_days_p90": percentile(working_days, 0.9),
        "open_at_end": totals["open_at_end"],
        "overdue_at_end": totals["overdue_at_end"],
        "repeat_settings": repeat_settings,
        "repeat_settings_count": len(repeat_settings),
        "learning_identified": totals["learning_identified"],
        "plans_opened": plan_totals["opened"],
        "plans_completed": plan_totals["completed"],
    }


def _period_meta(quarter: Quarter) -> dict:
    return {"label": quarter.label, "starts_on": quarter.starts_on.isoformat(), "ends_on": quarter.ends_on.isoformat()}


def quarterly_figures(*, quarter: Quarter, now: datetime | None = None) -> dict:
    """Every figure for `quarter` and the quarter before it, for all complaints and for
    Ofsted's. JSON-serialisable (dates as ISO strings), with the labels it was counted under,
    so a stored copy renders exactly as it did."""
    previous = quarter.previous()
    theme_names: dict[str, tuple[int, str]] = {}
    sections = []
    for key, title, source in SECTIONS:
        sections.append(
            {
                "key": key,
                "title": title,
                "source": source or "",
                "current": _period_figures(quarter.starts_on, quarter.ends_on, source=source, theme_names=theme_names),
                "previous": _period_figures(
                    previous.starts_on, previous.ends_on, source=source, theme_names=theme_names
                ),
            }
        )
    themes = [[slug, name] for slug, (_order, name) in sorted(theme_names.items(), key=lambda item: item[1])]
    themes.append([NO_THEME, "No theme recorded"])
    return {
        "version": FIGURES_VERSION,
        "basis": quarter.basis,
        "year": quarter.year,
        "quarter": quarter.number,
        **_period_meta(quarter),
        "previous": _period_meta(previous),
        "generated_at": (now or timezone.now()).isoformat(),
        "labels": {
            "source": [[key, str(label)] for key, label in Source.choices],
            "theme": themes,
            "kind": [[key, str(label)] for key, label in SettingKind.choices],
            "outcome": [[key, str(label)] for key, label in Outcome.choices],
        },
        "rules": list(RULES),
        "sections": sections,
    }


# Presentation: the same context for the live page, a snapshot and the PDF -------------------

# (key, label, kind, denominator key for shares)
MEASURES = [
    ("received", "Complaints received", "count", None),
    ("acknowledged", "Complaints acknowledged", "count", None),
    ("acknowledged_within_target", "Acknowledged within target", "share", "acknowledged"),
    ("responses_sent", "Formal responses sent", "count", None),
    ("answered_within_target", "Responses sent within target", "share", "responses_sent"),
    ("response_days_median", "Median working days to respond", "days", None),
    ("response_days_p90", "90th percentile working days to respond", "days", None),
    ("open_at_end", "Open at quarter end", "count", None),
    ("overdue_at_end", "Overdue at quarter end", "count", None),
    ("repeat_settings_count", "Settings with repeat complaints", "count", None),
    ("learning_identified", "Responses where learning was identified", "count", None),
    ("plans_opened", "Learning action plans opened", "count", None),
    ("plans_completed", "Learning action plans completed", "count", None),
]

# (key in the period figures, label list, title); by source only where sources vary.
BREAKDOWNS = [
    ("by_source", "source", "Complaints received by source"),
    ("by_theme", "theme", "Complaints received by theme"),
    ("by_kind", "kind", "Complaints received by kind of setting"),
    ("outcomes", "outcome", "Outcomes of formal responses sent"),
]


def _number(value) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _measure_text(period: dict, key: str, kind: str, of_key: str | None) -> str:
    value = period.get(key)
    if kind == "share":
        of = period.get(of_key) or 0
        if not of:
            return "None to count"
        return f"{value} of {of} ({_number(period.get(f'{key}_percent'))}%)"
    if kind == "days":
        return "None sent" if value is None else _number(value)
    return _number(value or 0)


def _breakdown_rows(section: dict, key: str, labels: list) -> list[dict]:
    current, previous = section["current"][key], section["previous"][key]
    rows = []
    for item_key, label in labels:
        now, before = current.get(item_key, 0), previous.get(item_key, 0)
        if key == "by_theme" and not (now or before):
            continue  # only the themes complained about in one quarter or the other
        rows.append({"key": item_key, "label": label, "current": now, "previous": before})
    return rows


def report_context(figures: dict) -> dict:
    """What the templates need, built from the stored figures alone (no database)."""
    labels = figures["labels"]
    current_label, previous_label = figures["label"], figures["previous"]["label"]
    sections = []
    for section in figures["sections"]:
        breakdowns = []
        for key, label_key, title in BREAKDOWNS:
            if key == "by_source" and section["source"]:
                continue
            rows = _breakdown_rows(section, key, labels[label_key])
            chart_id = f"chart-{section['key']}-{key.replace('_', '-')}"
            breakdowns.append(
                {
                    "key": key,
                    "title": title,
                    "id": chart_id,
                    "rows": rows,
                    "chart": bar_chart_svg(
                        chart_id=chart_id,
                        title=f"{section['title']}: {title.lower()}, {current_label} and {previous_label}",
                        rows=[(row["label"], row["current"]) for row in rows],
                        previous=[row["previous"] for row in rows],
                        series=(current_label, previous_label),
                    ),
                }
            )
        sections.append(
            {
                "key": section["key"],
                "title": section["title"],
                "measures": [
                    {
                        "key": key,
                        "label": label,
                        "current": _measure_text(section["current"], key, kind, of_key),
                        "previous": _measure_text(section["previous"], key, kind, of_key),
                    }
                    for key, label, kind, of_key in MEASURES
                ],
                "breakdowns": breakdowns,
                "repeat_settings": section["current"]["repeat_settings"],
            }
        )
    return {
        "label": current_label,
        "previous_label": previous_label,
        "starts_on": date.fromisoformat(figures["starts_on"]),
        "ends_on": date.fromisoformat(figures["ends_on"]),
        "previous_starts_on": date.fromisoformat(figures["previous"]["starts_on"]),
        "previous_ends_on": date.fromisoformat(figures["previous"]["ends_on"]),
        "generated_at": datetime.fromisoformat(figures["generated_at"]),
        "rules": figures.get("rules", []),
        "sections": sections,
    }


# Requesting and building snapshots ---------------------------------------------------------


def quarterly_report_request(*, user, quarter: Quarter) -> QuarterlyReport:
    """A snapshot of `quarter`, produced in the background once this transaction commits."""
    if not can_view_complaints(user):
        raise PermissionDenied("Only advisers, QA managers and senior managers can produce complaints reports.")
    report = QuarterlyReport.objects.create(
        basis=quarter.basis,
        label=quarter.label,
        starts_on=quarter.starts_on,
        ends_on=quarter.ends_on,
        status=QuarterlyReport.Status.PENDING,
        progress=0,
        progress_message="Waiting to start",
        requested_by=user,
    )
    log(report, "complaints.report.request", user=user, data={"label": quarter.label, "basis": quarter.basis})
    transaction.on_commit(partial(_queue_build, report.pk))
    return report


def _queue_build(report_id: int) -> None:
    from .tasks import build_quarterly_report_task

    try:
        build_quarterly_report_task.delay(report_id=report_id)
    except Exception:
        # The broker is down: say so on the snapshot rather than leave it waiting for ever.
        logger.exception("Could not queue quarterly complaints report %s", report_id)
        QuarterlyReport.objects.filter(pk=report_id, status=QuarterlyReport.Status.PENDING).update(
            status=QuarterlyReport.Status.FAILED,
            error="The report could not be queued.",
            progress_message="The report could not be started",
            finished_at=timezone.now(),
        )


def quarterly_report_record_download(*, report: QuarterlyReport, user, fmt: str) -> None:
    log(report, "complaints.report.download", user=user, data={"format": fmt, "label": report.label})


def _progress(report_id: int, percent: int, message: str) -> None:
    QuarterlyReport.objects.filter(pk=report_id).update(progress=percent, progress_message=message)


def report_filename(report: QuarterlyReport, fmt: str) -> str:
    return f"complaints-report-{slugify(report.label)}.{fmt}"


def report_build(*, report_id: int) -> None:
    """Count the figures, write the XLSX and the PDF, and keep them with the snapshot. Runs once:
    a snapshot that is ready is never rebuilt (its figures are final); a redelivered task for a
    snapshot already running starts again from the beginning."""
    from .report_files import report_pdf, report_xlsx

    Status = QuarterlyReport.Status
    claimed = QuarterlyReport.objects.filter(pk=report_id, status__in=[Status.PENDING, Status.RUNNING]).update(
        status=Status.RUNNING, progress=5, progress_message="Starting", error=""
    )
    if not claimed:
        logger.warning("Quarterly complaints report %s is not waiting to be built", report_id)
        return
    report = QuarterlyReport.objects.get(pk=report_id)
    try:
        _progress(report_id, 10, "Counting the figures")
        quarter = quarter_containing(report.starts_on, report.basis)
        figures = quarterly_figures(quarter=quarter)
        _progress(report_id, 50, "Writing the spreadsheet")
        xlsx = report_xlsx(figures)
        _progress(report_id, 80, "Writing the PDF")
        pdf = report_pdf(figures)
        report.xlsx.save(report_filename(report, "xlsx"), ContentFile(xlsx), save=False)
        report.pdf.save(report_filename(report, "pdf"), ContentFile(pdf), save=False)
        report.figures = figures
        report.status = Status.READY
        report.progress = 100
        report.progress_message = "Ready"
        report.finished_at = timezone.now()
        report.error = ""
        report.save()
    except Exception as exc:
        logger.exception("Quarterly complaints report %s failed", report_id)
        for field in (report.xlsx, report.pdf):
            if field:
                field.delete(save=False)
        QuarterlyReport.objects.filter(pk=report_id).update(
            status=Status.FAILED,
            progress_message="The report could not be produced",
            error=f"{type(exc).__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
            xlsx="",
            pdf="",
        )


def report_quarter(report: QuarterlyReport) -> Quarter:
    return quarter_containing(report.starts_on, report.basis)
