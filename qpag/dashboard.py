"""The audit dashboard's figures (framework 13.2): for each practice area of the case-file
audits and each theme of the 175/157 and AP audits, the latest period, the trend and a status
by the rules in qpag.status_rules; the oversight of every action from every source; and the
audits graded inadequate or requires improvement. Everything is counted in SQL with a fixed
number of queries however much data there is. The QPAG pack (qpag.pack) reads these too.

The dataclasses below are the interface the pack relies on (keep their names and fields).

What counts, decided here and shown on the page:

- Case-file audits count in the month they were notified in, once audited (audited, moderated or
  closed); the measure is the share of graded items graded good or outstanding (the moderator's
  grade where there is one: `final_grade`).
- 175/157 and AP audit themes count compliance answers in returns the setting has submitted
  (submitted, in review, feedback sent, closed). Returns not started, in progress or returned for
  changes are left out: their answers are not the setting's final word. Yes counts 1, partly a
  half, no 0; not applicable and blank answers are not scored (schools.scoring.Score.percent).
- Actions: a settings' action is open while not started, in progress or completed by the setting
  and waiting for the adviser to verify it; completed once verified; cancelled actions are left
  out. A case-file audit action is open or completed; cancelled ones are left out. An open action
  is overdue when its due date is before today.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import TruncMonth

from portal.models import Theme
from qpag import charts, status_rules
from qpag.constants import GOOD_OR_BETTER, SERVICE_PRACTICE_AREAS, Grade, PracticeArea, Service
from qpag.dates import month_end, months_back
from qpag.models import CaseFileAudit, CaseFileAuditAction, PracticeAreaGrade
from schools.models import Action, ActionPlan, Answer, AuditCycle, AuditReturn, Question, QuestionnaireKind, Section
from schools.models.questionnaires import AnswerType, Compliance


@dataclass(frozen=True)
class Point:
    """One period of one measure."""

    label: str  # "Oct 2026" or the cycle's title
    starts_on: date
    measured: int  # graded items (area grades, or scored answers)
    good: float  # good-or-better items (compliant answers, a partly counting half)
    percent: float | None  # 100 * good / measured, one decimal place; None when measured is 0


@dataclass(frozen=True)
class Trend:
    key: str  # PracticeArea value or Theme slug
    label: str
    group: str  # the Service value (case-file audits) or the QuestionnaireKind value (175/157, AP)
    group_label: str
    points: list[Point]  # oldest first; the last is the latest period
    status: str  # a qpag.status_rules.Status value
    status_label: str
    change: float | None  # percentage points on the previous period

    @property
    def latest(self) -> Point | None:
        return self.points[-1] if self.points else None

    @property
    def previous(self) -> Point | None:
        return self.points[-2] if len(self.points) > 1 else None


@dataclass(frozen=True)
class OversightRow:
    key: str
    label: str
    open: int  # open and not overdue
    overdue: int  # open and past due
    completed: int  # completed (or verified) ever, within the filters

    @property
    def total_open(self) -> int:
        return self.open + self.overdue


@dataclass(frozen=True)
class ActionOversight:
    by_source: list[OversightRow]  # audits (175/157), AP audits, case-file audits, complaints, Ofsted, CSPR, ...
    by_service: list[OversightRow]  # case-file services, plus "Education settings" for settings' plans
    by_owner: list[OversightRow]  # busiest owners first (adviser leading a plan, or a case-file action's owner)
    totals: OversightRow = field(default=None)  # type: ignore[assignment]


# --- What counts ------------------------------------------------------------------------------

# Case-file audits whose grades are in: reported in the month they were notified in.
REPORTED_AUDIT_STATUSES = (
    CaseFileAudit.Status.AUDITED,
    CaseFileAudit.Status.MODERATED,
    CaseFileAudit.Status.CLOSED,
)
CONCERN_GRADES = (Grade.INADEQUATE, Grade.REQUIRES_IMPROVEMENT)
CONCERN_JUDGEMENTS = (AuditReturn.Judgement.INADEQUATE, AuditReturn.Judgement.REQUIRES_IMPROVEMENT)
# Returns the setting has submitted and not had sent back for changes.
SUBMITTED_RETURN_STATUSES = (
    AuditReturn.Status.SUBMITTED,
    AuditReturn.Status.IN_REVIEW,
    AuditReturn.Status.FEEDBACK_SENT,
    AuditReturn.Status.CLOSED,
)
SCORED_COMPLIANCE = (Compliance.YES, Compliance.PARTLY, Compliance.NO)
OPEN_SETTING_ACTION = (Action.Status.NOT_STARTED, Action.Status.IN_PROGRESS, Action.Status.COMPLETED)
DONE_SETTING_ACTION = (Action.Status.VERIFIED,)

# The "service" of education settings' actions and audits, beside the case-file services. As a
# filter value it means every settings' action (schools and AP); in the by-service table AP
# audit plans have their own row.
SETTINGS_SERVICE = "settings"
SETTINGS_SERVICE_LABEL = "Education settings"
AP_SERVICE = "alternative_provision"
AP_SERVICE_LABEL = "Alternative provision"
CASE_FILE_SOURCE = "case_file"
CASE_FILE_SOURCE_LABEL = "Case-file audits"
OVERALL_KEY = "overall"
OVERALL_LABEL = "Overall grade"
OTHER_THEME_KEY = "other"
OTHER_THEME_LABEL = "Other"
EVERYONE_ELSE_KEY = "everyone_else"
TOP_OWNERS = 15

SERVICE_CHOICES = [*Service.choices, (SETTINGS_SERVICE, "Education settings (schools, colleges and AP)")]


def is_case_file_service(service: str) -> bool:
    return service in Service.values


def _percent(good: float, measured: int) -> float | None:
    return round(100 * good / measured, 1) if measured else None


def _trend(*, key: str, label: str, group: str, group_label: str, points: list[Point]) -> Trend:
    latest = points[-1] if points else None
    previous = points[-2] if len(points) > 1 else None
    latest_percent = latest.percent if latest else None
    previous_percent = previous.percent if previous else None
    status = status_rules.status_for(latest_percent, previous_percent)
    change = (
        round(latest_percent - previous_percent, 1)
        if latest_percent is not None and previous_percent is not None
        else None
    )
    return Trend(
        key=key,
        label=label,
        group=group,
        group_label=group_label,
        points=points,
        status=status,
        status_label=status_rules.LABELS[status],
        change=change,
    )


def _month_key(value) -> date:
    """TruncMonth gives a date on PostgreSQL and may give a datetime elsewhere: a date either way."""
    return value.date() if hasattr(value, "date") and callable(value.date) else value


# --- Case-file audits by practice area --------------------------------------------------------


def practice_area_trends(*, month: date, months: int = 12, service: str = "", locality: str = "") -> list[Trend]:
    """For each service (or only `service`) an "Overall grade" trend, then one per practice area
    that applies to it: a point per month for the `months` months ending with `month`. Two
    queries, however many audits."""
    periods = months_back(month, months)
    services = [service] if service else list(SERVICE_PRACTICE_AREAS)
    services = [s for s in services if s in SERVICE_PRACTICE_AREAS]
    if not services:
        return []
    window = Q(notified_on__gte=periods[0], notified_on__lte=month_end(periods[-1]))
    audits = CaseFileAudit.objects.filter(window, status__in=REPORTED_AUDIT_STATUSES, service__in=services)
    if locality:
        audits = audits.filter(locality=locality)

    area_rows = (
        PracticeAreaGrade.objects.filter(audit__in=audits.values("pk"))
        .annotate(month=TruncMonth("audit__notified_on"))
        .values("audit__service", "area", "month")
        .annotate(
            measured=Count("pk", filter=~Q(final_grade="")),
            good=Count("pk", filter=Q(final_grade__in=GOOD_OR_BETTER)),
        )
        .order_by()
    )
    counts: dict[tuple[str, str, date], tuple[int, int]] = {}
    for row in area_rows:
        counts[(row["audit__service"], row["area"], _month_key(row["month"]))] = (row["measured"], row["good"])

    overall_rows = (
        audits.annotate(month=TruncMonth("notified_on"))
        .values("service", "month")
        .annotate(
            measured=Count("pk", filter=~Q(final_grade="")),
            good=Count("pk", filter=Q(final_grade__in=GOOD_OR_BETTER)),
        )
        .order_by()
    )
    for row in overall_rows:
        counts[(row["service"], OVERALL_KEY, _month_key(row["month"]))] = (row["measured"], row["good"])

    area_labels = dict(PracticeArea.choices)
    service_labels = dict(Service.choices)
    trends = []
    for svc in services:
        for key in (OVERALL_KEY, *SERVICE_PRACTICE_AREAS[svc]):
            points = []
            for start in periods:
                measured, good = counts.get((svc, key, start), (0, 0))
                points.append(
                    Point(
                        label=f"{start:%b %Y}",
                        starts_on=start,
                        measured=measured,
                        good=good,
                        percent=_percent(good, measured),
                    )
                )
            trends.append(
                _trend(
                    key=key,
                    label=OVERALL_LABEL if key == OVERALL_KEY else area_labels[key],
                    group=svc,
                    group_label=service_labels[svc],
                    points=points,
                )
            )
    return trends


# --- 175/157 and AP audits by theme -----------------------------------------------------------


def theme_trends(
    *, kind: str, cycles: int = 3, until: date | None = None, locality: str = "", setting_kind: str = ""
) -> list[Trend]:
    """One trend per theme of the questionnaires the last `cycles` cycles of `kind` ran (those
    opening on or before `until`), a point per cycle, oldest first. Sections without a theme
    are grouped under "Other"; a theme appears once any scored answer in these cycles falls in
    it. Two queries: the cycles, and one aggregate over the answers grouped by cycle, theme and
    compliance, so nothing loops over answers in Python."""
    cycle_qs = AuditCycle.objects.filter(kind=kind)
    if until is not None:
        cycle_qs = cycle_qs.filter(opens_on__lte=until)
    chosen = list(cycle_qs.order_by("-opens_on", "-pk").values("pk", "title", "opens_on")[:cycles])
    chosen.reverse()
    return _theme_trends(kind=kind, chosen=chosen, locality=locality, setting_kind=setting_kind)


def _theme_tallies(answers: QuerySet) -> list[tuple]:
    """(cycle id, theme id, theme name, slug, sort order, compliance, count) for `answers`, in one
    query that counts in two steps: first per cycle, question and compliance over the answers
    and their returns alone (tens of thousands of rows grouped on small keys), then those few
    hundred rows joined to their question, section and theme and summed. Joining every answer
    to its question, section and theme before grouping (on the theme's name too) took most of
    the dashboard's and the pack's time at county scale. Scored questions only."""
    per_question = answers.values("audit_return__cycle_id", "question_id", "compliance").annotate(n=Count("pk"))
    inner, params = per_question.order_by().query.sql_with_params()
    question, section, theme = Question._meta.db_table, Section._meta.db_table, Theme._meta.db_table
    # Only the ORM's own SQL (its parameters kept apart) and table names go into the text.
    sql = (
        'SELECT t."audit_return__cycle_id", s."theme_id", th."name", th."slug", th."sort_order", '  # noqa: S608
        f't."compliance", SUM(t."n") FROM ({inner}) t '
        f'INNER JOIN "{question}" q ON q."id" = t."question_id" '
        f'INNER JOIN "{section}" s ON s."id" = q."section_id" '
        f'LEFT OUTER JOIN "{theme}" th ON th."id" = s."theme_id" '
        'WHERE q."answer_type" = %s GROUP BY 1, 2, 3, 4, 5, 6'
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, AnswerType.COMPLIANCE])
        return [(*row[:6], int(row[6])) for row in cursor.fetchall()]


def _theme_trends(*, kind: str, chosen: list[dict], locality: str, setting_kind: str) -> list[Trend]:
    """theme_trends for the cycles chosen (dicts of pk, title and opens_on, oldest first)."""
    if not chosen:
        return []
    themes: dict[int | None, dict | None] = {}
    answers = Answer.objects.filter(
        audit_return__cycle_id__in=[c["pk"] for c in chosen],
        audit_return__status__in=SUBMITTED_RETURN_STATUSES,
        compliance__in=SCORED_COMPLIANCE,
    )
    if locality:
        answers = answers.filter(audit_return__setting__locality=locality)
    if setting_kind:
        answers = answers.filter(audit_return__setting__kind=setting_kind)
    tallies: dict[tuple[int, int | None], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for cycle_id, theme_id, name, slug, sort_order, compliance, n in _theme_tallies(answers):
        tallies[(cycle_id, theme_id)][compliance] += n
        themes[theme_id] = None if theme_id is None else {"name": name, "slug": slug, "sort_order": sort_order or 0}

    def order(theme_id):
        info = themes.get(theme_id)
        return (1, 0, "") if info is None else (0, info["sort_order"], info["name"].casefold())

    kind_label = dict(QuestionnaireKind.choices).get(kind, kind)
    trends = []
    for theme_id in sorted(themes, key=order):
        info = themes[theme_id]
        key, label = (OTHER_THEME_KEY, OTHER_THEME_LABEL) if info is None else (info["slug"], info["name"])
        points = []
        for cycle in chosen:
            tally = tallies.get((cycle["pk"], theme_id), {})
            yes, partly, no = (tally.get(c, 0) for c in SCORED_COMPLIANCE)
            measured = yes + partly + no
            good = yes + 0.5 * partly
            points.append(
                Point(
                    label=cycle["title"],
                    starts_on=cycle["opens_on"],
                    measured=measured,
                    good=good,
                    percent=_percent(good, measured),
                )
            )
        trends.append(_trend(key=key, label=label, group=kind, group_label=kind_label, points=points))
    return trends


# --- Action oversight -------------------------------------------------------------------------


def _case_file_actions(*, service: str, locality: str) -> QuerySet | None:
    if service and not is_case_file_service(service):
        return None
    actions = CaseFileAuditAction.objects.exclude(status=CaseFileAuditAction.Status.CANCELLED)
    if service:
        actions = actions.filter(audit__service=service)
    if locality:
        actions = actions.filter(audit__locality=locality)
    return actions


def _counts(open_filter: Q, done_filter: Q, today: date) -> dict:
    return {
        "n_open": Count("pk", filter=open_filter & Q(due_on__gte=today)),
        "n_overdue": Count("pk", filter=open_filter & Q(due_on__lt=today)),
        "n_completed": Count("pk", filter=done_filter),
    }


class _Tally:
    def __init__(self, key: str, label: str):
        self.key, self.label = key, label
        self.open = self.overdue = self.completed = 0

    def add(self, row: dict) -> None:
        self.open += row["n_open"]
        self.overdue += row["n_overdue"]
        self.completed += row["n_completed"]

    def row(self) -> OversightRow:
        return OversightRow(
            key=self.key, label=self.label, open=self.open, overdue=self.overdue, completed=self.completed
        )


def action_oversight(
    *, today: date, service: str = "", locality: str = "", setting_kind: str = "", top_owners: int | None = TOP_OWNERS
) -> ActionOversight:
    """Every action from every source, open (not yet due), overdue and completed, by source, by
    service and by owner. Two aggregate queries: settings' actions grouped by plan source and
    plan lead, and case-file audit actions grouped by service and owner.

    Settings' actions (schools Action, every ActionPlan source): open while not started, in
    progress or completed by the setting and waiting for verification; completed once the
    adviser has verified it; cancelled actions are left out. Case-file audit actions: open or
    completed; cancelled left out. Overdue: open and due before `today`. Locality and kind of
    setting narrow the settings' actions by their setting; locality narrows case-file actions by
    the audit's locality (kind of setting does not apply to them). A case-file service narrows
    to that service's case-file actions; SETTINGS_SERVICE to the settings' actions. Owners are
    ranked by open actions (overdue included), then overdue; beyond `top_owners` (None: no
    limit) they are summed in one "Everyone else" row."""
    by_source = {value: _Tally(value, label) for value, label in ActionPlan.Source.choices}
    by_source[CASE_FILE_SOURCE] = _Tally(CASE_FILE_SOURCE, CASE_FILE_SOURCE_LABEL)
    by_service = {value: _Tally(value, label) for value, label in Service.choices}
    by_service[SETTINGS_SERVICE] = _Tally(SETTINGS_SERVICE, SETTINGS_SERVICE_LABEL)
    by_service[AP_SERVICE] = _Tally(AP_SERVICE, AP_SERVICE_LABEL)
    owners: dict[str, _Tally] = {}

    setting_actions = (
        None if service and service != SETTINGS_SERVICE else Action.objects.exclude(status=Action.Status.CANCELLED)
    )
    if setting_actions is not None:
        if locality:
            setting_actions = setting_actions.filter(plan__setting__locality=locality)
        if setting_kind:
            setting_actions = setting_actions.filter(plan__setting__kind=setting_kind)
        rows = (
            setting_actions.values(
                "plan__source", "plan__lead_id", "plan__lead__first_name", "plan__lead__last_name", "plan__lead__email"
            )
            .annotate(**_counts(Q(status__in=OPEN_SETTING_ACTION), Q(status__in=DONE_SETTING_ACTION), today))
            .order_by()
        )
        for row in rows:
            source = row["plan__source"]
            by_source.setdefault(source, _Tally(source, source)).add(row)
            by_service[AP_SERVICE if source == ActionPlan.Source.AP_AUDIT else SETTINGS_SERVICE].add(row)
            name = " ".join(part for part in (row["plan__lead__first_name"], row["plan__lead__last_name"]) if part) or (
                row["plan__lead__email"] or "No lead"
            )
            key = f"user-{row['plan__lead_id']}"
            owners.setdefault(key, _Tally(key, name)).add(row)

    case_file_actions = _case_file_actions(service=service, locality=locality)
    if case_file_actions is not None:
        open_q = Q(status=CaseFileAuditAction.Status.OPEN)
        done_q = Q(status=CaseFileAuditAction.Status.COMPLETED)
        rows = case_file_actions.values("audit__service", "owner").annotate(**_counts(open_q, done_q, today)).order_by()
        for row in rows:
            by_source[CASE_FILE_SOURCE].add(row)
            by_service[row["audit__service"]].add(row)
            label = (row["owner"] or "").strip() or "No owner recorded"
            key = f"owner-{label.casefold()}"
            owners.setdefault(key, _Tally(key, label)).add(row)

    if service:
        keep = {service} if service != SETTINGS_SERVICE else {SETTINGS_SERVICE, AP_SERVICE}
        by_service = {key: tally for key, tally in by_service.items() if key in keep}
        if service == SETTINGS_SERVICE:
            by_source.pop(CASE_FILE_SOURCE)
        else:
            by_source = {CASE_FILE_SOURCE: by_source[CASE_FILE_SOURCE]}

    ranked = sorted(owners.values(), key=lambda t: (-(t.open + t.overdue), -t.overdue, t.label.casefold(), t.key))
    top = len(ranked) if top_owners is None else top_owners
    owner_rows = [tally.row() for tally in ranked[:top]]
    if len(ranked) > top:
        rest = _Tally(EVERYONE_ELSE_KEY, f"Everyone else ({len(ranked) - top} more)")
        for tally in ranked[top:]:
            rest.open += tally.open
            rest.overdue += tally.overdue
            rest.completed += tally.completed
        owner_rows.append(rest.row())

    source_rows = [tally.row() for tally in by_source.values()]
    totals = OversightRow(
        key="total",
        label="Total",
        open=sum(r.open for r in source_rows),
        overdue=sum(r.overdue for r in source_rows),
        completed=sum(r.completed for r in source_rows),
    )
    return ActionOversight(
        by_source=source_rows,
        by_service=[tally.row() for tally in by_service.values()],
        by_owner=owner_rows,
        totals=totals,
    )


# --- Audits of concern ------------------------------------------------------------------------


def concern_case_file_audits(*, since: date, until: date, service: str = "", locality: str = "") -> QuerySet:
    """Case-file audits graded inadequate or requires improvement (final grade), notified in
    [since, until], newest first, with their triple-lock review (select_related) and actions
    (prefetched, cancelled left out). Use `with_action_counts` on the evaluated page."""
    if service and not is_case_file_service(service):
        return CaseFileAudit.objects.none()
    audits = CaseFileAudit.objects.filter(
        final_grade__in=CONCERN_GRADES, notified_on__gte=since, notified_on__lte=until
    )
    if service:
        audits = audits.filter(service=service)
    if locality:
        audits = audits.filter(locality=locality)
    return (
        audits.select_related("auditor", "moderator", "triple_lock_review")
        .prefetch_related(
            Prefetch(
                "actions",
                queryset=CaseFileAuditAction.objects.exclude(status=CaseFileAuditAction.Status.CANCELLED).order_by(
                    "due_on", "pk"
                ),
            )
        )
        .order_by("-notified_on", "case_number", "pk")
    )


def with_action_counts(audits, *, today: date) -> list[CaseFileAudit]:
    """Sets open_actions and overdue_actions on each audit from its prefetched actions."""
    audits = list(audits)
    for audit in audits:
        actions = list(audit.actions.all())
        live = [a for a in actions if a.status == CaseFileAuditAction.Status.OPEN]
        audit.overdue_actions = sum(1 for a in live if a.due_on < today)
        audit.open_actions = len(live) - audit.overdue_actions
        audit.completed_actions = sum(1 for a in actions if a.status == CaseFileAuditAction.Status.COMPLETED)
    return audits


def concern_returns(
    *, until: date, today: date, service: str = "", locality: str = "", setting_kind: str = ""
) -> QuerySet:
    """Returns judged requires improvement or inadequate in the latest cycle of each kind that
    opened on or before `until`, with their setting and cycle, and their action plans' actions
    counted: open_actions (open, not yet due), overdue_actions, completed_actions."""
    if service and service != SETTINGS_SERVICE:
        return AuditReturn.objects.none()
    latest = AuditCycle.objects.filter(kind=OuterRef("kind"), opens_on__lte=until).order_by("-opens_on", "-pk")
    cycles = (
        AuditCycle.objects.filter(opens_on__lte=until)
        .annotate(latest_pk=Subquery(latest.values("pk")[:1]))
        .filter(pk=F("latest_pk"))
    )
    returns = AuditReturn.objects.filter(cycle__in=cycles.values("pk"), overall_judgement__in=CONCERN_JUDGEMENTS)
    if locality:
        returns = returns.filter(setting__locality=locality)
    if setting_kind:
        returns = returns.filter(setting__kind=setting_kind)
    open_q = Q(action_plans__actions__status__in=OPEN_SETTING_ACTION)
    return (
        returns.select_related("setting", "cycle", "reviewer")
        .annotate(
            open_actions=Count("action_plans__actions", filter=open_q & Q(action_plans__actions__due_on__gte=today)),
            overdue_actions=Count("action_plans__actions", filter=open_q & Q(action_plans__actions__due_on__lt=today)),
            completed_actions=Count(
                "action_plans__actions", filter=Q(action_plans__actions__status__in=DONE_SETTING_ACTION)
            ),
            plan_count=Count("action_plans", distinct=True),
        )
        .order_by("overall_judgement", "setting__name", "pk")
    )


def audits_of_concern(
    *,
    since: date,
    until: date,
    service: str = "",
    locality: str = "",
    setting_kind: str = "",
    limit: int | None = None,
    today: date | None = None,
) -> dict:
    """{"case_file": [...], "returns": [...]} as described on concern_case_file_audits and
    concern_returns, the first `limit` of each when given. Overdue is counted at `today`
    (default: `until`). Four queries (the two lists and the case-file actions)."""
    today = today or until
    case_file = concern_case_file_audits(since=since, until=until, service=service, locality=locality)
    returns = concern_returns(until=until, today=today, service=service, locality=locality, setting_kind=setting_kind)
    if limit is not None:
        case_file, returns = case_file[:limit], returns[:limit]
    return {"case_file": with_action_counts(case_file, today=today), "returns": list(returns)}


# --- The dashboard page -----------------------------------------------------------------------

TREND_MONTHS = 12
THEME_CYCLES = 3
CONCERN_LIMIT = 10


def _groups(trends: list[Trend], *, prefix: str) -> list[dict]:
    """Trends grouped by service or kind of audit, in order, each with its sparklines."""
    groups: dict[str, dict] = {}
    for trend in trends:
        group = groups.setdefault(
            trend.group,
            {"key": trend.group, "label": trend.group_label, "rows": [], "periods": [p.label for p in trend.points]},
        )
        group["rows"].append(
            {
                "trend": trend,
                "tag_class": status_rules.TAG_CLASSES[trend.status],
                "chart": charts.sparkline_svg(
                    chart_id=f"{prefix}-{trend.group}-{trend.key}",
                    title=f"{trend.group_label}: {trend.label}, per cent good or better by period",
                    points=trend.points,
                ),
            }
        )
    for group in groups.values():
        latest = [row["trend"].latest for row in group["rows"] if row["trend"].latest]
        group["any_data"] = any(point.measured for row in group["rows"] for point in row["trend"].points)
        group["latest_label"] = latest[0].label if latest else ""
    return list(groups.values())


def concern_window(month: date) -> tuple[date, date]:
    """The audits of concern listed with a month's dashboard: the same 12 months as the trends."""
    periods = months_back(month, TREND_MONTHS)
    return periods[0], month_end(month)


def dashboard_context(
    *, month: date, service: str = "", locality: str = "", setting_kind: str = "", today: date
) -> dict:
    """Everything the dashboard page shows for `month` (a month start) and the filters. A fixed
    number of queries: 2 for the case-file trends, 1 for the cycles and 1 per kind of settings'
    audit, 2 for the actions and 3 for the audits of concern: 10 in all."""
    show_case_file = service != SETTINGS_SERVICE
    show_settings = not service or service == SETTINGS_SERVICE
    case_file = (
        practice_area_trends(
            month=month, months=TREND_MONTHS, service=service if show_case_file else "", locality=locality
        )
        if show_case_file
        else []
    )
    since, until = concern_window(month)
    theme_groups = []
    if show_settings:
        # Both kinds' cycles in one query (there are a handful a year), then theme_trends' own work.
        recent: dict[str, list[dict]] = defaultdict(list)
        for cycle in (
            AuditCycle.objects.filter(opens_on__lte=until)
            .order_by("kind", "-opens_on", "-pk")
            .values("pk", "title", "opens_on", "kind")
        ):
            if len(recent[cycle["kind"]]) < THEME_CYCLES:
                recent[cycle["kind"]].insert(0, cycle)
        for kind, label in QuestionnaireKind.choices:
            trends = _theme_trends(kind=kind, chosen=recent[kind], locality=locality, setting_kind=setting_kind)
            groups = _groups(trends, prefix="theme")
            theme_groups.append(groups[0] if groups else {"key": kind, "label": label, "rows": [], "periods": []})
    oversight = action_oversight(today=today, service=service, locality=locality, setting_kind=setting_kind)
    concerns = audits_of_concern(
        since=since,
        until=until,
        service=service,
        locality=locality,
        setting_kind=setting_kind,
        limit=CONCERN_LIMIT,
        today=today,
    )
    return {
        "month": month,
        "today": today,
        "periods": months_back(month, TREND_MONTHS),
        "show_case_file": show_case_file,
        "show_settings": show_settings,
        "case_file_groups": _groups(case_file, prefix="area"),
        "theme_groups": theme_groups,
        "oversight": oversight,
        "oversight_chart": charts.oversight_bar_svg(
            chart_id="actions-by-source",
            title="Actions by source: overdue, open and completed",
            rows=oversight.by_source,
        ),
        "concerns": concerns,
        "concern_since": since,
        "concern_until": until,
        "concern_limit": CONCERN_LIMIT,
        "rules": status_rules.RULES,
        "strong_at_least": status_rules.STRONG_AT_LEAST,
        "weak_below": status_rules.WEAK_BELOW,
    }
