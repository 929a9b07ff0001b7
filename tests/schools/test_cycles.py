"""Opening, extending and closing audit cycles from the QA manager's pages."""

import pytest
from django.urls import reverse

from portal.roles import Role
from schools.models import AuditCycle, Setting, SettingKind
from tests.schools.conftest import build_questionnaire
from tests.schools.helpers import submitted


def test_qa_manager_opens_a_cycle_for_chosen_localities(
    client, qa_manager, mailoutbox, django_capture_on_commit_callbacks
):
    questionnaire = build_questionnaire()
    Setting.objects.create(name="North School", urn="910001", kind=SettingKind.ACADEMY, locality="North")
    Setting.objects.create(name="South School", urn="910002", kind=SettingKind.ACADEMY, locality="South")
    client.force_login(qa_manager)
    html = client.post(
        reverse("schools:cycle_open"), {"title": "", "opens_on": "1/9/2023", "due_on": "1/8/2023"}
    ).content.decode()
    assert "Select a questionnaire" in html and "Enter a title" in html and "due date must be on or after" in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("schools:cycle_open"),
            {
                "questionnaire": questionnaire.pk,
                "title": "Audit 2023/24",
                "opens_on": "1/9/2023",
                "due_on": "20/10/2023",
                "localities": ["North"],
            },
        )
    cycle = AuditCycle.objects.get()
    assert response.url == reverse("schools:cycle_detail", args=[cycle.pk])
    assert list(cycle.returns.values_list("setting__name", flat=True)) == ["North School"]


@pytest.mark.parametrize("role", [Role.ADVISER, Role.SCHOOL_USER, Role.SENIOR_MANAGER])
def test_only_qa_managers_open_add_or_close(client, user_for_role, open_cycle, role):
    client.force_login(user_for_role(role))
    assert client.get(reverse("schools:cycle_open")).status_code == 403
    assert client.get(reverse("schools:cycle_add_settings", args=[open_cycle.pk])).status_code == 403
    assert client.post(reverse("schools:cycle_close", args=[open_cycle.pk])).status_code == 403
    open_cycle.refresh_from_db()
    assert open_cycle.status == AuditCycle.Status.OPEN


def test_cycle_page_lists_non_returners_for_advisers(client, adviser, open_cycle, setting, other_setting, outsider):
    submitted(open_cycle.returns.get(setting=other_setting), outsider)
    client.force_login(adviser)
    html = client.get(reverse("schools:cycle_detail", args=[open_cycle.pk])).content.decode()
    assert setting.name in html
    assert f">{other_setting.name}<" not in html
    assert "Audit cycles" in client.get(reverse("schools:cycle_list")).content.decode()


def test_adding_settings_later_and_closing(client, qa_manager, open_cycle, dsl, audit_return):
    late = Setting.objects.create(name="New Free School", urn="900020", kind=SettingKind.FREE_SCHOOL)
    client.force_login(qa_manager)
    url = reverse("schools:cycle_add_settings", args=[open_cycle.pk])
    assert "New Free School" in client.get(url).content.decode()
    assert "Select at least one setting" in client.post(url, {}).content.decode()
    client.post(url, {"settings": [late.pk]})
    assert open_cycle.returns.filter(setting=late).exists()
    client.post(reverse("schools:cycle_close", args=[open_cycle.pk]))
    open_cycle.refresh_from_db()
    assert open_cycle.status == AuditCycle.Status.CLOSED
    # A closed cycle's returns can no longer be changed, and nothing 500s.
    client.force_login(dsl)
    response = client.get(reverse("schools:return_submit", args=[audit_return.pk]))
    assert response.status_code == 403
    html = client.get(reverse("schools:return_task_list", args=[audit_return.pk])).content.decode()
    assert "can no longer be changed" in html
    client.force_login(qa_manager)
    response = client.post(reverse("schools:cycle_close", args=[open_cycle.pk]), follow=True)
    assert "already closed" in response.content.decode()
