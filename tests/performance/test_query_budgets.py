"""Query budgets for every key page: each runs at most BUDGET queries (or, for the few named in
OVER_BUDGET, exactly its stated number, with the reason), and no more once there are four to
ten times as many settings, returns, answers, actions, complaints, case-file audits, hub pages and
sessions (tests/performance/conftest.py builds both sizes through the services).

Counts are measured on a warm request (after visiting every page twice), as the other apps'
query-count tests do. Timings are never asserted here: they are in bench/."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from complaints.models import Complaint
from learning_hub.models import ResourcePage, TrainingSession
from qpag.models import CaseFileAudit
from schools.models import Action, Answer, AuditReturn, Setting
from schools.selectors import sections_for_return

pytestmark = pytest.mark.django_db

BUDGET = 20
LARGE = 12  # added to the small world's one of each: four to ten times as many rows
GROWING = (Setting, AuditReturn, Answer, Action, Complaint, CaseFileAudit, ResourcePage, TrainingSession)

# Pages that run a fixed number of queries above BUDGET, and why. Each is asserted at exactly
# this number at the small size, and must not need more at the large one.
OVER_BUDGET = {
    # A save: session, user, roles and trusts (4), the return, its sections and questions and
    # the permission check (4), the page's answers and evidence (2), then in one transaction the
    # locked return, the answers and questions (3), one UPDATE (or INSERT) for all the page's
    # answers, the section's progress (2) and four savepoints, and the session's save (3).
    "wizard step POST": 24,
    # Every app's panels on one page, each one or two aggregate queries: schools (returns,
    # actions, extensions, settings, support, visits, allegations meetings, plans: 12),
    # complaints (site, settings, totals, list: 4), QPAG (audits, triple-lock reviews, packs: 3)
    # and failed tasks (1); plus session, user and roles (3), the page's site settings and
    # navigation (3) and the session's save (3).
    "QA manager home": 29,
    # Seven aggregates for each of four periods (this quarter and the one before, for all
    # complaints and for Ofsted's: 28), the figures the stored snapshot freezes; plus session,
    # user, roles, site settings and navigation and the session's save (9).
    "quarterly report": 37,
    # The monthly pack's live figures (qpag.pack.pack_figures, 37 at any size: tests/qpag):
    # eleven sections (case-file audits by service, ChAD, the schools' cycles and Ofsted,
    # complaints, actions, learning, feedback), each a few grouped queries over the month; plus
    # the pack row, session, user, roles, site settings and navigation and the session's save.
    "QPAG pack (draft)": 48,
    # NOT MET (the budget is 20): today's numbers, held here so that they cannot grow. Every
    # page reads the site, its settings and its navigation (3), and every signed-in page also
    # reads the session, user and roles (3) and saves the session (3): 9 before the page's own
    # work. Keeping the settings and navigation in the cache (purged on save) takes two off
    # every page, but the first page after a settings save then costs two more, which
    # tests/portal/test_pages.py (measuring that first page) refuses; it was not kept.
    "hub home": 22,
    "hub home (signed in)": 27,
    "search (signed in)": 23,
    "adviser home": 22,
    "complaint detail": 21,
}
WIZARD_ANSWERS = {"compliance": "yes", "short_text": "A name", "long_text": "Words", "number": "3", "date": "1/9/2022"}


def _pages(world) -> dict[str, tuple[str, str]]:
    """name -> (who, path). who: visitor, school, adviser or qa; school-post posts a wizard page."""
    hub = world.hub
    section = sections_for_return(world.audit_return)[0]
    wizard = reverse("schools:return_section_page", args=[world.audit_return.pk, section.pk, 1])
    tracker = reverse("complaints:tracker")
    return {
        "hub home": ("visitor", hub.home.url),
        "hub home (signed in)": ("school", hub.home.url),
        "course page": ("visitor", hub.course.url),
        "training index": ("visitor", hub.training.url),
        "resources": ("visitor", hub.resources.url),
        "search": ("visitor", hub.home.url + "search/?q=wellbeing"),
        "search (signed in)": ("school", hub.home.url + "search/?q=wellbeing"),
        "calendar": ("visitor", hub.calendar.url),
        "task list": ("school", reverse("schools:return_task_list", args=[world.audit_return.pk])),
        "wizard step GET": ("school", wizard),
        "wizard step POST": ("school-post", wizard),
        "adviser review": ("adviser", reverse("schools:return_review", args=[world.submitted.pk])),
        "adviser home": ("adviser", reverse("portal:dashboard")),
        "QA manager home": ("qa", reverse("portal:dashboard")),
        "risk list": ("qa", reverse("schools:risk_list")),
        "action plans": ("qa", reverse("schools:plan_list")),
        "complaints tracker": ("qa", tracker),
        "complaints tracker filtered": ("qa", tracker + "?status=all&source=parent&theme=dsl-role"),
        "complaint detail": ("qa", reverse("complaints:complaint_detail", args=[world.complaint.pk])),
        "quarterly report": ("qa", reverse("complaints:report")),
        "QPAG dashboard": ("qa", reverse("qpag:dashboard") + "?period=2026-10"),
        "QPAG pack (draft)": ("qa", reverse("qpag:pack_detail", args=[world.pack.pk])),
        "case-file audits": ("qa", reverse("qpag:case_file_audit_list")),
    }


def _wizard_data(world) -> dict[str, str]:
    """Save and continue on the first page of the first section, with the versions on file."""
    questions = sections_for_return(world.audit_return)[0].pages[0]
    versions = dict(
        Answer.objects.filter(audit_return=world.audit_return, question__in=questions).values_list(
            "question", "version"
        )
    )
    data = {"save_and_continue": "1"}
    for q in questions:
        data[f"q{q.pk}"] = WIZARD_ANSWERS.get(q.answer_type, "")
        data[f"q{q.pk}_version"] = str(versions.get(q.pk, 0))
    return data


def _request(clients, who: str, path: str, data: dict | None):
    if who == "school-post":
        response = clients["school"].post(path, data)
        assert response.status_code == 302, (path, response.status_code)
    else:
        response = clients[who].get(path)
        assert response.status_code == 200, (path, response.status_code)


def _visit(clients, world, who: str, path: str) -> CaptureQueriesContext:
    """The page's queries only (the form data for a post is read before counting)."""
    data = _wizard_data(world) if who == "school-post" else None
    with CaptureQueriesContext(connection) as captured:
        _request(clients, who, path, data)
    return captured


def _warm(clients, world, pages) -> None:
    """Twice: the first visit may create rows read on every page (site settings, navigation), and
    fills the caches (site root paths, content types)."""
    for _ in range(2):
        for who, path in pages.values():
            _visit(clients, world, who, path)


def test_every_key_page_keeps_its_query_budget_as_the_data_grows(
    world, adviser, qa_manager, django_assert_max_num_queries, subtests
):
    clients = {who: Client() for who in ("visitor", "school", "adviser", "qa")}
    clients["school"].force_login(world.dsl)
    clients["adviser"].force_login(adviser)
    clients["qa"].force_login(qa_manager)
    pages = _pages(world)

    world.grow(1)
    rows = {model: model.objects.count() for model in GROWING}
    _warm(clients, world, pages)
    small = {name: len(_visit(clients, world, who, path)) for name, (who, path) in pages.items()}
    for name, count in small.items():
        with subtests.test(msg="small", page=name):
            if name in OVER_BUDGET:
                assert count == OVER_BUDGET[name], f"{name}: {count} queries, expected {OVER_BUDGET[name]}; {small}"
            else:
                assert count <= BUDGET, f"{name}: {count} queries, budget {BUDGET}; all: {small}"

    world.grow(LARGE)
    for model in GROWING:
        assert model.objects.count() >= 4 * rows[model], f"{model.__name__} did not grow enough"
    _warm(clients, world, pages)
    for name, (who, path) in pages.items():
        data = _wizard_data(world) if who == "school-post" else None
        with subtests.test(msg="large", page=name), django_assert_max_num_queries(small[name], info=name):
            _request(clients, who, path, data)
