"""Benchmark of the learning hub with 1,000 extra hub pages and 300 sessions.

Two measurements, appended to bench/RESULTS.md:
1. In-process: median and p90 server time and query count of the hub home, a listing, a
   course page, the calendar and a search (Django test client, warm-up first).
2. Over HTTP: gunicorn with the production settings (2 sync workers, as the reference
   measurement of Wagtail's bakerydemo was taken) on 127.0.0.1, loaded by wrk with 20
   concurrent connections for 15 s per page after a 3 s warm-up: requests per second and
   p50/p99 latency. Skipped, with a note, when wrk or gunicorn is missing.

Usage: `make bench`, or `.venv/bin/python bench/hub.py` (uses DATABASE_URL; SQLite by default).
"""

import datetime
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from harness import ROOT, analyze_database, append_results, get, heading, setup_django, timed

setup_django()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from learning_hub.models import (  # noqa: E402
    Audience,
    GoodPracticeIndexPage,
    GoodPracticePage,
    LearningHubHomePage,
    NewsIndexPage,
    NewsPage,
    ResourceIndexPage,
    ResourcePage,
    TrainingCalendarPage,
    TrainingCoursePage,
    TrainingIndexPage,
    TrainingSession,
)
from portal.models import Theme  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "30"))
DURATION = os.environ.get("BENCH_HTTP_SECONDS", "15")
CONNECTIONS = int(os.environ.get("BENCH_HTTP_CONNECTIONS", "20"))
PAGES = {"resource": 450, "good_practice": 250, "news": 200, "course": 100}  # 1,000 pages
SESSIONS = 300
MARKER = "bench-resource-0000"


def _add_many(parent, pages) -> None:
    for page in pages:
        parent.add_child(instance=page)


def seed() -> float:
    call_command("migrate", verbosity=0, interactive=False)
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115, PTH123
    if ResourcePage.objects.filter(slug=MARKER).exists():
        return 0.0
    start = time.perf_counter()
    themes = list(Theme.objects.all())
    audiences = list(Audience.objects.all())
    resources = ResourceIndexPage.objects.get()
    good_practice = GoodPracticeIndexPage.objects.get()
    news = NewsIndexPage.objects.get()
    training = TrainingIndexPage.objects.get()
    _add_many(
        resources,
        (
            ResourcePage(
                title=f"Bench resource {n}",
                slug=f"bench-resource-{n:04d}",
                summary="A guidance note for designated safeguarding leads on recording concerns.",
                kind=ResourcePage.Kind.LINK,
                link_url="https://www.gov.uk/government/publications/keeping-children-safe-in-education--2",
                kcsie_year="2025",
            )
            for n in range(PAGES["resource"])
        ),
    )
    _add_many(
        good_practice,
        (
            GoodPracticePage(
                title=f"Bench good practice {n}",
                slug=f"bench-good-practice-{n:04d}",
                summary="How a school made its safeguarding huddles work.",
                what_we_did="Short daily meetings of the DSL team.",
                why_it_worked="Everyone hears about concerns the same day.",
                impact_on_children="Referrals are made sooner.",
                setting_kind=GoodPracticePage.SettingKind.SCHOOL,
                phase=GoodPracticePage.Phase.PRIMARY,
            )
            for n in range(PAGES["good_practice"])
        ),
    )
    _add_many(
        news,
        (
            NewsPage(
                title=f"Bench news {n}",
                slug=f"bench-news-{n:04d}",
                summary="What changed after this term's audits.",
                date=datetime.date(2026, 1, 1) + datetime.timedelta(days=n % 300),
            )
            for n in range(PAGES["news"])
        ),
    )
    _add_many(
        training,
        (
            TrainingCoursePage(
                title=f"Bench course {n}",
                slug=f"bench-course-{n:04d}",
                summary="A safeguarding course for DSLs.",
                format=TrainingCoursePage.Format.FACE_TO_FACE,
                length="3 hours",
                learning_outcomes="<p>Know the law.</p>",
                who_should_attend="Designated safeguarding leads.",
            )
            for n in range(PAGES["course"])
        ),
    )
    for model, prefix in (
        (ResourcePage, "bench-resource-"),
        (GoodPracticePage, "bench-good-practice-"),
        (NewsPage, "bench-news-"),
        (TrainingCoursePage, "bench-course-"),
    ):
        for n, page in enumerate(model.objects.filter(slug__startswith=prefix)):
            page.themes.set([themes[n % len(themes)], themes[(n * 7) % len(themes)]])
            page.audiences.set([audiences[n % len(audiences)]])
    courses = list(TrainingCoursePage.objects.filter(slug__startswith="bench-course-"))
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    TrainingSession.objects.bulk_create(
        [
            TrainingSession(
                course=courses[n % len(courses)],
                starts_at=now + datetime.timedelta(days=3 + n % 170, hours=n % 5),
                ends_at=now + datetime.timedelta(days=3 + n % 170, hours=n % 5 + 3),
                venue="County Hall",
                capacity=20,
                places_taken=n % 21,
                booking_closes_on=(now + datetime.timedelta(days=1 + n % 170)).date(),
            )
            for n in range(SESSIONS)
        ]
    )
    return time.perf_counter() - start


def hub_urls() -> dict[str, str]:
    home = LearningHubHomePage.objects.get()
    course = TrainingCoursePage.objects.filter(slug__startswith="bench-course-").first()
    return {
        "Hub home": home.url,
        "Resources listing, page 2": ResourceIndexPage.objects.get().url + "?page=2",
        "Course page": course.url,
        "Training calendar": TrainingCalendarPage.objects.get().url,
        "Search 'safeguarding'": home.url + "search/?q=safeguarding",
    }


def in_process(urls: dict[str, str]) -> list[tuple[str, tuple[float, float, int]]]:
    client = Client()
    return [(label, timed(get(client, url), rounds=ROUNDS)) for label, url in urls.items()]


def _wrk(url: str, seconds: str, connections: int) -> tuple[float, str, str]:
    out = subprocess.run(  # noqa: S603
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = re.search(r"50%\s+([\d.]+\w+)", out).group(1)
    p99 = re.search(r"99%\s+([\d.]+\w+)", out).group(1)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non_2xx:
        raise RuntimeError(f"{url}: {non_2xx.group(1)} error responses under load")
    return rps, p50, p99


def over_http(urls: dict[str, str]) -> tuple[list[str], str]:
    gunicorn = ROOT / ".venv" / "bin" / "gunicorn"
    if not shutil.which("wrk") or not gunicorn.exists():
        return [], "Over HTTP: skipped (needs `wrk` from Debian and gunicorn in the virtualenv)."
    static_root = Path(tempfile.mkdtemp(prefix="bench-static-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": "http://127.0.0.1:8021",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": str(static_root),
        "DATABASE_URL": os.environ.get("DATABASE_URL", f"sqlite:///{ROOT / 'db.sqlite3'}"),
    }
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    server = subprocess.Popen(  # noqa: S603
        [
            str(gunicorn),
            "portal.wsgi:application",
            "--bind",
            "127.0.0.1:8021",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    rows = []
    try:
        base = "http://127.0.0.1:8021"
        for _ in range(50):
            try:
                urllib.request.urlopen(base + urls["Hub home"], timeout=2)  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        for label, url in urls.items():
            _wrk(base + url, "3", CONNECTIONS)  # warm-up
            rps, p50, p99 = _wrk(base + url, DURATION, CONNECTIONS)
            rows.append(f"| {label} | {rps:.1f} | {p50} | {p99} |")
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(static_root, ignore_errors=True)
    method = (
        f"Over HTTP: gunicorn, production settings, 2 sync workers, 127.0.0.1; wrk -t2 -c{CONNECTIONS} "
        f"-d{DURATION}s --latency after a 3 s warm-up; anonymous visitor."
    )
    return rows, method


def main() -> None:
    seconds = seed()
    analyze_database()
    urls = hub_urls()
    rows = in_process(urls)
    http_rows, http_method = over_http(urls)
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    lines = heading("learning hub") + [
        f"Data: {ResourcePage.objects.count() + GoodPracticePage.objects.count() + NewsPage.objects.count()} "
        f"resources, good-practice and news pages, {TrainingCoursePage.objects.count()} courses, "
        f"{TrainingSession.objects.count()} sessions ({sum(PAGES.values())} pages and {SESSIONS} sessions "
        f"added in {seconds:.1f} s; 0 s if already there); database {engine}.",
        f"Method: in-process Django test client, 3 warm-up requests then {ROUNDS} timed.\n",
        "| page | median ms | p90 ms | queries |",
        "| --- | ---: | ---: | ---: |",
    ]
    lines += [f"| {label} | {m:.1f} | {p:.1f} | {q} |" for label, (m, p, q) in rows]
    lines += ["", http_method]
    if http_rows:
        lines += ["", "| page | req/s | p50 | p99 |", "| --- | ---: | ---: | ---: |", *http_rows]
    append_results(lines)


if __name__ == "__main__":
    main()
