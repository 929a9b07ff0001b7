"""An adviser invites members of a setting through the portal's invitation flow."""

import re

from django.urls import reverse

from portal.roles import Role
from schools.models import Membership, Setting, SettingKind

NEW_PASSWORD = "a-long-and-unusual-passphrase"


def test_adviser_invites_a_dsl_who_joins_the_setting(
    client, adviser, setting, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(adviser)
    assert (
        "Nobody at this setting" in client.get(reverse("schools:setting_members", args=[setting.pk])).content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("schools:setting_member_invite", args=[setting.pk]),
            {"first_name": "Nia", "last_name": "Evans", "email": "nia@oakfield.example.org", "setting_role": "dsl"},
        )
    assert response.status_code == 302
    link = re.search(r"https?://[^/\s]+(/invitations/accept/\S+/)", mailoutbox[0].body).group(1)
    client.logout()
    response = client.post(
        link, {"first_name": "Nia", "last_name": "Evans", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user__email="nia@oakfield.example.org")
    assert (membership.setting, membership.role) == (setting, "dsl")
    assert list(membership.user.groups.values_list("name", flat=True)) == ["School user"]


def test_invite_form_errors(client, adviser, setting):
    client.force_login(adviser)
    html = client.post(reverse("schools:setting_member_invite", args=[setting.pk]), {}).content.decode()
    assert "Select their role at the setting" in html and "govuk-error-summary" in html


def test_adviser_cannot_invite_to_an_ap_provider_but_commissioning_can(client, adviser, user_for_role):
    ap = Setting.objects.create(name="Horizons AP", urn="990001", kind=SettingKind.AP_PROVIDER)
    client.force_login(adviser)
    assert client.get(reverse("schools:setting_member_invite", args=[ap.pk])).status_code == 403
    client.force_login(user_for_role(Role.COMMISSIONING_OFFICER))
    assert client.get(reverse("schools:setting_member_invite", args=[ap.pk])).status_code == 200


def test_school_users_cannot_invite_or_see_setting_pages(client, dsl, setting):
    client.force_login(dsl)
    assert client.get(reverse("schools:setting_members", args=[setting.pk])).status_code == 403
    assert client.get(reverse("schools:setting_member_invite", args=[setting.pk])).status_code == 403
