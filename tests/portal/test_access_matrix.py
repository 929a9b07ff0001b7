"""Wagtail's user admin with the portal's email user model. (The hand-made page-by-role matrix
that lived here is superseded by the generated one in tests/security/test_access_matrix.py.)"""

from django.urls import reverse


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
