"""Working days: Monday to Friday, less England and Wales bank holidays.

The framework's clocks run in working days (a support offer within 10 working days of an
Ofsted judgement; complaint timescales later). The bank holidays are a constant for now;
the complaints issue will make them editable data (QA managers adding next year's dates,
or a one-off such as a state funeral) and this module will read them from there.
"""

from collections.abc import Collection
from datetime import date, timedelta

# https://www.gov.uk/bank-holidays (England and Wales), including the substitute days and
# the one-off holidays of 2022 (Platinum Jubilee, State Funeral) and 2023 (Coronation).
BANK_HOLIDAYS: frozenset[date] = frozenset(
    date.fromisoformat(day)
    for day in (
        # 2022
        "2022-01-03",
        "2022-04-15",
        "2022-04-18",
        "2022-05-02",
        "2022-06-02",
        "2022-06-03",
        "2022-08-29",
        "2022-09-19",
        "2022-12-26",
        "2022-12-27",
        # 2023
        "2023-01-02",
        "2023-04-07",
        "2023-04-10",
        "2023-05-01",
        "2023-05-08",
        "2023-05-29",
        "2023-08-28",
        "2023-12-25",
        "2023-12-26",
        # 2024
        "2024-01-01",
        "2024-03-29",
        "2024-04-01",
        "2024-05-06",
        "2024-05-27",
        "2024-08-26",
        "2024-12-25",
        "2024-12-26",
        # 2025
        "2025-01-01",
        "2025-04-18",
        "2025-04-21",
        "2025-05-05",
        "2025-05-26",
        "2025-08-25",
        "2025-12-25",
        "2025-12-26",
        # 2026
        "2026-01-01",
        "2026-04-03",
        "2026-04-06",
        "2026-05-04",
        "2026-05-25",
        "2026-08-31",
        "2026-12-25",
        "2026-12-28",
        # 2027
        "2027-01-01",
        "2027-03-26",
        "2027-03-29",
        "2027-05-03",
        "2027-05-31",
        "2027-08-30",
        "2027-12-27",
        "2027-12-28",
    )
)


def is_working_day(day: date, holidays: Collection[date] = BANK_HOLIDAYS) -> bool:
    return day.weekday() < 5 and day not in holidays


def add_working_days(start: date, n: int, holidays: Collection[date] = BANK_HOLIDAYS) -> date:
    """The nth working day after `start` (`start` itself is day 0, whatever it is).
    A negative n counts back."""
    step = timedelta(days=1 if n >= 0 else -1)
    remaining = abs(n)
    day = start
    while remaining:
        day += step
        if is_working_day(day, holidays):
            remaining -= 1
    return day


def working_days_between(start: date, end: date, holidays: Collection[date] = BANK_HOLIDAYS) -> int:
    """How many working days after `start`, up to and including `end`: 0 on the day
    itself, 1 on the next working day. Negative when `end` is before `start`."""
    if end < start:
        return -working_days_between(end, start, holidays)
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day, holidays):
            count += 1
    return count


def latest_start_exceeding(end: date, n: int, holidays: Collection[date] = BANK_HOLIDAYS) -> date:
    """The latest start date from which more than `n` working days have passed by `end`,
    so a database filter `start <= this` finds the same rows as `working_days_between > n`."""
    # Counting back from the last working day up to `end`, the nth working day before it is
    # the (n + 1)th in the count; any start before that day has passed more than n.
    last_working = end if is_working_day(end, holidays) else add_working_days(end, -1, holidays)
    return add_working_days(last_working, -n, holidays) - timedelta(days=1)
