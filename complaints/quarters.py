"""Quarter arithmetic for the quarterly complaints report.

The council reports on financial-year quarters by default: Q1 is April to June, so "Q3 2026-27"
is October to December 2026 and "Q4 2026-27" is January to March 2027. The calendar basis is
offered too: "Q4 2026" is October to December 2026. A quarter is named by its basis, the year it
belongs to (for a financial year, the year in which it starts: 2026 for 2026-27) and its number.
"""

from dataclasses import dataclass
from datetime import date, timedelta

FINANCIAL = "financial"
CALENDAR = "calendar"
BASES = (FINANCIAL, CALENDAR)

# The month each quarter starts in, by basis.
_FIRST_MONTH = {FINANCIAL: 4, CALENDAR: 1}


@dataclass(frozen=True)
class Quarter:
    basis: str
    year: int
    number: int

    def __post_init__(self) -> None:
        if self.basis not in BASES:
            raise ValueError(f"Unknown basis {self.basis!r}")
        if self.number not in (1, 2, 3, 4):
            raise ValueError("A quarter is numbered 1 to 4")
        if not 1900 <= self.year <= 9998:
            raise ValueError("The year is out of range")

    @property
    def starts_on(self) -> date:
        months = _FIRST_MONTH[self.basis] - 1 + 3 * (self.number - 1)
        return date(self.year + months // 12, months % 12 + 1, 1)

    @property
    def ends_on(self) -> date:
        return self.next().starts_on - timedelta(days=1)

    @property
    def label(self) -> str:
        if self.basis == FINANCIAL:
            return f"Q{self.number} {self.year}-{(self.year + 1) % 100:02d}"
        return f"Q{self.number} {self.year}"

    def previous(self) -> "Quarter":
        if self.number == 1:
            return Quarter(self.basis, self.year - 1, 4)
        return Quarter(self.basis, self.year, self.number - 1)

    def next(self) -> "Quarter":
        if self.number == 4:
            return Quarter(self.basis, self.year + 1, 1)
        return Quarter(self.basis, self.year, self.number + 1)

    def contains(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


def quarter_bounds(basis: str, year: int, number: int) -> tuple[str, date, date]:
    """(label, first day, last day) of a quarter, for example
    quarter_bounds("financial", 2026, 3) == ("Q3 2026-27", date(2026, 10, 1), date(2026, 12, 31))."""
    quarter = Quarter(basis, year, number)
    return quarter.label, quarter.starts_on, quarter.ends_on


def quarter_containing(day: date, basis: str = FINANCIAL) -> Quarter:
    months_in = (day.month - _FIRST_MONTH[basis]) % 12
    year = day.year if day.month >= _FIRST_MONTH[basis] else day.year - 1
    return Quarter(basis, year, months_in // 3 + 1)


def previous_quarter(quarter: Quarter) -> Quarter:
    return quarter.previous()


def last_complete_quarter(today: date, basis: str = FINANCIAL) -> Quarter:
    """The latest quarter that has ended by `today` (the report page's default)."""
    return quarter_containing(today, basis).previous()
