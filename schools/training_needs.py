"""Training needs: every active practice area ranked by how many settings are weak in it, beside
the training scheduled for it (DESIGN.md: needs seen across many settings feed the training
schedule; the view reads schools and the hub, so it lives in `schools`).

A setting is in need in a theme when any of these holds (each part is counted and shown):
- its latest reviewed audit return has a red or amber answer in a section on the theme;
- it has an open action on the theme in an agreed or in-progress plan;
- a later app says so through the Wagtail hook `schools_training_need_signals`.

Hook functions take `since: date` (the first day of the 12-month window) and return
`dict[theme_id, set[setting_id]]`, in a fixed number of queries. They may carry a `label`
attribute (the column heading) and a `rule` attribute (the sentence printed on the page):

    @hooks.register("schools_training_need_signals")
    def complaint_themes(since):
        ...
    complaint_themes.label = "Complaints"

The need of a theme is the number of different settings across the parts.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from wagtail import hooks

from learning_hub.selectors import upcoming_sessions
from portal.models import Theme
from schools.models import Setting
from schools.recommendations import latest_reviewed_returns, open_action_counts, weak_answer_counts

HOOK_NAME = "schools_training_need_signals"
WINDOW_DAYS = 365
SCHEDULE_MONTHS = 6
# A theme is high need when at least this many settings are weak in it (printed on the page).
HIGH_NEED_MIN_SETTINGS = 3


@dataclass(frozen=True)
class NeedSignal:
    label: str
    rule: str
    fn: Callable[[date], dict[int, set[int]]]


def training_need_signals() -> list[NeedSignal]:
    signals = []
    for fn in hooks.get_hooks(HOOK_NAME):
        label = getattr(fn, "label", fn.__name__.replace("_", " ").capitalize())
        signals.append(NeedSignal(label=label, rule=getattr(fn, "rule", ""), fn=fn))
    return signals


@dataclass
class TrainingNeedRow:
    theme: Theme
    audit: set[int] = field(default_factory=set)
    actions: set[int] = field(default_factory=set)
    signals: list[set[int]] = field(default_factory=list)
    sessions: int = 0
    next_session: datetime | None = None
    places_left: int = 0
    setting_names: list[str] = field(default_factory=list)

    @property
    def settings(self) -> set[int]:
        return self.audit.union(self.actions, *self.signals)

    @property
    def need(self) -> int:
        return len(self.settings)

    @property
    def signal_counts(self) -> list[int]:
        return [len(ids) for ids in self.signals]

    @property
    def high_need(self) -> bool:
        return self.need >= HIGH_NEED_MIN_SETTINGS

    @property
    def unmet(self) -> bool:
        """High need and nothing scheduled in the next months: the page highlights these."""
        return self.high_need and self.sessions == 0


@dataclass
class TrainingNeeds:
    rows: list[TrainingNeedRow]
    signals: list[NeedSignal]
    since: date
    today: date

    @property
    def unmet(self) -> list[TrainingNeedRow]:
        return [row for row in self.rows if row.unmet]


def training_needs(*, today: date, now: datetime | None = None) -> TrainingNeeds:
    """Every active theme, highest need first, with the sessions scheduled for it in the next
    six months. Open settings only. A fixed number of queries: one per part, one per hook."""
    since = today - timedelta(days=WINDOW_DAYS)
    open_settings = dict(Setting.objects.filter(is_open=True).values_list("pk", "name"))
    themes = list(Theme.objects.filter(is_active=True).order_by("sort_order", "name"))
    rows = {theme.pk: TrainingNeedRow(theme=theme) for theme in themes}
    signals = training_need_signals()

    for row in weak_answer_counts(latest_reviewed_returns()):
        if row["theme_id"] in rows and row["setting_id"] in open_settings:
            rows[row["theme_id"]].audit.add(row["setting_id"])
    for row in open_action_counts():
        if row["theme_id"] in rows and row["setting_id"] in open_settings:
            rows[row["theme_id"]].actions.add(row["setting_id"])
    for signal in signals:
        found = signal.fn(since)
        for theme_id, row in rows.items():
            row.signals.append({pk for pk in found.get(theme_id, ()) if pk in open_settings})

    # One row per (session, theme of its course): counted per theme in Python.
    sessions = upcoming_sessions(months=SCHEDULE_MONTHS, now=now).values_list(
        "course__themes", "starts_at", "capacity", "places_taken"
    )
    for theme_id, starts_at, capacity, places_taken in sessions:
        row = rows.get(theme_id)
        if row is None:
            continue
        row.sessions += 1
        row.places_left += max(capacity - places_taken, 0)
        if row.next_session is None or starts_at < row.next_session:
            row.next_session = starts_at

    for row in rows.values():
        row.setting_names = sorted(open_settings[pk] for pk in row.settings)
    ranked = sorted(rows.values(), key=lambda r: (-r.need, r.theme.sort_order, r.theme.name))
    return TrainingNeeds(rows=ranked, signals=signals, since=since, today=today)
