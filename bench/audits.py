"""Benchmark of the audit engine at county size: 200 settings in an open cycle of the full
2022/23 175/157 questionnaire. Times (median and p90 of in-process requests after a
warm-up) saving a question page, loading the task list and loading the adviser's review
screen, with each page's query count; appends to bench/RESULTS.md.

Usage: `make bench` (runs this after bench/run.py), or `.venv/bin/python bench/audits.py`.
Uses DATABASE_URL (SQLite file by default); it creates its own data and leaves it there.
"""

import datetime
import os
import time

from harness import append_results, heading, setup_django, timed

setup_django()

from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from portal.models import User  # noqa: E402
from portal.roles import Role  # noqa: E402
from schools import services  # noqa: E402
from schools.models import AuditCycle, Membership, QuestionnaireKind, Setting, SettingKind  # noqa: E402
from schools.questionnaire_loader import questionnaires_load_shipped  # noqa: E402
from schools.selectors import sections_for_return  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "30"))
SETTINGS = 200
TITLE = "Benchmark cycle 2022/23"


def seed() -> tuple:
    call_command("migrate", verbosity=0, interactive=False)
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115, PTH123
    questionnaire = {q.kind: q for q, _ in questionnaires_load_shipped()}[QuestionnaireKind.SCHOOLS_175_157]
    start = time.perf_counter()
    existing = set(Setting.objects.filter(urn__startswith="97").values_list("urn", flat=True))
    Setting.objects.bulk_create(
        [
            Setting(name=f"Bench School {n:03d}", urn=f"97{n:04d}", kind=SettingKind.ACADEMY, phase="primary")
            for n in range(SETTINGS)
            if f"97{n:04d}" not in existing
        ]
    )
    qa = User.objects.get(email="qa.manager@council.example.org")
    cycle = AuditCycle.objects.filter(title=TITLE).first()
    if cycle is None:
        today = datetime.date.today()
        cycle = services.cycle_open(
            user=qa,
            questionnaire=questionnaire,
            title=TITLE,
            opens_on=today,
            due_on=today + datetime.timedelta(days=30),
            settings=Setting.objects.filter(urn__startswith="97"),
        )
    audit_return = cycle.returns.get(setting__urn="970000")
    user, _ = User.objects.get_or_create(email="bench.dsl@example.org")
    user.groups.add(Group.objects.get(name=Role.SCHOOL_USER.group_name))
    Membership.objects.get_or_create(user=user, setting=audit_return.setting, role="dsl")
    return audit_return, user, time.perf_counter() - start, questionnaire


def main() -> None:
    audit_return, user, seed_seconds, questionnaire = seed()
    section = sections_for_return(audit_return)[1]
    questions = section.pages[0]
    school = Client()
    school.force_login(user)
    adviser = Client()
    adviser.force_login(User.objects.get(email="adviser@council.example.org"))
    page_url = f"/audits/returns/{audit_return.pk}/sections/{section.pk}/pages/1/"
    answers = {"compliance": "yes", "short_text": "A name", "long_text": "Words", "number": "3", "date": "1/9/2022"}

    def save_page():
        from schools.models import Answer

        versions = dict(
            Answer.objects.filter(audit_return=audit_return, question__in=questions).values_list("question", "version")
        )
        data = {"save_and_continue": "1"}
        for q in questions:
            data[f"q{q.pk}"] = answers.get(q.answer_type, "")
            data[f"q{q.pk}_version"] = str(versions.get(q.pk, 0))
        response = school.post(page_url, data)
        assert response.status_code == 302, response.status_code

    def get(client, url):
        def _get():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        return _get

    rows = [
        (
            "Task list (school user)",
            f"/audits/returns/{audit_return.pk}/",
            timed(get(school, f"/audits/returns/{audit_return.pk}/"), rounds=ROUNDS),
        ),
        ("Question page GET", page_url, timed(get(school, page_url), rounds=ROUNDS)),
        ("Question page POST (save and continue)", page_url, timed(save_page, rounds=ROUNDS)),
        (
            "Review screen (adviser)",
            f"/audits/returns/{audit_return.pk}/review/",
            timed(get(adviser, f"/audits/returns/{audit_return.pk}/review/"), rounds=ROUNDS),
        ),
        ("Review queue (adviser)", "/audits/review/", timed(get(adviser, "/audits/review/"), rounds=ROUNDS)),
    ]
    question_count = sum(s.questions.count() for s in questionnaire.sections.all())
    lines = heading("audit engine") + [
        f"Data: {Setting.objects.count()} settings, {SETTINGS} in the benchmark cycle, questionnaire of "
        f"{question_count} questions; creating the cycle took {seed_seconds:.1f} s (0 s if it already existed).",
        f"Method: in-process Django test client, 3 warm-up requests then {ROUNDS} timed.\n",
        "| page | median ms | p90 ms | queries |",
        "| --- | ---: | ---: | ---: |",
    ]
    lines += [f"| {label} | {median:.1f} | {p90:.1f} | {queries} |" for label, _url, (median, p90, queries) in rows]
    append_results(lines)


if __name__ == "__main__":
    main()
