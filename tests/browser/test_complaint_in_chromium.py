"""In Chromium, the whole complaint flow: an adviser logs a complaint from an Ofsted
notification, investigates, pauses and resumes, drafts the response; a QA manager signs it
off; the adviser records it sent and turns the learning into an action plan; a senior
manager reviews it in the tracker, adds a scrutiny comment and downloads the quarterly
report. Axe scans the tracker, the detail page, the response page and the report."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from complaints.models import Complaint, ComplaintEvent, Status
from portal.roles import Role
from schools.models import ActionPlan, Setting, SettingKind
from tests.browser.helpers import sign_in, sign_out
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def people(migrated_reference_data, live_server):
    Setting.objects.create(name="Oakfield Primary School", urn="900001", kind=SettingKind.MAINTAINED_SCHOOL)
    return {
        "adviser": UserFactory(roles=[Role.ADVISER], email="adviser@example.org", first_name="Ada", last_name="Adv"),
        "qa": UserFactory(roles=[Role.QA_MANAGER], email="qa@example.org", first_name="Quinn", last_name="QA"),
        "senior": UserFactory(roles=[Role.SENIOR_MANAGER], email="senior@example.org", first_name="Sam"),
    }


def fill_date(scope, legend: str, day: datetime.date):
    group = scope.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def action(page, title: str):
    """Open the details component of an action on the detail page and return it."""
    details = page.locator("details", has=page.locator("summary", has_text=title)).first
    details.locator("summary").click()
    return details


def test_a_complaint_from_ofsted_notification_to_senior_scrutiny(page, live_server, people, assert_accessible):
    base = live_server.url
    today = datetime.date.today()

    # The adviser logs the complaint from an Ofsted notification.
    sign_in(page, base, "adviser@example.org")
    page.goto(f"{base}/complaints/")
    assert_accessible(page)
    page.get_by_role("button", name="Log a complaint").click()
    page.get_by_label("Setting", exact=True).select_option(label="Oakfield Primary School")
    page.get_by_role("button", name="Log the complaint").click()  # empty: errors, nothing lost
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a summary of the complaint")
    expect(page.get_by_label("Setting", exact=True)).to_have_value(str(Setting.objects.get().pk))
    fill_date(page, "Date received", today)
    page.get_by_label("Ofsted notification").check()
    page.get_by_label("Ofsted or DfE reference").fill("CMP-123456")
    page.get_by_label("Referral from another organisation").check()
    page.get_by_label("Summary of the complaint").fill(
        "Ofsted passed on a parent's concern that a disclosure went unrecorded."
    )
    page.get_by_label("The designated safeguarding lead").check()
    page.get_by_label("High").check()
    page.get_by_role("button", name="Log the complaint").click()
    complaint = Complaint.objects.get()
    expect(page.get_by_role("heading", level=1)).to_contain_text(complaint.reference)
    assert_accessible(page)

    # Acknowledge, investigate, pause and resume.
    details = action(page, "Record acknowledgement")
    fill_date(details, "Date acknowledged", today)
    details.get_by_role("button", name="Record acknowledgement").click()
    expect(page.locator(".govuk-notification-banner")).to_be_visible()
    page.get_by_role("button", name="Start investigation").click()
    details = action(page, "Pause")
    fill_date(details, "Date paused", today)
    details.get_by_label("What information are you waiting for?").fill("The school's safeguarding log")
    details.get_by_role("button", name="Pause the investigation").click()
    expect(page.locator("main")).to_contain_text("Paused")
    complaint.refresh_from_db()
    assert complaint.status == Status.PAUSED
    details = action(page, "Resume")
    fill_date(details, "Date resumed", today)
    details.get_by_role("button", name="Resume the investigation").click()
    complaint.refresh_from_db()
    assert complaint.status == Status.UNDER_INVESTIGATION

    # The response, drafted from the template and sent for sign-off.
    page.get_by_role("button", name="Write the response").click()
    expect(page.get_by_label("The response", exact=True)).to_have_value(re.compile(complaint.reference))
    page.get_by_label("Findings").fill("The disclosure was recorded two days late; the DSL was not told at once.")
    page.get_by_label("Partly upheld").check()
    assert_accessible(page)
    page.get_by_role("button", name="Send for sign-off").click()
    expect(page.locator("main")).to_contain_text("Awaiting sign-off")
    sign_out(page)

    # A QA manager signs it off from the sign-off queue on their home.
    sign_in(page, base, "qa@example.org")
    page.goto(f"{base}/dashboard/")
    page.locator("#awaiting-sign-off").get_by_role("link", name=complaint.reference).click()
    page.get_by_role("button", name="Sign off the response").click()
    expect(page.locator("main")).to_contain_text("Signed off")
    sign_out(page)

    # The adviser records it sent and opens an action plan for the learning.
    sign_in(page, base, "adviser@example.org")
    page.goto(f"{base}/complaints/{complaint.pk}/")
    details = action(page, "Record response as sent")
    fill_date(details, "Date the response was sent", today)
    details.get_by_role("button", name="Record response as sent").click()
    details = action(page, "Open an action plan for the learning")
    details.get_by_label("Title of the action plan").fill("Recording disclosures promptly")
    details.get_by_role("button", name="Open the action plan").click()
    complaint.refresh_from_db()
    assert complaint.status == Status.MONITORING_LEARNING
    plan = ActionPlan.objects.get()
    assert (plan.source, plan.source_reference) == ("complaint", complaint.reference)
    expect(page.get_by_role("link", name="Recording disclosures promptly")).to_be_visible()
    sign_out(page)

    # A senior manager reviews it in the tracker, read-only, and adds a scrutiny comment.
    sign_in(page, base, "senior@example.org")
    page.goto(f"{base}/complaints/")
    expect(page.get_by_text("Log a complaint")).to_have_count(0)
    page.get_by_role("link", name=complaint.reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(complaint.reference)
    expect(page.get_by_role("button", name="Start investigation")).to_have_count(0)
    expect(page.get_by_text("Change the details")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("Response signed off")
    details = action(page, "Add a scrutiny comment")
    details.get_by_role("textbox").fill("Good learning; bring to QPAG next month.")
    details.get_by_role("button", name="Add the comment").click()
    expect(page.locator("main")).to_contain_text("bring to QPAG next month")
    assert complaint.events.filter(kind=ComplaintEvent.Kind.SCRUTINY, user=people["senior"]).exists()

    # And downloads the quarterly report.
    page.goto(f"{base}/complaints/reports/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Download XLSX").click()
    # The snapshot page: produced by the Celery task (in-process here), then offered for download.
    download_button = page.get_by_role("button", name=re.compile("^Download XLSX"))
    expect(download_button).to_be_visible(timeout=15_000)
    assert_accessible(page)
    with page.expect_download() as download:
        download_button.click()
    assert download.value.suggested_filename.endswith(".xlsx")
