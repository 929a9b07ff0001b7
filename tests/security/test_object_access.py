"""Object-level access: another setting's ids give 404, never 403 or 200, in every view, download
and export that takes an id; and the role rules the matrix rests on, checked with POSTs too.

The URLs come from the URL configuration: every pattern under /audits/, /hub/ and /complaints/
whose int arguments point at a setting's record (those whose arguments differ between setting A's
records and another setting's). A school user of setting A is given setting B's ids; the trust
user (a school user with memberships at A and B, see tests/security/fixtures.py) is given setting
C's, in another trust. Extension requests have no URL of their own: they are decided on their
action's page, so B's action page is where B's extension request would leak.

Where every setting user is refused a page outright whatever the id (a casework page, say), the
id tells nothing and 403 stands; a POST-only page answers a GET with 405, and a GET-only page a
POST with 405, to everyone alike (checked against an anonymous request).
"""

import pytest
from django.urls import reverse

from complaints.views_detail import ACTIONS
from tests.security.fixtures import (
    ADVISER,
    ANONYMOUS,
    AP_USER,
    EDITOR,
    NOT_ALLOWED,
    NOT_FOUND,
    ROLES,
    SCHOOL_A,
    SCHOOL_B,
    SENIOR,
    TRUST,
    access_world,  # noqa: F401 (a fixture)
    named_urls,
    url_for,
    url_kwargs,
)
from tests.security.test_access_matrix import EXPECTED

FORBIDDEN = 403
SCOPED_PREFIXES = ("audits/", "hub/", "complaints/")
URLS = named_urls()


def _int_kwargs(name: str) -> bool:
    route, kwarg_names = URLS[name]
    return route.startswith(SCOPED_PREFIXES) and any(f"<int:{k}>" in route for k in kwarg_names)


ID_URLS = sorted(name for name in URLS if _int_kwargs(name))
# Records that belong to no one setting: cycles, CSPRs (staff only), training sessions, report
# snapshots; a good-practice submission belongs to its author (the matrix checks it).
SHARED_RECORDS = (
    "audits/cycles/",
    "audits/casework/practice-reviews/",
    "hub/sessions/",
    "hub/good-practice/",
    "complaints/reports/",
)
SETTING_ID_URLS = [name for name in ID_URLS if not URLS[name][0].startswith(SHARED_RECORDS)]
# (who, whose records): A's DSL with B's ids; the trust lead (A and B) with C's ids.
CASES = [(SCHOOL_A, "b"), (TRUST, "c")]
SETTING_PEOPLE = (SCHOOL_A, SCHOOL_B, AP_USER, TRUST)


def _setting_scoped(world, name: str, whose: str) -> bool:
    return url_kwargs(world)[name] != url_kwargs(world, getattr(world, whose))[name]


def _address(world, name: str, records=None) -> str:
    return url_for(name, url_kwargs(world, records)[name], world)


def _refused_to_every_setting_user(name: str) -> bool:
    """A staff-only page: every setting user is refused it, whatever the id (the role is checked
    before any record is looked up), so its 403 says nothing about another setting's records."""
    return all(EXPECTED[name][who] == FORBIDDEN for who in SETTING_PEOPLE)


def _expected(name: str, method: str) -> int:
    if _refused_to_every_setting_user(name):
        return FORBIDDEN
    if method == "get" and EXPECTED[name][ANONYMOUS] == NOT_ALLOWED:
        return NOT_ALLOWED  # a POST-only page, for everyone
    return NOT_FOUND


def _method_refused_for_everyone(client, method: str, address: str) -> bool:
    """A 405 tells nothing when the page refuses that method to anonymous people too."""
    client.logout()
    return getattr(client, method)(address, {}).status_code == NOT_ALLOWED


def test_the_id_urls_are_found():
    """The walk finds the views the issue names: returns, plans, actions, evidence, action
    evidence, bookings and complaints, with their downloads and exports."""
    for name in (
        "schools:return_task_list",
        "schools:return_print",
        "schools:plan_detail",
        "schools:action_detail",
        "schools:evidence_download",
        "schools:action_evidence_download",
        "learning_hub:booking_certificate",
        "complaints:complaint_detail",
        "complaints:complaint_response_document",
    ):
        assert name in ID_URLS, name


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(("who", "whose"), CASES)
@pytest.mark.parametrize("name", SETTING_ID_URLS)
def test_another_settings_ids_are_not_found(access_world, client, db, name, who, whose, method):  # noqa: F811
    world = access_world
    assert _setting_scoped(world, name, whose), f"{name} takes no setting's record: list it in SHARED_RECORDS"
    address = _address(world, name, getattr(world, whose))
    client.force_login(world.users[who])
    response = getattr(client, method)(address, {})
    want = _expected(name, method)
    assert response.status_code == want, f"{method.upper()} {address} as {who}: {response.status_code}, want {want}"


def test_every_record_kind_is_covered(access_world, db):  # noqa: F811
    """Each kind of record the issue names is reached through at least one setting-scoped URL."""
    world = access_world
    scoped = {name for name in ID_URLS if _setting_scoped(world, name, "b")}
    assert scoped == set(SETTING_ID_URLS)
    b = world.b
    ids = {
        "return": b.current.audit_return.pk,
        "plan": b.reviewed.plan.pk,
        "action": b.reviewed.action.pk,
        "evidence": b.current.evidence.pk,
        "action evidence": b.reviewed.action_evidence.pk,
        "booking": b.booking.pk,
        "complaint": b.complaint.pk,
    }
    reached = {}
    for name in scoped:
        for kind, pk in ids.items():
            if pk in url_kwargs(world, b)[name].values():
                reached.setdefault(kind, []).append(name)
    assert set(reached) == set(ids), f"not reached: {set(ids) - set(reached)}"
    assert b.reviewed.extension.action_id == b.reviewed.other_action.pk  # decided on its action's page


def _in(prefix: str) -> list[str]:
    return sorted(name for name in URLS if URLS[name][0].startswith(prefix))


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", _in("qpag/"))
def test_advisers_and_editors_never_see_qpag(access_world, client, db, name, method):  # noqa: F811
    """Advisers see complaints but not QPAG, which is QA-only: 404, as if it did not exist."""
    address = _address(access_world, name)
    for who in (ADVISER, EDITOR):
        client.force_login(access_world.users[who])
        status = getattr(client, method)(address, {}).status_code
        if status == NOT_ALLOWED and _method_refused_for_everyone(client, method, address):
            continue
        assert status == NOT_FOUND, f"{method.upper()} {address} as {who}: {status}"


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", _in("complaints/"))
def test_editors_never_see_complaints(access_world, client, db, name, method):  # noqa: F811
    address = _address(access_world, name)
    client.force_login(access_world.users[EDITOR])
    status = getattr(client, method)(address, {}).status_code
    if status == NOT_ALLOWED and _method_refused_for_everyone(client, method, address):
        return
    assert status == NOT_FOUND, f"{method.upper()} {address}: {status}"


def test_advisers_see_every_complaints_page(access_world, client, db):  # noqa: F811
    client.force_login(access_world.users[ADVISER])
    for name in _in("complaints/"):
        if EXPECTED[name][ADVISER] == NOT_ALLOWED:
            continue
        address = _address(access_world, name)
        assert client.get(address).status_code == 200, address


def _senior_changes() -> list[str]:
    """Every complaints and QPAG page a senior manager may not use to change anything."""
    pages = [name for name in _in("complaints/") + _in("qpag/") if EXPECTED[name][SENIOR] == FORBIDDEN]
    return sorted({*pages, "qpag:pack_new", "qpag:sample_draw"})


@pytest.mark.parametrize("name", _senior_changes())
def test_senior_managers_are_read_only(access_world, client, db, name):  # noqa: F811
    client.force_login(access_world.users[SENIOR])
    address = _address(access_world, name)
    assert client.post(address, {}).status_code == FORBIDDEN, address


@pytest.mark.parametrize("slug", sorted(set(ACTIONS) - {"scrutiny"}))
def test_senior_managers_cannot_act_on_a_complaint(access_world, client, db, slug):  # noqa: F811
    """Their one action is a scrutiny comment; every other step of a complaint is refused."""
    complaint = access_world.a.complaint
    client.force_login(access_world.users[SENIOR])
    response = client.post(reverse("complaints:complaint_action", args=[complaint.pk, slug]), {})
    assert response.status_code == FORBIDDEN
    status = complaint.status
    complaint.refresh_from_db()
    assert complaint.status == status


def test_roles_cover_the_matrix():
    assert set(ROLES) == {role for row in EXPECTED.values() for role in row}


def test_removing_evidence_never_redirects_off_site(access_world, client, db):  # noqa: F811
    """Found by the walk: the "next" field was followed wherever it pointed (an open redirect)."""
    evidence = access_world.a.current.evidence
    client.force_login(access_world.users[SCHOOL_A])
    response = client.post(
        reverse("schools:evidence_delete", args=[evidence.pk]), {"next": "https://evil.example.net/"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("schools:return_task_list", args=[evidence.answer.audit_return_id])
