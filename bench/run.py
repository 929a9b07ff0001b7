"""In-process benchmark of the portal's foundation pages.

Measures the server time (median and p90 over repeated requests through Django's
test client, after a warm-up) and the SQL query count of each page, and appends a
dated table to bench/RESULTS.md. Timing lives here, never in pass/fail tests.

Usage: `make bench` (uses DATABASE_URL, default the SQLite file; migrates and seeds
demo data first). Later issues add their pages to PAGES.
"""

import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

# Measure what production runs: no debug templates or query logging.
settings.DEBUG = False
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from portal.models import User  # noqa: E402

WARM_UP = 5
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "50"))

# (label, path, email of the user to sign in as, or None for anonymous)
PAGES = [
    ("Home page (anonymous)", "/", None),
    ("Standard page (anonymous)", "/about/", None),
    ("Sign-in page", "/sign-in/", None),
    ("School user dashboard", "/dashboard/", "dsl@oakfield-primary.example.org"),
    ("Adviser dashboard", "/dashboard/", "adviser@council.example.org"),
    ("Invitations list (QA manager)", "/invitations/", "qa.manager@council.example.org"),
]


def measure(client: Client, path: str) -> tuple[float, float, int]:
    for _ in range(WARM_UP):
        client.get(path)
    timings = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.9) - 1], len(queries.captured_queries)


def main() -> None:
    call_command("migrate", verbosity=0, interactive=False)
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115, PTH123
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]

    rows = []
    for label, path, email in PAGES:
        client = Client()
        if email:
            client.force_login(User.objects.get(email=email))
        median, p90, queries = measure(client, path)
        rows.append(f"| {label} | `{path}` | {median:.1f} | {p90:.1f} | {queries} |")
        print(rows[-1])

    commit = subprocess.run(  # noqa: S603
        ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.strip()
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    header = (
        f"\n## {datetime.now(UTC):%Y-%m-%d %H:%M} UTC · commit {commit or 'uncommitted'}\n\n"
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"database {engine}, settings {os.environ['DJANGO_SETTINGS_MODULE']} (DEBUG={settings.DEBUG}).\n"
        f"Method: in-process Django test client, {WARM_UP} warm-up requests then {ROUNDS} timed; "
        "demo data from seed_demo.\n\n"
        "| page | path | median ms | p90 ms | queries |\n| --- | --- | ---: | ---: | ---: |\n"
    )
    with open(ROOT / "bench" / "RESULTS.md", "a") as results:
        results.write(header + "\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
