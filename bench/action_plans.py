"""Benchmark of action plans at county size: 200 settings x 3 plans x 8 actions (4,800
actions). Times the adviser's home, the QA manager's home and the plan list (median and
p90 of in-process requests after a warm-up) with query counts; appends to bench/RESULTS.md.

Usage: `make bench`, or `.venv/bin/python bench/action_plans.py` (uses DATABASE_URL).
"""

import datetime
import os
import time

from harness import append_results, get, heading, setup_django, timed

setup_django()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from portal.models import Theme, User  # noqa: E402
from schools.models import Action, ActionPlan, Setting, SettingKind  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "30"))
SETTINGS, PLANS, ACTIONS = 200, 3, 8


def seed() -> float:
    call_command("migrate", verbosity=0, interactive=False)
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115, PTH123
    start = time.perf_counter()
    if ActionPlan.objects.filter(title__startswith="Bench plan").exists():
        return 0.0
    Setting.objects.bulk_create(
        [
            Setting(name=f"Plan Bench School {n:03d}", urn=f"96{n:04d}", kind=SettingKind.ACADEMY)
            for n in range(SETTINGS)
        ],
        ignore_conflicts=True,
    )
    adviser = User.objects.get(email="adviser@council.example.org")
    today = datetime.date.today()
    themes = list(Theme.objects.all())
    statuses = [ActionPlan.Status.AGREED, ActionPlan.Status.IN_PROGRESS, ActionPlan.Status.COMPLETE]
    plans = ActionPlan.objects.bulk_create(
        [
            ActionPlan(
                setting=setting,
                source=ActionPlan.Source.SCHOOLS_AUDIT,
                title=f"Bench plan {p}",
                lead=adviser,
                status=statuses[p],
                agreed_on=today - datetime.timedelta(days=60),
            )
            for setting in Setting.objects.filter(urn__startswith="96")
            for p in range(PLANS)
        ]
    )
    action_statuses = [s for s, _ in Action.Status.choices]
    Action.objects.bulk_create(
        [
            Action(
                plan=plan,
                description=f"Action {a}",
                theme=themes[(i + a) % len(themes)],
                original_due_on=today + datetime.timedelta(days=a * 7 - 20),
                due_on=today + datetime.timedelta(days=a * 7 - 20),
                status=action_statuses[(i + a) % len(action_statuses)],
                sort_order=a,
            )
            for i, plan in enumerate(plans)
            for a in range(ACTIONS)
        ]
    )
    return time.perf_counter() - start


def main() -> None:
    seconds = seed()
    adviser, qa = Client(), Client()
    adviser.force_login(User.objects.get(email="adviser@council.example.org"))
    qa.force_login(User.objects.get(email="qa.manager@council.example.org"))
    rows = [
        ("Adviser home", timed(get(adviser, "/dashboard/"), rounds=ROUNDS)),
        ("QA manager home", timed(get(qa, "/dashboard/"), rounds=ROUNDS)),
        ("Plan list (QA manager)", timed(get(qa, "/audits/plans/"), rounds=ROUNDS)),
        ("Plan list filtered: in progress", timed(get(qa, "/audits/plans/?status=in_progress"), rounds=ROUNDS)),
    ]
    lines = heading("action plans") + [
        f"Data: {ActionPlan.objects.count()} plans, {Action.objects.count()} actions "
        f"({SETTINGS} settings x {PLANS} plans x {ACTIONS} actions seeded in {seconds:.1f} s).",
        f"Method: in-process Django test client, 3 warm-up requests then {ROUNDS} timed.\n",
        "| page | median ms | p90 ms | queries |",
        "| --- | ---: | ---: | ---: |",
    ]
    lines += [f"| {label} | {m:.1f} | {p:.1f} | {q} |" for label, (m, p, q) in rows]
    append_results(lines)


if __name__ == "__main__":
    main()
