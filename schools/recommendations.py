"""Recommended for you: learning-hub items and training sessions for a setting's weaker
practice areas (DESIGN.md: `schools` shows hub recommendations for a setting's weak themes).

A theme is weak for a setting when
- its latest reviewed audit return has a red ("no") or amber ("partly") compliance answer in a
  section on that theme (RAG as in schools.scoring; "reviewed" as on the risk list), or
- it has an open action (not started or in progress) on that theme in an agreed or in-progress plan.

Every recommendation carries the reasons it was chosen, in words ("Because your audit was amber
on Safer recruitment"). The weak-theme reads are shared with schools.training_needs.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, prefetch_related_objects
from django.utils.text import capfirst

from learning_hub.models import TrainingSession
from learning_hub.selectors import items_for_themes, upcoming_sessions
from portal.models import Theme
from schools.models import Action, ActionPlan, Answer, AuditReturn, Setting
from schools.models.questionnaires import AnswerType, Compliance
from schools.risk import REVIEWED

OPEN_ACTION = (Action.Status.NOT_STARTED, Action.Status.IN_PROGRESS)
LIVE_PLAN = (ActionPlan.Status.AGREED, ActionPlan.Status.IN_PROGRESS)

ITEM_LIMIT = 6
SESSION_LIMIT = 5
SESSION_MONTHS = 6
# Reasons shown under one item before "and N more".
REASONS_SHOWN = 3


# Reads shared with the training-needs page -------------------------------------------------


def latest_reviewed_returns(*, setting_ids: Iterable[int] | None = None) -> QuerySet[AuditReturn]:
    """Each setting's latest reviewed return (newest cycle first), as one SQL query when used
    as a subquery."""
    newest = (
        AuditReturn.objects.filter(setting_id=OuterRef("setting_id"), status__in=REVIEWED)
        .order_by("-cycle__opens_on", "-pk")
        .values("pk")[:1]
    )
    returns = AuditReturn.objects.filter(status__in=REVIEWED, pk=Subquery(newest))
    if setting_ids is not None:
        returns = returns.filter(setting_id__in=list(setting_ids))
    return returns


def weak_answer_counts(returns: QuerySet[AuditReturn]) -> list[dict]:
    """Red and amber answers in these returns per (setting, theme): rows of `setting_id`,
    `theme_id`, `red`, `amber`. One query."""
    rows = (
        Answer.objects.filter(
            audit_return__in=returns.values("pk"),
            compliance__in=[Compliance.NO, Compliance.PARTLY],
            question__answer_type=AnswerType.COMPLIANCE,
            question__section__theme__isnull=False,
        )
        .values(setting_id=F("audit_return__setting_id"), theme_id=F("question__section__theme_id"))
        .annotate(
            red=Count("pk", filter=Q(compliance=Compliance.NO)),
            amber=Count("pk", filter=Q(compliance=Compliance.PARTLY)),
        )
        .order_by()
    )
    return list(rows)


def open_action_counts(*, setting_ids: Iterable[int] | None = None) -> list[dict]:
    """Open actions in live plans per (setting, theme): rows of `setting_id`, `theme_id`, `n`. One query."""
    actions = Action.objects.filter(status__in=OPEN_ACTION, plan__status__in=LIVE_PLAN, theme__isnull=False)
    if setting_ids is not None:
        actions = actions.filter(plan__setting_id__in=list(setting_ids))
    # order_by() clears Action's default ordering, which would otherwise split the groups.
    return list(actions.values("theme_id", setting_id=F("plan__setting_id")).annotate(n=Count("pk")).order_by())


# Recommendations ---------------------------------------------------------------------------


@dataclass
class ThemeWeakness:
    """Why a theme is weak for one setting."""

    setting: Setting
    theme: Theme
    red: int = 0
    amber: int = 0
    open_actions: int = 0

    @property
    def rag(self) -> str | None:
        if self.red:
            return "red"
        if self.amber:
            return "amber"
        return None

    @property
    def rank(self) -> tuple:
        """Red first, then amber, then open actions only; more findings first."""
        severity = {"red": 0, "amber": 1, None: 2}[self.rag]
        return (severity, -(self.red + self.amber + self.open_actions), self.theme.sort_order, self.theme.name)

    def reason(self, *, name_setting: bool = False) -> str:
        """The reason in words: "your" for one setting, the setting's name when there are several."""
        theme = self.theme.name
        actions = f"{self.open_actions} open action{'s' if self.open_actions != 1 else ''}"
        if name_setting:
            whose, who_has = f"{self.setting.name}'s", f"{self.setting.name} has"
            it_has = "it has"
        else:
            whose, who_has, it_has = "your", "you have", "you have"
        if self.rag and self.open_actions:
            return f"Because {whose} audit was {self.rag} on {theme} and {it_has} {actions} on it"
        if self.rag:
            return f"Because {whose} audit was {self.rag} on {theme}"
        return f"Because {who_has} {actions} on {theme}"


@dataclass
class Recommended:
    """A hub item (a specific page) or a training session, with the reasons it is recommended."""

    target: object
    reasons: list[str] = field(default_factory=list)
    kind: str = ""

    @property
    def shown_reasons(self) -> list[str]:
        return self.reasons[:REASONS_SHOWN]

    @property
    def more_reasons(self) -> int:
        return max(len(self.reasons) - REASONS_SHOWN, 0)


@dataclass
class Recommendations:
    settings: list[Setting]
    reviewed: bool = False
    weaknesses: list[ThemeWeakness] = field(default_factory=list)
    items: list[Recommended] = field(default_factory=list)
    sessions: list[Recommended] = field(default_factory=list)

    @property
    def names_settings(self) -> bool:
        """Reasons name the setting when they cover more than one (merged, not per setting)."""
        return len(self.settings) > 1

    @property
    def has_learning(self) -> bool:
        return bool(self.items or self.sessions)


def weaknesses_for(*, settings: list[Setting], audit_return: AuditReturn | None = None) -> list[ThemeWeakness]:
    """The weak themes of these settings, worst first. With `audit_return`, its answers are read
    instead of each setting's latest reviewed return (the feedback page shows that return).
    Three queries."""
    by_id = {s.pk: s for s in settings}
    returns = (
        AuditReturn.objects.filter(pk=audit_return.pk)
        if audit_return is not None
        else latest_reviewed_returns(setting_ids=by_id)
    )
    found: dict[tuple[int, int], dict] = {}
    for row in weak_answer_counts(returns):
        entry = found.setdefault((row["setting_id"], row["theme_id"]), {})
        entry.update(red=row["red"], amber=row["amber"])
    for row in open_action_counts(setting_ids=by_id):
        found.setdefault((row["setting_id"], row["theme_id"]), {})["open_actions"] = row["n"]
    themes = Theme.objects.in_bulk({theme_id for _setting_id, theme_id in found})
    weaknesses = [
        ThemeWeakness(setting=by_id[setting_id], theme=themes[theme_id], **counts)
        for (setting_id, theme_id), counts in found.items()
        if setting_id in by_id and theme_id in themes
    ]
    weaknesses.sort(key=lambda w: (w.rank, w.setting.name))
    return weaknesses


def _theme_ids(page) -> set[int]:
    return {theme.pk for theme in page.themes.all()}


def recommendations_for(
    *, settings: Iterable[Setting], user, audit_return: AuditReturn | None = None, now=None
) -> Recommendations:
    """Hub items and upcoming sessions for the settings' weak themes, merged across settings,
    each with its reasons. The hub decides what `user` may see (members-only pages). A fixed
    number of queries, whatever the number of settings, answers, actions or hub pages."""
    settings = list(settings)
    result = Recommendations(settings=settings)
    if not settings:
        return result
    if audit_return is not None:
        result.reviewed = audit_return.status in REVIEWED
    else:
        result.reviewed = latest_reviewed_returns(setting_ids=[s.pk for s in settings]).exists()
    result.weaknesses = weaknesses_for(settings=settings, audit_return=audit_return)
    if not result.weaknesses:
        return result

    theme_ids = sorted({w.theme.pk for w in result.weaknesses})
    items = items_for_themes(theme_ids, user=user, limit=ITEM_LIMIT)
    sessions: list[TrainingSession] = list(
        upcoming_sessions(theme_ids=theme_ids, months=SESSION_MONTHS, now=now)[:SESSION_LIMIT]
    )
    # Each page's themes, one query per page type (the selector does not fetch them).
    by_model: dict[type, list] = {}
    for page in [*items, *(s.course for s in sessions)]:
        by_model.setdefault(type(page), []).append(page)
    for pages in by_model.values():
        prefetch_related_objects(pages, "themes")

    name_setting = result.names_settings

    def reasons(page) -> tuple[tuple, list[str]]:
        tagged = _theme_ids(page)
        matching = [w for w in result.weaknesses if w.theme.pk in tagged]
        best = matching[0].rank if matching else (9,)
        return best, list(dict.fromkeys(w.reason(name_setting=name_setting) for w in matching))

    ranked_items = []
    for position, page in enumerate(items):
        best, why = reasons(page)
        ranked_items.append((best, position, Recommended(target=page, reasons=why, kind=_kind(page))))
    ranked_items.sort(key=lambda entry: entry[:2])
    result.items = [entry[2] for entry in ranked_items]
    result.sessions = [
        Recommended(target=session, reasons=reasons(session.course)[1], kind="Training session") for session in sessions
    ]
    return result


def _kind(page) -> str:
    """The page type's own name: Training course, Resource, Good-practice example, News post."""
    return capfirst(page._meta.verbose_name)


def recommendations_for_user(*, user, now=None) -> Recommendations:
    """Merged recommendations across the open settings this person works at."""
    from schools.selectors import settings_visible_to

    settings = list(settings_visible_to(user).filter(is_open=True).order_by("name"))
    return recommendations_for(settings=settings, user=user, now=now)
