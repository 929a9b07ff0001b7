"""The sampling rules (framework 7.1, 8.5, 9.2, 10): eligibility at its boundaries, an auditor
from another team always, and a draw that repeats exactly from its seed."""

import random
from collections import Counter

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from wagtail.models import ModelLogEntry

from qpag.constants import CHAD_WEEKLY_SAMPLE, ChadCategory, Service
from qpag.models import Auditor, CaseExtract, CaseFileAudit, ExtractCase, SampleDraw
from qpag.sampling import (
    assign_auditors,
    draw_sample,
    eligible_cases,
    sample_draw_create,
    sample_draw_recorded,
    sample_draw_repeat,
    sample_draw_reproduced,
)

from .conftest import D

NOVEMBER = D("2026-11-01")
MONDAY = D("2026-11-23")
EXTRACTED_ON = D("2026-10-28")


@pytest.fixture
def make_extract(db, qa_manager):
    def _make(rows, *, extracted_on=EXTRACTED_ON, reverse=False):
        """rows: (case_number, service, team, opened_on[, chad_category[, locality]])"""
        extract = CaseExtract.objects.create(
            original_name="extract.csv", extracted_on=extracted_on, uploaded_by=qa_manager, sha256="0" * 64
        )
        cases = [
            ExtractCase(
                extract=extract,
                case_number=row[0],
                service=row[1],
                team=row[2],
                opened_on=D(row[3]) if isinstance(row[3], str) else row[3],
                chad_category=row[4] if len(row) > 4 else "",
                locality=row[5] if len(row) > 5 else "",
            )
            for row in rows
        ]
        # Insertion order decides primary keys; the draw must not care.
        for case in reversed(cases) if reverse else cases:
            case.save()
        extract.row_count = len(cases)
        extract.save()
        return extract

    return _make


def numbers(groups) -> dict[str, list[str]]:
    return {group: sorted(case.case_number for case in cases) for group, cases in groups.items()}


# Eligibility --------------------------------------------------------------------------------


def test_social_care_cases_open_exactly_six_months_are_eligible_and_a_day_short_are_not(make_extract):
    extract = make_extract(
        [
            ("SC-EXACT", Service.SOCIAL_CARE, "North locality team", "2026-05-01"),
            ("SC-OLDER", Service.SOCIAL_CARE, "North locality team", "2024-01-10"),
            ("SC-SHORT", Service.SOCIAL_CARE, "North locality team", "2026-05-02"),
            ("SC-NEW", Service.SOCIAL_CARE, "South locality team", "2026-10-20"),
            ("EH-OTHER", Service.EARLY_HELP, "Early Help West", "2024-01-10"),
        ]
    )
    groups = eligible_cases(extract=extract, service=Service.SOCIAL_CARE, period_start=NOVEMBER)
    # A team with no eligible case is still listed, so its shortfall shows.
    assert numbers(groups) == {"North locality team": ["SC-EXACT", "SC-OLDER"], "South locality team": []}


def test_six_months_is_counted_in_calendar_months(make_extract):
    # 1 March to 1 September is six months, though it is not 6 x 30 days.
    extract = make_extract(
        [
            ("SC-1", Service.SOCIAL_CARE, "T", "2026-03-01"),
            ("SC-2", Service.SOCIAL_CARE, "T", "2026-03-02"),
        ]
    )
    groups = eligible_cases(extract=extract, service=Service.SOCIAL_CARE, period_start=D("2026-09-01"))
    assert numbers(groups) == {"T": ["SC-1"]}


def test_early_help_cases_need_two_months_open(make_extract):
    extract = make_extract(
        [
            ("EH-EXACT", Service.EARLY_HELP, "Early Help West", "2026-09-01"),
            ("EH-SHORT", Service.EARLY_HELP, "Early Help West", "2026-09-02"),
            ("EH-LONG", Service.EARLY_HELP, "Early Help East", "2025-12-31"),
        ]
    )
    groups = eligible_cases(extract=extract, service=Service.EARLY_HELP, period_start=NOVEMBER)
    assert numbers(groups) == {"Early Help East": ["EH-LONG"], "Early Help West": ["EH-EXACT"]}


def test_send_plans_finalised_in_the_previous_calendar_month_only(make_extract):
    extract = make_extract(
        [
            ("EHC-SEP30", Service.SEND, "SEND casework North", "2026-09-30"),
            ("EHC-OCT01", Service.SEND, "SEND casework North", "2026-10-01"),
            ("EHC-OCT31", Service.SEND, "SEND casework North", "2026-10-31"),
            ("EHC-NOV01", Service.SEND, "SEND casework South", "2026-11-01"),
        ],
        extracted_on=D("2026-11-02"),
    )
    groups = eligible_cases(extract=extract, service=Service.SEND, period_start=NOVEMBER)
    assert numbers(groups) == {"SEND casework North": ["EHC-OCT01", "EHC-OCT31"], "SEND casework South": []}


def test_chad_contacts_from_the_week_before_grouped_by_outcome(make_extract):
    extract = make_extract(
        [
            ("CON-SUN15", Service.CHAD, "ChAD", "2026-11-15", ChadCategory.CONSULTATION),
            ("CON-MON16", Service.CHAD, "ChAD", "2026-11-16", ChadCategory.CONSULTATION),
            ("CON-SUN22", Service.CHAD, "ChAD", "2026-11-22", ChadCategory.SECTION_47),
            ("CON-MON23", Service.CHAD, "ChAD", "2026-11-23", ChadCategory.SECTION_47),
            ("CON-WED18", Service.CHAD, "ChAD", "2026-11-18", ChadCategory.EARLY_HELP),
        ],
        extracted_on=D("2026-11-23"),
    )
    groups = eligible_cases(extract=extract, service=Service.CHAD, period_start=MONDAY)
    assert numbers(groups) == {
        ChadCategory.CONSULTATION: ["CON-MON16"],
        ChadCategory.EARLY_HELP: ["CON-WED18"],
        ChadCategory.SECTION_17: [],
        ChadCategory.SECTION_47: ["CON-SUN22"],
    }


# The draw ----------------------------------------------------------------------------------


def _pool(extract_cases: int = 12) -> dict[str, list[ExtractCase]]:
    return {
        team: [
            ExtractCase(case_number=f"{team[:1]}-{n:03d}", team=team, service=Service.SOCIAL_CARE)
            for n in range(extract_cases)
        ]
        for team in ("Alpha", "Bravo", "Charlie")
    }


def test_draw_sample_is_reproducible_and_ignores_the_order_cases_arrive_in():
    pool = _pool()
    shuffled = {team: random.Random(7).sample(cases, len(cases)) for team, cases in pool.items()}  # noqa: S311
    first = numbers(draw_sample(cases_by_group=pool, per_group=2, seed=42))
    again = numbers(draw_sample(cases_by_group=shuffled, per_group=2, seed=42))
    assert first == again
    assert all(len(chosen) == 2 for chosen in first.values())


def test_different_seeds_usually_give_different_cases():
    pool = _pool()
    results = {str(numbers(draw_sample(cases_by_group=pool, per_group=2, seed=seed))) for seed in range(20)}
    assert len(results) > 15


def test_adding_a_team_does_not_change_another_teams_draw():
    pool = _pool()
    bigger = {**pool, "Delta": [ExtractCase(case_number="D-001", team="Delta", service=Service.SOCIAL_CARE)]}
    first = numbers(draw_sample(cases_by_group=pool, per_group=3, seed=9))
    second = numbers(draw_sample(cases_by_group=bigger, per_group=3, seed=9))
    assert {team: second[team] for team in first} == first


def test_a_short_group_gives_what_it_has():
    pool = {"Alpha": _pool()["Alpha"][:1], "Bravo": []}
    chosen = draw_sample(cases_by_group=pool, per_group=3, seed=1)
    assert numbers(chosen) == {"Alpha": ["A-000"], "Bravo": []}


def test_chad_uses_the_weekly_counts_per_outcome():
    pool = {
        category: [ExtractCase(case_number=f"{category[:3]}-{n}", service=Service.CHAD) for n in range(5)]
        for category in CHAD_WEEKLY_SAMPLE
    }
    chosen = draw_sample(cases_by_group=pool, per_group=dict(CHAD_WEEKLY_SAMPLE), seed=3)
    assert {group: len(cases) for group, cases in chosen.items()} == dict(CHAD_WEEKLY_SAMPLE)


# Auditors from another team ----------------------------------------------------------------


def _register() -> list[Auditor]:
    rows = [
        ("Ann", "Alpha"),
        ("Abe", "Alpha"),
        ("Bea", "Bravo"),
        ("Bob", "Bravo"),
        ("Cat", "Charlie"),
        ("Eli", "Echo"),
    ]
    people = [Auditor.objects.create(name=name, team=team, service=Service.SOCIAL_CARE) for name, team in rows]
    people.append(Auditor.objects.create(name="Ina", team="Delta", service=Service.SOCIAL_CARE, is_active=False))
    people.append(Auditor.objects.create(name="Mod", team="Delta", service=Service.SOCIAL_CARE, can_audit=False))
    people.append(Auditor.objects.create(name="Eva", team="Delta", service=Service.EARLY_HELP))
    return people


@pytest.mark.django_db
def test_every_case_gets_an_active_auditor_of_its_service_from_another_team_for_any_seed():
    people = _register()
    pool = _pool()
    pool["Delta"] = [ExtractCase(case_number=f"D-{n:03d}", team="Delta", service=Service.SOCIAL_CARE) for n in range(4)]
    for seed in range(300):
        chosen = draw_sample(cases_by_group=pool, per_group=2, seed=seed)
        assigned = assign_auditors(chosen=chosen, auditors=people, seed=seed)
        assert len(assigned) == 8
        for group, cases in chosen.items():
            for case in cases:
                person = assigned[case.case_number]
                assert person.team.casefold() != group.casefold()
                assert person.service == Service.SOCIAL_CARE
                assert person.is_active and person.can_audit
        # Load is spread: 8 cases over 6 auditors, nobody gets more than 2.
        assert max(Counter(person.pk for person in assigned.values()).values()) <= 2


@pytest.mark.django_db
def test_same_seed_gives_the_same_auditors_and_different_seeds_usually_differ():
    people = _register()
    chosen = draw_sample(cases_by_group=_pool(), per_group=2, seed=5)
    first = {case: person.pk for case, person in assign_auditors(chosen=chosen, auditors=people, seed=5).items()}
    shuffled = random.Random(1).sample(people, len(people))  # noqa: S311
    again = {case: person.pk for case, person in assign_auditors(chosen=chosen, auditors=shuffled, seed=5).items()}
    assert first == again
    others = {
        str(
            sorted(
                (case, person.pk) for case, person in assign_auditors(chosen=chosen, auditors=people, seed=s).items()
            )
        )
        for s in range(10)
    }
    assert len(others) > 3


@pytest.mark.django_db
def test_a_team_nobody_else_can_audit_refuses_the_draw_by_name():
    only = [Auditor.objects.create(name="Ann", team="Alpha", service=Service.SOCIAL_CARE)]
    chosen = {"Alpha": [ExtractCase(case_number="A-1", team="Alpha", service=Service.SOCIAL_CARE)]}
    with pytest.raises(ValidationError) as caught:
        assign_auditors(chosen=chosen, auditors=only, seed=1)
    assert "Alpha" in caught.value.messages[0]
    assert "from another team" in caught.value.messages[0]


# Recording a draw --------------------------------------------------------------------------

SOCIAL_CARE_ROWS = [
    *[(f"N-{n:03d}", Service.SOCIAL_CARE, "North locality team", "2025-06-01", "", "North") for n in range(6)],
    *[(f"S-{n:03d}", Service.SOCIAL_CARE, "South locality team", "2025-06-01", "", "South") for n in range(6)],
    ("S-NEW", Service.SOCIAL_CARE, "South locality team", "2026-10-01"),
]


def test_sample_draw_create_records_the_draw_and_one_audit_per_case(make_extract, qa_manager, auditors):
    extract = make_extract(SOCIAL_CARE_ROWS)
    draw = sample_draw_create(
        user=qa_manager,
        extract=extract,
        service=Service.SOCIAL_CARE,
        period_start=NOVEMBER,
        per_team=2,
        notified_on=D("2026-11-02"),
        seed=1234,
    )
    assert draw.seed == 1234
    assert draw.drawn_by == qa_manager
    audits = list(draw.audits.select_related("auditor").order_by("case_number"))
    assert len(audits) == 4
    for audit in audits:
        assert audit.status == CaseFileAudit.Status.NOTIFIED
        assert audit.notified_on == D("2026-11-02")
        assert audit.due_on == D("2026-11-16")
        assert audit.auditor.team != audit.team
        assert audit.locality == ("North" if audit.team.startswith("North") else "South")
        assert audit.case_number != "S-NEW"
    assert draw.summary["North locality team"]["eligible"] == 6
    assert draw.summary["South locality team"]["eligible"] == 6
    assert draw.summary["South locality team"]["chosen"] == 2
    assert draw.summary["South locality team"]["shortfall"] == 0
    assert sample_draw_recorded(draw) == sample_draw_repeat(draw)
    assert sample_draw_reproduced(draw)
    assert ModelLogEntry.objects.filter(action="qpag.sample.draw", object_id=str(draw.pk)).count() == 1
    assert ModelLogEntry.objects.filter(action="qpag.audit.create").count() == 4


def test_a_draw_repeats_from_its_seed_over_the_same_extract(make_extract, qa_manager, auditors):
    """Same seed and the same extract (uploaded again, rows saved in another order) -> the same
    cases and the same auditors."""
    first_extract = make_extract(SOCIAL_CARE_ROWS)
    second_extract = make_extract(SOCIAL_CARE_ROWS, reverse=True)

    def draw_from(extract, seed):
        savepoint = transaction.savepoint()
        draw = sample_draw_create(
            user=qa_manager,
            extract=extract,
            service=Service.SOCIAL_CARE,
            period_start=NOVEMBER,
            per_team=3,
            notified_on=D("2026-11-02"),
            seed=seed,
        )
        picked = sorted(draw.audits.values_list("case_number", "auditor__name"))
        transaction.savepoint_rollback(savepoint)
        return picked

    assert draw_from(first_extract, 99) == draw_from(second_extract, 99)
    assert len({str(draw_from(first_extract, seed)) for seed in range(8)}) > 1


def test_a_seed_is_chosen_and_kept_when_none_is_given(make_extract, qa_manager, auditors):
    extract = make_extract(SOCIAL_CARE_ROWS)
    draw = sample_draw_create(
        user=qa_manager,
        extract=extract,
        service=Service.SOCIAL_CARE,
        period_start=NOVEMBER,
        per_team=1,
        notified_on=D("2026-11-02"),
    )
    draw.refresh_from_db()
    assert 0 <= draw.seed < 2**63
    assert sample_draw_reproduced(draw)


def test_one_draw_per_service_per_period(make_extract, qa_manager, auditors):
    extract = make_extract(SOCIAL_CARE_ROWS)
    arguments = {
        "user": qa_manager,
        "extract": extract,
        "service": Service.SOCIAL_CARE,
        "per_team": 1,
        "notified_on": D("2026-11-02"),
    }
    sample_draw_create(period_start=D("2026-10-01"), **arguments)
    with pytest.raises(ValidationError) as caught:
        sample_draw_create(period_start=D("2026-10-01"), seed=5, **arguments)
    assert caught.value.messages == ["A Children's social care sample has already been drawn for October 2026"]
    assert SampleDraw.objects.count() == 1
    # Another month is fine.
    sample_draw_create(period_start=NOVEMBER, **arguments)
    assert SampleDraw.objects.count() == 2


def test_a_draw_racing_another_for_the_same_period_is_refused_cleanly(make_extract, qa_manager, auditors, monkeypatch):
    """Two QA managers press "Draw" together: both pass the first check, the database's unique
    constraint stops the second, and it gets the same message with nothing half-made."""
    from qpag import sampling

    extract = make_extract(SOCIAL_CARE_ROWS)
    arguments = {
        "user": qa_manager,
        "extract": extract,
        "service": Service.SOCIAL_CARE,
        "period_start": NOVEMBER,
        "per_team": 1,
        "notified_on": D("2026-11-02"),
    }
    sample_draw_create(**arguments)
    monkeypatch.setattr(sampling, "already_drawn", lambda **kwargs: False)
    with pytest.raises(ValidationError) as caught:
        sample_draw_create(seed=3, **arguments)
    assert caught.value.messages == ["A Children's social care sample has already been drawn for November 2026"]
    assert SampleDraw.objects.count() == 1
    assert CaseFileAudit.objects.count() == 2


def test_chad_draw_uses_partner_auditors_and_the_weekly_counts(make_extract, qa_manager, auditors):
    police = Auditor.objects.create(name="PC Partner", team="Police", service=Service.CHAD)
    health = Auditor.objects.create(name="Nurse Partner", team="Health", service=Service.CHAD)
    rows = [
        (f"CON-{index}-{n}", Service.CHAD, "ChAD", "2026-11-17", category)
        for index, category in enumerate(ChadCategory.values)
        for n in range(3)
    ]
    extract = make_extract(rows, extracted_on=D("2026-11-23"))
    draw = sample_draw_create(
        user=qa_manager,
        extract=extract,
        service=Service.CHAD,
        period_start=MONDAY,
        per_team=3,
        notified_on=MONDAY,
        seed=8,
    )
    assert draw.per_team == 0
    counts = Counter(draw.audits.values_list("chad_category", flat=True))
    assert counts == Counter(dict(CHAD_WEEKLY_SAMPLE))
    # Gus (the ChAD team's own auditor) never audits the ChAD team's contacts.
    assert set(draw.audits.values_list("auditor", flat=True)) == {police.pk, health.pk}
    assert sample_draw_reproduced(draw)


def test_draw_refusals(make_extract, qa_manager, qpag_senior, auditors):
    extract = make_extract(SOCIAL_CARE_ROWS)
    arguments = {"extract": extract, "notified_on": D("2026-11-02"), "per_team": 1}
    with pytest.raises(PermissionDenied):
        sample_draw_create(user=qpag_senior, service=Service.SOCIAL_CARE, period_start=NOVEMBER, **arguments)
    with pytest.raises(ValidationError, match="first day of a month"):
        sample_draw_create(user=qa_manager, service=Service.SOCIAL_CARE, period_start=D("2026-11-02"), **arguments)
    with pytest.raises(ValidationError, match="Monday"):
        sample_draw_create(user=qa_manager, service=Service.CHAD, period_start=D("2026-11-24"), **arguments)
    with pytest.raises(ValidationError, match="between 1 and 5"):
        sample_draw_create(
            user=qa_manager,
            service=Service.SOCIAL_CARE,
            period_start=NOVEMBER,
            extract=extract,
            notified_on=D("2026-11-02"),
            per_team=6,
        )
    with pytest.raises(ValidationError, match="No Early Help cases in this extract are eligible"):
        sample_draw_create(user=qa_manager, service=Service.EARLY_HELP, period_start=NOVEMBER, **arguments)
    with pytest.raises(ValidationError, match="on or after the day of the extract"):
        sample_draw_create(
            user=qa_manager,
            service=Service.SOCIAL_CARE,
            period_start=NOVEMBER,
            extract=extract,
            notified_on=D("2026-10-01"),
            per_team=1,
        )
    assert not SampleDraw.objects.exists()
    assert not CaseFileAudit.objects.exists()


def test_a_team_without_another_teams_auditor_refuses_the_whole_draw(make_extract, qa_manager, auditors):
    # Only the two locality teams have social-care auditors; a third team is fine (either can
    # audit it), but with Ben switched off nobody can audit North's cases except North's own.
    auditors["ben"].is_active = False
    auditors["ben"].save()
    extract = make_extract(SOCIAL_CARE_ROWS)
    with pytest.raises(ValidationError) as caught:
        sample_draw_create(
            user=qa_manager,
            extract=extract,
            service=Service.SOCIAL_CARE,
            period_start=NOVEMBER,
            per_team=1,
            notified_on=D("2026-11-02"),
            seed=1,
        )
    assert "North locality team" in caught.value.messages[0]
    assert not SampleDraw.objects.exists()
    assert not CaseFileAudit.objects.exists()


def test_a_changed_extract_is_not_reproduced(make_extract, qa_manager, auditors):
    extract = make_extract(SOCIAL_CARE_ROWS)
    draw = sample_draw_create(
        user=qa_manager,
        extract=extract,
        service=Service.SOCIAL_CARE,
        period_start=NOVEMBER,
        per_team=1,
        notified_on=D("2026-11-02"),
        seed=77,
    )
    chosen = draw.audits.order_by("case_number").first().case_number
    ExtractCase.objects.filter(extract=extract, case_number=chosen).delete()
    assert not sample_draw_reproduced(draw)
