"""Sign-in, sign-out, wrong password, lockout and password reset."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import TEST_PASSWORD

SIGN_IN = reverse("portal:sign_in")


def sign_in(client, email, password):
    return client.post(SIGN_IN, {"username": email, "password": password})


@pytest.mark.django_db
def test_sign_in_page_renders_with_govuk_form(client):
    response = client.get(SIGN_IN)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="govuk-heading-xl">Sign in</h1>' in html
    assert 'class="govuk-input"' in html
    assert 'autocomplete="email"' in html


def test_sign_in_with_correct_password_lands_on_dashboard(client, adviser):
    response = sign_in(client, adviser.email, TEST_PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("portal:dashboard")
    assert client.get(reverse("portal:dashboard")).status_code == 200


def test_sign_in_ignores_the_case_of_the_email(client, adviser):
    response = sign_in(client, adviser.email.upper(), TEST_PASSWORD)
    assert response.status_code == 302


def test_sign_in_honours_a_safe_next_and_refuses_an_external_one(client, adviser):
    response = client.post(SIGN_IN + "?next=/invitations/", {"username": adviser.email, "password": TEST_PASSWORD})
    assert response.url == "/invitations/"
    client.logout()
    response = client.post(
        SIGN_IN + "?next=https://evil.example.com/", {"username": adviser.email, "password": TEST_PASSWORD}
    )
    assert response.url == reverse("portal:dashboard")


def test_wrong_password_shows_error_summary_and_keeps_email(client, adviser):
    response = sign_in(client, adviser.email, "not-the-password")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: Sign in" in html
    assert 'class="govuk-error-summary"' in html
    assert '<a href="#id_username">The email address or password is not correct</a>' in html
    assert f'value="{adviser.email}"' in html  # what was typed is kept
    assert "_auth_user_id" not in client.session


def test_empty_sign_in_links_each_error_to_its_field(client, db):
    html = client.post(SIGN_IN, {}).content.decode()
    assert '<a href="#id_username">Enter your email address</a>' in html
    assert '<a href="#id_password">Enter your password</a>' in html
    assert 'id="id_username-error"' in html
    assert 'aria-describedby="id_username-error"' in html


def test_inactive_account_cannot_sign_in(client, make_user):
    user = make_user(is_active=False)
    response = sign_in(client, user.email, TEST_PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_signed_in_user_visiting_sign_in_goes_to_dashboard(client, adviser):
    client.force_login(adviser)
    response = client.get(SIGN_IN)
    assert response.status_code == 302
    assert response.url == reverse("portal:dashboard")


def test_sign_out_ends_the_session(client, adviser):
    client.force_login(adviser)
    response = client.post(reverse("portal:sign_out"))
    assert response.status_code == 302
    assert response.url == reverse("portal:signed_out")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("portal:dashboard")).status_code == 302


def test_sign_out_by_get_is_refused(client, adviser):
    client.force_login(adviser)
    assert client.get(reverse("portal:sign_out")).status_code == 405
    assert "_auth_user_id" in client.session


def test_timed_out_sign_out_page_explains_why(client, db):
    html = client.get(reverse("portal:signed_out") + "?reason=timeout").content.decode()
    assert "You have been signed out" in html
    assert "Anything you saved" in html


def test_account_locks_after_repeated_failures_with_clear_message(client, adviser):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, adviser.email, "wrong-password").status_code == 200
    response = sign_in(client, adviser.email, "wrong-password")
    assert response.status_code == 429
    html = response.content.decode()
    assert "Your account is locked for now" in html
    assert "30 minutes" in html
    # Even the right password is refused while locked.
    response = sign_in(client, adviser.email, TEST_PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_failures_below_the_limit_do_not_lock(client, adviser):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, adviser.email, "wrong-password")
    assert sign_in(client, adviser.email, TEST_PASSWORD).status_code == 302


def test_password_reset_by_email(client, adviser, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portal:password_reset"), {"email": adviser.email.upper()})
    assert response.status_code == 302
    assert response.url == reverse("portal:password_reset_sent")
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [adviser.email]
    assert message.subject == "Reset your password for the schools safeguarding portal"
    link = re.search(r"https?://[^/\s]+(/password-reset/\S+/)", message.body).group(1)

    response = client.get(link)  # Django swaps the token for a session value and redirects
    assert response.status_code == 302
    set_password_url = response.url
    html = client.get(set_password_url).content.decode()
    assert "Choose a new password" in html

    new_password = "a-brand-new-long-passphrase"
    response = client.post(set_password_url, {"new_password1": new_password, "new_password2": new_password})
    assert response.status_code == 302
    assert response.url == reverse("portal:password_reset_complete")
    adviser.refresh_from_db()
    assert adviser.check_password(new_password)
    # The link is spent.
    assert "This link does not work" in client.get(link, follow=True).content.decode()


def test_password_reset_rejects_weak_password_with_error_summary(client, adviser, mailoutbox):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(adviser.pk))
    token = default_token_generator.make_token(adviser)
    response = client.get(reverse("portal:password_reset_confirm", args=[uid, token]))
    response = client.post(response.url, {"new_password1": "short", "new_password2": "short"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert 'href="#id_new_password' in html
    adviser.refresh_from_db()
    assert adviser.check_password(TEST_PASSWORD)


def test_password_reset_for_unknown_email_says_the_same_and_sends_nothing(
    client, db, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portal:password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response.url == reverse("portal:password_reset_sent")
    assert mailoutbox == []


def test_password_reset_with_bad_email_shows_error(client, db):
    html = client.post(reverse("portal:password_reset"), {"email": "not-an-email"}).content.decode()
    assert '<a href="#id_email">Enter an email address in the correct format, like name@example.org</a>' in html


def test_tampered_reset_link_is_refused(client, adviser):
    response = client.get(reverse("portal:password_reset_confirm", args=["MQ", "bad-token"]))
    assert response.status_code == 200
    assert "This link does not work" in response.content.decode()
