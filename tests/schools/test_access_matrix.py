"""Every audit page against every role: allowed, refused (403), hidden (404) or sign in."""

import pytest
from django.urls import reverse

from portal.roles import Role
from tests.schools.helpers import submitted

ANON = "anonymous"
OK, NO, HIDDEN, SIGN_IN = 200, 403, 404, 302
STAFF_REVIEW = {Role.ADVISER, Role.QA_MANAGER, Role.COMMISSIONING_OFFICER, Role.SENIOR_MANAGER}

# page -> who gets 200; everyone else signed in gets the "else" code.
MATRIX = {
    "my_returns": ({"*"}, None),
    "review_queue": (STAFF_REVIEW, NO),
    "cycle_list": (STAFF_REVIEW, NO),
    "cycle_open": ({Role.QA_MANAGER}, NO),
    "cycle_detail": (STAFF_REVIEW, NO),
    # The school's own return: its members and the staff who review 175/157 returns.
    "return_task_list": ({"member", Role.ADVISER, Role.QA_MANAGER, Role.SENIOR_MANAGER}, HIDDEN),
    "return_print": ({"member", Role.ADVISER, Role.QA_MANAGER, Role.SENIOR_MANAGER}, HIDDEN),
    "return_review": ({Role.ADVISER, Role.QA_MANAGER, Role.SENIOR_MANAGER}, None),
    "setting_members": ({Role.ADVISER, Role.QA_MANAGER}, None),
}
WHO = [ANON, "member", "outsider", *Role]


def url_for(name, audit_return):
    if name in {"return_task_list", "return_print", "return_review"}:
        return reverse(f"schools:{name}", args=[audit_return.pk])
    if name == "cycle_detail":
        return reverse("schools:cycle_detail", args=[audit_return.cycle_id])
    if name == "setting_members":
        return reverse("schools:setting_members", args=[audit_return.setting_id])
    return reverse(f"schools:{name}")


def expected(name, who):
    if who == ANON:
        return SIGN_IN
    allowed, otherwise = MATRIX[name]
    if "*" in allowed or who in allowed:
        return OK
    if otherwise is not None:
        return otherwise
    # Pages behind a staff role check: setting users are refused outright.
    if name == "return_review":
        return NO if who in {"member", "outsider", Role.SCHOOL_USER, Role.AP_PROVIDER_USER, Role.EDITOR} else HIDDEN
    if name == "setting_members":
        return NO
    raise AssertionError((name, who))


@pytest.mark.parametrize("name", list(MATRIX))
@pytest.mark.parametrize("who", WHO, ids=lambda w: w if isinstance(w, str) else w.value)
def test_audit_access_matrix(client, audit_return, dsl, outsider, user_for_role, name, who):
    submitted(audit_return, dsl)
    if who == "member":
        client.force_login(dsl)
    elif who == "outsider":
        client.force_login(outsider)
    elif who != ANON:
        client.force_login(user_for_role(who))
    response = client.get(url_for(name, audit_return))
    assert response.status_code == expected(name, who), (name, who, response.status_code)
