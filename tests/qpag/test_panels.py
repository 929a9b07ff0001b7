"""The QPAG panel on the QA manager's and the senior manager's home: audits overdue and due,
waiting for moderation, triple-lock reviews due or overdue, grade differences for the moderation
panel and the latest pack. Nobody else sees it, and it costs the same queries however many
audits there are."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.roles import Role
from qpag import services
from qpag.constants import Grade
from qpag.dashboard_panels import qpag_panel_counts
from qpag.models import QpagPack

from .conftest import D

DASHBOARD = reverse("portal:dashboard")
TODAY = D("2026-11-26")


def panel(client) -> str:
    """The QPAG panel's HTML, or "" when the dashboard has none."""
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    html = response.content.decode()
    if 'id="qpag-panel"' not in html:
        return ""
    return html.split('id="qpag-panel"', 1)[1].split("</div></div>", 1)[0]


def cell(html: str, row_id: str) -> int:
    row = html.split(f'id="{row_id}"', 1)[1].split("</tr>", 1)[0]
    return int(re.search(r">(\d+)<span", row).group(1))


@pytest.fixture
def november(make_audit, qa_manager):
    """As at 26 November 2026: one of each thing the panel counts, and some it must not."""
    make_audit(notified_on=D("2026-11-02"))  # overdue (due 16 Nov)
    make_audit(notified_on=D("2026-11-16"))  # due 30 Nov
    make_audit(notified_on=D("2026-11-23"))  # due 7 Dec: next month
    make_audit(notified_on=D("2026-10-01"), grade=Grade.GOOD)  # waiting for moderation
    make_audit(notified_on=D("2026-10-01"), grade=Grade.GOOD, moderated_grade=Grade.REQUIRES_IMPROVEMENT)  # differs
    make_audit(notified_on=D("2026-10-01"), grade=Grade.GOOD, moderated_grade=Grade.GOOD)  # agrees
    discussed = make_audit(notified_on=D("2026-09-01"), grade=Grade.GOOD, moderated_grade=Grade.OUTSTANDING)
    services.casefile_audit_panel_record(
        audit=discussed, user=qa_manager, discussed_on=D("2026-09-20"), learning="Grade the impact."
    )
    make_audit(notified_on=D("2026-10-01"), grade=Grade.INADEQUATE)  # review due 8 Nov: overdue
    make_audit(notified_on=D("2026-11-03"), grade=Grade.INADEQUATE)  # review due 10 Dec


def test_the_counts_as_at_a_day(november):
    assert qpag_panel_counts(today=TODAY) == {
        "overdue": 1,
        "due_this_month": 1,
        "notified_this_month": 4,
        "awaiting_moderation": 3,  # the good one and the two inadequate ones
        "grade_differences": 1,
        "reviews_overdue": 1,
        "reviews_due": 1,
    }


def test_a_review_completed_or_stood_down_is_not_counted(november, qa_manager):
    from qpag.models import TripleLockReview

    review = TripleLockReview.objects.order_by("due_on").first()
    services.triple_lock_review_complete(
        review=review, user=qa_manager, completed_on=D("2026-11-20"), actions_progressed=True, findings="Done."
    )
    counts = qpag_panel_counts(today=TODAY)
    assert (counts["reviews_overdue"], counts["reviews_due"]) == (0, 1)


def _recent(make_audit, n: int) -> None:
    today = timezone.localdate()
    for _ in range(n):
        make_audit(notified_on=today - datetime.timedelta(days=20))  # overdue
        make_audit(notified_on=today - datetime.timedelta(days=30), grade=Grade.INADEQUATE)


@pytest.mark.parametrize("role", [Role.QA_MANAGER, Role.SENIOR_MANAGER])
def test_qa_and_senior_managers_see_the_panel_with_counts_and_links(role, client, make_user, make_audit):
    _recent(make_audit, 2)
    pack = QpagPack.objects.create(month=D("2026-10-01"))
    client.force_login(make_user(role, email=f"{role.value}.panel@example.org"))
    html = panel(client)
    assert "Case-file audits and QPAG" in html
    assert cell(html, "qpag-overdue") == 2
    assert cell(html, "qpag-moderation") == 2
    assert cell(html, "qpag-reviews-overdue") + cell(html, "qpag-reviews-due") == 2
    assert 'href="/qpag/case-file-audits/?overdue=on"' in html
    assert f'href="/qpag/packs/{pack.pk}/"' in html and "QPAG pack for October 2026" in html
    assert 'govuk-tag--yellow">Draft' in html
    assert 'href="/qpag/"' in html
    assert ("Add the narrative for each section" in html) == (role == Role.QA_MANAGER)


def test_with_no_audits_or_pack_the_panel_says_so(client, qa_manager):
    client.force_login(qa_manager)
    html = panel(client)
    assert cell(html, "qpag-overdue") == 0
    assert "No QPAG pack has been drafted yet." in html


@pytest.mark.parametrize("role", [Role.ADVISER, Role.SCHOOL_USER, Role.EDITOR, Role.COMMISSIONING_OFFICER])
def test_other_roles_do_not_see_the_panel(role, client, make_user, make_audit):
    _recent(make_audit, 1)
    client.force_login(make_user(role, email=f"{role.value}.panel@example.org"))
    assert panel(client) == ""


def test_the_panel_costs_the_same_queries_however_many_audits(client, qa_manager, make_audit):
    client.force_login(qa_manager)
    _recent(make_audit, 1)
    QpagPack.objects.create(month=D("2026-10-01"))
    panel(client)  # warm up: the first request loads site settings and caches
    with CaptureQueriesContext(connection) as small:
        panel(client)
    _recent(make_audit, 4)
    with CaptureQueriesContext(connection) as large:
        panel(client)
    qpag = [q["sql"] for q in large.captured_queries if "qpag_" in q["sql"]]
    assert len(large.captured_queries) == len(small.captured_queries)
    assert len(qpag) <= 3
