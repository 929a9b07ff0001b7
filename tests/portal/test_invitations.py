"""Invitations: who may invite whom, the emailed link, accepting, expiry and reuse."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from portal import services
from portal.models import Invitation, User
from portal.roles import Role

NEW_PASSWORD = "a-long-and-unusual-passphrase"


def invite(client, role=Role.SCHOOL_USER, email="new.dsl@school.example.org"):
    return client.post(
        reverse("portal:invitation_create"),
        {"first_name": "Nia", "last_name": "Evans", "email": email, "role": role.value},
    )


def accept_link_from(message) -> str:
    return re.search(r"https?://[^/\s]+(/invitations/accept/\S+/)", message.body).group(1)


def test_qa_manager_invites_and_the_person_gets_an_email(
    client, qa_manager, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(qa_manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, Role.ADVISER, "New.Adviser@Example.org")
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "new.adviser@example.org"
    assert invitation.role == Role.ADVISER
    assert invitation.invited_by == qa_manager
    assert abs(invitation.expires_at - invitation.created_at - timedelta(days=7)) < timedelta(seconds=5)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["new.adviser@example.org"]
    assert "as an adviser" in mailoutbox[0].body
    # Only a hash of the token is stored.
    token = accept_link_from(mailoutbox[0]).rstrip("/").rsplit("/", 1)[-1]
    assert token not in invitation.token_hash
    assert ModelLogEntry.objects.filter(action="portal.invitation.create", object_id=str(invitation.pk)).exists()


def test_invitation_form_errors_are_summarised_and_input_kept(client, qa_manager):
    client.force_login(qa_manager)
    response = client.post(reverse("portal:invitation_create"), {"first_name": "Nia", "email": "nope"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Invite someone" in html
    assert '<a href="#id_last_name">Enter the person&#x27;s last name</a>' in html
    assert '<a href="#id_email">Enter an email address in the correct format' in html
    assert '<a href="#id_role_0">Select the person&#x27;s role</a>' in html
    assert 'id="id_role_0"' in html  # the summary's link has somewhere to land
    assert 'value="Nia"' in html
    assert Invitation.objects.count() == 0


def test_cannot_invite_someone_who_already_has_an_account(client, qa_manager, adviser):
    client.force_login(qa_manager)
    response = invite(client, Role.ADVISER, adviser.email.upper())
    assert response.status_code == 200
    assert "This person already has an account" in response.content.decode()
    assert Invitation.objects.count() == 0


def test_adviser_may_invite_school_users_only(client, adviser):
    client.force_login(adviser)
    html = client.get(reverse("portal:invitation_create")).content.decode()
    assert 'value="school_user"' in html
    assert 'value="qa_manager"' not in html
    response = invite(client, Role.QA_MANAGER)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert Invitation.objects.count() == 0
    assert invite(client, Role.SCHOOL_USER).status_code == 302


def test_service_refuses_an_invitation_outside_the_inviters_roles(adviser):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.invitation_create(
            inviter=adviser, email="x@example.org", first_name="X", last_name="Y", role=Role.QA_MANAGER
        )


@pytest.mark.parametrize("role", [Role.SCHOOL_USER, Role.AP_PROVIDER_USER, Role.SENIOR_MANAGER, Role.EDITOR])
def test_roles_that_cannot_invite_get_403(client, user_for_role, role):
    client.force_login(user_for_role(role))
    assert client.get(reverse("portal:invitation_list")).status_code == 403
    assert client.get(reverse("portal:invitation_create")).status_code == 403
    assert invite(client).status_code == 403


def test_anonymous_user_is_sent_to_sign_in_for_invitations(client, db):
    response = client.get(reverse("portal:invitation_create"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("portal:sign_in"))


def test_accepting_an_invitation_creates_the_account_with_the_role(client, qa_manager):
    invitation, token = services.invitation_create(
        inviter=qa_manager, email="head@school.example.org", first_name="Hal", last_name="Head", role=Role.SCHOOL_USER
    )
    url = reverse("portal:invitation_accept", args=[token])
    html = client.get(url).content.decode()
    assert "Set up your account" in html
    assert "head@school.example.org" in html
    assert 'value="Hal"' in html

    response = client.post(
        url, {"first_name": "Hal", "last_name": "Head", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == reverse("portal:dashboard")
    user = User.objects.get(email="head@school.example.org")
    assert user.check_password(NEW_PASSWORD)
    assert list(user.groups.values_list("name", flat=True)) == ["School user"]
    invitation.refresh_from_db()
    assert invitation.accepted_by == user
    assert invitation.state == Invitation.State.ACCEPTED
    # Signed in, on their own dashboard.
    assert "Your school&#x27;s safeguarding" in client.get(response.url).content.decode()


def test_used_invitation_cannot_be_used_again(client, qa_manager):
    invitation, token = services.invitation_create(
        inviter=qa_manager, email="once@example.org", first_name="O", last_name="Nce", role=Role.SCHOOL_USER
    )
    services.invitation_accept(invitation=invitation, first_name="O", last_name="Nce", password=NEW_PASSWORD)
    url = reverse("portal:invitation_accept", args=[token])
    response = client.get(url)
    assert response.status_code == 410
    assert "already been used" in response.content.decode()
    response = client.post(
        url, {"first_name": "E", "last_name": "Vil", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 410
    assert User.objects.filter(email="once@example.org").count() == 1
    with pytest.raises(services.InvitationNotUsable):
        services.invitation_accept(invitation=invitation, first_name="A", last_name="B", password=NEW_PASSWORD)


def test_expired_invitation_is_refused(client, qa_manager):
    invitation, token = services.invitation_create(
        inviter=qa_manager, email="late@example.org", first_name="L", last_name="Ate", role=Role.SCHOOL_USER
    )
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    response = client.get(reverse("portal:invitation_accept", args=[token]))
    assert response.status_code == 410
    assert "has expired" in response.content.decode()
    assert not User.objects.filter(email="late@example.org").exists()


def test_unknown_invitation_token_is_404_in_house_style(client, db):
    response = client.get(reverse("portal:invitation_accept", args=["not-a-real-token"]))
    assert response.status_code == 404
    assert "This invitation link does not work" in response.content.decode()


def test_weak_password_on_acceptance_is_refused_and_nothing_created(client, qa_manager):
    _invitation, token = services.invitation_create(
        inviter=qa_manager, email="weak@example.org", first_name="W", last_name="Eak", role=Role.SCHOOL_USER
    )
    url = reverse("portal:invitation_accept", args=[token])
    response = client.post(
        url, {"first_name": "W", "last_name": "Eak", "new_password1": "password", "new_password2": "password"}
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    response = client.post(
        url, {"first_name": "W", "last_name": "Eak", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"}
    )
    assert "The passwords do not match" in response.content.decode()
    assert not User.objects.filter(email="weak@example.org").exists()


def test_a_new_invitation_replaces_the_earlier_one(qa_manager, client):
    first, first_token = services.invitation_create(
        inviter=qa_manager, email="twice@example.org", first_name="T", last_name="Wice", role=Role.SCHOOL_USER
    )
    services.invitation_create(
        inviter=qa_manager, email="twice@example.org", first_name="T", last_name="Wice", role=Role.SCHOOL_USER
    )
    first.refresh_from_db()
    assert first.state == Invitation.State.WITHDRAWN
    assert client.get(reverse("portal:invitation_accept", args=[first_token])).status_code == 410


def test_withdraw_invitation_allowed_and_refused(client, qa_manager, adviser):
    invitation, token = services.invitation_create(
        inviter=qa_manager, email="maybe@example.org", first_name="M", last_name="Aybe", role=Role.ADVISER
    )
    # An adviser cannot see (so cannot withdraw) an invitation into a staff role.
    client.force_login(adviser)
    assert client.post(reverse("portal:invitation_withdraw", args=[invitation.pk])).status_code == 404
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.PENDING

    client.force_login(qa_manager)
    assert client.get(reverse("portal:invitation_withdraw", args=[invitation.pk])).status_code == 405
    response = client.post(reverse("portal:invitation_withdraw", args=[invitation.pk]), follow=True)
    assert "Invitation for maybe@example.org withdrawn" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.WITHDRAWN
    assert client.get(reverse("portal:invitation_accept", args=[token])).status_code == 410
    # Withdrawing twice says why it cannot.
    response = client.post(reverse("portal:invitation_withdraw", args=[invitation.pk]), follow=True)
    assert "cannot be withdrawn" in response.content.decode()


def test_invitation_list_shows_only_roles_the_user_may_invite(client, qa_manager, adviser):
    services.invitation_create(
        inviter=qa_manager, email="staff@example.org", first_name="S", last_name="Taff", role=Role.ADVISER
    )
    services.invitation_create(
        inviter=qa_manager, email="school@example.org", first_name="S", last_name="Chool", role=Role.SCHOOL_USER
    )
    client.force_login(adviser)
    html = client.get(reverse("portal:invitation_list")).content.decode()
    assert "school@example.org" in html
    assert "staff@example.org" not in html
    client.force_login(qa_manager)
    html = client.get(reverse("portal:invitation_list")).content.decode()
    assert "school@example.org" in html and "staff@example.org" in html


def test_invitation_list_empty_state(client, qa_manager):
    client.force_login(qa_manager)
    assert "There are no invitations yet" in client.get(reverse("portal:invitation_list")).content.decode()


def test_invitation_list_paginates_with_constant_queries(client, qa_manager, django_assert_max_num_queries):
    for n in range(30):
        services.invitation_create(
            inviter=qa_manager, email=f"p{n}@example.org", first_name="P", last_name=str(n), role=Role.SCHOOL_USER
        )
    client.force_login(qa_manager)
    client.get(reverse("portal:invitation_list"))  # first visit creates the site's settings rows
    with django_assert_max_num_queries(11):
        html = client.get(reverse("portal:invitation_list")).content.decode()
    assert "30 invitations" in html
    assert 'aria-label="Pagination"' in html
    assert "p29@example.org" in html and "p0@example.org" not in html
    assert "p0@example.org" in client.get(reverse("portal:invitation_list") + "?page=2").content.decode()


def test_signed_in_user_cannot_accept_another_invitation(client, qa_manager, adviser):
    _invitation, token = services.invitation_create(
        inviter=qa_manager, email="other@example.org", first_name="O", last_name="Ther", role=Role.SCHOOL_USER
    )
    client.force_login(adviser)
    assert client.get(reverse("portal:invitation_accept", args=[token])).status_code == 409


def test_roles_exist_for_every_invitable_role(db):
    for role in Role:
        assert Group.objects.filter(name=role.group_name).exists()
