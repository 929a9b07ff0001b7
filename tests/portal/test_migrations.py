"""The data migrations: roles as groups, the theme taxonomy and the home page."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Site

from portal.models import HomePage, Theme
from portal.roles import SETTING_ROLES, STAFF_ROLES, Role

pytestmark = pytest.mark.django_db


def test_every_role_is_a_group_and_wagtails_defaults_are_gone():
    assert set(Group.objects.values_list("name", flat=True)) == {role.group_name for role in Role}


@pytest.mark.parametrize("role", sorted(STAFF_ROLES))
def test_staff_roles_may_reach_the_admin(role):
    group = Group.objects.get(name=role.group_name)
    assert group.permissions.filter(codename="access_admin", content_type__app_label="wagtailadmin").exists()


@pytest.mark.parametrize("role", sorted(SETTING_ROLES))
def test_setting_roles_have_no_permissions_at_all(role):
    assert not Group.objects.get(name=role.group_name).permissions.exists()


def test_editor_keeps_wagtail_page_publishing_rights():
    editor = Group.objects.get(name="Editor")
    assert set(editor.page_permissions.values_list("permission__codename", flat=True)) >= {
        "add_page",
        "change_page",
        "publish_page",
    }


def test_theme_taxonomy_is_seeded_in_order():
    names = list(Theme.objects.values_list("name", flat=True))
    assert len(names) == 14
    assert names[0] == "Leadership and governance"
    assert "Safer recruitment" in names
    assert "Online safety, filtering and monitoring" in names
    assert names[-1] == "Alternative provision"
    assert all(Theme.objects.values_list("is_active", flat=True))


def test_default_site_serves_the_portal_home_page():
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
