"""Who sees which complaints: decided here, once. Schools and AP users see none, ever; the
views answer them with 404 so the tracker's existence is not confirmed either."""

from datetime import date, timedelta

from django.db.models import Count, QuerySet

from .models import Complaint
from .services import can_view_complaints

REPEAT_THRESHOLD = 2
REPEAT_WINDOW_DAYS = 365


def complaints_visible_to(user) -> QuerySet[Complaint]:
    if not can_view_complaints(user):
        return Complaint.objects.none()
    return Complaint.objects.all()


def repeat_setting_counts(today: date) -> dict[int, int]:
    """Settings with two or more complaints received in the last 12 months: setting id -> count."""
    since = today - timedelta(days=REPEAT_WINDOW_DAYS)
    rows = (
        Complaint.objects.filter(received_on__gt=since, received_on__lte=today)
        .values("setting_id")
        .annotate(n=Count("id"))
        .filter(n__gte=REPEAT_THRESHOLD)
    )
    return {row["setting_id"]: row["n"] for row in rows}
