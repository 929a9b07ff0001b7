"""Month arithmetic for QPAG clocks and periods."""

import calendar
from datetime import date, timedelta


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day where it is shorter (31 Jan + 1 = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def previous_month(day: date) -> date:
    """The first day of the month before the one `day` is in."""
    return add_months(month_start(day), -1)


def months_back(month: date, count: int) -> list[date]:
    """`count` month starts ending with `month`'s, oldest first."""
    start = month_start(month)
    return [add_months(start, -offset) for offset in range(count - 1, -1, -1)]


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())
