"""The working-day calculator every clock uses: weekends, bank holidays held as data that
a QA manager can extend, and the boundaries (day 0, counting back, non-working starts)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from portal.models import BankHoliday
from portal.working_days import (
    add_working_days,
    bank_holidays,
    is_working_day,
    latest_start_exceeding,
    working_days_between,
)

pytestmark = pytest.mark.django_db
D = datetime.date.fromisoformat


def test_the_england_and_wales_list_is_seeded_for_2022_to_2027_on_weekdays():
    holidays = bank_holidays()
    assert {d.year for d in holidays} == set(range(2022, 2028))
    assert all(d.weekday() < 5 for d in holidays)
    assert D("2022-09-19") in holidays  # the State Funeral
    assert D("2026-12-28") in holidays  # Boxing Day's substitute
    assert BankHoliday.objects.get(date=D("2023-05-08")).name.startswith("Bank holiday for the coronation")


def test_add_working_days_skips_weekends_and_bank_holidays():
    assert add_working_days(D("2026-03-06"), 1) == D("2026-03-09")  # Friday to Monday
    assert add_working_days(D("2026-12-24"), 1) == D("2026-12-29")  # Christmas, a weekend, Boxing Day moved
    assert add_working_days(D("2026-12-29"), -1) == D("2026-12-24")
    assert add_working_days(D("2026-04-01"), 10) == D("2026-04-17")  # Good Friday and Easter Monday
    assert add_working_days(D("2026-04-01"), 10, holidays=()) == D("2026-04-15")
    assert add_working_days(D("2026-03-04"), 0) == D("2026-03-04")


def test_a_start_on_a_weekend_counts_from_the_next_working_day():
    assert add_working_days(D("2026-03-07"), 1) == D("2026-03-09")  # Saturday + 1 is Monday
    assert working_days_between(D("2026-03-07"), D("2026-03-09")) == 1
    assert not is_working_day(D("2026-03-08"))
    assert not is_working_day(D("2026-12-25"))
    assert is_working_day(D("2026-12-24"))


def test_working_days_between_counts_after_the_start_up_to_the_end():
    assert working_days_between(D("2026-03-02"), D("2026-03-02")) == 0
    assert working_days_between(D("2026-03-02"), D("2026-03-16")) == 10
    assert working_days_between(D("2026-12-24"), D("2026-12-29")) == 1
    assert working_days_between(D("2026-03-16"), D("2026-03-02")) == -10


def test_latest_start_exceeding_matches_counting_day_by_day():
    start = D("2026-03-01")
    for offset in range(0, 300, 3):
        end = start + datetime.timedelta(days=offset + 30)
        cutoff = latest_start_exceeding(end, 10)
        assert working_days_between(cutoff, end) > 10
        assert working_days_between(cutoff + datetime.timedelta(days=1), end) <= 10


def test_a_holiday_added_by_a_qa_manager_moves_every_clock_at_once():
    assert add_working_days(D("2028-01-03"), 1) == D("2028-01-04")  # 2028 is not seeded
    BankHoliday.objects.create(date=D("2028-01-04"), name="One-off holiday")
    assert add_working_days(D("2028-01-03"), 1) == D("2028-01-05")
    BankHoliday.objects.filter(date=D("2028-01-04")).delete()
    assert add_working_days(D("2028-01-03"), 1) == D("2028-01-04")


def test_a_bank_holiday_on_a_weekend_is_refused():
    with pytest.raises(ValidationError) as error:
        BankHoliday(date=D("2028-01-01"), name="Saturday").full_clean()
    assert "weekday" in str(error.value)


def test_qa_managers_keep_the_list_in_the_admin_and_advisers_only_read_it(client, qa_manager, adviser):
    client.force_login(qa_manager)
    response = client.post(
        "/admin/snippets/portal/bankholiday/add/", {"date": "2028-01-04", "name": "New Year's Day (substitute)"}
    )
    assert response.status_code == 302
    assert BankHoliday.objects.filter(date=D("2028-01-04")).exists()
    client.force_login(adviser)
    assert client.get("/admin/snippets/portal/bankholiday/").status_code == 200
    response = client.post("/admin/snippets/portal/bankholiday/add/", {"date": "2028-01-05", "name": "Invented"})
    assert response.status_code in {302, 403}
    assert not BankHoliday.objects.filter(date=D("2028-01-05")).exists()
