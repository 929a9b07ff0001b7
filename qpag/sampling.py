"""The monthly (for ChAD, weekly) random sample of case files, drawn from an uploaded extract.

The rules are the framework's (sections 7.1, 8.5, 9.2 and 10):
- children's social care: cases open at least 6 months when the month starts;
- Early Help: cases open at least 2 months;
- SEND: EHC plans finalised in the previous calendar month;
- ChAD: contacts in the week before the week being audited, 2 of each outcome (CHAD_WEEKLY_SAMPLE);
and every auditor comes from another team than the case's.

A draw is reproducible: the cases are sorted by case number before a generator seeded with the
stored seed picks from them, so the same extract and seed always give the same cases, whatever
order the database returns rows in (SQLite and PostgreSQL differ)."""

import random
from collections.abc import Iterable, Mapping
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from wagtail.log_actions import log

from . import services
from .access import can_manage_qpag
from .constants import CHAD_WEEKLY_SAMPLE, MIN_MONTHS_OPEN, ChadCategory, Service
from .dates import add_months, month_end, previous_month
from .models import Auditor, CaseExtract, ExtractCase, SampleDraw

MAX_PER_TEAM = 5
SEED_BITS = 63  # fits SampleDraw.seed (a signed 64-bit integer)


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def period_label(*, service: str, period_start: date) -> str:
    if service == Service.CHAD:
        return f"the week commencing {_day(period_start)}"
    return f"{period_start:%B %Y}"


def rules_in_words(*, service: str, period_start: date) -> str:
    """The rule a draw applied, for the draw's page."""
    if service == Service.SOCIAL_CARE:
        cutoff = add_months(period_start, -MIN_MONTHS_OPEN[Service.SOCIAL_CARE])
        return (
            f"Children's social care cases open at least 6 months on {_day(period_start)} "
            f"(opened on or before {_day(cutoff)})."
        )
    if service == Service.EARLY_HELP:
        cutoff = add_months(period_start, -MIN_MONTHS_OPEN[Service.EARLY_HELP])
        return f"Early Help cases open at least 2 months on {_day(period_start)} (opened on or before {_day(cutoff)})."
    if service == Service.SEND:
        month = previous_month(period_start)
        return f"EHC plans finalised in {month:%B %Y}, the calendar month before the sample's month."
    start = period_start - timedelta(days=7)
    end = period_start - timedelta(days=1)
    return f"Front-door contacts from {start.day} {start:%B} to {_day(end)}, the week before: {chad_sample_in_words()}."


CHAD_PLURALS = {
    ChadCategory.CONSULTATION: "consultations",
    ChadCategory.EARLY_HELP: "contacts passed to Early Help",
    ChadCategory.SECTION_17: "contacts leading to a section 17 assessment",
    ChadCategory.SECTION_47: "contacts leading to a section 47 assessment",
}


def chad_sample_in_words() -> str:
    """ "2 consultations, 2 contacts passed to Early Help, ..." from CHAD_WEEKLY_SAMPLE."""
    parts = [f"{count} {CHAD_PLURALS.get(category, category)}" for category, count in CHAD_WEEKLY_SAMPLE.items()]
    return ", ".join(parts[:-1]) + f" and {parts[-1]}" if len(parts) > 1 else "".join(parts)


def check_period(*, service: str, period_start: date) -> None:
    if service == Service.CHAD:
        if period_start.weekday() != 0:
            raise ValidationError({"period_start": "A ChAD sample's week must start on a Monday"})
    elif period_start.day != 1:
        raise ValidationError({"period_start": "A monthly sample must start on the first day of a month"})


def eligible_cases(*, extract: CaseExtract, service: str, period_start: date) -> dict[str, list[ExtractCase]]:
    """The extract's cases the service's rule allows, by team (for ChAD, by contact outcome),
    each list sorted by case number. Every team of the service in the extract is a key, even
    with no eligible cases, so a shortfall shows; for ChAD every outcome is a key."""
    cases = ExtractCase.objects.filter(extract=extract, service=service)
    if service == Service.CHAD:
        week_before = period_start - timedelta(days=7)
        groups: dict[str, list[ExtractCase]] = {category: [] for category in CHAD_WEEKLY_SAMPLE}
        chosen = cases.filter(opened_on__gte=week_before, opened_on__lt=period_start).exclude(chad_category="")
        for case in chosen.order_by("case_number"):
            groups.setdefault(case.chad_category, []).append(case)
        return groups
    if service == Service.SEND:
        month = previous_month(period_start)
        rule = {"opened_on__gte": month, "opened_on__lte": month_end(month)}
    else:
        rule = {"opened_on__lte": add_months(period_start, -MIN_MONTHS_OPEN[service])}
    groups = {team: [] for team in sorted(set(cases.values_list("team", flat=True)))}
    for case in cases.filter(**rule).order_by("case_number"):
        groups[case.team].append(case)
    return groups


def _rng(seed: int, *parts: str) -> random.Random:
    # A string seed is hashed (SHA-512) the same way in every process, unlike hash(); one
    # generator per group means adding a team to the extract does not change another's draw.
    return random.Random(":".join([str(seed), *parts]))  # noqa: S311 - reproducible by design, not a secret


def draw_sample(
    *, cases_by_group: Mapping[str, Iterable[ExtractCase]], per_group: int | Mapping[str, int], seed: int
) -> dict[str, list[ExtractCase]]:
    """Pick `per_group` cases (or per_group[group]) at random from each group; a group with
    fewer eligible cases gives what it has (the shortfall is recorded by the caller)."""
    chosen = {}
    for group in sorted(cases_by_group):
        wanted = per_group[group] if isinstance(per_group, Mapping) else per_group
        pool = sorted(cases_by_group[group], key=lambda case: case.case_number)
        chosen[group] = _rng(seed, "cases", group).sample(pool, min(max(wanted, 0), len(pool)))
    return chosen


def assign_auditors(
    *, chosen: Mapping[str, Iterable[ExtractCase]], auditors: Iterable[Auditor], seed: int
) -> dict[str, Auditor]:
    """case number -> auditor. Each case gets an active auditor of the case's service from another
    team than the case's (framework 6.1: "audits are undertaken by Team Managers who will be
    allocated audits from another team"), spreading the load: the auditors are shuffled by the
    seed, and each case goes to the least-loaded eligible auditor, the shuffle breaking ties.

    ChAD is audited weekly by multi-agency partners at the front door (framework 10), so any
    active ChAD-register auditor may audit any contact, whatever its outcome group; the services
    still keep the auditor's own team off its own cases. Raises ValidationError naming the team
    when nobody may audit its cases."""
    people = sorted(
        (person for person in auditors if person.is_active and person.can_audit),
        key=lambda person: (person.team.casefold(), person.name.casefold(), person.pk or 0),
    )
    _rng(seed, "auditors").shuffle(people)
    order = {person.pk: position for position, person in enumerate(people)}
    load = dict.fromkeys(order, 0)
    assigned: dict[str, Auditor] = {}
    for group in sorted(chosen):
        for case in sorted(chosen[group], key=lambda item: item.case_number):
            team = case.team.strip().casefold()
            candidates = [
                person for person in people if person.service == case.service and person.team.strip().casefold() != team
            ]
            if not candidates:
                raise ValidationError(
                    f"No active {Service(case.service).label} auditor from another team can audit {case.team}'s "
                    f"cases. Add one to the auditor register, then draw again."
                )
            person = min(candidates, key=lambda item: (load[item.pk], order[item.pk]))
            load[person.pk] += 1
            assigned[case.case_number] = person
    return assigned


def _per_group(*, service: str, per_team: int) -> int | Mapping[str, int]:
    return dict(CHAD_WEEKLY_SAMPLE) if service == Service.CHAD else per_team


def already_drawn(*, service: str, period_start: date) -> bool:
    return SampleDraw.objects.filter(service=service, period_start=period_start).exists()


def already_drawn_message(*, service: str, period_start: date) -> str:
    return (
        f"A {Service(service).label} sample has already been drawn for "
        f"{period_label(service=service, period_start=period_start)}"
    )


def sample_draw_create(
    *,
    user,
    extract: CaseExtract,
    service: str,
    period_start: date,
    per_team: int,
    notified_on: date,
    seed: int | None = None,
) -> SampleDraw:
    """Draw, record and notify: one SampleDraw and one case-file audit per chosen case, or
    nothing (ValidationError with the reason)."""
    if not can_manage_qpag(user):
        raise PermissionDenied("Only QA managers can draw samples.")
    if service not in Service.values:
        raise ValidationError({"service": "Choose the service to sample"})
    check_period(service=service, period_start=period_start)
    if service == Service.CHAD:
        per_team = 0  # ChAD's counts are fixed by outcome (CHAD_WEEKLY_SAMPLE)
    elif not 1 <= per_team <= MAX_PER_TEAM:
        raise ValidationError({"per_team": f"Cases for each team must be between 1 and {MAX_PER_TEAM}"})
    if seed is None:
        seed = random.SystemRandom().getrandbits(SEED_BITS)
    elif not 0 <= seed < 2**SEED_BITS:
        raise ValidationError({"seed": "The seed must be a whole number from 0 to 9223372036854775807"})
    if notified_on < extract.extracted_on:
        raise ValidationError({"notified_on": "The notification date must be on or after the day of the extract"})
    if already_drawn(service=service, period_start=period_start):
        raise ValidationError(already_drawn_message(service=service, period_start=period_start))

    eligible = eligible_cases(extract=extract, service=service, period_start=period_start)
    wanted = _per_group(service=service, per_team=per_team)
    chosen = draw_sample(cases_by_group=eligible, per_group=wanted, seed=seed)
    if not any(chosen.values()):
        raise ValidationError(
            f"No {Service(service).label} cases in this extract are eligible for "
            f"{period_label(service=service, period_start=period_start)}. "
            f"{rules_in_words(service=service, period_start=period_start)}"
        )
    assigned = assign_auditors(chosen=chosen, auditors=Auditor.objects.filter(service=service), seed=seed)

    summary = {}
    for group in sorted(eligible):
        target = wanted[group] if isinstance(wanted, Mapping) else wanted
        summary[group] = {
            "eligible": len(eligible[group]),
            "chosen": len(chosen[group]),
            "shortfall": max(target - len(chosen[group]), 0),
            "case_numbers": sorted(case.case_number for case in chosen[group]),
        }
    try:
        with transaction.atomic():
            draw = SampleDraw.objects.create(
                extract=extract,
                service=service,
                period_start=period_start,
                per_team=per_team,
                seed=seed,
                notified_on=notified_on,
                drawn_by=user,
                summary=summary,
            )
            for group in sorted(chosen):
                for case in sorted(chosen[group], key=lambda item: item.case_number):
                    try:
                        services.casefile_audit_create(
                            user=user,
                            case_number=case.case_number,
                            service=service,
                            team=case.team,
                            auditor=assigned[case.case_number],
                            notified_on=notified_on,
                            locality=case.locality,
                            chad_category=case.chad_category,
                            draw=draw,
                        )
                    except ValidationError as error:
                        reasons = "; ".join(error.messages)
                        raise ValidationError(f"Case {case.case_number} could not be recorded: {reasons}") from error
            log(
                draw,
                "qpag.sample.draw",
                user=user,
                data={
                    "service": service,
                    "period_start": period_start.isoformat(),
                    "seed": seed,
                    "extract_sha256": extract.sha256,
                    "audits": len(assigned),
                },
            )
    except IntegrityError:
        # Another QA manager drew the same period a moment ago (the unique constraint).
        raise ValidationError(already_drawn_message(service=service, period_start=period_start)) from None
    return draw


def sample_draw_repeat(draw: SampleDraw) -> dict[str, list[str]]:
    """Draw again from the stored seed and extract: group -> case numbers, sorted. Equal to what
    the draw recorded when the draw is reproducible."""
    eligible = eligible_cases(extract=draw.extract, service=draw.service, period_start=draw.period_start)
    chosen = draw_sample(
        cases_by_group=eligible, per_group=_per_group(service=draw.service, per_team=draw.per_team), seed=draw.seed
    )
    return {group: sorted(case.case_number for case in cases) for group, cases in chosen.items()}


def sample_draw_recorded(draw: SampleDraw) -> dict[str, list[str]]:
    """group -> case numbers the draw recorded when it was made."""
    return {group: sorted(row.get("case_numbers", [])) for group, row in (draw.summary or {}).items()}


def sample_draw_reproduced(draw: SampleDraw) -> bool:
    return sample_draw_repeat(draw) == sample_draw_recorded(draw)
