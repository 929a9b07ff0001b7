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

from complaints.models import (  # noqa: E402
    Complaint,
    ComplaintEvent,
    QuarterlyReport,
)
from complaints.quarters import last_complete_quarter  # noqa: E402
from complaints.reports import report_build  # noqa: E402
from portal.models import Theme, User  # noqa: E402
from qpag.scale import complaint_build as _complaint  # noqa: E402  (shared with seed_scale)
from schools.models import Setting, SettingKind  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "30"))
SETTINGS, COMPLAINTS, YEARS = 200, 10_000, 5
KINDS = [SettingKind.MAINTAINED_SCHOOL, SettingKind.ACADEMY, SettingKind.SPECIAL_SCHOOL, SettingKind.AP_PROVIDER]


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
