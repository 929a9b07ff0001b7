"""The monthly QPAG pack's figures (framework 12.2, the QPAG agenda), counted from live data.

`pack_figures(month=...)` returns a plain JSON-serialisable dict keyed by the PACK_SECTIONS keys,
in a fixed number of queries however much data there is. A draft pack shows it live; issuing a
pack freezes it into `QpagPack.figures`, and `pack_sections(figures)` turns a stored copy into the
tables and charts of the page, the PDF and the XLSX without touching the database, so an issued
pack always reads exactly as the meeting saw it.

How the figures are counted is in COUNTING_RULES (printed with the pack).
"""

import random
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone

from complaints.models import CLOCK_RUNNING, Complaint, Source
from complaints.quarters import FINANCIAL, quarter_containing
from complaints.reports import quarterly_figures
from schools.models import (
    Action,
    ActionPlan,
    Answer,
    AuditCycle,
    AuditReturn,
    OfstedInspection,
    PracticeReview,
    QuestionnaireKind,
    SupportOffer,
)
from schools.models.questionnaires import AnswerType, Compliance
from schools.models.register import OfstedJudgement, ReportCardOutcome
from schools.selectors_casework import repeat_issue_settings
from schools.training_needs import training_needs

from . import dashboard
from .constants import CHAD_WEEKLY_SAMPLE, GOOD_OR_BETTER, PACK_SECTIONS, ChadCategory, Grade, Service
from .dates import add_months, month_end, month_start, previous_month
from .models import CaseFileAudit, CaseFileAuditAction, TripleLockReview
from .status_rules import RULES, Status

FIGURES_VERSION = 1
AuditStatus = CaseFileAudit.Status

# The case-file services with a highlight report, in agenda order, and their section keys.
SERVICE_SECTIONS = (
    ("social_work", Service.SOCIAL_CARE),
    ("early_help", Service.EARLY_HELP),
    ("chad", Service.CHAD),
    ("send", Service.SEND),
)
# The services whose audits are sampled for reflective discussion (framework 12.2).
REFLECTIVE_SERVICES = (Service.SOCIAL_CARE, Service.SEND, Service.EARLY_HELP)
REFLECTIVE_PER_SERVICE = 2
FEEDBACK_QUOTES = 6
WEAKEST_LIMIT = 8
# Quarters end in these months on the council's financial-year basis (complaints.quarters).
QUARTER_END_MONTHS = (6, 9, 12, 3)

SUBMITTED_RETURN = (
    AuditReturn.Status.SUBMITTED,
    AuditReturn.Status.IN_REVIEW,
    AuditReturn.Status.FEEDBACK_SENT,
    AuditReturn.Status.CLOSED,
)
NOT_SUBMITTED_RETURN = (AuditReturn.Status.NOT_STARTED, AuditReturn.Status.IN_PROGRESS, AuditReturn.Status.RETURNED)
OPEN_SCHOOL_ACTION = (Action.Status.NOT_STARTED, Action.Status.IN_PROGRESS)
FINISHED_PLAN = (ActionPlan.Status.COMPLETE, ActionPlan.Status.CLOSED)

COUNTING_RULES = [
    "Case-file audits are counted in the month their auditor was notified. Overdue: still waiting for the "
    "auditor's grades after the two-week due date.",
    "Good or better: the final grade (the moderator's where there is one) is good or outstanding, as a share "
    "of the graded audits.",
    "Family feedback sought: graded audits recording that the family's views were sought, as a share of the "
    "graded audits.",
    "ChAD's weekly sample is 2 of each kind of contact; the month's expected sample counts the weeks "
    "beginning (Mondays) in the month.",
    "175/157 and AP returns: submitted means submitted, in review, feedback sent or closed; overdue means not "
    "submitted after the cycle's due date.",
    "Overall compliance: compliant answers in submitted returns, a partly-compliant answer counting half.",
    "Complaints past their response date: the response clock is running and the response target has passed.",
    "Actions completed on time: completed on or before their due date.",
    "Reflective sample: up to 2 moderated audits each from children's social care, SEND and Early Help "
    "notified in the month, drawn at random with the month as the seed, so the draw can be repeated.",
]


# Helpers ---------------------------------------------------------------------------------------


def _share(count: float, of: int) -> float | None:
    return round(100 * count / of, 1) if of else None


def _day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(start, time.min), tz),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), tz),
    )


def _iso(day) -> str | None:
    return day.isoformat() if day else None


def _point(point) -> dict | None:
    if point is None:
        return None
    return {
        "label": point.label,
        "starts_on": _iso(point.starts_on),
        "measured": point.measured,
        "good": point.good,
        "percent": point.percent,
    }


def _trend(trend) -> dict:
    return {
        "key": trend.key,
        "label": trend.label,
        "group": trend.group,
        "group_label": trend.group_label,
        "status": trend.status,
        "status_label": trend.status_label,
        "change": trend.change,
        "latest": _point(trend.latest),
        "previous": _point(trend.previous),
        "points": [_point(p) for p in trend.points],
    }


def _oversight_row(row) -> dict:
    return {"key": row.key, "label": row.label, "open": row.open, "overdue": row.overdue, "completed": row.completed}


def _mondays(month: date) -> int:
    day, last, count = month, month_end(month), 0
    while day <= last:
        count += day.weekday() == 0
        day += timedelta(days=1)
    return count


def _grade_label(value: str) -> str:
    return Grade(value).label if value in Grade.values else ""


# Case-file audits ------------------------------------------------------------------------------


def _audit_counts(month: date, today: date) -> dict[str, dict]:
    """Per service: the month's counts and grades, and the previous month's good-or-better. One query."""
    prev, last = previous_month(month), month_end(month)
    in_month = Q(notified_on__gte=month)
    in_prev = Q(notified_on__lt=month)
    graded = ~Q(final_grade="")
    good = Q(final_grade__in=list(GOOD_OR_BETTER))
    counts = {
        "notified": Count("pk", filter=in_month),
        "audited": Count(
            "pk", filter=in_month & Q(status__in=[AuditStatus.AUDITED, AuditStatus.MODERATED, AuditStatus.CLOSED])
        ),
        "moderated": Count("pk", filter=in_month & Q(status__in=[AuditStatus.MODERATED, AuditStatus.CLOSED])),
        "outstanding": Count("pk", filter=in_month & Q(status=AuditStatus.NOTIFIED)),
        "overdue": Count("pk", filter=in_month & Q(status=AuditStatus.NOTIFIED, due_on__lt=today)),
        "graded": Count("pk", filter=in_month & graded),
        "good": Count("pk", filter=in_month & good),
        "changed": Count(
            "pk",
            filter=in_month & ~Q(auditor_grade="") & ~Q(moderator_grade="") & ~Q(auditor_grade=F("moderator_grade")),
        ),
        "feedback_sought": Count("pk", filter=in_month & graded & Q(family_feedback_sought=True)),
        "prev_graded": Count("pk", filter=in_prev & graded),
        "prev_good": Count("pk", filter=in_prev & good),
        **{f"grade_{g}": Count("pk", filter=in_month & Q(final_grade=g)) for g in Grade.values},
    }
    rows = CaseFileAudit.objects.filter(notified_on__range=(prev, last)).values("service").annotate(**counts).order_by()
    found = {row["service"]: row for row in rows}
    out = {}
    for service in Service.values:
        row = found.get(service) or dict.fromkeys(counts, 0)
        out[service] = {
            "notified": row["notified"],
            "audited": row["audited"],
            "moderated": row["moderated"],
            "outstanding": row["outstanding"],
            "overdue": row["overdue"],
            "graded": row["graded"],
            "good_or_better": row["good"],
            "good_or_better_percent": _share(row["good"], row["graded"]),
            "previous_good_or_better_percent": _share(row["prev_good"], row["prev_graded"]),
            "grades": {g: row[f"grade_{g}"] for g in Grade.values},
            "grades_changed": row["changed"],
            "feedback_sought": row["feedback_sought"],
            "feedback_sought_percent": _share(row["feedback_sought"], row["graded"]),
        }
    return out


def _chad_categories(month: date) -> list[dict]:
    """ChAD audits by kind of contact against the 2-2-2-2 weekly sample. One query."""
    rows = (
        CaseFileAudit.objects.filter(service=Service.CHAD, notified_on__range=(month, month_end(month)))
        .values("chad_category")
        .annotate(
            n=Count("pk"),
            graded=Count("pk", filter=~Q(final_grade="")),
            good=Count("pk", filter=Q(final_grade__in=list(GOOD_OR_BETTER))),
        )
        .order_by()
    )
    found = {row["chad_category"]: row for row in rows}
    weeks = _mondays(month)
    out = []
    for category, label in ChadCategory.choices:
        row = found.get(category, {"n": 0, "graded": 0, "good": 0})
        out.append(
            {
                "key": category,
                "label": str(label),
                "audited": row["n"],
                "expected": CHAD_WEEKLY_SAMPLE[category] * weeks,
                "good_or_better_percent": _share(row["good"], row["graded"]),
            }
        )
    return out


def _month_audit_rows(month: date) -> list[dict]:
    """Every audit notified in the month, with its review: for the samples and lists. One query."""
    return list(
        CaseFileAudit.objects.filter(notified_on__range=(month, month_end(month)))
        .values(
            "case_number",
            "service",
            "team",
            "status",
            "auditor_grade",
            "moderator_grade",
            "final_grade",
            "findings",
            "family_feedback_sought",
            "family_feedback",
            "triple_lock_review__status",
            "triple_lock_review__due_on",
            "triple_lock_review__completed_on",
        )
        .order_by("service", "case_number", "pk")
    )


def _reflective(rows: list[dict], month: date) -> list[dict]:
    rng = random.Random(month.isoformat())  # noqa: S311 - a reproducible sample, not security
    chosen = []
    for service in REFLECTIVE_SERVICES:
        moderated = sorted(
            (r for r in rows if r["service"] == service and r["status"] in {AuditStatus.MODERATED, AuditStatus.CLOSED}),
            key=lambda r: r["case_number"],
        )
        picked = rng.sample(moderated, min(REFLECTIVE_PER_SERVICE, len(moderated)))
        for row in sorted(picked, key=lambda r: r["case_number"]):
            chosen.append(
                {
                    "case_number": row["case_number"],
                    "service": service,
                    "service_label": Service(service).label,
                    "team": row["team"],
                    "auditor_grade": _grade_label(row["auditor_grade"]),
                    "moderator_grade": _grade_label(row["moderator_grade"]),
                    "final_grade": _grade_label(row["final_grade"]),
                    "findings": row["findings"],
                    "family_feedback": row["family_feedback"],
                }
            )
    return chosen


def _quotes(rows: list[dict]) -> list[str]:
    """Up to six things families said, taking one service at a time in turn."""
    by_service = {
        s: [r["family_feedback"].strip() for r in rows if r["service"] == s and r["family_feedback"].strip()]
        for s in Service.values
    }
    quotes: list[str] = []
    index = 0
    while len(quotes) < FEEDBACK_QUOTES and any(len(v) > index for v in by_service.values()):
        for service in Service.values:
            if index < len(by_service[service]) and len(quotes) < FEEDBACK_QUOTES:
                quotes.append(by_service[service][index])
        index += 1
    return quotes


def _review_row(row: dict) -> dict:
    return {
        "case_number": row["case_number"],
        "service": row["service"],
        "team": row["team"],
        "review_due_on": _iso(row["triple_lock_review__due_on"]),
        "review_status": TripleLockReview.Status(row["triple_lock_review__status"]).label
        if row["triple_lock_review__status"]
        else "No review",
        "review_completed_on": _iso(row["triple_lock_review__completed_on"]),
    }


def _service_section(
    service: str, counts: dict, trends: list, rows: list[dict], chad: list[dict] | None = None
) -> dict:
    mine = [r for r in rows if r["service"] == service]
    section = {
        "service": service,
        "service_label": Service(service).label,
        **counts,
        "practice_areas": trends,
        "grade_changes": [
            {
                "case_number": r["case_number"],
                "team": r["team"],
                "auditor_grade": _grade_label(r["auditor_grade"]),
                "moderator_grade": _grade_label(r["moderator_grade"]),
            }
            for r in mine
            if r["auditor_grade"] and r["moderator_grade"] and r["auditor_grade"] != r["moderator_grade"]
        ],
        "inadequate": [_review_row(r) for r in mine if r["final_grade"] == Grade.INADEQUATE],
    }
    if chad is not None:
        section["by_category"] = chad
    return section


# Schools -----------------------------------------------------------------------------------------


def _cycles(last: date) -> dict[str, list[dict]]:
    """The cycles opened by the month's end, newest first, per kind. One query."""
    by_kind: dict[str, list[dict]] = {kind: [] for kind in QuestionnaireKind.values}
    for row in (
        AuditCycle.objects.filter(opens_on__lte=last)
        .order_by("-opens_on", "-pk")
        .values("pk", "kind", "title", "opens_on", "due_on", "status")
    ):
        by_kind.setdefault(row["kind"], []).append(row)
    return by_kind


def _return_counts(cycles: list[dict], today: date) -> dict[int, dict]:
    ids = [c["pk"] for c in cycles]
    due = {c["pk"]: c["due_on"] for c in cycles}
    out = {pk: {"submitted": 0, "in_progress": 0, "not_started": 0, "overdue": 0, "total": 0} for pk in ids}
    if not ids:
        return out
    rows = AuditReturn.objects.filter(cycle_id__in=ids).values("cycle_id", "status").annotate(n=Count("pk")).order_by()
    for row in rows:
        counts = out[row["cycle_id"]]
        counts["total"] += row["n"]
        if row["status"] in SUBMITTED_RETURN:
            counts["submitted"] += row["n"]
        elif due[row["cycle_id"]] < today:
            counts["overdue"] += row["n"]
        elif row["status"] == AuditReturn.Status.NOT_STARTED:
            counts["not_started"] += row["n"]
        else:
            counts["in_progress"] += row["n"]
    return out


def _compliance(cycle_ids: list[int]) -> dict[int, float | None]:
    """Overall compliance of submitted returns per cycle, a partly counting half. One query."""
    if not cycle_ids:
        return {}
    rows = (
        Answer.objects.filter(
            audit_return__cycle_id__in=cycle_ids,
            audit_return__status__in=SUBMITTED_RETURN,
            question__answer_type=AnswerType.COMPLIANCE,
        )
        .values("audit_return__cycle_id")
        .annotate(
            yes=Count("pk", filter=Q(compliance=Compliance.YES)),
            partly=Count("pk", filter=Q(compliance=Compliance.PARTLY)),
            no=Count("pk", filter=Q(compliance=Compliance.NO)),
        )
        .order_by()
    )
    found = {r["audit_return__cycle_id"]: r for r in rows}
    out = {}
    for pk in cycle_ids:
        r = found.get(pk, {"yes": 0, "partly": 0, "no": 0})
        out[pk] = _share(r["yes"] + 0.5 * r["partly"], r["yes"] + r["partly"] + r["no"])
    return out


def _cycle_summary(cycle: dict | None, counts: dict[int, dict]) -> dict | None:
    if cycle is None:
        return None
    return {
        "title": cycle["title"],
        "opens_on": _iso(cycle["opens_on"]),
        "due_on": _iso(cycle["due_on"]),
        "is_open": cycle["status"] == AuditCycle.Status.OPEN,
        "returns": counts.get(cycle["pk"]),
    }


def _ofsted(month: date, last: date) -> dict:
    concern = (
        Q(overall_effectiveness__in=[OfstedJudgement.REQUIRES_IMPROVEMENT, OfstedJudgement.INADEQUATE])
        | Q(safeguarding_effective=False)
        | Q(report_card_safeguarding=ReportCardOutcome.NOT_MET)
    )
    inspections = [
        {
            "setting": row["setting__name"],
            "inspected_on": _iso(row["inspected_on"]),
            "judgement": OfstedJudgement(row["overall_effectiveness"]).label if row["overall_effectiveness"] else "",
            "safeguarding": (
                "Not effective"
                if row["safeguarding_effective"] is False
                else "Standard not met"
                if row["report_card_safeguarding"] == ReportCardOutcome.NOT_MET
                else ""
            ),
            "support_offer": SupportOffer.Status(row["support_offer__status"]).label
            if row["support_offer__status"]
            else "None",
        }
        for row in OfstedInspection.objects.filter(concern, inspected_on__range=(month, last))
        .values(
            "setting__name",
            "inspected_on",
            "overall_effectiveness",
            "safeguarding_effective",
            "report_card_safeguarding",
            "support_offer__status",
        )
        .order_by("inspected_on", "setting__name", "pk")
    ]
    offers = SupportOffer.objects.aggregate(
        offered=Count("pk", filter=Q(offered_on__range=(month, last))),
        open=Count("pk", filter=Q(status__in=[SupportOffer.Status.OPEN, SupportOffer.Status.OFFERED])),
    )
    return {"inspections": inspections, "offers_made": offers["offered"], "offers_open": offers["open"]}


def _ap_plans(today: date) -> dict:
    overdue_action = Action.objects.filter(plan=OuterRef("pk"), status__in=OPEN_SCHOOL_ACTION, due_on__lt=today)
    plans = (
        ActionPlan.objects.filter(source=ActionPlan.Source.AP_AUDIT)
        .exclude(status__in=FINISHED_PLAN)
        .annotate(late=Exists(overdue_action))
        .aggregate(open=Count("pk"), overdue=Count("pk", filter=Q(late=True)))
    )
    return {"open": plans["open"], "overdue": plans["overdue"]}


# The whole pack ---------------------------------------------------------------------------------


def _needs_strengthening(trends: Iterable[dict]) -> list[dict]:
    weak = [t for t in trends if t["status"] == Status.NEEDS_STRENGTHENING]
    return sorted(weak, key=lambda t: ((t["latest"] or {}).get("percent") or 0, t["group_label"], t["label"]))


def _brief(trend: dict) -> dict:
    latest, previous = trend["latest"] or {}, trend["previous"] or {}
    return {
        "label": trend["label"],
        "group": trend["group"],
        "group_label": trend["group_label"],
        "percent": latest.get("percent"),
        "previous_percent": previous.get("percent"),
        "status_label": trend["status_label"],
    }


def pack_figures(*, month: date, today: date | None = None) -> dict:
    """Every figure of the pack for `month`, as at `today` (for what is overdue now)."""
    month = month_start(month)
    last = month_end(month)
    today = today or timezone.localdate()
    start_at, end_before = _day_bounds(month, last)

    # Case-file audits.
    counts = _audit_counts(month, today)
    rows = _month_audit_rows(month)
    chad = _chad_categories(month)
    service_trends = {
        service: [_trend(t) for t in dashboard.practice_area_trends(month=month, months=12, service=service)]
        for _key, service in SERVICE_SECTIONS
    }
    year_ago = add_months(month, -12)
    then_now = CaseFileAudit.objects.aggregate(
        now_graded=Count("pk", filter=Q(notified_on__range=(month, last)) & ~Q(final_grade="")),
        now_good=Count("pk", filter=Q(notified_on__range=(month, last), final_grade__in=list(GOOD_OR_BETTER))),
        then_graded=Count("pk", filter=Q(notified_on__range=(year_ago, month_end(year_ago))) & ~Q(final_grade="")),
        then_good=Count(
            "pk", filter=Q(notified_on__range=(year_ago, month_end(year_ago)), final_grade__in=list(GOOD_OR_BETTER))
        ),
    )
    overdue_audits = {
        row["service"]: row["n"]
        for row in CaseFileAudit.objects.filter(status=AuditStatus.NOTIFIED, due_on__lt=today)
        .values("service")
        .annotate(n=Count("pk"))
        .order_by()
    }
    overdue_reviews = [
        {
            "case_number": r["audit__case_number"],
            "service": r["audit__service"],
            "service_label": Service(r["audit__service"]).label,
            "due_on": _iso(r["due_on"]),
        }
        for r in TripleLockReview.objects.filter(status=TripleLockReview.Status.OPEN, due_on__lt=today)
        .values("audit__case_number", "audit__service", "due_on")
        .order_by("due_on", "audit__case_number")
    ]
    escalated = [
        {
            "case_number": r["audit__case_number"],
            "service_label": Service(r["audit__service"]).label,
            "completed_on": _iso(r["completed_on"]),
        }
        for r in TripleLockReview.objects.filter(
            status=TripleLockReview.Status.COMPLETED, escalated=True, completed_on__range=(month, last)
        )
        .values("audit__case_number", "audit__service", "completed_on")
        .order_by("completed_on", "audit__case_number")
    ]

    # Schools, AP and themes.
    cycles = _cycles(last)
    schools_cycles = cycles.get(QuestionnaireKind.SCHOOLS_175_157, [])[:2]
    ap_cycles = cycles.get(QuestionnaireKind.AP_PROVIDER, [])[:1]
    latest_schools = schools_cycles[0] if schools_cycles else None
    latest_ap = ap_cycles[0] if ap_cycles else None
    return_counts = _return_counts([c for c in (latest_schools, latest_ap) if c], today)
    compliance = _compliance([c["pk"] for c in schools_cycles])
    schools_themes = [
        _trend(t) for t in dashboard.theme_trends(kind=QuestionnaireKind.SCHOOLS_175_157, cycles=3, until=last)
    ]
    ap_themes = [_trend(t) for t in dashboard.theme_trends(kind=QuestionnaireKind.AP_PROVIDER, cycles=3, until=last)]
    repeats = [
        {"setting": issue.setting.name, "reasons": list(issue.reasons), "latest_met_on": _iso(issue.latest_met_on)}
        for issue in repeat_issue_settings(today=min(last, today))
    ]
    needs = training_needs(today=today, now=_day_bounds(today, today)[0])
    need_rows = [
        {
            "theme": row.theme.name,
            "slug": row.theme.slug,
            "settings": row.need,
            "high_need": row.high_need,
            "sessions": row.sessions,
            "next_session": _iso(timezone.localdate(row.next_session)) if row.next_session else None,
        }
        for row in needs.rows
        if row.need
    ]

    # Actions.
    oversight = dashboard.action_oversight(today=today)
    school_done = Action.objects.filter(
        Q(completed_at__gte=start_at, completed_at__lt=end_before)
        | Q(verified_at__gte=start_at, verified_at__lt=end_before)
    ).aggregate(
        completed=Count("pk", filter=Q(completed_at__gte=start_at, completed_at__lt=end_before)),
        on_time=Count(
            "pk", filter=Q(completed_at__gte=start_at, completed_at__lt=end_before, completed_at__date__lte=F("due_on"))
        ),
        verified=Count("pk", filter=Q(verified_at__gte=start_at, verified_at__lt=end_before)),
    )
    casefile_done = CaseFileAuditAction.objects.filter(completed_on__range=(month, last)).aggregate(
        completed=Count("pk"), on_time=Count("pk", filter=Q(completed_on__lte=F("due_on")))
    )
    completed = school_done["completed"] + casefile_done["completed"]
    on_time = school_done["on_time"] + casefile_done["on_time"]

    # Complaints.
    sent = Q(response_sent_on__range=(month, last))
    month_complaints = Complaint.objects.aggregate(
        received=Count("pk", filter=Q(received_on__range=(month, last))),
        ofsted_received=Count("pk", filter=Q(received_on__range=(month, last), source=Source.OFSTED)),
        closed=Count("pk", filter=Q(closed_on__range=(month, last))),
        responded=Count("pk", filter=sent),
        in_time=Count("pk", filter=sent & Q(response_working_days__lte=F("respond_target_days"))),
        overdue=Count("pk", filter=Q(status__in=list(CLOCK_RUNNING), respond_due_on__lt=today)),
    )
    complaints = {
        "received": month_complaints["received"],
        "ofsted_received": month_complaints["ofsted_received"],
        "closed": month_complaints["closed"],
        "responded": month_complaints["responded"],
        "responded_in_time": month_complaints["in_time"],
        "responded_in_time_percent": _share(month_complaints["in_time"], month_complaints["responded"]),
        "quarter": _quarter(month, today) if month.month in QUARTER_END_MONTHS else None,
    }

    all_area_trends = [t for trends in service_trends.values() for t in trends]
    weak_areas = _needs_strengthening(all_area_trends)
    weak_themes = _needs_strengthening([*schools_themes, *ap_themes])
    weak_slugs = {t["key"] for t in weak_themes}
    untrained = [row for row in need_rows if row["sessions"] == 0 and (row["high_need"] or row["slug"] in weak_slugs)]

    figures = {
        "version": FIGURES_VERSION,
        "month": month.isoformat(),
        "month_label": f"{month:%B %Y}",
        "as_at": today.isoformat(),
        "generated_at": timezone.now().isoformat(),
        "rules": [rule.text for rule in RULES],
        "counting_rules": list(COUNTING_RULES),
        "performance": {
            "practice_areas_needing_strengthening": [_brief(t) for t in weak_areas],
            "themes_needing_strengthening": [_brief(t) for t in weak_themes],
            "audits_overdue": [
                {"service": s, "service_label": Service(s).label, "count": overdue_audits.get(s, 0)}
                for s in Service.values
            ],
            "audits_overdue_total": sum(overdue_audits.values()),
            "reviews_overdue": overdue_reviews,
            "actions_overdue": [
                {"key": r.key, "label": r.label, "overdue": r.overdue} for r in oversight.by_source if r.overdue
            ],
            "complaints_past_response_date": month_complaints["overdue"],
            "returns_overdue": (
                return_counts[latest_schools["pk"]]["overdue"]
                if latest_schools and latest_schools["status"] == AuditCycle.Status.OPEN
                else 0
            ),
            "returns_cycle": latest_schools["title"]
            if latest_schools and latest_schools["status"] == AuditCycle.Status.OPEN
            else "",
        },
        "schools": {
            "cycle": _cycle_summary(latest_schools, return_counts),
            "themes": schools_themes,
            "ofsted": _ofsted(month, last),
            "repeat_allegations": repeats,
            "ap": {
                "cycle": _cycle_summary(latest_ap, return_counts),
                "themes": ap_themes,
                "plans": _ap_plans(today),
            },
        },
        "complaints": complaints,
        "reflective": {"audits": _reflective(rows, month)},
        "learning": {
            "practice_areas": [_brief(t) for t in weak_areas[:WEAKEST_LIMIT]],
            "themes": [_brief(t) for t in weak_themes[:WEAKEST_LIMIT]],
            "training_needs": [row for row in need_rows if row["high_need"]],
        },
        "actions": {
            "by_source": [_oversight_row(r) for r in oversight.by_source],
            "totals": _oversight_row(oversight.totals) if oversight.totals else None,
            "completed_in_month": completed,
            "completed_on_time": on_time,
            "completed_on_time_percent": _share(on_time, completed),
            "verified_in_month": school_done["verified"],
            "casefile_good_or_better_percent": _share(then_now["now_good"], then_now["now_graded"]),
            "casefile_good_or_better_percent_year_ago": _share(then_now["then_good"], then_now["then_graded"]),
            "year_ago_label": f"{year_ago:%B %Y}",
            "compliance_cycle": schools_cycles[0]["title"] if schools_cycles else "",
            "compliance_percent": compliance.get(schools_cycles[0]["pk"]) if schools_cycles else None,
            "previous_compliance_cycle": schools_cycles[1]["title"] if len(schools_cycles) > 1 else "",
            "previous_compliance_percent": compliance.get(schools_cycles[1]["pk"]) if len(schools_cycles) > 1 else None,
        },
        "feedback": {
            "by_service": [
                {
                    "service": s,
                    "service_label": Service(s).label,
                    "graded": counts[s]["graded"],
                    "sought": counts[s]["feedback_sought"],
                    "percent": counts[s]["feedback_sought_percent"],
                }
                for s in Service.values
            ],
            "quotes": _quotes(rows),
        },
        "ppp_partnership": {
            "practice_reviews": [
                {
                    "name": r["name"],
                    "reference": r["reference"],
                    "published_on": _iso(r["published_on"]),
                    "settings": r["n"],
                }
                for r in PracticeReview.objects.filter(published_on__range=(month, last))
                .annotate(n=Count("settings"))
                .values("name", "reference", "published_on", "n")
                .order_by("published_on", "reference")
            ],
            "themes_without_training": [{"theme": r["theme"], "settings": r["settings"]} for r in untrained],
            "escalated_reviews": escalated,
        },
    }
    for key, service in SERVICE_SECTIONS:
        figures[key] = _service_section(
            service, counts[service], service_trends[service], rows, chad if service == Service.CHAD else None
        )
    return figures


def _quarter(month: date, today: date) -> dict:
    """The quarter's headline complaints figures, for all complaints and Ofsted's (complaints.reports)."""
    quarter = quarter_containing(month, FINANCIAL)
    full = quarterly_figures(quarter=quarter)
    headline = (
        "received",
        "responses_sent",
        "answered_within_target",
        "answered_within_target_percent",
        "response_days_median",
        "open_at_end",
        "overdue_at_end",
        "repeat_settings_count",
        "learning_identified",
        "plans_opened",
        "plans_completed",
    )
    sections = []
    for section in full["sections"]:
        sections.append(
            {
                "key": section["key"],
                "title": section["title"],
                "current": {k: section["current"][k] for k in headline},
                "previous": {k: section["previous"][k] for k in headline},
                "outcomes": dict(section["current"]["outcomes"]),
            }
        )
    return {
        "label": full["label"],
        "previous_label": full["previous"]["label"],
        "starts_on": full["starts_on"],
        "ends_on": full["ends_on"],
        "sections": sections,
    }


# Presentation: the same tables for the page, the PDF and the XLSX, from the figures alone ----------

# Column kinds: text, count, percent, date.
TEXT, COUNT, PERCENT, DATE = "text", "count", "percent", "date"

QUARTER_MEASURES = (
    ("received", "Complaints received", COUNT),
    ("responses_sent", "Formal responses sent", COUNT),
    ("answered_within_target", "Responses within target", COUNT),
    ("answered_within_target_percent", "Responses within target (%)", PERCENT),
    ("response_days_median", "Median working days to respond", TEXT),
    ("open_at_end", "Open at quarter end", COUNT),
    ("overdue_at_end", "Overdue at quarter end", COUNT),
    ("repeat_settings_count", "Settings with repeat complaints", COUNT),
    ("learning_identified", "Responses where learning was identified", COUNT),
    ("plans_opened", "Learning action plans opened", COUNT),
    ("plans_completed", "Learning action plans completed", COUNT),
)


def show(value, kind: str = TEXT) -> str:
    """A cell as text: percentages with a % sign, dates in words, missing values as 'No data'."""
    if value is None or value == "":
        return "No data" if kind == PERCENT else ""
    if kind == PERCENT:
        return f"{value:g}%" if isinstance(value, int | float) else str(value)
    if kind == DATE:
        day = date.fromisoformat(value)
        return f"{day.day} {day:%B %Y}"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _table(ident: str, caption: str, columns: list[tuple[str, str]], rows: list[list], empty: str) -> dict:
    return {
        "id": ident,
        "caption": caption,
        "columns": [{"label": label, "kind": kind, "numeric": kind in {COUNT, PERCENT}} for label, kind in columns],
        "rows": rows,
        "cells": [
            [
                {"text": show(v, k), "numeric": k in {COUNT, PERCENT}}
                for v, (_label, k) in zip(row, columns, strict=True)
            ]
            for row in rows
        ],
        "empty": empty,
    }


def _summary(items: list[tuple[str, object, str]]) -> list[dict]:
    return [{"label": label, "value": value, "text": show(value, kind), "kind": kind} for label, value, kind in items]


def _chart(ident: str, title: str, rows: list[tuple[str, float]], previous=None, series=None):
    from complaints.charts import bar_chart_svg

    if not rows:
        return None
    kwargs = {"chart_id": ident, "title": title, "rows": rows}
    if previous is not None:
        kwargs.update(previous=previous, series=series)
    return bar_chart_svg(**kwargs)


def _trend_table(ident: str, caption: str, trends: list[dict], first: str) -> dict:
    rows = [
        [
            t["label"],
            (t["latest"] or {}).get("percent"),
            (t["previous"] or {}).get("percent"),
            t["change"],
            t["status_label"],
        ]
        for t in trends
    ]
    return _table(
        ident,
        caption,
        [
            (first, TEXT),
            ("Latest (% good or better)", PERCENT),
            ("Previous", PERCENT),
            ("Change (points)", COUNT),
            ("Status", TEXT),
        ],
        rows,
        "Nothing graded yet.",
    )


def _service_view(key: str, figures: dict, label: str) -> dict:
    s = figures[key]
    summary = _summary(
        [
            ("Audits notified", s["notified"], COUNT),
            ("Audited", s["audited"], COUNT),
            ("Moderated", s["moderated"], COUNT),
            ("Still outstanding", s["outstanding"], COUNT),
            ("Overdue", s["overdue"], COUNT),
            ("Good or better", s["good_or_better_percent"], PERCENT),
            ("Good or better, previous month", s["previous_good_or_better_percent"], PERCENT),
            ("Grades changed at moderation", s["grades_changed"], COUNT),
            ("Family feedback sought (of graded audits)", s["feedback_sought_percent"], PERCENT),
        ]
    )
    grades = [[str(g_label), s["grades"][g]] for g, g_label in Grade.choices]
    tables = [
        _table(
            f"{key}-grades",
            f"{label}: final grades, {figures['month_label']}",
            [("Grade", TEXT), ("Audits", COUNT)],
            grades,
            "No audits graded.",
        ),
        _trend_table(
            f"{key}-areas",
            f"{label}: practice areas, latest month against the previous",
            s["practice_areas"],
            "Practice area",
        ),
    ]
    if "by_category" in s:
        tables.append(
            _table(
                f"{key}-categories",
                f"{label}: audits by kind of contact against the weekly sample of 2 each",
                [
                    ("Kind of contact", TEXT),
                    ("Audited", COUNT),
                    ("Expected sample", COUNT),
                    ("Good or better", PERCENT),
                ],
                [[c["label"], c["audited"], c["expected"], c["good_or_better_percent"]] for c in s["by_category"]],
                "",
            )
        )
    tables.append(
        _table(
            f"{key}-changes",
            f"{label}: grades changed at moderation",
            [("Case number", TEXT), ("Team", TEXT), ("Auditor's grade", TEXT), ("Moderator's grade", TEXT)],
            [[c["case_number"], c["team"], c["auditor_grade"], c["moderator_grade"]] for c in s["grade_changes"]],
            "No grades were changed at moderation.",
        )
    )
    tables.append(
        _table(
            f"{key}-inadequate",
            f"{label}: audits graded inadequate and their triple-lock review",
            [("Case number", TEXT), ("Team", TEXT), ("Review due", DATE), ("Review", TEXT), ("Completed", DATE)],
            [
                [r["case_number"], r["team"], r["review_due_on"], r["review_status"], r["review_completed_on"]]
                for r in s["inadequate"]
            ],
            "No audits were graded inadequate.",
        )
    )
    charts = [
        {
            "table": f"{key}-grades",
            "svg": _chart(f"chart-{key}-grades", f"{label}: final grades, {figures['month_label']}", grades),
        }
    ]
    return {"summary": summary, "tables": tables, "charts": [c for c in charts if c["svg"] and s["graded"]]}


def _performance_view(f: dict) -> dict:
    p = f["performance"]
    summary = _summary(
        [
            ("Case-file audits overdue", p["audits_overdue_total"], COUNT),
            ("Triple-lock reviews overdue", len(p["reviews_overdue"]), COUNT),
            ("Complaints past their response date", p["complaints_past_response_date"], COUNT),
            (
                f"175/157 returns overdue{': ' + p['returns_cycle'] if p['returns_cycle'] else ''}",
                p["returns_overdue"],
                COUNT,
            ),
        ]
    )
    brief_cols = [("Measure", TEXT), ("Group", TEXT), ("Latest", PERCENT), ("Previous", PERCENT)]
    tables = [
        _table(
            "performance-areas",
            "Practice areas needing strengthening",
            brief_cols,
            [
                [b["label"], b["group_label"], b["percent"], b["previous_percent"]]
                for b in p["practice_areas_needing_strengthening"]
            ],
            "No practice area needs strengthening.",
        ),
        _table(
            "performance-themes",
            "175/157 and AP themes needing strengthening",
            brief_cols,
            [
                [b["label"], b["group_label"], b["percent"], b["previous_percent"]]
                for b in p["themes_needing_strengthening"]
            ],
            "No theme needs strengthening.",
        ),
        _table(
            "performance-audits",
            "Case-file audits overdue by service",
            [("Service", TEXT), ("Overdue", COUNT)],
            [[r["service_label"], r["count"]] for r in p["audits_overdue"] if r["count"]],
            "No case-file audit is overdue.",
        ),
        _table(
            "performance-reviews",
            "Triple-lock reviews overdue",
            [("Case number", TEXT), ("Service", TEXT), ("Due", DATE)],
            [[r["case_number"], r["service_label"], r["due_on"]] for r in p["reviews_overdue"]],
            "No triple-lock review is overdue.",
        ),
        _table(
            "performance-actions",
            "Actions overdue by source",
            [("Source", TEXT), ("Overdue", COUNT)],
            [[r["label"], r["overdue"]] for r in p["actions_overdue"]],
            "No action is overdue.",
        ),
    ]
    return {"summary": summary, "tables": tables, "charts": []}


def _cycle_table(ident: str, caption: str, cycle: dict | None) -> dict:
    returns = (cycle or {}).get("returns") or {}
    rows = (
        [
            [label, returns.get(k, 0)]
            for k, label in (
                ("submitted", "Submitted"),
                ("in_progress", "In progress"),
                ("not_started", "Not started"),
                ("overdue", "Overdue"),
                ("total", "All returns"),
            )
        ]
        if cycle
        else []
    )
    return _table(ident, caption, [("Returns", TEXT), ("Settings", COUNT)], rows, "No cycle has been opened yet.")


def _schools_view(f: dict) -> dict:
    s = f["schools"]
    cycle, ap = s["cycle"], s["ap"]
    summary = _summary(
        [
            ("Latest 175/157 cycle", cycle["title"] if cycle else "None", TEXT),
            ("Inspections with a safeguarding concern", len(s["ofsted"]["inspections"]), COUNT),
            ("Support offers made in the month", s["ofsted"]["offers_made"], COUNT),
            ("Support offers still open", s["ofsted"]["offers_open"], COUNT),
            ("Settings with repeat allegations", len(s["repeat_allegations"]), COUNT),
            ("AP action plans open", ap["plans"]["open"], COUNT),
            ("AP action plans with overdue actions", ap["plans"]["overdue"], COUNT),
        ]
    )
    tables = [
        _cycle_table("schools-returns", f"175/157 returns by status{': ' + cycle['title'] if cycle else ''}", cycle),
        _trend_table(
            "schools-themes", "175/157 compliance by theme, latest cycle against the previous", s["themes"], "Theme"
        ),
        _table(
            "schools-ofsted",
            "Ofsted inspections in the month with a safeguarding concern",
            [
                ("Setting", TEXT),
                ("Inspected", DATE),
                ("Judgement", TEXT),
                ("Safeguarding", TEXT),
                ("Support offer", TEXT),
            ],
            [
                [i["setting"], i["inspected_on"], i["judgement"], i["safeguarding"], i["support_offer"]]
                for i in s["ofsted"]["inspections"]
            ],
            "No inspection in the month raised a safeguarding concern.",
        ),
        _table(
            "schools-repeats",
            "Settings with repeat allegations",
            [("Setting", TEXT), ("Why", TEXT)],
            [[r["setting"], "; ".join(r["reasons"])] for r in s["repeat_allegations"]],
            "No setting has a repeat issue.",
        ),
        _cycle_table(
            "schools-ap-returns",
            f"AP returns by status{': ' + ap['cycle']['title'] if ap['cycle'] else ''}",
            ap["cycle"],
        ),
        _trend_table(
            "schools-ap-themes", "AP compliance by theme, latest cycle against the previous", ap["themes"], "Theme"
        ),
    ]
    themed = [t for t in s["themes"] if (t["latest"] or {}).get("percent") is not None]
    charts = [
        {
            "table": "schools-themes",
            "svg": _chart(
                "chart-schools-themes",
                "175/157 compliance by theme, latest cycle (per cent)",
                [(t["label"], t["latest"]["percent"]) for t in themed],
            ),
        }
    ]
    return {"summary": summary, "tables": tables, "charts": [c for c in charts if c["svg"]]}


def _complaints_view(f: dict) -> dict:
    c = f["complaints"]
    summary = _summary(
        [
            ("Complaints received", c["received"], COUNT),
            ("From Ofsted", c["ofsted_received"], COUNT),
            ("Closed", c["closed"], COUNT),
            ("Formal responses sent", c["responded"], COUNT),
            ("Responses sent within target", c["responded_in_time_percent"], PERCENT),
        ]
    )
    tables = []
    quarter = c.get("quarter")
    if quarter:
        for section in quarter["sections"]:
            tables.append(
                _table(
                    f"complaints-quarter-{section['key']}",
                    f"{section['title']}: {quarter['label']} with {quarter['previous_label']}",
                    [("Measure", TEXT), (quarter["label"], TEXT), (quarter["previous_label"], TEXT)],
                    [
                        [label, show(section["current"][k], kind), show(section["previous"][k], kind)]
                        for k, label, kind in QUARTER_MEASURES
                    ],
                    "",
                )
            )
    return {"summary": summary, "tables": tables, "charts": [], "quarter": quarter}


def _reflective_view(f: dict) -> dict:
    audits = f["reflective"]["audits"]
    tables = [
        _table(
            "reflective-audits",
            "Audits for reflective discussion (case numbers only)",
            [
                ("Case number", TEXT),
                ("Service", TEXT),
                ("Team", TEXT),
                ("Auditor's grade", TEXT),
                ("Moderated grade", TEXT),
                ("Findings", TEXT),
                ("Family feedback", TEXT),
            ],
            [
                [
                    a["case_number"],
                    a["service_label"],
                    a["team"],
                    a["auditor_grade"],
                    a["final_grade"],
                    a["findings"],
                    a["family_feedback"],
                ]
                for a in audits
            ],
            "No audits were moderated this month.",
        )
    ]
    return {"summary": [], "tables": tables, "charts": []}


def _learning_view(f: dict) -> dict:
    lrn = f["learning"]
    brief_cols = [("Measure", TEXT), ("Group", TEXT), ("Latest", PERCENT), ("Previous", PERCENT)]
    tables = [
        _table(
            "learning-areas",
            "Weakest practice areas (needing strengthening, lowest first)",
            brief_cols,
            [[b["label"], b["group_label"], b["percent"], b["previous_percent"]] for b in lrn["practice_areas"]],
            "No practice area needs strengthening.",
        ),
        _table(
            "learning-themes",
            "Weakest themes (needing strengthening, lowest first)",
            brief_cols,
            [[b["label"], b["group_label"], b["percent"], b["previous_percent"]] for b in lrn["themes"]],
            "No theme needs strengthening.",
        ),
        _table(
            "learning-training",
            "Themes with high training need",
            [("Theme", TEXT), ("Settings in need", COUNT), ("Sessions scheduled", COUNT), ("Next session", DATE)],
            [[r["theme"], r["settings"], r["sessions"], r["next_session"]] for r in lrn["training_needs"]],
            "No theme has a high training need.",
        ),
    ]
    return {"summary": [], "tables": tables, "charts": []}


def _actions_view(f: dict) -> dict:
    a = f["actions"]
    summary = _summary(
        [
            ("Actions completed in the month", a["completed_in_month"], COUNT),
            ("Completed by their due date", a["completed_on_time_percent"], PERCENT),
            ("Actions verified in the month", a["verified_in_month"], COUNT),
            ("Case-file audits good or better this month", a["casefile_good_or_better_percent"], PERCENT),
            (
                f"Case-file audits good or better in {a['year_ago_label']}",
                a["casefile_good_or_better_percent_year_ago"],
                PERCENT,
            ),
            (
                f"175/157 overall compliance{': ' + a['compliance_cycle'] if a['compliance_cycle'] else ''}",
                a["compliance_percent"],
                PERCENT,
            ),
            (
                f"175/157 overall compliance, previous cycle"
                f"{': ' + a['previous_compliance_cycle'] if a['previous_compliance_cycle'] else ''}",
                a["previous_compliance_percent"],
                PERCENT,
            ),
        ]
    )
    rows = [[r["label"], r["open"], r["overdue"], r["completed"]] for r in a["by_source"]]
    if a.get("totals"):
        t = a["totals"]
        rows.append(["All sources", t["open"], t["overdue"], t["completed"]])
    tables = [
        _table(
            "actions-sources",
            "Actions by source",
            [("Source", TEXT), ("Open", COUNT), ("Overdue", COUNT), ("Completed", COUNT)],
            rows,
            "No actions.",
        ),
    ]
    charts = [
        {
            "table": "actions-sources",
            "svg": _chart(
                "chart-actions-sources",
                "Overdue actions by source",
                [(r["label"], r["overdue"]) for r in a["by_source"]],
            ),
        }
    ]
    return {"summary": summary, "tables": tables, "charts": [c for c in charts if c["svg"]]}


def _feedback_view(f: dict) -> dict:
    fb = f["feedback"]
    tables = [
        _table(
            "feedback-services",
            "Family feedback sought, by service",
            [("Service", TEXT), ("Audits graded", COUNT), ("Feedback sought", COUNT), ("Share", PERCENT)],
            [[r["service_label"], r["graded"], r["sought"], r["percent"]] for r in fb["by_service"]],
            "",
        ),
    ]
    return {"summary": [], "tables": tables, "charts": [], "quotes": fb["quotes"]}


def _ppp_view(f: dict) -> dict:
    p = f["ppp_partnership"]
    tables = [
        _table(
            "ppp-reviews",
            "Child safeguarding practice reviews published in the month",
            [("Review", TEXT), ("Reference", TEXT), ("Published", DATE), ("Settings named", COUNT)],
            [[r["name"], r["reference"], r["published_on"], r["settings"]] for r in p["practice_reviews"]],
            "No practice review was published in the month.",
        ),
        _table(
            "ppp-training",
            "Themes needing strengthening with no training scheduled",
            [("Theme", TEXT), ("Settings in need", COUNT)],
            [[r["theme"], r["settings"]] for r in p["themes_without_training"]],
            "Every theme in need has training scheduled.",
        ),
        _table(
            "ppp-escalated",
            "Triple-lock reviews escalated to the Corporate Director",
            [("Case number", TEXT), ("Service", TEXT), ("Completed", DATE)],
            [[r["case_number"], r["service_label"], r["completed_on"]] for r in p["escalated_reviews"]],
            "No review was escalated in the month.",
        ),
    ]
    return {"summary": [], "tables": tables, "charts": []}


VIEWS = {
    "performance": _performance_view,
    "social_work": lambda f: _service_view("social_work", f, "Children's social work"),
    "early_help": lambda f: _service_view("early_help", f, "Early Help"),
    "chad": lambda f: _service_view("chad", f, "ChAD"),
    "send": lambda f: _service_view("send", f, "SEND"),
    "schools": _schools_view,
    "complaints": _complaints_view,
    "reflective": _reflective_view,
    "learning": _learning_view,
    "actions": _actions_view,
    "feedback": _feedback_view,
    "ppp_partnership": _ppp_view,
}


def pack_sections(figures: dict, narrative: dict | None = None) -> list[dict]:
    """Each section in agenda order with its narrative, summary, tables and charts. No database."""
    narrative = narrative or {}
    sections = []
    for key, title in PACK_SECTIONS:
        view = VIEWS[key](figures)
        sections.append({"key": key, "title": title, "narrative": narrative.get(key, ""), **view})
    return sections
