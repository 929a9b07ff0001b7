"""Every portal page against every role: who gets the page, who is sent to sign in,
and who is refused. New pages join the matrix as they arrive."""

import pytest
from django.urls import reverse

from portal.roles import Role

OK, SIGN_IN, FORBIDDEN, DASHBOARD = 200, "sign-in", 403, "dashboard"
ANONYMOUS = "anonymous"
ALL_ROLES = [ANONYMOUS, *Role]
INVITERS = {Role.QA_MANAGER, Role.ADVISER, Role.COMMISSIONING_OFFICER}
STAFF = {Role.QA_MANAGER, Role.ADVISER, Role.COMMISSIONING_OFFICER, Role.SENIOR_MANAGER, Role.EDITOR}


def expected(page_name: str, who) -> object:
    signed_in = who != ANONYMOUS
    match page_name:
        case "home" | "signed_out" | "password_reset" | "password_reset_sent" | "password_reset_complete":
            return OK
        case "sign_in":
            return DASHBOARD if signed_in else OK
        case "dashboard":
            return OK if signed_in else SIGN_IN
        case "invitation_list" | "invitation_create":
            if not signed_in:
                return SIGN_IN
            return OK if who in INVITERS else FORBIDDEN
        case "admin":
            if not signed_in:
                return SIGN_IN
            return OK if who in STAFF else FORBIDDEN
    raise AssertionError(page_name)


PAGES = {
    "home": "/",
    "sign_in": reverse("portal:sign_in"),
    "signed_out": reverse("portal:signed_out"),
    "password_reset": reverse("portal:password_reset"),
    "password_reset_sent": reverse("portal:password_reset_sent"),
    "password_reset_complete": reverse("portal:password_reset_complete"),
    "dashboard": reverse("portal:dashboard"),
    "invitation_list": reverse("portal:invitation_list"),
    "invitation_create": reverse("portal:invitation_create"),
    "admin": "/admin/",
}


@pytest.mark.parametrize("page_name", list(PAGES))
@pytest.mark.parametrize("who", ALL_ROLES, ids=lambda w: w if isinstance(w, str) else w.value)
def test_access_matrix(client, user_for_role, page_name, who):
    if who != ANONYMOUS:
        client.force_login(user_for_role(who))
    response = client.get(PAGES[page_name])
    want = expected(page_name, who)
    if want == SIGN_IN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("portal:sign_in"))
    elif want == DASHBOARD:
        assert response.status_code == 302
        assert response.url == reverse("portal:dashboard")
    else:
        assert response.status_code == want


def test_wagtail_user_admin_works_with_the_email_user_model(client, make_user):
    admin = make_user(is_superuser=True)
    client.force_login(admin)
    assert client.get("/admin/users/").status_code == 200
    response = client.get(reverse("wagtailusers_users:add"))
    assert response.status_code == 200
    assert 'name="email"' in response.content.decode()
    assert 'name="username"' not in response.content.decode()


def test_wagtail_admin_creates_a_user_by_email(client, make_user):
    from django.contrib.auth.models import Group

    from portal.models import User

    client.force_login(make_user(is_superuser=True))
    editor = Group.objects.get(name="Editor")
    response = client.post(
        reverse("wagtailusers_users:add"),
        {
            "email": "New.Editor@Example.org",
            "first_name": "New",
            "last_name": "Editor",
            "password1": "a-long-enough-password-123",
            "password2": "a-long-enough-password-123",
            "groups": [editor.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(email="new.editor@example.org")
    assert list(user.groups.all()) == [editor]
