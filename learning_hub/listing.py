"""Listing helpers for the hub's public pages: the filter forms (GET, GOV.UK markup), paging,
and the context each index page, the calendar and the hub home page give their templates.

Every listing reads through `selectors.visible_pages`, so only live pages are listed and
members-only pages never reach anonymous visitors. Each context is a fixed number of queries
however many items there are (tests/learning_hub/test_query_counts.py)."""

import datetime
from dataclasses import dataclass

from django import forms
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import CharField, Count, F, Q, QuerySet, Value
from django.utils import timezone
from wagtail.models import Page

from portal.forms import GovukFormMixin
from portal.models import Theme

from .models import (
    Audience,
    GoodPracticeIndexPage,
    GoodPracticePage,
    NewsIndexPage,
    NewsPage,
    ResourceIndexPage,
    ResourcePage,
    TrainingCalendarPage,
    TrainingCoursePage,
    TrainingIndexPage,
)
from .selectors import ITEM_MODELS, upcoming_sessions, visible_pages

CALENDAR_PER_PAGE = 25
CALENDAR_MONTHS = 12

# The hub's item types: key (as in the search's ?type=) -> (model, plural label, singular label).
ITEM_TYPES = {
    "course": (TrainingCoursePage, "Training courses", "Training course"),
    "resource": (ResourcePage, "Resources", "Resource"),
    "good-practice": (GoodPracticePage, "Good practice", "Good practice"),
    "news": (NewsPage, "News", "News"),
}


def label_types(pages) -> list:
    """Mark each (specific) page with its item type, for templates: `hub_type` (the key) and
    `hub_type_label`. Pages of other types get empty strings."""
    pages = list(pages)
    for item in pages:
        item.hub_type, item.hub_type_label = "", ""
        for key, (model, _plural, singular) in ITEM_TYPES.items():
            if isinstance(item, model):
                item.hub_type, item.hub_type_label = key, singular
                break
    return pages


class VisibleItems:
    """`selectors.visible_pages` for one visitor, one queryset per page type. Wagtail's
    `.public()` reads every privacy restriction each time it is called, so a page that lists
    several things asks once per type rather than once per list."""

    def __init__(self, user):
        self.user = user
        self._by_model: dict = {}
        self._private_q: Q | None = None

    @property
    def signed_in(self) -> bool:
        return bool(self.user is not None and self.user.is_authenticated)

    def private_q(self) -> Q:
        """Wagtail's `private_q` (pages in a members-only section), read once for all types."""
        if self._private_q is None:
            self._private_q = Page.objects.all().private_q()
        return self._private_q

    def __call__(self, model) -> QuerySet:
        # Shared safely: every filter clones the queryset, and this one is never evaluated.
        # The same as selectors.visible_pages, with the privacy restrictions read only once.
        if model not in self._by_model:
            items = model.objects.live()
            self._by_model[model] = items if self.signed_in else items.exclude(self.private_q())
        return self._by_model[model]


def paginate(request, items, per_page: int) -> PaginatorPage:
    """The requested page of `items`. A page number that is not a number gives the first
    page and one past the end gives the last (Paginator.get_page), so no link 404s."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))


# Filter forms -------------------------------------------------------------------------------


def _choice_field(label: str, choices, *, any_label: str, invalid: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, required=False, choices=[("", any_label), *choices], error_messages={"invalid_choice": invalid}
    )


class ThemeChoiceField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            queryset=Theme.objects.filter(is_active=True),
            to_field_name="slug",
            required=False,
            empty_label="Any theme",
            label="Theme",
            error_messages={"invalid_choice": "Select a theme from the list"},
            **kwargs,
        )


class AudienceChoiceField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            queryset=Audience.objects.all(),
            to_field_name="slug",
            required=False,
            empty_label="Anyone",
            label="Who it is for",
            error_messages={"invalid_choice": "Select who it is for from the list"},
            **kwargs,
        )


class HubFilterForm(GovukFormMixin, forms.Form):
    """A GET filter form. A value that is not one of the options is reported in the page's
    error summary and that filter alone is ignored; the listing is still shown."""

    def filters(self) -> dict:
        """The valid, non-empty filter values (after validation)."""
        self.is_valid()
        return {name: value for name, value in getattr(self, "cleaned_data", {}).items() if value}

    @property
    def is_filtered(self) -> bool:
        return bool(self.filters())


class CourseFilterForm(HubFilterForm):
    format = _choice_field(
        "Format",
        TrainingCoursePage.Format.choices,
        any_label="Any format",
        invalid="Select a format from the list",
    )
    theme = ThemeChoiceField()


class ResourceFilterForm(HubFilterForm):
    kind = _choice_field("Type", ResourcePage.Kind.choices, any_label="Any type", invalid="Select a type from the list")
    theme = ThemeChoiceField()


class GoodPracticeFilterForm(HubFilterForm):
    phase = _choice_field(
        "Phase", GoodPracticePage.Phase.choices, any_label="Any phase", invalid="Select a phase from the list"
    )
    theme = ThemeChoiceField()


class NewsFilterForm(HubFilterForm):
    you_said_we_did = forms.BooleanField(label="Only 'you said, we did' updates", required=False)


def month_choices(*, today: datetime.date | None = None, months: int = CALENDAR_MONTHS) -> list[tuple[str, str]]:
    """("2026-03", "March 2026") for this month and the following ones."""
    today = today or timezone.localdate()
    year, month = today.year, today.month
    choices = []
    for _ in range(months):
        choices.append((f"{year:04d}-{month:02d}", datetime.date(year, month, 1).strftime("%B %Y")))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return choices


class CalendarFilterForm(HubFilterForm):
    month = forms.ChoiceField(
        label="Month", required=False, error_messages={"invalid_choice": "Select a month from the list"}
    )
    theme = ThemeChoiceField()
    audience = AudienceChoiceField()
    format = _choice_field(
        "Format",
        TrainingCoursePage.Format.choices,
        any_label="Any format",
        invalid="Select a format from the list",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = [("", "Any month"), *month_choices()]


# Index pages --------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndexSpec:
    """How one index page lists its children."""

    item_model: type
    form_class: type[HubFilterForm]
    singular: str
    plural: str
    ordering: tuple[str, ...]


INDEX_SPECS = {
    TrainingIndexPage: IndexSpec(TrainingCoursePage, CourseFilterForm, "course", "courses", ("title", "pk")),
    ResourceIndexPage: IndexSpec(ResourcePage, ResourceFilterForm, "resource", "resources", ("title", "pk")),
    GoodPracticeIndexPage: IndexSpec(
        GoodPracticePage, GoodPracticeFilterForm, "example", "examples", ("-first_published_at", "-pk")
    ),
    NewsIndexPage: IndexSpec(NewsPage, NewsFilterForm, "news post", "news posts", ("-date", "-first_published_at")),
}

# The filter names each form's cleaned values map to, as ORM lookups on the item model.
_LOOKUPS = {
    "theme": "themes",
    "audience": "audiences",
    "format": "format",
    "kind": "kind",
    "phase": "phase",
    "you_said_we_did": "is_you_said_we_did",
}


def filter_items(items: QuerySet, filters: dict) -> QuerySet:
    lookups = {_LOOKUPS[name]: value for name, value in filters.items()}
    items = items.filter(**lookups)
    if "themes" in lookups or "audiences" in lookups:
        items = items.distinct()
    return items


def index_context(index_page, request) -> dict:
    """The children of an index page that this visitor may see, filtered and paged."""
    spec = INDEX_SPECS[type(index_page)]
    form = spec.form_class(request.GET)
    items = visible_pages(spec.item_model, request.user).child_of(index_page)
    items = filter_items(items, form.filters()).order_by(*spec.ordering)
    items_page = paginate(request, items, index_page.items_per_page)
    count = items_page.paginator.count
    return {
        "form": form,
        "items_page": items_page,
        "items": items_page.object_list,
        "count": count,
        "count_label": f"{count} {spec.singular if count == 1 else spec.plural}",
        "plural": spec.plural,
        "is_filtered": form.is_filtered,
    }


# Training calendar ----------------------------------------------------------------------------


def calendar_context(calendar_page, request) -> dict:
    """Upcoming sessions of courses this visitor may see, filtered by month, theme, audience
    and format, grouped by month in the template and paged 25 at a time."""
    form = CalendarFilterForm(request.GET)
    filters = form.filters()
    sessions = upcoming_sessions(months=CALENDAR_MONTHS + 1).filter(
        course__in=visible_pages(TrainingCoursePage, request.user).values("pk")
    )
    if month := filters.get("month"):
        year, number = (int(part) for part in month.split("-"))
        sessions = sessions.filter(starts_at__year=year, starts_at__month=number)
    if theme := filters.get("theme"):
        sessions = sessions.filter(course__themes=theme)
    if audience := filters.get("audience"):
        sessions = sessions.filter(course__audiences=audience)
    if format_ := filters.get("format"):
        sessions = sessions.filter(course__format=format_)
    if theme or audience:
        sessions = sessions.distinct()
    sessions_page = paginate(request, sessions, CALENDAR_PER_PAGE)
    return {
        "form": form,
        "sessions_page": sessions_page,
        "sessions": sessions_page.object_list,
        "count": sessions_page.paginator.count,
        "is_filtered": bool(filters),
        "today": timezone.localdate(),
    }


# Hub home -----------------------------------------------------------------------------------


def tag_counts(hub_home, user, *, visible=None) -> tuple[list[tuple[Theme, int]], list[tuple[Audience, int]]]:
    """Themes and audiences that have items this visitor may see, each with how many: one query
    for every item type's grouped counts, then the themes and the audiences, so the cost does
    not grow with the items or the types."""
    visible = visible or VisibleItems(user)
    theme_counts: dict[int, int] = {}
    audience_counts: dict[int, int] = {}
    # Every type's theme and audience counts in one query (a UNION ALL of the grouped counts).
    parts = []
    for model in ITEM_MODELS:
        items = visible(model).descendant_of(hub_home).order_by()
        for field in ("themes", "audiences"):
            parts.append(
                items.filter(**{f"{field}__isnull": False})
                .values(tag=F(field))
                .annotate(kind=Value(field, output_field=CharField()), n=Count("pk", distinct=True))
                .values_list("kind", "tag", "n")
                .order_by()
            )
    for kind, tag_id, n in parts[0].union(*parts[1:], all=True):
        counts = theme_counts if kind == "themes" else audience_counts
        counts[tag_id] = counts.get(tag_id, 0) + n
    themes = [
        (theme, theme_counts[theme.pk]) for theme in Theme.objects.filter(is_active=True) if theme.pk in theme_counts
    ]
    audiences = [
        (audience, audience_counts[audience.pk])
        for audience in Audience.objects.all()
        if audience.pk in audience_counts
    ]
    return themes, audiences


def featured_pages(hub_home, user, *, visible=None) -> list:
    """The editor's featured pages, in their order, as specific pages: only live ones, and
    members-only ones only for signed-in visitors. One query per page type."""
    # The raw block data holds the chosen ids; reading block.value would fetch base pages first.
    ids = [item["value"] for item in hub_home.featured.raw_data if item.get("type") == "page" and item.get("value")]
    if not ids:
        return []
    pages = Page.objects.live().filter(pk__in=ids)
    if not user.is_authenticated:
        pages = pages.exclude((visible or VisibleItems(user)).private_q())
    by_id = {page.pk: page for page in pages.specific()}
    return label_types([by_id[pk] for pk in dict.fromkeys(ids) if pk in by_id][:6])


def home_context(hub_home, request) -> dict:
    user = request.user
    visible = VisibleItems(user)
    themes, audiences = tag_counts(hub_home, user, visible=visible)
    sessions = list(
        upcoming_sessions()
        .filter(
            course__in=visible(TrainingCoursePage).values("pk"),
            places_left_db__gt=0,
            booking_closes_on__gte=timezone.localdate(),
        )
        .order_by("starts_at")[:5]
    )
    # The hub's sections, as base pages: their classes come from the (cached) content types.
    sections = list(hub_home.get_children().live())
    by_class = {section.specific_class: section for section in reversed(sections)}
    return {
        "sections": sections,
        "calendar": by_class.get(TrainingCalendarPage),
        "good_practice_index": by_class.get(GoodPracticeIndexPage),
        "news_index": by_class.get(NewsIndexPage),
        "featured_items": featured_pages(hub_home, user, visible=visible),
        "upcoming": sessions,
        "good_practice": list(visible(GoodPracticePage).descendant_of(hub_home).order_by("-first_published_at")[:3]),
        "news": list(visible(NewsPage).descendant_of(hub_home).order_by("-date", "-first_published_at")[:3]),
        "browse_themes": themes,
        "browse_audiences": audiences,
    }
