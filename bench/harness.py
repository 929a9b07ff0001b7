"""Shared parts of the benchmarks: Django set up as production runs it (DEBUG off),
timing with a warm-up, and the results file."""

import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False  # no debug templates or query logging: measure what production runs
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def timed(fn: Callable[[], object], *, rounds: int, warm_up: int = 3) -> tuple[float, float, int]:
    """Median and p90 milliseconds over `rounds` calls after a warm-up, and the queries of one call."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warm_up):
        fn()
    timings = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        fn()
    timings.sort()
    return statistics.median(timings), timings[max(0, int(len(timings) * 0.9) - 1)], len(queries.captured_queries)


def heading(title: str) -> list[str]:
    from django.conf import settings

    commit = subprocess.run(  # noqa: S603
        ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.strip()
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    return [
        f"\n## {datetime.now(UTC):%Y-%m-%d %H:%M} UTC · {title} · commit {commit}\n",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"database {engine}, DEBUG=False.",
    ]


def append_results(lines: list[str]) -> None:
    text = "\n".join(lines) + "\n"
    print(text)
    with open(ROOT / "bench" / "RESULTS.md", "a") as results:
        results.write(text)


def get(client, url: str) -> Callable[[], None]:
    """A timed call: GET `url` with `client`, which must answer 200."""

    def _get() -> None:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    return _get


def analyze_database() -> None:
    """After bulk-loading, refresh PostgreSQL's planner statistics, as autovacuum would soon do
    in production. Without it the planner guesses one row for fresh tables and picks nested
    loops (the hub search took 836 ms instead of 60 ms)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
