"""Complaints' part of the training-needs page (schools.training_needs): the settings with a
complaint on each theme in the last 12 months. Withdrawn complaints are left out."""

from datetime import date

from wagtail import hooks

from schools.training_needs import HOOK_NAME

from .models import Complaint, Status


@hooks.register(HOOK_NAME)
def complaint_training_needs(since: date) -> dict[int, set[int]]:
    """theme id -> ids of settings with a complaint on that theme received on or after `since`. One query."""
    found: dict[int, set[int]] = {}
    rows = (
        Complaint.themes.through.objects.filter(complaint__received_on__gte=since)
        .exclude(complaint__status=Status.WITHDRAWN)
        .values_list("theme_id", "complaint__setting_id")
    )
    for theme_id, setting_id in rows:
        found.setdefault(theme_id, set()).add(setting_id)
    return found


complaint_training_needs.label = "Complaints"
complaint_training_needs.rule = "it had a complaint on the theme in the last 12 months (withdrawn complaints left out)"
