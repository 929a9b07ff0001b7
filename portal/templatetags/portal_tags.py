from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def minutes(value: timedelta | None) -> str:
    """A timedelta as people say it: '30 minutes', '1 minute'."""
    if not value:
        return ""
    total = max(1, round(value.total_seconds() / 60))
    return "1 minute" if total == 1 else f"{total} minutes"
