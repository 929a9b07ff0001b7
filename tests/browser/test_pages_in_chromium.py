"""Real headless Chromium: pages render, sign-in works by keyboard alone, axe finds
no serious or critical WCAG 2.2 AA violations, and the timeout warning works."""

import re

import pytest
from playwright.sync_api import expect

from portal.management.commands.seed_demo import DEFAULT_DEMO_PASSWORD

# serialized_rollback: put back the data migrations' rows (roles, themes, home page)
# that a transactional test flushes, so later tests still find them.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ADVISER = "adviser@council.example.org"


def sign_in(page, base_url, email=ADVISER):
    page.goto(f"{base_url}/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(DEFAULT_DEMO_PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{base_url}/dashboard/")


def test_home_page_renders_and_is_accessible(page, site, assert_accessible):
    page.goto(site.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Schools safeguarding portal")
    expect(page.locator(".govuk-phase-banner")).to_be_visible()
    expect(page.get_by_role("link", name="Skip to main content")).to_be_attached()
    # GOV.UK Frontend's JavaScript ran.
    expect(page.locator("body")).to_have_class(re.compile("govuk-frontend-supported"))
    assert_accessible(page)


def test_sign_in_page_with_errors_is_accessible(page, site, assert_accessible):
    page.goto(site.url + "/sign-in/")
    assert_accessible(page)
    page.locator("main").get_by_role("button", name="Sign in").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()  # GOV.UK Frontend moves focus to the summary
    expect(page).to_have_title(re.compile("^Error: Sign in"))
    summary.get_by_role("link", name="Enter your password").click()
    expect(page.get_by_label("Password")).to_be_focused()
    assert_accessible(page)


def test_sign_in_by_keyboard_alone(page, site):
    page.goto(site.url + "/sign-in/")
    # Start from the top of the page, as a keyboard user does: skip link first.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "id_username":
            break
    expect(page.get_by_label("Email address")).to_be_focused()
    page.keyboard.type(ADVISER)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.type(DEFAULT_DEMO_PASSWORD)
    page.keyboard.press("Enter")
    # The browser keeps the skip link's #main-content across the redirect.
    expect(page).to_have_url(re.compile(re.escape(f"{site.url}/dashboard/")))
    expect(page.get_by_role("heading", level=1)).to_have_text("Adviser home")


@pytest.mark.parametrize(
    ("email", "heading"),
    [
        ("dsl@oakfield-primary.example.org", "Your school's safeguarding"),
        ("qa.manager@council.example.org", "Quality assurance home"),
    ],
)
def test_dashboards_render_and_are_accessible(page, site, assert_accessible, email, heading):
    sign_in(page, site.url, email)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.get_by_text("Signed in as")).to_be_visible()
    assert_accessible(page)


def test_invitation_form_errors_are_accessible(page, site, assert_accessible):
    sign_in(page, site.url, "qa.manager@council.example.org")
    page.goto(site.url + "/invitations/new/")
    page.locator("main").get_by_role("button", name="Send invitation").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    summary.get_by_role("link", name="Select the person's role").click()
    expect(page.locator("#id_role_0")).to_be_focused()
    assert_accessible(page)


def test_session_timeout_warning_and_stay_signed_in(page, site):
    page.clock.install()
    sign_in(page, site.url)
    dialog = page.get_by_role("dialog", name="You will be signed out soon")
    expect(dialog).to_be_hidden()
    page.clock.run_for("28:30")  # 30-minute session, warning 2 minutes before the end
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Stay signed in")).to_be_focused()
    with page.expect_response(re.compile(r"/session/extend/$")) as extend:
        dialog.get_by_role("button", name="Stay signed in").click()
    assert extend.value.status == 204
    expect(dialog).to_be_hidden()


def test_session_timeout_signs_out_when_ignored(page, site):
    page.clock.install()
    sign_in(page, site.url)
    page.clock.run_for("30:05")
    expect(page).to_have_url(re.compile(r"/signed-out/\?reason=timeout$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("You have been signed out")
    page.goto(site.url + "/dashboard/")
    expect(page).to_have_url(re.compile(r"/sign-in/"))
