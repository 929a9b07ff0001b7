"""Read-side queries for the hub that other apps use ("items for these themes", upcoming
sessions). Each is a fixed number of queries. Members-only pages (Wagtail page privacy) are
left out for anonymous visitors."""

from collections.abc import Iterable
from datetime import timedelta

from django.db.models import F, QuerySet
from django.utils import timezone
from wagtail.models import Page

from .models import GoodPracticePage, NewsPage, ResourcePage, TrainingCoursePage, TrainingSession

ITEM_MODELS = (TrainingCoursePage, ResourcePage, GoodPracticePage, NewsPage)


def visible_pages(model, user) -> QuerySet:
    """Live pages of `model`; public ones only unless the user is signed in (the hub's only
    privacy is "signed-in members only")."""
    qs = model.objects.live()
    if user is None or not user.is_authenticated:
        qs = qs.public()
    return qs


def upcoming_sessions(*, theme_ids: Iterable[int] | None = None, months: int = 6, now=None) -> QuerySet:
    """Sessions not cancelled, starting from now, within `months`, optionally for themes."""
    now = now or timezone.now()
    qs = (
        TrainingSession.objects.filter(
            is_cancelled=False,
            starts_at__gte=now,
            starts_at__lt=now + timedelta(days=31 * months),
            course__live=True,
        )
        .select_related("course")
        .annotate(places_left_db=F("capacity") - F("places_taken"))
        .order_by("starts_at")
    )
    if theme_ids is not None:
        qs = qs.filter(course__themes__in=list(theme_ids)).distinct()
    return qs


def items_for_themes(theme_ids: Iterable[int], *, user=None, limit: int = 6) -> list[Page]:
    """Hub items (courses, resources, good practice, news) tagged with any of the themes,
    newest first, at most `limit`: one query per item type."""
    theme_ids = list(theme_ids)
    if not theme_ids:
        return []
    found: list[Page] = []
    for model in ITEM_MODELS:
        found += list(
            visible_pages(model, user).filter(themes__in=theme_ids).distinct().order_by("-first_published_at")[:limit]
        )
    found.sort(key=lambda page: page.first_published_at or timezone.now(), reverse=True)
    return found[:limit]
