"""In Chromium: a QA manager signs in, is sent to set up two-factor authentication, types
the key from the page into "their app" (a code computed here), saves the recovery codes and
reaches the dashboard; signing in again asks for a code. Axe scans the set-up page."""

import base64

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from portal.roles import Role
from tests.browser.helpers import sign_in, sign_out
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def code_from_key(manual_key: str, *, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for the key a person typed in."""
    key = base64.b32decode(manual_key.replace(" ", "").upper())
    return f"{totp(key, drift=steps_ahead):06d}"


@pytest.fixture
def qa_manager(migrated_reference_data, live_server, settings):
    settings.PORTAL_TWO_FACTOR_ENFORCED = True  # the live server reads the same settings
    return UserFactory(roles=[Role.QA_MANAGER], email="qa@example.org", first_name="Quinn", last_name="QA")


def test_a_qa_manager_sets_up_two_factor_and_is_asked_for_a_code_next_time(
    page, live_server, qa_manager, assert_accessible
):
    base = live_server.url
    sign_in(page, base, "qa@example.org")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor authentication")
    expect(page.get_by_role("img", name="QR code for adding the portal to your authenticator app")).to_be_visible()
    assert_accessible(page)

    key = page.locator("#manual-key").inner_text()

    # A wrong code first: the error summary, and nothing set up.
    page.get_by_label("Security code").fill(f"{(int(code_from_key(key)) + 1) % 1_000_000:06d}")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The security code is not correct")
    assert_accessible(page)
    assert page.locator("#manual-key").inner_text() == key  # the same secret
    page.wait_for_timeout(1100)  # django-otp's one-second back-off after a wrong code
    page.get_by_label("Security code").fill(code_from_key(key))
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Save your recovery codes")
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    assert_accessible(page)
    page.get_by_label("I have saved my recovery codes somewhere safe").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Two-factor authentication is on")
    assert page.url.rstrip("/").endswith("/dashboard")

    sign_out(page)
    sign_in(page, base, "qa@example.org")
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
    assert_accessible(page)
    # The code used to set up cannot be used again: the app's next one is accepted.
    page.get_by_label("Security code").fill(code_from_key(key, steps_ahead=1))
    page.get_by_role("button", name="Continue").click()
    assert page.url.rstrip("/").endswith("/dashboard")
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Enter your security code")
