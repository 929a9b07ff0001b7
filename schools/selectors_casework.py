"""Reads for casework: visits, Ofsted support offers, allegations meetings and practice
reviews, scoped to who may see them. Advisers and QA managers see all casework; people at a
setting see only their setting's visits (and never an unannounced visit before it is held).

Dashboards call `visits_this_month`, `support_offers_pending`, `support_offers_overdue` and
`repeat_issue_settings`."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Case, F, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from portal.permissions import is_setting_user, user_has_role
from portal.roles import Role
from portal.working_days import latest_start_exceeding
from schools.models import (
    Action,
    ActionPlan,
    AllegationsMeeting,
    AuditReturn,
    PracticeReview,
    Setting,
    SupportOffer,
    Visit,
)
from schools.models.casework import SUPPORT_OFFER_WORKING_DAYS
from schools.selectors import settings_visible_to

# Who does casework: the advisers, and the QA managers who oversee them (DESIGN.md, "Who uses it").
CASEWORK_STAFF = (Role.ADVISER, Role.QA_MANAGER)
OPEN_ACTION_STATUSES = (Action.Status.NOT_STARTED, Action.Status.IN_PROGRESS, Action.Status.COMPLETED)


def is_casework_staff(user) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or user_has_role(user, *CASEWORK_STAFF)


def casework_staff_users() -> QuerySet:
    """Active people who may lead a visit."""
    names = [role.group_name for role in CASEWORK_STAFF]
    return get_user_model().objects.filter(is_active=True, groups__name__in=names).distinct().order_by("first_name")


def setting_adviser(setting: Setting):
    """The adviser who looks after a setting, as far as the portal knows: whoever led its
    latest action plan, else whoever reviewed its latest audit return. The register has no
    named adviser per setting yet; None when nobody has worked with the setting."""
    adviser_group = Role.ADVISER.group_name
    plan = (
        ActionPlan.objects.filter(setting=setting, lead__is_active=True, lead__groups__name=adviser_group)
        .select_related("lead")
        .order_by("-created_at", "-pk")
        .first()
    )
    if plan is not None:
        return plan.lead
    audit_return = (
        AuditReturn.objects.filter(setting=setting, reviewer__is_active=True, reviewer__groups__name=adviser_group)
        .select_related("reviewer")
        .order_by(F("submitted_at").desc(nulls_last=True), "-pk")
        .first()
    )
    return audit_return.reviewer if audit_return is not None else None


# Visits ----------------------------------------------------------------------------------

VISIT_FILTERS = {
    "this_month": "This month",
    "upcoming": "Upcoming",
    "to_record": "Not yet recorded",
    "held": "Held",
    "cancelled": "Cancelled",
}


def visits_visible_to(user) -> QuerySet[Visit]:
    """Casework staff see every visit. People at a setting see its announced visits, and an
    unannounced one only once it has been held."""
    if is_casework_staff(user):
        return Visit.objects.all()
    if not is_setting_user(user):
        return Visit.objects.none()
    own = settings_visible_to(user).values("pk")
    return Visit.objects.filter(Q(announced=True) | Q(status=Visit.Status.HELD), setting__in=own)


def _month_bounds(today: date) -> tuple[date, date]:
    first = today.replace(day=1)
    next_first = (first + timedelta(days=32)).replace(day=1)
    return first, next_first - timedelta(days=1)


def visits_filter(visits: QuerySet[Visit], which: str | None, today: date) -> QuerySet[Visit]:
    """One of VISIT_FILTERS, or every visit for anything else. Visits come with `visit_date`
    (held on, else planned for), soonest first when looking ahead, latest first otherwise."""
    visits = visits.annotate(visit_date=Coalesce("held_on", "planned_on"))
    planned, held = Visit.Status.PLANNED, Visit.Status.HELD
    if which == "this_month":
        first, last = _month_bounds(today)
        return visits.filter(
            Q(status=planned, planned_on__range=(first, last)) | Q(status=held, held_on__range=(first, last))
        ).order_by("visit_date", "pk")
    if which == "upcoming":
        return visits.filter(status=planned, planned_on__gte=today).order_by("planned_on", "pk")
    if which == "to_record":
        return visits.filter(status=planned, planned_on__lt=today).order_by("planned_on", "pk")
    if which == "held":
        visits = visits.filter(status=held)
    elif which == "cancelled":
        visits = visits.filter(status=Visit.Status.CANCELLED)
    return visits.order_by("-visit_date", "-pk")


def visits_this_month(user, today: date | None = None) -> QuerySet[Visit]:
    """Visits planned for or held in this calendar month (not cancelled ones), for the dashboards."""
    return visits_filter(visits_visible_to(user), "this_month", today or timezone.localdate())


def actions_to_review(setting: Setting) -> QuerySet[Action]:
    """The actions a visit to this setting can review: the open ones of its running plans."""
    return (
        Action.objects.filter(plan__setting=setting, status__in=OPEN_ACTION_STATUSES)
        .exclude(plan__status__in=[ActionPlan.Status.COMPLETE, ActionPlan.Status.CLOSED])
        .select_related("plan")
        .order_by("plan__created_at", "plan_id", "sort_order", "pk")
    )


def plans_open_for_actions(setting: Setting) -> QuerySet[ActionPlan]:
    """Plans of the setting that can still take a new action."""
    return ActionPlan.objects.filter(setting=setting).exclude(
        status__in=[ActionPlan.Status.COMPLETE, ActionPlan.Status.CLOSED]
    )


# Ofsted support offers -----------------------------------------------------------------------


def support_offers_visible_to(user) -> QuerySet[SupportOffer]:
    return SupportOffer.objects.all() if is_casework_staff(user) else SupportOffer.objects.none()


def support_offers_for_list(user) -> QuerySet[SupportOffer]:
    """Pending offers first (not yet offered, then waiting for a reply), oldest first within each."""
    rank = Case(
        When(status=SupportOffer.Status.OPEN, then=Value(0)),
        When(status=SupportOffer.Status.OFFERED, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        support_offers_visible_to(user)
        .select_related("setting", "inspection", "adviser")
        .annotate(rank=rank)
        .order_by("rank", "created_at", "pk")
    )


def _assigned_to(offers: QuerySet[SupportOffer], adviser) -> QuerySet[SupportOffer]:
    # Nobody assigned yet is everybody's to pick up.
    return offers.filter(Q(adviser=adviser) | Q(adviser__isnull=True)) if adviser is not None else offers


def support_offers_pending(user, *, assigned_to=None) -> QuerySet[SupportOffer]:
    """Offers not yet made or waiting for the setting's reply; `assigned_to` narrows them to
    one adviser's (and the unassigned)."""
    offers = support_offers_visible_to(user).filter(status__in=[SupportOffer.Status.OPEN, SupportOffer.Status.OFFERED])
    return _assigned_to(offers, assigned_to).select_related("setting", "inspection").order_by("created_at", "pk")


def support_offer_overdue_cutoff(today: date) -> date:
    """Offers opened on or before this date and still not made are overdue today."""
    return latest_start_exceeding(today, SUPPORT_OFFER_WORKING_DAYS)


def support_offers_overdue(user, today: date | None = None, *, assigned_to=None) -> QuerySet[SupportOffer]:
    """Offers not made within 10 working days of opening: the database form of
    SupportOffer.is_overdue (the tests keep the two in step)."""
    today = today or timezone.localdate()
    offers = support_offers_visible_to(user).filter(
        status=SupportOffer.Status.OPEN, created_at__date__lte=support_offer_overdue_cutoff(today)
    )
    return _assigned_to(offers, assigned_to).select_related("setting", "inspection").order_by("created_at", "pk")


# Managing allegations meetings --------------------------------------------------------------


def allegations_meetings_visible_to(user) -> QuerySet[AllegationsMeeting]:
    return AllegationsMeeting.objects.all() if is_casework_staff(user) else AllegationsMeeting.objects.none()


def twelve_months_before(today: date) -> date:
    try:
        return today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year - 1, day=28)


@dataclass
class RepeatIssue:
    setting: Setting
    reasons: list[str] = field(default_factory=list)
    meetings: list[AllegationsMeeting] = field(default_factory=list)  # those in the last 12 months

    @property
    def latest_met_on(self) -> date:
        return max(m.met_on for m in self.meetings)


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _case(meeting: AllegationsMeeting) -> str:
    return meeting.lado_reference.strip().upper()


def repeat_issue_settings(today: date | None = None) -> list[RepeatIssue]:
    """Settings with a repeat issue, most recent meeting first, each with its reasons:

    - two or more allegations in the last 12 months: distinct LADO references, because one
      allegation often has several meetings (the initial one, reviews, the outcome);
    - the same category again: a meeting in the last 12 months whose category an earlier
      allegation (another LADO reference) at the setting already had, however long ago, since
      a pattern over years is what 12-month counting misses.

    One query whatever the number of settings or meetings."""
    today = today or timezone.localdate()
    start = twelve_months_before(today)
    recent = AllegationsMeeting.objects.filter(met_on__range=(start, today)).values("setting_id")
    meetings = (
        AllegationsMeeting.objects.filter(setting_id__in=recent, met_on__lte=today)
        .select_related("setting", "category")
        .order_by("setting_id", "met_on", "pk")
    )
    by_setting: dict[int, list[AllegationsMeeting]] = {}
    for meeting in meetings:
        by_setting.setdefault(meeting.setting_id, []).append(meeting)

    issues = []
    for history in by_setting.values():
        issue = RepeatIssue(setting=history[0].setting, meetings=[m for m in history if m.met_on >= start])
        cases = {_case(m) for m in issue.meetings}
        if len(cases) >= 2:
            issue.reasons.append(f"{len(cases)} allegations in the last 12 months")
        repeated = []
        for meeting in issue.meetings:
            earlier = [
                m
                for m in history
                if m.category_id == meeting.category_id
                and _case(m) != _case(meeting)
                and (m.met_on, m.pk) < (meeting.met_on, meeting.pk)
            ]
            if earlier and meeting.category_id not in {m.category_id for m in repeated}:
                repeated.append(meeting)
                issue.reasons.append(f"{meeting.category.name} again (also {long_date(earlier[0].met_on)})")
        if issue.reasons:
            issues.append(issue)
    issues.sort(key=lambda i: (i.latest_met_on, i.setting.name), reverse=True)
    return issues


# CSPR learning ----------------------------------------------------------------------------------


def practice_reviews_visible_to(user) -> QuerySet[PracticeReview]:
    return PracticeReview.objects.all() if is_casework_staff(user) else PracticeReview.objects.none()


@dataclass
class NamedSetting:
    """A setting a practice review names, with its plans for that review and their actions."""

    setting: Setting
    plans: list[ActionPlan]


def practice_review_settings(review: PracticeReview) -> list[NamedSetting]:
    """Three queries: the settings, their CSPR plans for this review, and the plans' actions."""
    settings = list(review.settings.order_by("name", "pk"))
    plans = (
        review.action_plans()
        .filter(setting__in=[s.pk for s in settings])
        .select_related("lead")
        .prefetch_related(Prefetch("actions", queryset=Action.objects.order_by("sort_order", "pk")))
        .order_by("created_at", "pk")
    )
    by_setting: dict[int, list[ActionPlan]] = {}
    for plan in plans:
        by_setting.setdefault(plan.setting_id, []).append(plan)
    return [NamedSetting(setting=s, plans=by_setting.get(s.pk, [])) for s in settings]
