import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Page, Revision

from portal.management.commands.seed_demo import DEMO_USERS
from portal.models import NavigationSettings, StandardPage, User
from portal.roles import Role

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        "users": User.objects.count(),
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "memberships": User.groups.through.objects.count(),
        "nav": len(NavigationSettings.objects.get().main_navigation),
        "footer": len(NavigationSettings.objects.get().footer_links),
    }


def test_seed_demo_runs_twice_without_duplicating_anything(capsys):
    call_command("seed_demo")
    first = snapshot()
    call_command("seed_demo")
    assert snapshot() == first
    assert User.objects.filter(email__in=[email for email, *_ in DEMO_USERS]).count() == len(Role)
    output = capsys.readouterr().out
    assert "qa.manager@council.example.org" in output
    assert "password:" in output


def test_seed_demo_gives_every_role_a_working_sign_in(client):
    call_command("seed_demo")
    for number, role in enumerate(Role, start=1):
        email = next(email for email, _first, _last, demo_role in DEMO_USERS if demo_role == role)
        user = User.objects.get(email=email)
        response = client.post(
            "/sign-in/", {"username": user.email, "password": "Safeguarding-demo-2026"}, REMOTE_ADDR=f"10.0.0.{number}"
        )
        assert response.status_code == 302, role
        client.logout()


def test_seed_demo_leaves_editors_changes_alone():
    call_command("seed_demo")
    about = StandardPage.objects.get(slug="about")
    about.title = "About us (edited)"
    about.save_revision().publish()
    call_command("seed_demo")
    about.refresh_from_db()
    assert about.title == "About us (edited)"


def test_seed_demo_refuses_production(settings):
    settings.PORTAL_ENVIRONMENT = "production"
    with pytest.raises(CommandError, match="will not run in production"):
        call_command("seed_demo")
    assert User.objects.count() == 0
