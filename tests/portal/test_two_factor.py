"""Two-factor authentication: staff must set up and enter a code, school users may opt in,
recovery codes, throttling, and re-authentication before security changes."""

import datetime
import time

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.log_actions import registry as log_registry
from wagtail.models import ModelLogEntry, Site

from learning_hub.models import LearningHubHomePage
from portal.roles import STAFF_ROLES, Role
from portal.two_factor import services
from portal.two_factor.log_actions import ACTIONS
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

SIGN_IN = reverse("portal:sign_in")
DASHBOARD = reverse("portal:dashboard")
SETUP = reverse("two_factor:setup")
VERIFY = reverse("two_factor:verify")
VERIFY_RECOVERY = reverse("two_factor:verify_recovery")
CODES = reverse("two_factor:recovery_codes")
OVERVIEW = reverse("two_factor:overview")
REAUTH = reverse("two_factor:reauthenticate")
REGENERATE = reverse("two_factor:regenerate")
DISABLE = reverse("two_factor:disable")


@pytest.fixture
def enforced(settings):
    settings.PORTAL_TWO_FACTOR_ENFORCED = True
    return settings


def code_for(device, *, steps_ahead: int = 0) -> str:
    """The code the app shows now (or that many 30-second steps ahead: a TOTP code is
    accepted once, so a second check in the same test uses the next step's)."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=steps_ahead):06d}"


def give_two_factor(user) -> tuple[TOTPDevice, list[str]]:
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    return device, services.recovery_codes_create(user=user)


def wait_out_backoff(device) -> None:
    """As if the few seconds django-otp asks for after a wrong code had passed."""
    type(device).objects.filter(pk=device.pk).update(throttling_failure_timestamp=None, throttling_failure_count=0)


def sign_in(client, user):
    return client.post(SIGN_IN, {"username": user.email, "password": TEST_PASSWORD})


def mark_verified(client, device) -> None:
    """A session that has already entered a code (what django_otp.login stores)."""
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def mark_reauthenticated(client, *, minutes_ago: float = 0) -> None:
    session = client.session
    session[services.REAUTHENTICATED_AT_KEY] = time.time() - minutes_ago * 60
    session.save()


def html_of(response) -> str:
    return response.content.decode()


def logged(user, action: str) -> int:
    return ModelLogEntry.objects.filter(action=action, object_id=str(user.pk)).count()


# Who must enter a code -------------------------------------------------------------------


@pytest.mark.parametrize("role", sorted(STAFF_ROLES), ids=lambda r: r.value)
@pytest.mark.parametrize("path", [DASHBOARD, "/admin/", "/", OVERVIEW])
def test_staff_without_an_app_are_sent_to_set_one_up_from_every_page(client, enforced, make_user, role, path):
    client.force_login(make_user(role))
    response = client.get(path)
    assert response.status_code == 302
    assert response.url == f"{SETUP}?next={path.replace('/', '%2F')}"


def test_superusers_count_as_staff(client, enforced, make_user):
    client.force_login(make_user(is_superuser=True))
    assert client.get("/admin/").url.startswith(SETUP)


@pytest.mark.parametrize("path", [DASHBOARD, "/admin/", "/admin/pages/", "/complaints/", "/"])
def test_staff_with_an_app_must_enter_a_code_before_any_page(client, enforced, qa_manager, path):
    give_two_factor(qa_manager)
    sign_in(client, qa_manager)
    response = client.get(path)
    assert response.status_code == 302
    assert response.url.startswith(f"{VERIFY}?next=")


def test_a_verified_session_reaches_the_dashboard_and_the_admin(client, enforced, qa_manager):
    device, _ = give_two_factor(qa_manager)
    client.force_login(qa_manager)
    mark_verified(client, device)
    assert client.get(DASHBOARD).status_code == 200
    assert client.get("/admin/").status_code == 200


def test_school_users_are_not_made_to_use_two_factor(client, enforced, school_user):
    sign_in(client, school_user)
    assert client.get(DASHBOARD).status_code == 200
    assert client.get(OVERVIEW).status_code == 200


def test_school_users_who_opted_in_must_enter_a_code(client, enforced, school_user):
    give_two_factor(school_user)
    sign_in(client, school_user)
    response = client.get(DASHBOARD)
    assert response.url == f"{VERIFY}?next=%2Fdashboard%2F"


def test_pages_before_the_code_stay_open(client, enforced, qa_manager):
    give_two_factor(qa_manager)
    client.force_login(qa_manager)
    for path in (VERIFY, VERIFY_RECOVERY, reverse("portal:signed_out"), reverse("portal:password_reset"), "/healthz"):
        assert client.get(path).status_code == 200, path
    assert client.post(reverse("portal:sign_out")).status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.fixture
def hub_home(db):
    home = Site.objects.get(is_default_site=True).root_page
    page = home.add_child(instance=LearningHubHomePage(title="Learning hub", slug="learning-hub", intro="Training"))
    page.save_revision().publish()
    return page


@pytest.mark.parametrize("path", ["/", SIGN_IN, "/learning-hub/", reverse("portal:password_reset"), "/healthz"])
def test_anonymous_visitors_see_public_pages_as_before(client, enforced, hub_home, path):
    assert client.get(path).status_code == 200


def test_a_signed_in_member_of_staff_sees_no_page_before_the_code(client, enforced, hub_home, adviser):
    give_two_factor(adviser)
    sign_in(client, adviser)
    assert client.get("/learning-hub/").url.startswith(VERIFY)


def test_anonymous_visitors_to_two_factor_pages_are_sent_to_sign_in(client, enforced):
    for path in (OVERVIEW, SETUP, VERIFY, VERIFY_RECOVERY, REAUTH, REGENERATE, DISABLE, CODES):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.url.startswith(SIGN_IN), path


def test_with_the_setting_off_staff_are_not_made_to_set_up(client, settings, qa_manager):
    settings.PORTAL_TWO_FACTOR_ENFORCED = False
    client.force_login(qa_manager)
    assert client.get(DASHBOARD).status_code == 200
    assert client.get("/admin/").status_code == 200


def test_with_the_setting_off_people_who_set_it_up_are_still_asked_at_sign_in(client, settings, school_user):
    settings.PORTAL_TWO_FACTOR_ENFORCED = False
    give_two_factor(school_user)
    sign_in(client, school_user)
    assert client.get(DASHBOARD).url.startswith(VERIFY)


# Setting up --------------------------------------------------------------------------------


def test_set_up_with_a_wrong_code_then_the_right_one(client, enforced, adviser):
    sign_in(client, adviser)
    assert client.get(DASHBOARD).url.startswith(SETUP)
    page = client.get(f"{SETUP}?next=/complaints/")
    html = html_of(page)
    assert "Set up two-factor authentication" in html
    assert 'src="data:image/svg+xml;base64,' in html
    device = TOTPDevice.objects.get(user=adviser, confirmed=False)
    assert services.manual_key(device) in html
    assert 'autocomplete="one-time-code"' in html
    assert 'inputmode="numeric"' in html
    assert client.get(SETUP).context["manual_key"] == services.manual_key(device)  # same secret on reload

    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    response = client.post(SETUP, {"code": wrong, "next": "/complaints/"})
    assert response.status_code == 200
    assert 'class="govuk-error-summary"' in html_of(response)
    assert "The security code is not correct" in html_of(response)
    device.refresh_from_db()
    assert not device.confirmed

    wait_out_backoff(device)
    response = client.post(SETUP, {"code": code_for(device), "next": "/complaints/"})
    assert response.url == CODES
    device.refresh_from_db()
    assert device.confirmed
    assert StaticToken.objects.filter(device__user=adviser).count() == 10
    assert logged(adviser, "portal.two_factor.set_up") == 1

    page = client.get(CODES)
    codes = page.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(code in html_of(page) for code in codes)
    response = client.post(CODES, {})
    assert "Confirm that you have saved your recovery codes" in html_of(response)
    response = client.post(CODES, {"saved": "on"})
    assert response.url == "/complaints/"
    assert client.get(CODES).url == OVERVIEW  # shown once
    assert client.get(DASHBOARD).status_code == 200  # this session is verified


@pytest.mark.parametrize("typed", ["", "12345", "abcdef", "1234567", "12 34 5x"])
def test_set_up_refuses_codes_that_are_not_six_digits(client, enforced, adviser, typed):
    client.force_login(adviser)
    response = client.post(SETUP, {"code": typed})
    assert response.status_code == 200
    assert 'class="govuk-error-summary"' in html_of(response)
    assert not TOTPDevice.objects.filter(user=adviser, confirmed=True).exists()


def test_someone_with_only_the_password_cannot_replace_the_app(client, enforced, adviser):
    device, _ = give_two_factor(adviser)
    sign_in(client, adviser)
    response = client.get(SETUP)
    assert response.url.startswith(VERIFY)
    response = client.post(SETUP, {"code": "123456"})
    assert response.url.startswith(VERIFY)
    assert list(TOTPDevice.objects.filter(user=adviser)) == [device]


def test_replacing_the_app_needs_re_authentication_and_retires_the_old_one(client, enforced, adviser):
    old, _ = give_two_factor(adviser)
    client.force_login(adviser)
    mark_verified(client, old)
    response = client.get(SETUP)
    assert response.url == f"{REAUTH}?next=%2Faccount%2Ftwo-factor%2Fset-up%2F"
    response = client.post(response.url, {"password": TEST_PASSWORD, "code": code_for(old)})
    assert response.url == SETUP
    assert "Replace your authenticator app" in html_of(client.get(SETUP))
    new = TOTPDevice.objects.get(user=adviser, confirmed=False)
    assert client.post(SETUP, {"code": code_for(new)}).url == CODES
    assert list(TOTPDevice.objects.filter(user=adviser)) == [new]
    assert logged(adviser, "portal.two_factor.replace") == 1
    assert client.get(DASHBOARD).status_code == 200  # verified by the new app


# Entering a code at sign-in ------------------------------------------------------------------------


def test_sign_in_with_a_security_code_goes_where_they_were_going(client, enforced, qa_manager):
    device, _ = give_two_factor(qa_manager)
    response = client.post(f"{SIGN_IN}?next=/qpag/", {"username": qa_manager.email, "password": TEST_PASSWORD})
    response = client.get(response.url)
    assert response.url == f"{VERIFY}?next=%2Fqpag%2F"
    page = client.get(response.url)
    html = html_of(page)
    assert "Enter your security code" in html
    assert 'autocomplete="one-time-code"' in html and 'inputmode="numeric"' in html
    assert 'name="next" value="/qpag/"' in html
    response = client.post(VERIFY, {"code": code_for(device), "next": "/qpag/"})
    assert response.url == "/qpag/"
    assert client.get(DASHBOARD).status_code == 200
    assert logged(qa_manager, "portal.two_factor.verify") == 1


def test_a_code_is_accepted_once(client, enforced, qa_manager):
    device, _ = give_two_factor(qa_manager)
    code = code_for(device)
    sign_in(client, qa_manager)
    assert client.post(VERIFY, {"code": code}).url == DASHBOARD
    client.post(reverse("portal:sign_out"))
    sign_in(client, qa_manager)
    wait_out_backoff(device)
    response = client.post(VERIFY, {"code": code})
    assert response.status_code == 200
    assert "The security code is not correct" in html_of(response)


def test_a_recovery_code_works_once_and_says_how_many_are_left(client, enforced, school_user):
    _, codes = give_two_factor(school_user)
    sign_in(client, school_user)
    page = html_of(client.get(VERIFY_RECOVERY))
    assert "Enter a recovery code" in page
    response = client.post(VERIFY_RECOVERY, {"code": codes[0].upper().replace("-", " ")}, follow=True)
    assert response.redirect_chain[0][0] == DASHBOARD
    assert "You used a recovery code. You have 9 recovery codes left." in html_of(response)
    assert StaticToken.objects.filter(device__user=school_user).count() == 9
    assert logged(school_user, "portal.two_factor.recovery_code_used") == 1

    client.post(reverse("portal:sign_out"))
    sign_in(client, school_user)
    wait_out_backoff(StaticDevice.objects.get(user=school_user))
    response = client.post(VERIFY_RECOVERY, {"code": codes[0]})
    assert response.status_code == 200
    assert "The recovery code is not correct" in html_of(response)
    assert client.get(DASHBOARD).status_code == 302


def test_few_recovery_codes_left_is_a_warning(client, enforced, school_user):
    _, codes = give_two_factor(school_user)
    StaticToken.objects.filter(device__user=school_user).exclude(
        token__in=[c.replace("-", "") for c in codes[:3]]
    ).delete()
    sign_in(client, school_user)
    response = client.post(VERIFY_RECOVERY, {"code": codes[0]}, follow=True)
    assert "You have 2 recovery codes left. Create new ones" in html_of(response)


def test_a_quick_retry_after_a_wrong_code_is_asked_to_wait(client, enforced, qa_manager):
    device, _ = give_two_factor(qa_manager)
    sign_in(client, qa_manager)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    assert "The security code is not correct" in html_of(client.post(VERIFY, {"code": wrong}))
    response = client.post(VERIFY, {"code": code_for(device)})  # within django-otp's one-second back-off
    assert "You entered a wrong code. Wait 1 second before you try again" in html_of(response)
    assert client.get(DASHBOARD).status_code == 302


def test_five_wrong_codes_stop_codes_being_accepted_for_a_while(client, enforced, settings, qa_manager):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # without the seconds-long back-off, to reach five quickly
    device, _ = give_two_factor(qa_manager)
    sign_in(client, qa_manager)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    for _ in range(4):
        assert "The security code is not correct" in html_of(client.post(VERIFY, {"code": wrong}))
    response = client.post(VERIFY, {"code": wrong})
    assert "You have entered too many wrong codes" in html_of(response)
    assert "Try again in 30 minutes" in html_of(response)
    assert logged(qa_manager, "portal.two_factor.code_wrong") == 5
    assert logged(qa_manager, "portal.two_factor.codes_locked") == 1

    # Even the right code is refused, and signing in again does not reset the count.
    client.post(reverse("portal:sign_out"))
    sign_in(client, qa_manager)
    response = client.post(VERIFY, {"code": code_for(device)})
    assert "You have entered too many wrong codes" in html_of(response)
    assert client.get(DASHBOARD).status_code == 302

    # After the wait, the right code works and the count starts again.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - datetime.timedelta(minutes=31)
    )
    assert client.post(VERIFY, {"code": code_for(device)}).url == DASHBOARD
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


@pytest.mark.parametrize(
    "next_url", ["https://evil.example.com/", "//evil.example.com/", "http:///evil.example.com", "javascript:alert(1)"]
)
def test_next_cannot_send_people_off_the_site(client, enforced, qa_manager, next_url):
    device, _ = give_two_factor(qa_manager)
    sign_in(client, qa_manager)
    page = html_of(client.get(VERIFY, {"next": next_url}))
    assert "evil" not in page and "javascript" not in page
    response = client.post(VERIFY, {"code": code_for(device), "next": next_url})
    assert response.url == DASHBOARD


def test_someone_without_two_factor_on_the_verify_page_goes_on(client, enforced, school_user):
    client.force_login(school_user)
    assert client.get(VERIFY, {"next": "/hub/"}).url == "/hub/"


# Re-authentication and changes ---------------------------------------------------------------------


def test_new_recovery_codes_need_re_authentication_and_retire_the_old_ones(client, enforced, qa_manager):
    device, old_codes = give_two_factor(qa_manager)
    client.force_login(qa_manager)
    mark_verified(client, device)

    response = client.get(REGENERATE)
    assert response.url == f"{REAUTH}?next=%2Faccount%2Ftwo-factor%2Frecovery-codes%2Fnew%2F"
    assert client.post(REGENERATE).url.startswith(REAUTH)  # a POST without it does nothing
    assert services.recovery_codes_remaining(qa_manager) == 10
    assert logged(qa_manager, "portal.two_factor.recovery_codes_regenerate") == 0

    page = html_of(client.get(response.url))
    assert "Confirm it is you" in page and 'autocomplete="current-password"' in page
    wrong = client.post(REAUTH, {"password": "not-my-password", "code": code_for(device), "next": REGENERATE})
    assert "The password is not correct" in html_of(wrong)
    assert logged(qa_manager, "portal.two_factor.reauthenticate_failed") == 1
    no_code = client.post(REAUTH, {"password": TEST_PASSWORD, "next": REGENERATE})
    assert "Enter a security code or one of your recovery codes" in html_of(no_code)
    response = client.post(REAUTH, {"password": TEST_PASSWORD, "code": code_for(device), "next": REGENERATE})
    assert response.url == REGENERATE
    assert logged(qa_manager, "portal.two_factor.reauthenticate") == 1

    assert "Create new recovery codes" in html_of(client.get(REGENERATE))
    assert client.post(REGENERATE).url == CODES
    new_codes = client.get(CODES).context["codes"]
    assert not set(new_codes) & set(old_codes)
    assert logged(qa_manager, "portal.two_factor.recovery_codes_regenerate") == 1
    client.post(CODES, {"saved": "on"})

    # The old codes no longer work at sign-in; the new ones do.
    client.post(reverse("portal:sign_out"))
    sign_in(client, qa_manager)
    assert "not correct" in html_of(client.post(VERIFY_RECOVERY, {"code": old_codes[1]}))
    wait_out_backoff(StaticDevice.objects.get(user=qa_manager))
    assert client.post(VERIFY_RECOVERY, {"code": new_codes[1]}).url == DASHBOARD


def test_re_authentication_lasts_ten_minutes(client, enforced, qa_manager):
    device, _ = give_two_factor(qa_manager)
    client.force_login(qa_manager)
    mark_verified(client, device)
    mark_reauthenticated(client, minutes_ago=9)
    assert client.get(REGENERATE).status_code == 200
    mark_reauthenticated(client, minutes_ago=11)
    assert client.get(REGENERATE).url.startswith(REAUTH)


def test_re_authentication_accepts_a_recovery_code(client, enforced, qa_manager):
    device, codes = give_two_factor(qa_manager)
    client.force_login(qa_manager)
    mark_verified(client, device)
    response = client.post(REAUTH, {"password": TEST_PASSWORD, "code": codes[2], "next": REGENERATE})
    assert response.url == REGENERATE
    assert services.recovery_codes_remaining(qa_manager) == 9


def test_wrong_passwords_when_confirming_count_towards_the_lockout(client, enforced, school_user):
    client.force_login(school_user)
    for _ in range(4):
        assert client.post(REAUTH, {"password": "wrong-password-123"}).status_code == 200
    response = client.post(REAUTH, {"password": "wrong-password-123"})
    assert response.status_code == 429
    assert "Your account is locked for now" in html_of(response)


def test_a_school_user_turns_two_factor_off_after_confirming(client, enforced, school_user):
    device, _ = give_two_factor(school_user)
    client.force_login(school_user)
    mark_verified(client, device)
    assert "Turn off two-factor authentication" in html_of(client.get(OVERVIEW))
    assert client.post(DISABLE).url.startswith(REAUTH)
    assert TOTPDevice.objects.filter(user=school_user).exists()

    client.post(REAUTH, {"password": TEST_PASSWORD, "code": code_for(device), "next": DISABLE})
    assert "Turn off two-factor authentication" in html_of(client.get(DISABLE))
    assert client.post(DISABLE).url == OVERVIEW
    assert not TOTPDevice.objects.filter(user=school_user).exists()
    assert not StaticDevice.objects.filter(user=school_user).exists()
    assert logged(school_user, "portal.two_factor.disable") == 1
    assert client.get(DASHBOARD).status_code == 200

    client.post(reverse("portal:sign_out"))
    sign_in(client, school_user)
    assert client.get(DASHBOARD).status_code == 200  # no code asked


@pytest.mark.parametrize("role", [Role.ADVISER, Role.QA_MANAGER, Role.EDITOR], ids=lambda r: r.value)
def test_staff_cannot_turn_two_factor_off(client, enforced, make_user, role):
    user = make_user(role)
    device, _ = give_two_factor(user)
    client.force_login(user)
    mark_verified(client, device)
    mark_reauthenticated(client)
    assert "cannot be turned off" in html_of(client.get(OVERVIEW))
    assert client.get(DISABLE).status_code == 403
    assert client.post(DISABLE).status_code == 403
    with pytest.raises(services.StaffMustUseTwoFactor):
        services.two_factor_disable(request=None, user=user)
    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def test_the_account_security_page_for_a_school_user_without_two_factor(client, enforced, school_user):
    client.force_login(school_user)
    html = html_of(client.get(OVERVIEW))
    assert "Two-factor authentication is <strong>off</strong>" in html
    assert f'href="{SETUP}?next={OVERVIEW}"' in html
    assert client.get(REGENERATE).url.startswith(REAUTH)
    mark_reauthenticated(client)
    assert client.get(REGENERATE).url == OVERVIEW  # nothing to regenerate
    assert client.get(DISABLE).url == OVERVIEW


def test_a_school_user_opts_in(client, enforced, school_user):
    sign_in(client, school_user)
    client.get(f"{SETUP}?next={OVERVIEW}")
    device = TOTPDevice.objects.get(user=school_user)
    client.post(SETUP, {"code": code_for(device), "next": OVERVIEW})
    assert client.post(CODES, {"saved": "on"}).url == OVERVIEW
    assert "Two-factor authentication is <strong>on</strong>" in html_of(client.get(OVERVIEW))
    client.post(reverse("portal:sign_out"))
    sign_in(client, school_user)
    assert client.get(DASHBOARD).url.startswith(VERIFY)


def test_every_two_factor_log_action_is_registered():
    for action, _label, _message in ACTIONS:
        assert log_registry.action_exists(action), action
