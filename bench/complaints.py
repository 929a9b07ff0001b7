"""Benchmark of the complaints tracker at county size: 10,000 complaints over 5 years for 200
settings (bulk-inserted, with themes, responses and timeline lines). Times the tracker
unfiltered and filtered, the export, a complaint's detail page and the quarterly report (the
live page and the snapshot build), median and p90 of in-process requests after a warm-up,
with query counts; appends to bench/RESULTS.md.

Usage: `make bench`, or `.venv/bin/python bench/complaints.py` (uses DATABASE_URL).
"""

import datetime
import os
import random
import time

from harness import analyze_database, append_results, get, heading, setup_django, timed

setup_django()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from complaints import clocks  # noqa: E402
from complaints.models import (  # noqa: E402
    Complaint,
    ComplaintEvent,
    Outcome,
    QuarterlyReport,
    ReceivedVia,
    Severity,
    Source,
    Status,
)
from complaints.quarters import last_complete_quarter  # noqa: E402
from complaints.reports import report_build  # noqa: E402
from portal.models import Theme, User  # noqa: E402
from portal.working_days import add_working_days, working_days_between  # noqa: E402
from schools.models import Setting, SettingKind  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "30"))
SETTINGS, COMPLAINTS, YEARS = 200, 10_000, 5
KINDS = [SettingKind.MAINTAINED_SCHOOL, SettingKind.ACADEMY, SettingKind.SPECIAL_SCHOOL, SettingKind.AP_PROVIDER]


def _complaint(n: int, setting: Setting, received: datetime.date, today: datetime.date, rng, adviser) -> Complaint:
    ack_due = add_working_days(received, 3)
    respond_due = add_working_days(received, 20)
    age = (today - received).days
    complaint = Complaint(
        reference=f"SC-{received.year}-B{n:05d}",
        year=received.year,
        number=100_000 + n,
        setting=setting,
        received_on=received,
        source=rng.choice(Source.values),
        received_via=rng.choice(ReceivedVia.values),
        complainant_name="Bench Complainant",
        complainant_contact="bench@example.net",
        summary="A benchmark complaint about safeguarding procedures at the setting.",
        severity=rng.choice(Severity.values),
        assigned_adviser=adviser,
        acknowledge_target_days=3,
        respond_target_days=20,
        acknowledge_due_on=ack_due,
        respond_due_on=respond_due,
    )
    if age > 60 or rng.random() < 0.3:
        sent = add_working_days(received, rng.randint(8, 28))
        complaint.acknowledged_on = add_working_days(received, rng.randint(1, 4))
        complaint.response_sent_on = min(sent, today)
        complaint.response_working_days = working_days_between(received, complaint.response_sent_on)
        complaint.outcome = rng.choice(Outcome.values)
        complaint.learning_identified = complaint.outcome != Outcome.NOT_UPHELD
        complaint.status = Status.CLOSED if age > 60 else Status.RESPONSE_SENT
        complaint.closed_on = min(sent + datetime.timedelta(days=20), today) if age > 60 else None
    else:
        complaint.status = rng.choice(
            [Status.RECEIVED, Status.ACKNOWLEDGED, Status.UNDER_INVESTIGATION, Status.UNDER_INVESTIGATION]
        )
        if complaint.status != Status.RECEIVED:
            complaint.acknowledged_on = add_working_days(received, 1)
    complaint.clock_due_on = clocks.current_due_on(complaint)
    return complaint


def seed() -> float:
    call_command("migrate", verbosity=0, interactive=False)
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115, PTH123
    if Complaint.objects.filter(reference__contains="-B").exists():
        return 0.0
    start = time.perf_counter()
    rng = random.Random(5)  # noqa: S311  (benchmark data)
    Setting.objects.bulk_create(
        [
            Setting(name=f"Complaints Bench School {n:03d}", urn=f"97{n:04d}", kind=KINDS[n % len(KINDS)])
            for n in range(SETTINGS)
        ],
        ignore_conflicts=True,
    )
    settings = list(Setting.objects.filter(urn__startswith="97"))
    adviser = User.objects.get(email="adviser@council.example.org")
    today = timezone.localdate()
    first = today - datetime.timedelta(days=365 * YEARS)
    complaints = [
        _complaint(
            n, rng.choice(settings), first + datetime.timedelta(days=rng.randrange(365 * YEARS)), today, rng, adviser
        )
        for n in range(COMPLAINTS)
    ]
    complaints = Complaint.objects.bulk_create(complaints, batch_size=1000)
    themes = list(Theme.objects.all())
    through = Complaint.themes.through
    through.objects.bulk_create(
        [through(complaint_id=c.pk, theme_id=themes[i % len(themes)].pk) for i, c in enumerate(complaints)],
        batch_size=2000,
    )
    ComplaintEvent.objects.bulk_create(
        [
            ComplaintEvent(complaint=c, kind=kind, summary=summary, user=adviser)
            for c in complaints
            for kind, summary in (("created", "Complaint logged"), ("status", "Acknowledged"))
        ],
        batch_size=2000,
    )
    return time.perf_counter() - start


def main() -> None:
    seconds = seed()
    analyze_database()
    qa = Client()
    qa.force_login(User.objects.get(email="qa.manager@council.example.org"))
    today = timezone.localdate()
    detail = Complaint.objects.filter(reference__contains="-B").order_by("-received_on").first()
    quarter = last_complete_quarter(today)
    label = quarter.label
    report_url = f"/complaints/reports/?basis=financial&year={quarter.year}&quarter={quarter.number}"

    def build_snapshot():
        report = QuarterlyReport.objects.create(
            basis="financial", label=label, starts_on=quarter.starts_on, ends_on=quarter.ends_on
        )
        report_build(report_id=report.pk)
        report.refresh_from_db()
        assert report.status == QuarterlyReport.Status.READY, report.error

    rows = [
        ("Tracker, open complaints (default)", timed(get(qa, "/complaints/"), rounds=ROUNDS)),
        ("Tracker, all complaints, page 200", timed(get(qa, "/complaints/?show=all&page=200"), rounds=ROUNDS)),
        (
            "Tracker filtered: closed, Ofsted, theme",
            timed(get(qa, f"/complaints/?show=closed&source=ofsted&theme={Theme.objects.first().pk}"), rounds=ROUNDS),
        ),
        ("Tracker filtered: overdue", timed(get(qa, "/complaints/?clock=overdue"), rounds=ROUNDS)),
        ("Complaint detail", timed(get(qa, f"/complaints/{detail.pk}/"), rounds=ROUNDS)),
        (f"Quarterly report page ({label})", timed(get(qa, report_url), rounds=ROUNDS)),
        ("Quarterly report snapshot build (figures, XLSX, PDF)", timed(build_snapshot, rounds=5, warm_up=1)),
    ]
    lines = heading("complaints tracker") + [
        f"Data: {Complaint.objects.count()} complaints over {YEARS} years for {SETTINGS} settings "
        f"(bulk-inserted in {seconds:.1f} s; 0 s if already there).",
        f"Method: in-process Django test client, 3 warm-up requests then {ROUNDS} timed "
        "(the snapshot build: 1 warm-up, 5 timed, called directly as the Celery task does).\n",
        "| page | median ms | p90 ms | queries |",
        "| --- | ---: | ---: | ---: |",
    ]
    lines += [f"| {name} | {m:.1f} | {p:.1f} | {q} |" for name, (m, p, q) in rows]
    append_results(lines)


if __name__ == "__main__":
    main()
