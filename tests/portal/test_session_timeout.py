"""The session ends after inactivity, with a warning first (WCAG 2.2.1)."""

from django.conf import settings
from django.urls import reverse

EXTEND = reverse("portal:session_extend")


def test_signed_in_pages_carry_the_timeout_warning(client, adviser):
    client.force_login(adviser)
    html = client.get(reverse("portal:dashboard")).content.decode()
    assert 'id="session-timeout"' in html
    assert f'data-timeout-seconds="{settings.SESSION_COOKIE_AGE}"' in html
    assert 'data-warning-seconds="120"' in html
    assert "Stay signed in" in html


def test_anonymous_pages_have_no_timeout_warning(client, db):
    assert 'id="session-timeout"' not in client.get(reverse("portal:sign_in")).content.decode()


def test_warning_gives_at_least_two_minutes_notice():
    assert settings.SESSION_TIMEOUT_WARNING_SECONDS >= 120
    assert settings.SESSION_COOKIE_AGE > settings.SESSION_TIMEOUT_WARNING_SECONDS


def test_stay_signed_in_renews_the_session(client, adviser):
    client.force_login(adviser)
    before = client.session.get_expiry_date()
    response = client.post(EXTEND)
    assert response.status_code == 204
    assert client.session.get_expiry_date() >= before


def test_stay_signed_in_refuses_get_and_anonymous(client, adviser, db):
    assert client.post(EXTEND).status_code == 302  # anonymous: to sign in
    client.force_login(adviser)
    assert client.get(EXTEND).status_code == 405


def test_expired_session_sends_the_user_to_sign_in(client, adviser):
    client.force_login(adviser)
    session = client.session
    session.set_expiry(-1)
    session.save()
    response = client.get(reverse("portal:dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("portal:sign_in"))
