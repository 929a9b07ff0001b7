"""In-process benchmark of every key page at county scale (and the QPAG figures at national scale).

County: a scratch PostgreSQL database (portal_bench_pages) is created, migrated and filled by
`manage.py seed_scale --profile county` (its per-part seeding times are recorded); then each page is
requested through Django's test client, signed in as the role that uses it, and its median and p90
server time (after a warm-up) and SQL query count are appended to bench/RESULTS.md. The anonymous
whole-page cache is switched off (PORTAL_PAGE_CACHE_SECONDS=0) so hub pages measure the render;
bench/http_load.py measures the cache.

National (`bench/pages.py national`): portal_bench_pages_national, `seed_scale --profile national`
(24,000 settings, one cycle of 100 questions each, answers by COPY), then pack_figures, theme_trends
and the QPAG dashboard page.

Usage: `make bench`, or `.venv/bin/python bench/pages.py [county] [national]`. Needs PostgreSQL:
DATABASE_URL names the server (default postgres://postgres@127.0.0.1:5432/postgres); the scratch
databases are dropped afterwards (BENCH_KEEP_DATABASE=1 keeps them).
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
SERVER_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
DB_NAMES = {"county": "portal_bench_pages", "national": "portal_bench_pages_national"}


def admin_sql(sql: str) -> None:
    import psycopg2

    parts = urlsplit(SERVER_URL)
    connection = psycopg2.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username, password=parts.password, dbname="postgres"
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(sql)
    connection.close()


def database_url(name: str) -> str:
    return urlunsplit(urlsplit(SERVER_URL)._replace(path="/" + name))


def create_seeded_database(name: str, profile: str) -> tuple[str, list[tuple[str, float, str]]]:
    """Drop and create `name`, migrate it, run seed_scale; return its URL and the seeding parts."""
    if not SERVER_URL.startswith(("postgres://", "postgresql://")):
        raise SystemExit("bench/pages.py and bench/http_load.py need PostgreSQL: set DATABASE_URL to postgres://…")
    admin_sql(f"DROP DATABASE IF EXISTS {name}")
    admin_sql(f"CREATE DATABASE {name}")
    url = database_url(name)
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "portal.settings.dev", "LOG_LEVEL": "WARNING"}
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0", "--noinput"], cwd=ROOT, env=env, check=True)  # noqa: S603
    out = subprocess.run(  # noqa: S603
        [*manage, "seed_scale", "--profile", profile], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout
    print(out)
    parts = [
        (m.group(1).strip(), float(m.group(2)), m.group(3).strip())
        for m in re.finditer(r"^(.{18}) +([\d.]+) s[ ]*(.*)$", out, flags=re.MULTILINE)
    ]
    return url, parts


def drop_database(name: str) -> None:
    if os.environ.get("BENCH_KEEP_DATABASE") != "1":
        admin_sql(f"DROP DATABASE IF EXISTS {name}")


def seeding_table(parts: list[tuple[str, float, str]]) -> list[str]:
    lines = ["| seeding part | seconds | made |", "| --- | ---: | --- |"]
    return lines + [f"| {name} | {seconds:.1f} | {made} |" for name, seconds, made in parts]


def run(profile: str) -> None:
    name = DB_NAMES[profile]
    url, parts = create_seeded_database(name, profile)
    try:
        subprocess.run(  # noqa: S603
            [sys.executable, __file__, profile, "--inside", json.dumps(parts)],
            env={**os.environ, "DATABASE_URL": url},
            check=True,
        )
    finally:
        drop_database(name)


# --- inside the seeded database ------------------------------------------------------------


def key_pages(rounds: int) -> list[tuple[str, str, tuple[float, float, int]]]:
    from django.conf import settings
    from django.test import Client
    from django.utils import timezone
    from harness import get, timed

    from complaints.models import Complaint
    from complaints.quarters import last_complete_quarter
    from learning_hub.models import LearningHubHomePage, ResourceIndexPage, TrainingCoursePage
    from portal.models import Theme, User
    from portal.roles import Role
    from qpag import scale
    from qpag.dates import add_months, month_start
    from qpag.models import QpagPack
    from qpag.pack import pack_figures
    from schools.models import Answer, AuditCycle, AuditReturn, Membership, SettingRole
    from schools.selectors import sections_for_return

    settings.PORTAL_PAGE_CACHE_SECONDS = 0  # measure the render; bench/http_load.py measures the cache
    today = timezone.localdate()
    cycle = AuditCycle.objects.get(status=AuditCycle.Status.OPEN)
    in_progress = (
        AuditReturn.objects.filter(cycle=cycle, status=AuditReturn.Status.IN_PROGRESS).order_by("setting__urn").first()
    )
    dsl = Membership.objects.filter(setting=in_progress.setting, role=SettingRole.DSL).first().user
    in_review = AuditReturn.objects.filter(cycle=cycle, status=AuditReturn.Status.IN_REVIEW).order_by("pk").first()

    clients = {}
    for label, user in (
        ("school", dsl),
        ("adviser", User.objects.get(email=scale.staff_email(Role.ADVISER))),
        ("qa", User.objects.get(email=scale.staff_email(Role.QA_MANAGER))),
    ):
        clients[label] = Client()
        clients[label].force_login(user)
    clients["anonymous"] = Client()

    section = sections_for_return(in_progress)[1]
    questions = section.pages[0]
    wizard_url = f"/audits/returns/{in_progress.pk}/sections/{section.pk}/pages/1/"
    values = {"compliance": "yes", "short_text": "A name", "long_text": "Words", "number": "3", "date": "1/9/2025"}

    def wizard_save() -> None:
        versions = dict(
            Answer.objects.filter(audit_return=in_progress, question__in=questions).values_list("question", "version")
        )
        data = {"save_and_continue": "1"}
        for question in questions:
            data[f"q{question.pk}"] = values.get(question.answer_type, "")
            data[f"q{question.pk}_version"] = str(versions.get(question.pk, 0))
        response = clients["school"].post(wizard_url, data)
        assert response.status_code == 302, response.status_code

    hub = LearningHubHomePage.objects.get()
    course = TrainingCoursePage.objects.order_by("path").first()
    complaint = Complaint.objects.order_by("-received_on", "pk").first()
    theme = Theme.objects.order_by("pk").first()
    quarter = last_complete_quarter(today)
    last_month = add_months(month_start(today), -1)
    pack = QpagPack.objects.create(month=last_month)
    report_url = f"/complaints/reports/?basis=financial&year={quarter.year}&quarter={quarter.number}"

    pages = [
        ("Hub home", "anonymous", hub.url),
        ("Course page", "anonymous", course.url),
        ("Resources listing, page 2", "anonymous", ResourceIndexPage.objects.get().url + "?page=2"),
        ("Hub search 'safeguarding'", "anonymous", hub.url + "search/?q=safeguarding"),
        ("School task list", "school", f"/audits/returns/{in_progress.pk}/"),
        ("Wizard step GET", "school", wizard_url),
        ("Review screen", "adviser", f"/audits/returns/{in_review.pk}/review/"),
        ("Adviser home", "adviser", "/dashboard/"),
        ("Risk list", "adviser", "/audits/risk/"),
        ("Complaints tracker, unfiltered (open)", "qa", "/complaints/"),
        ("Complaints tracker, all, page 200", "qa", "/complaints/?show=all&page=200"),
        (
            "Complaints tracker filtered: closed, Ofsted, theme",
            "qa",
            f"/complaints/?show=closed&source=ofsted&theme={theme.pk}",
        ),
        ("Complaint detail", "qa", f"/complaints/{complaint.pk}/"),
        (f"Quarterly complaints report ({quarter.label})", "qa", report_url),
        ("QPAG audit dashboard", "qa", "/qpag/"),
        ("QPAG pack page (draft, live figures)", "qa", f"/qpag/packs/{pack.pk}/"),
    ]
    rows = []
    for label, who, url in pages:
        rows.append((label, f"{who}: `{url}`", timed(get(clients[who], url), rounds=rounds)))
        print(rows[-1])
        if label == "Wizard step GET":
            rows.append(
                ("Wizard step POST (save and continue)", f"school: `{wizard_url}`", timed(wizard_save, rounds=rounds))
            )
            print(rows[-1])
    rows.append(
        (
            f"pack_figures(month={last_month:%b %Y})",
            "function",
            timed(lambda: pack_figures(month=last_month, today=today), rounds=max(5, rounds // 3)),
        )
    )
    return rows


def national_rows(rounds: int) -> list[tuple[str, str, tuple[float, float, int]]]:
    from django.test import Client
    from django.utils import timezone
    from harness import get, timed

    from portal.models import User
    from portal.roles import Role
    from qpag import scale
    from qpag.dashboard import theme_trends
    from qpag.dates import add_months, month_start
    from qpag.pack import pack_figures
    from schools.models import QuestionnaireKind

    today = timezone.localdate()
    last_month = add_months(month_start(today), -1)
    qa = Client()
    qa.force_login(User.objects.get(email=scale.staff_email(Role.QA_MANAGER)))
    return [
        (
            f"pack_figures(month={last_month:%b %Y})",
            "function",
            timed(lambda: pack_figures(month=last_month, today=today), rounds=rounds, warm_up=1),
        ),
        (
            "theme_trends(kind=175/157)",
            "function",
            timed(lambda: theme_trends(kind=QuestionnaireKind.SCHOOLS_175_157), rounds=rounds, warm_up=1),
        ),
        ("QPAG audit dashboard", "qa: `/qpag/`", timed(get(qa, "/qpag/"), rounds=rounds, warm_up=1)),
    ]


def inside(profile: str, parts: list) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from harness import append_results, heading, setup_django

    setup_django()
    from schools.models import Answer, AuditReturn

    if profile == "county":
        rounds = int(os.environ.get("BENCH_ROUNDS", "20"))
        rows = key_pages(rounds)
        method = (
            f"Method: in-process Django test client signed in as the role named (force_login; two-factor off as in "
            f"dev settings), anonymous page cache off; 3 warm-up requests then {rounds} timed, queries counted on one "
            "more request. Targets: <= 20 queries; signed-in pages <= 50 ms median; wizard save <= 50 ms; "
            "pack <= 1 s; quarterly report <= 1 s."
        )
    else:
        rounds = int(os.environ.get("BENCH_ROUNDS_NATIONAL", "3"))
        rows = national_rows(rounds)
        method = f"Method: direct calls and the test client, 1 warm-up then {rounds} timed. Target: pack <= 10 s."
    lines = heading(f"key pages, {profile} scale (seed_scale --profile {profile})") + [
        f"Data: `manage.py seed_scale --profile {profile} --seed 1` into a scratch PostgreSQL database "
        f"({AuditReturn.objects.count():,} returns, {Answer.objects.count():,} answers). The machine was shared "
        "with other work while this ran, so times are noisy.",
        "",
        *seeding_table([tuple(p) for p in parts]),
        "",
        method,
        "",
        "| page or call | as | median ms | p90 ms | queries |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    lines += [f"| {label} | {who} | {m:.1f} | {p:.1f} | {q} |" for label, who, (m, p, q) in rows]
    append_results(lines)


if __name__ == "__main__":
    args = sys.argv[1:]
    if "--inside" in args:
        inside(args[0], json.loads(args[2]))
    else:
        for chosen in args or ["county", "national"]:
            run(chosen)
