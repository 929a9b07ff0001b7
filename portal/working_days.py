"""Working days: Monday to Friday, less bank holidays.

The framework's clocks run in working days (a support offer within 10 working days of an
Ofsted judgement; a complaint acknowledged in 3 and answered in 20). The bank holidays are
data (`portal.BankHoliday`), seeded with the England and Wales list and extended by QA
managers in the admin; they are read once and cached until the list changes.
"""

from collections.abc import Collection
from datetime import date, timedelta

from django.core.cache import cache

_CACHE_KEY = "portal:bank-holidays:v1"


def bank_holidays() -> frozenset[date]:
    holidays = cache.get(_CACHE_KEY)
    if holidays is None:
        from portal.models import BankHoliday

        holidays = frozenset(BankHoliday.objects.values_list("date", flat=True))
        cache.set(_CACHE_KEY, holidays, 60 * 60)
    return holidays


def forget_bank_holidays() -> None:
    """Called when the list changes (portal.receivers), and by tests."""
    cache.delete(_CACHE_KEY)


def _holidays(holidays: Collection[date] | None) -> Collection[date]:
    return bank_holidays() if holidays is None else holidays


def is_working_day(day: date, holidays: Collection[date] | None = None) -> bool:
    return day.weekday() < 5 and day not in _holidays(holidays)


def add_working_days(start: date, n: int, holidays: Collection[date] | None = None) -> date:
    """The nth working day after `start` (`start` itself is day 0, whatever it is).
    A negative n counts back."""
    holidays = _holidays(holidays)
    step = timedelta(days=1 if n >= 0 else -1)
    remaining = abs(n)
    day = start
    while remaining:
        day += step
        if is_working_day(day, holidays):
            remaining -= 1
    return day


def working_days_between(start: date, end: date, holidays: Collection[date] | None = None) -> int:
    """How many working days after `start`, up to and including `end`: 0 on the day
    itself, 1 on the next working day. Negative when `end` is before `start`."""
    holidays = _holidays(holidays)
    if end < start:
        return -working_days_between(end, start, holidays)
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day, holidays):
            count += 1
    return count


def latest_start_exceeding(end: date, n: int, holidays: Collection[date] | None = None) -> date:
    """The latest start date from which more than `n` working days have passed by `end`,
    so a database filter `start <= this` finds the same rows as `working_days_between > n`."""
    holidays = _holidays(holidays)
    # Counting back from the last working day up to `end`, the nth working day before it is
    # the (n + 1)th in the count; any start before that day has passed more than n.
    last_working = end if is_working_day(end, holidays) else add_working_days(end, -1, holidays)
    return add_working_days(last_working, -n, holidays) - timedelta(days=1)
