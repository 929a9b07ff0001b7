"""In Chromium: a QA manager opens the audit dashboard (axe scan), drafts the QPAG pack for last
month, adds narrative, issues it and downloads the PDF."""

import datetime

import pytest
from playwright.sync_api import expect

from portal.roles import Role
from qpag.constants import Grade, Service
from qpag.dates import previous_month
from qpag.models import Auditor, QpagPack
from qpag.services import casefile_audit_create, casefile_audit_moderate, casefile_audit_record_grades
from tests.browser.helpers import sign_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def qa(migrated_reference_data, live_server):
    """A QA manager and one moderated case-file audit last month, so the pack has figures."""
    user = UserFactory(roles=[Role.QA_MANAGER], email="qa@example.org", first_name="Quinn", last_name="QA")
    auditor = Auditor.objects.create(name="Ava Auditor", service=Service.SOCIAL_CARE, team="North team")
    moderator = Auditor.objects.create(
        name="Mo Moderator", service=Service.SOCIAL_CARE, team="Managers", can_audit=False, can_moderate=True
    )
    notified = previous_month(datetime.date.today())
    audit = casefile_audit_create(
        user=user,
        case_number="BRW-0001",
        service=Service.SOCIAL_CARE,
        team="South team",
        auditor=auditor,
        notified_on=notified,
    )
    audit = casefile_audit_record_grades(
        audit=audit,
        user=user,
        overall_grade=Grade.GOOD,
        area_grades={"safety_and_risk": Grade.GOOD},
        audited_on=notified + datetime.timedelta(days=3),
        family_feedback_sought=True,
        family_feedback="Dad said he felt listened to.",
    )
    casefile_audit_moderate(
        audit=audit,
        user=user,
        moderator=moderator,
        moderated_on=notified + datetime.timedelta(days=5),
        overall_grade=Grade.GOOD,
    )
    return user


def test_a_qa_manager_drafts_issues_and_downloads_the_pack(page, live_server, qa, assert_accessible):
    base = live_server.url
    last_month = previous_month(datetime.date.today())

    sign_in(page, base, "qa@example.org")
    page.goto(f"{base}/qpag/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)

    # Draft the pack for last month (the form's default).
    page.goto(f"{base}/qpag/packs/")
    assert_accessible(page)
    expect(page.get_by_label("Year")).to_have_value(str(last_month.year))
    page.get_by_role("button", name="Draft the pack").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"QPAG pack: {last_month:%B %Y}")
    expect(page.locator("main")).to_contain_text("Draft: figures are live until issued")
    expect(page.locator("main")).to_contain_text("BRW-0001")
    assert_accessible(page)

    # Add narrative.
    page.get_by_role("button", name="Edit the narrative").click()
    page.get_by_label("Performance by exception").fill("No audits overdue this month.")
    page.get_by_label("Audits for reflective discussion").fill("Discuss BRW-0001: good voice of the child.")
    assert_accessible(page)
    page.get_by_role("button", name="Save the narrative").click()
    expect(page.locator("main")).to_contain_text("No audits overdue this month.")

    # Issue it.
    page.get_by_role("button", name="Issue the pack").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Issue the pack")
    page.locator("main").get_by_role("button", name="Issue the pack").click()
    expect(page.locator("main")).to_contain_text("Issued on")
    pack = QpagPack.objects.get()
    assert pack.is_issued and pack.figures["social_work"]["notified"] == 1

    # Download the PDF (produced by the Celery task, in-process here).
    download_link = page.get_by_role("button", name="Download PDF")
    with page.expect_download(timeout=60_000) as download:
        download_link.click()
    assert download.value.suggested_filename == f"qpag-pack-{last_month:%Y-%m}.pdf"
    with open(download.value.path(), "rb") as handle:  # noqa: PTH123
        assert handle.read(4) == b"%PDF"
