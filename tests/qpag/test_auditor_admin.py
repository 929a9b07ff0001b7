"""The auditor register in Wagtail's admin: QA managers keep it (list, filters, search, add,
edit); every other role is refused, and it sits in the QPAG menu."""

import pytest
from django.urls import reverse
from wagtail.admin.menu import admin_menu
from wagtail.permissions import policy_registry

from portal.roles import Role
from qpag.constants import Service
from qpag.models import Auditor

INDEX_URL = reverse("qpag_auditor:index")
ADD_URL = reverse("qpag_auditor:add")


def refused_by_wagtail(response) -> bool:
    # Wagtail's admin answers a PermissionDenied with its home page and a message.
    return response.status_code == 302 and response.url == reverse("wagtailadmin_home")


def listed(response) -> set[str]:
    return {auditor.name for auditor in response.context["object_list"]}


def test_qa_managers_list_filter_and_search_the_register(client, qa_manager, auditors):
    client.force_login(qa_manager)
    response = client.get(INDEX_URL)
    assert response.status_code == 200
    assert "Ava Auditor" in response.content.decode()
    assert listed(client.get(INDEX_URL, {"service": Service.SEND})) == {"Eve Auditor", "Fay Auditor", "Nia Moderator"}
    assert listed(client.get(INDEX_URL, {"team": "ChAD"})) == {"Gus Auditor"}
    Auditor.objects.filter(name="Ben Auditor").update(is_active=False)
    assert listed(client.get(INDEX_URL, {"is_active": "false"})) == {"Ben Auditor"}
    assert listed(client.get(INDEX_URL, {"q": "moderator"})) == {"Mo Moderator", "Nia Moderator"}
    assert listed(client.get(INDEX_URL, {"q": "early help"})) == {"Cal Auditor", "Dee Auditor"}


def test_qa_managers_add_and_edit_auditors(client, qa_manager, auditors):
    client.force_login(qa_manager)
    assert client.get(ADD_URL).status_code == 200
    data = {
        "name": "Oli Operational",
        "email": "oli@example.org",
        "service": Service.EARLY_HELP,
        "team": "Early Help management",
        "can_audit": "on",
        "can_moderate": "on",
        "is_active": "on",
    }
    response = client.post(ADD_URL, data)
    assert response.status_code == 302
    oli = Auditor.objects.get(name="Oli Operational")
    assert (oli.can_moderate, oli.team) == (True, "Early Help management")

    response = client.post(reverse("qpag_auditor:edit", args=[oli.pk]), {**data, "is_active": ""})
    assert response.status_code == 302
    oli.refresh_from_db()
    assert oli.is_active is False


@pytest.mark.parametrize("role", [Role.SENIOR_MANAGER, Role.ADVISER, Role.COMMISSIONING_OFFICER, Role.EDITOR])
def test_other_staff_are_refused(client, user_for_role, auditors, role):
    client.force_login(user_for_role(role))
    ava = auditors["ava"]
    assert refused_by_wagtail(client.get(INDEX_URL))
    assert refused_by_wagtail(client.get(ADD_URL))
    assert refused_by_wagtail(client.post(reverse("qpag_auditor:edit", args=[ava.pk]), {"name": "Changed"}))
    assert refused_by_wagtail(client.post(reverse("qpag_auditor:delete", args=[ava.pk])))
    ava.refresh_from_db()
    assert ava.name == "Ava Auditor"


def test_setting_users_and_anonymous_people_never_reach_it(client, school_user, auditors):
    response = client.get(INDEX_URL)
    assert response.status_code == 302
    client.force_login(school_user)
    response = client.get(INDEX_URL)
    assert response.status_code in {302, 403}
    assert "Ava Auditor" not in response.content.decode()


def test_the_policy_grants_only_qa_managers(qa_manager, qpag_senior, adviser):
    policy = policy_registry.get_by_type(Auditor)
    for action in ("view", "add", "change", "delete"):
        assert policy.user_has_permission(qa_manager, action)
        assert not policy.user_has_permission(qpag_senior, action)
        assert not policy.user_has_permission(adviser, action)
    assert set(policy.users_with_any_permission(["change"])) == {qa_manager}


def test_the_register_is_in_the_qpag_menu_for_qa_managers_only(rf, qa_manager, qpag_senior):
    def qpag_menu(user) -> list[str] | None:
        request = rf.get("/admin/")
        request.user = user
        for item in admin_menu.menu_items_for_request(request):
            if item.label == "QPAG":
                return [child.label for child in item.menu.menu_items_for_request(request)]
        return None

    assert "Auditors and moderators" in qpag_menu(qa_manager)
    assert qpag_menu(qpag_senior) is None
