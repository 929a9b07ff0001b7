"""Benchmark of the audit dashboard and the QPAG pack, at county and national scale.

County (any database): 200 settings, 3 cycles of the shipped 175/157 questionnaire answered in
full, 1,200 case-file audits with area grades, 10,000 actions in plans from every source and
10,000 complaints over 5 years. Times the dashboard page (/qpag/, signed in as a QA manager),
pack_figures for last month and the pack page.

National (PostgreSQL only): 24,000 settings and one cycle of 100 questions each (2.4 million
answers, loaded with COPY; the seeding time is reported). Times theme_trends for the schools'
audit and pack_figures.

Each scale runs in its own database (portal_bench_qpag, portal_bench_qpag_national), created
and dropped by this script; medians, p90s and query counts are appended to bench/RESULTS.md.

Usage: `make bench`, or `.venv/bin/python bench/qpag.py [county|national]` (uses DATABASE_URL's
server; with SQLite, county runs in a temporary file and national is skipped).
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{ROOT / 'db.sqlite3'}")
IS_POSTGRES = BASE_URL.startswith(("postgres://", "postgresql://"))
DB_NAMES = {"county": "portal_bench_qpag", "national": "portal_bench_qpag_national"}


def _admin(sql: str) -> None:
    import psycopg2

    parts = urlsplit(BASE_URL)
    connection = psycopg2.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username, password=parts.password, dbname="postgres"
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(sql)
    connection.close()


def _database_url(scale: str) -> str:
    if IS_POSTGRES:
        parts = urlsplit(BASE_URL)
        return urlunsplit(parts._replace(path="/" + DB_NAMES[scale]))
    return f"sqlite:///{tempfile.gettempdir()}/{DB_NAMES[scale]}.sqlite3"


def run(scale: str) -> None:
    """Create the scale's database, run this script inside it, drop it."""
    if scale == "national" and not IS_POSTGRES:
        print("QPAG national benchmark skipped: it needs PostgreSQL (set DATABASE_URL).")
        return
    url = _database_url(scale)
    if IS_POSTGRES:
        _admin(f"DROP DATABASE IF EXISTS {DB_NAMES[scale]}")
        _admin(f"CREATE DATABASE {DB_NAMES[scale]}")
    try:
        subprocess.run(  # noqa: S603
            [sys.executable, __file__, scale, "--inside"], env={**os.environ, "DATABASE_URL": url}, check=True
        )
    finally:
        if IS_POSTGRES:
            _admin(f"DROP DATABASE IF EXISTS {DB_NAMES[scale]}")
        else:
            Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)


def inside(scale: str) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from harness import analyze_database, append_results, get, heading, setup_django, timed

    setup_django()
    import scale_qpag as data
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from qpag.dashboard import theme_trends
    from qpag.dates import add_months, month_start
    from qpag.models import QpagPack
    from qpag.pack import pack_figures
    from schools.models import Answer, QuestionnaireKind

    rounds = int(os.environ.get("BENCH_ROUNDS", "20" if scale == "county" else "5"))
    call_command("migrate", verbosity=0, interactive=False)
    today = timezone.localdate()
    last_month = add_months(month_start(today), -1)
    qa = data.qa_manager()
    start = time.perf_counter()
    if scale == "county":
        schools = data.settings(200)
        answers, questions = data.cycles(user=qa, schools=schools, count=3, today=today)
        audits, area_grades = data.case_file_audits(count=1200, today=today, user=qa)
        actions = data.action_plans(schools=schools, actions=10_000, lead=qa, today=today)
        complaints = data.complaints(schools=schools, count=10_000, years=5, today=today, adviser=qa)
        described = (
            f"200 settings; 3 cycles of the 175/157 questionnaire ({questions} scored questions), {answers:,} answers; "
            f"{audits:,} case-file audits with {area_grades:,} area grades and an action each; {actions:,} actions "
            f"in plans from every source; {complaints:,} complaints over 5 years"
        )
    else:
        schools = data.settings(24_000)
        answers, questions = data.cycles(user=qa, schools=schools, count=1, today=today, questions_limit=100, copy=True)
        described = f"24,000 settings; one cycle of {questions} questions each: {answers:,} answers (COPY)"
    seeded = time.perf_counter() - start
    start = time.perf_counter()
    analyze_database()
    analysed = time.perf_counter() - start

    rows = []
    figures = lambda: pack_figures(month=last_month, today=today)  # noqa: E731
    if scale == "county":
        client = Client()
        client.force_login(qa)
        pack = QpagPack.objects.create(month=last_month)
        rows += [
            ("Audit dashboard page /qpag/ (QA manager)", timed(get(client, "/qpag/"), rounds=rounds)),
            (f"pack_figures(month={last_month:%b %Y})", timed(figures, rounds=rounds)),
            (
                f"Pack page (draft, live figures) /qpag/packs/{pack.pk}/",
                timed(get(client, f"/qpag/packs/{pack.pk}/"), rounds=rounds),
            ),
        ]
    else:
        trends = lambda: theme_trends(kind=QuestionnaireKind.SCHOOLS_175_157)  # noqa: E731
        rows += [
            ("theme_trends(kind=175/157)", timed(trends, rounds=rounds, warm_up=1)),
            (f"pack_figures(month={last_month:%b %Y})", timed(figures, rounds=rounds, warm_up=1)),
        ]
    lines = heading(f"QPAG dashboard and pack, {scale} scale") + [
        f"Data: {described}. Bulk-seeded in {seeded:.1f} s, ANALYZE {analysed:.1f} s "
        f"({Answer.objects.count():,} answers in the database).",
        f"Method: in-process (Django test client for pages, direct calls for functions), warm-up then {rounds} "
        "timed; queries counted on one more call. Targets: constant queries; pack <= 1 s county, <= 10 s national.\n",
        "| measured | median ms | p90 ms | queries |",
        "| --- | ---: | ---: | ---: |",
    ]
    lines += [f"| {name} | {m:.1f} | {p:.1f} | {q} |" for name, (m, p, q) in rows]
    append_results(lines)


if __name__ == "__main__":
    args = sys.argv[1:]
    if "--inside" in args:
        inside(args[0])
    else:
        for chosen in args or ["county", "national"]:
            run(chosen)
