"""Every role lands on its own home; staff reach the admin, setting users never do."""

import pytest
from django.urls import reverse
from wagtail import hooks

from portal.dashboards import HOOK_NAME, ROLE_HOMES, DashboardPanel
from portal.roles import SETTING_ROLES, STAFF_ROLES, Role
from tests.factories import TEST_PASSWORD

DASHBOARD = reverse("portal:dashboard")


@pytest.mark.parametrize("role", list(Role))
def test_each_role_signs_in_and_lands_on_its_own_dashboard(client, user_for_role, role):
    user = user_for_role(role)
    response = client.post(reverse("portal:sign_in"), {"username": user.email, "password": TEST_PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == DASHBOARD
    html = response.content.decode()
    home = ROLE_HOMES[role]
    assert f'<h1 class="govuk-heading-xl">{home.title}</h1>'.replace("'", "&#x27;") in html
    assert role.label in html
    for other in set(Role) - {role}:
        assert ROLE_HOMES[other].summary.replace("'", "&#x27;") not in html


def test_every_role_has_a_home():
    assert set(ROLE_HOMES) == set(Role)


def test_person_with_two_roles_sees_the_senior_one_and_is_told_of_the_other(client, make_user):
    user = make_user(Role.EDITOR, Role.ADVISER)
    client.force_login(user)
    html = client.get(DASHBOARD).content.decode()
    assert "Adviser home" in html
    assert "You also hold the role of Editor" in html


def test_account_without_a_role_is_told_what_to_do(client, make_user):
    client.force_login(make_user())
    html = client.get(DASHBOARD).content.decode()
    assert "Your account has no role yet" in html


def test_anonymous_dashboard_visit_is_sent_to_sign_in(client, db):
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response.url == f"{reverse('portal:sign_in')}?next={DASHBOARD}"


@pytest.mark.parametrize("role", sorted(SETTING_ROLES))
def test_setting_users_get_403_at_the_admin(client, user_for_role, role):
    client.force_login(user_for_role(role))
    for path in ("/admin/", "/admin/pages/", "/admin/snippets/portal/theme/"):
        response = client.get(path)
        assert response.status_code == 403, path
        assert "You do not have permission to see this page" in response.content.decode()


@pytest.mark.parametrize("role", sorted(STAFF_ROLES))
def test_staff_roles_reach_the_admin(client, user_for_role, role):
    client.force_login(user_for_role(role))
    assert client.get("/admin/").status_code == 200


def test_anonymous_admin_visit_is_sent_to_sign_in(client, db):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url.startswith("/sign-in/")


def test_qa_manager_can_edit_themes_in_the_admin_and_an_adviser_cannot(client, user_for_role):
    client.force_login(user_for_role(Role.QA_MANAGER))
    assert client.get("/admin/snippets/portal/theme/").status_code == 200
    assert client.get("/admin/snippets/portal/theme/add/").status_code == 200
    client.force_login(user_for_role(Role.ADVISER))
    assert client.get("/admin/snippets/portal/theme/add/").status_code in (302, 403)


class _ExamplePanel(DashboardPanel):
    name = "example"
    roles = frozenset({Role.ADVISER})
    template_name = "portal/tests/example_panel.html"

    def get_context(self, request, role):
        return {"greeting": f"Hello {request.user.first_name}"}


def test_apps_fill_dashboards_through_the_panel_hook(client, adviser, school_user, tmp_path, settings):
    (tmp_path / "portal" / "tests").mkdir(parents=True)
    (tmp_path / "portal" / "tests" / "example_panel.html").write_text(
        '<section class="example-panel">{{ panel_context.greeting }}</section>'
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]

    def register(register_panel):
        register_panel(_ExamplePanel())

    with hooks.register_temporarily(HOOK_NAME, register):
        client.force_login(adviser)
        html = client.get(DASHBOARD).content.decode()
        assert '<section class="example-panel">Hello Ada</section>' in html
        assert "What you will find here" not in html
        client.force_login(school_user)
        assert "example-panel" not in client.get(DASHBOARD).content.decode()


def test_dashboard_queries_do_not_grow_with_roles_held(client, make_user):
    """Someone holding every role sees the same home as a QA manager, for the same queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for user in (make_user(Role.QA_MANAGER), make_user(*Role)):
        client.force_login(user)
        client.get(DASHBOARD)  # warm the site settings rows
        with CaptureQueriesContext(connection) as queries:
            client.get(DASHBOARD)
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1], counts
