"""The hub search: Wagtail search over the hub's items (courses, resources, good practice,
news), filtered by type, theme and audience, with counts per type.

Themes and audiences are many-to-many, which Wagtail search cannot filter on, so the ORM picks
the candidate page ids first (live, inside this hub, visible to this visitor, with the theme
and audience) and the search runs within `Page.objects.filter(pk__in=...)`; see
https://docs.wagtail.org/en/stable/topics/search/searching.html. Members-only pages are left
out for anonymous visitors by `selectors.visible_pages` (`.public()`). A search is a fixed
number of queries: the candidates are subqueries, the counts one grouped query, and the page of
results one query plus one per item type (`.specific()`)."""

import re
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from wagtail.models import Page

from .listing import (
    ITEM_TYPES,
    AudienceChoiceField,
    HubFilterForm,
    ThemeChoiceField,
    VisibleItems,
    label_types,
    paginate,
    tag_counts,
)

MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 20
RESULTS_PER_PAGE = 12

# type key (as in ?type=) -> (model, label for the filter)
TYPES = {key: (model, plural) for key, (model, plural, _singular) in ITEM_TYPES.items()}

_WORD = re.compile(r"\w+(?:['’]\w+)*")


def clean_query(raw: str | None) -> str:
    """The words of a query, without the punctuation that full-text engines read as
    operators: at most 200 characters and 20 words, so nonsense or huge input is harmless."""
    words = _WORD.findall((raw or "")[:MAX_QUERY_LENGTH])
    return " ".join(words[:MAX_QUERY_WORDS])


class SearchForm(HubFilterForm):
    q = forms.CharField(
        label="Words to search for",
        required=False,
        strip=True,
        widget=forms.SearchInput(attrs={"maxlength": MAX_QUERY_LENGTH, "spellcheck": "true"}),
    )
    type = forms.ChoiceField(
        label="Type",
        required=False,
        choices=[("", "All types"), *((key, label) for key, (_model, label) in TYPES.items())],
        error_messages={"invalid_choice": "Select a type from the list"},
    )
    theme = ThemeChoiceField()
    audience = AudienceChoiceField()

    def clean_q(self) -> str:
        # Over-long input is cut, not refused: a search box should not answer with an error.
        return (self.cleaned_data.get("q") or "")[:MAX_QUERY_LENGTH]

    def show_type_counts(self, counts: dict[str, int], total: int) -> None:
        """Put the number of results of each type in the type filter's options."""
        self.fields["type"].choices = [
            ("", f"All types ({total})"),
            *((key, f"{label} ({counts.get(key, 0)})") for key, (_model, label) in TYPES.items()),
        ]


@dataclass
class HubSearch:
    query: str
    type_key: str
    results: object  # SearchResults or a page queryset, for a Paginator
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        if self.type_key:
            return self.counts.get(self.type_key, 0)
        return sum(self.counts.values())


def _candidates(model, *, hub, visible, theme=None, audience=None):
    items = visible(model).descendant_of(hub)
    if theme is not None:
        items = items.filter(themes=theme)
    if audience is not None:
        items = items.filter(audiences=audience)
    return items.values("pk")


def _pages_of(type_keys, **candidate_filters):
    return Page.objects.live().filter(
        reduce(or_, (Q(pk__in=_candidates(TYPES[key][0], **candidate_filters)) for key in type_keys))
    )


def hub_search(*, hub, user, query: str = "", type_key: str = "", theme=None, audience=None, visible=None) -> HubSearch:
    """Items in `hub` that `user` may see matching the query (all of its words) and filters.
    With no words, the filtered items newest first (the "browse by theme" links)."""
    query = clean_query(query)
    visible = visible or VisibleItems(user)
    candidate_filters = {"hub": hub, "visible": visible, "theme": theme, "audience": audience}
    every_type = _pages_of(TYPES, **candidate_filters)
    shown = _pages_of([type_key], **candidate_filters) if type_key in TYPES else every_type
    shown = shown.specific()

    if query:
        # All words must match, so "use fewer words" is real advice when nothing is found.
        results = shown.search(query, operator="and")
        grouped = every_type.search(query, operator="and").facet("content_type_id")
    else:
        results = shown.order_by("-first_published_at", "-pk")
        grouped = {
            row["content_type"]: row["n"]
            for row in every_type.order_by().values("content_type").annotate(n=Count("pk"))
        }
    content_types = ContentType.objects.get_for_models(*(model for model, _label in TYPES.values()))
    counts = {key: grouped.get(content_types[model].pk, 0) for key, (model, _label) in TYPES.items()}
    return HubSearch(query=query, type_key=type_key if type_key in TYPES else "", results=results, counts=counts)


def search_context(hub, request) -> dict:
    """The search page's context: the form (with counts per type in the type filter), and
    either the page of results or, before anything is asked, ways in (browse links)."""
    form = SearchForm(request.GET)
    filters = form.filters()
    visible = VisibleItems(request.user)
    search = hub_search(
        hub=hub,
        user=request.user,
        visible=visible,
        query=filters.get("q", ""),
        type_key=filters.get("type", ""),
        theme=filters.get("theme"),
        audience=filters.get("audience"),
    )
    browsing = not search.query and not (filters.keys() & {"type", "theme", "audience"})
    context = {"form": form, "search": search, "browsing": browsing, "query": search.query}
    if not browsing:
        form.show_type_counts(search.counts, sum(search.counts.values()))
        results_page = paginate(request, search.results, RESULTS_PER_PAGE)
        results_page.object_list = label_types(results_page.object_list)
        context["results_page"] = results_page
    if browsing or not search.total:
        # Nothing asked yet, or nothing found: offer the ways in.
        context["browse_themes"], context["browse_audiences"] = tag_counts(hub, request.user, visible=visible)
    return context
