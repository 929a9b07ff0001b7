"""The access matrix: every named URL of the portal's own URLconfs (and the Wagtail admin's home,
page explorer, snippets, settings and every admin URL our apps register), requested with GET as
every role, against one table of expected outcomes.

The roles are the ten columns of `tests.security.fixtures.ROLES`. The portal has no trust role:
a trust's central safeguarding lead is a school user with a membership at every setting of the
trust, so "trust" here is a school user who is a member of settings A and B (both in trust X).
URLs that take an object point at setting A's records (see `url_kwargs`), so "school_a" and
"trust" are the owners, "school_b" is another school of the same trust, and "ap_user" is at an
AP provider.

Outcomes: 200, SIGN_IN (302 to /sign-in/), 403, 404, 405 (POST-only URLs), or "redirect:<path>"
with ids written N. In the Wagtail admin, staff without a permission are sent back to the admin
home (ADMIN_DENIED); setting users never reach the admin (403, portal.middleware).

A named URL with no entry here fails `test_every_named_url_has_an_entry`, naming it.
"""

import pytest

from tests.security.fixtures import (
    ADVISER,
    ANONYMOUS,
    AP_USER,
    COMMISSIONING,
    EDITOR,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    QA,
    ROLES,
    SCHOOL_A,
    SCHOOL_B,
    SENIOR,
    SIGN_IN,
    TRUST,
    access_world,  # noqa: F401 (a fixture)
    named_urls,
    outcome,
    url_for,
    url_kwargs,
)

FORBIDDEN = 403
CONFLICT = 409
ADMIN_DENIED = "redirect:/admin/"

# Role groups ---------------------------------------------------------------------------------
EVERYONE = set(ROLES)
A_PEOPLE = {SCHOOL_A, TRUST}  # members of setting A
NOT_A = {SCHOOL_B, AP_USER}  # other settings' people
SETTING_PEOPLE = A_PEOPLE | NOT_A
STAFF = {ADVISER, COMMISSIONING, QA, SENIOR, EDITOR}
SIGNED_IN = SETTING_PEOPLE | STAFF
SCHOOL_AUDIT_STAFF = {ADVISER, QA, SENIOR}  # read 175/157 returns and school plans
CYCLE_VIEWERS = SCHOOL_AUDIT_STAFF | {COMMISSIONING}
INVITERS = {ADVISER, COMMISSIONING, QA}
CASEWORK = {ADVISER, QA}
COMPLAINTS_ROLES = {ADVISER, QA, SENIOR}
COMPLAINT_WORKERS = {ADVISER, QA}
TRAINING_STAFF = {ADVISER, QA, EDITOR}
SUBMITTERS = SETTING_PEOPLE | {ADVISER}  # good practice
QPAG_READERS = {QA, SENIOR}
QA_ONLY = {QA}


def row(*groups: tuple[object, set], rest: object = FORBIDDEN, anonymous: object = SIGN_IN) -> dict:
    """Expected outcome per role: `groups` are (outcome, roles) pairs, later pairs win;
    every other signed-in role gets `rest`, anonymous people `anonymous`."""
    expected = dict.fromkeys(ROLES, rest)
    expected[ANONYMOUS] = anonymous
    for result, roles in groups:
        for role in roles:
            expected[role] = result
    return expected


def same(result: object) -> dict:
    return row(rest=result, anonymous=result)


def qpag(*, change: bool = False) -> dict:
    """QPAG is QA-only: QA managers do everything, senior managers read (403 on changes),
    everyone else gets 404 (the pages do not exist for them)."""
    return row((OK, QA_ONLY), (FORBIDDEN if change else OK, {SENIOR}), rest=NOT_FOUND)


def complaints(*, change: bool = False) -> dict:
    """Complaints: advisers and QA managers work on them, senior managers read (403 on changes);
    school, AP, editor and commissioning users get 404 on every page."""
    return row((OK, COMPLAINT_WORKERS), (FORBIDDEN if change else OK, {SENIOR}), rest=NOT_FOUND)


def admin(readers: set, keepers: set = QA_ONLY) -> dict:
    return row((OK, readers | keepers), (ADMIN_DENIED, STAFF - readers - keepers), rest=FORBIDDEN)


# The admin viewsets our apps register: readers see the listings and inspect pages, keepers
# (those who may change records) every page; the policies live in each app's wagtail_hooks.py.
REGISTER_READERS = {ADVISER, COMMISSIONING, QA, SENIOR}  # portal.viewsets.READERS
VIEWSETS = {
    "schools_setting": (REGISTER_READERS, QA_ONLY),
    "schools_ofstedinspection": (REGISTER_READERS, QA_ONLY),
    "schools_membership": (REGISTER_READERS, QA_ONLY),
    "schools_trustmembership": (REGISTER_READERS, QA_ONLY),
    "wagtailsnippets_schools_questionnaire": (REGISTER_READERS, QA_ONLY),
    "wagtailsnippets_schools_question": (REGISTER_READERS, QA_ONLY),
    "wagtailsnippets_schools_allegationcategory": ({ADVISER}, QA_ONLY),
    "wagtailsnippets_portal_bankholiday": (REGISTER_READERS, QA_ONLY),
    "wagtailsnippets_portal_theme": ({EDITOR}, QA_ONLY),  # Django model permissions (Editor group)
    "portal_taskfailure": (set(), QA_ONLY),
    "learning_hub_session": ({ADVISER}, {EDITOR, QA}),
    "learning_hub_booking": (TRAINING_STAFF, set()),  # read-only: bookings change on the hub pages
    "qpag_auditor": (set(), QA_ONLY),
}
READ_VIEWS = {"index", "index_results", "list", "list_results", "inspect"}
# Snippet choosers are open to every admin user (Wagtail's chooser views ask no model permission).
CHOOSER_VIEWS = {"choose", "choose_results", "chosen", "chosen_multiple"}


def viewset_rows() -> dict:
    rows = {}
    for name in named_urls():
        namespace, _, view = name.partition(":")
        if namespace.startswith("wagtailsnippetchoosers_"):
            snippet_namespace = namespace.replace("wagtailsnippetchoosers_", "wagtailsnippets_")
            if view in CHOOSER_VIEWS:
                rows[name] = admin(STAFF)
            else:  # "create" from a chooser: those who may add
                rows[name] = admin(set(), VIEWSETS[snippet_namespace][1])
        elif namespace in VIEWSETS:
            readers, keepers = VIEWSETS[namespace]
            rows[name] = admin(readers if view in READ_VIEWS else set(), keepers)
    return rows


EXPECTED: dict[str, dict] = {
    **viewset_rows(),
    # portal ----------------------------------------------------------------------------------
    "portal:sign_in": row((OK, {ANONYMOUS}), rest="redirect:/dashboard/"),
    "portal:sign_out": same(NOT_ALLOWED),  # POST only
    "portal:signed_out": same(OK),
    "portal:session_extend": same(NOT_ALLOWED),
    "portal:password_reset": same(OK),
    "portal:password_reset_sent": same(OK),
    "portal:password_reset_confirm": same("redirect:/password-reset/<uidb64>/set-password/"),
    "portal:password_reset_complete": same(OK),
    "portal:dashboard": row(rest=OK),
    "portal:healthz": same(OK),
    "portal:readyz": same(OK),
    "portal:invitation_list": row((OK, INVITERS)),
    "portal:invitation_create": row((OK, INVITERS)),
    "portal:invitation_withdraw": same(NOT_ALLOWED),
    "portal:invitation_accept": row(rest=CONFLICT, anonymous=OK),  # signed in: sign out first
    # two-factor (portal/two_factor/urls.py; test settings do not enforce it)
    "portal:audit_trail": row((OK, QA_ONLY)),  # "searchable by QA managers"
    # two-factor (portal/two_factor/urls.py). Nobody in the world has an authenticator yet, and
    # the test settings do not enforce it: the code pages have nothing to ask, codes need one
    # first, and changes ask for the password again; staff may never turn it off.
    "two_factor:overview": row(rest=OK),
    "two_factor:setup": row(rest=OK),
    "two_factor:recovery_codes": row(rest="redirect:/account/two-factor/"),
    "two_factor:regenerate": row(rest="redirect:/account/two-factor/confirm-identity/"),
    "two_factor:verify": row(rest="redirect:/dashboard/"),
    "two_factor:verify_recovery": row(rest="redirect:/dashboard/"),
    "two_factor:reauthenticate": row(rest=OK),
    "two_factor:disable": row(("redirect:/account/two-factor/confirm-identity/", SETTING_PEOPLE)),
    # schools: audits -----------------------------------------------------------------------
    "schools:my_returns": row(rest=OK),
    "schools:review_queue": row((OK, CYCLE_VIEWERS)),
    "schools:cycle_list": row((OK, CYCLE_VIEWERS)),
    "schools:cycle_open": row((OK, QA_ONLY)),
    "schools:cycle_detail": row((OK, CYCLE_VIEWERS)),
    "schools:cycle_add_settings": row((OK, QA_ONLY)),
    "schools:cycle_close": same(NOT_ALLOWED),
    # A's return: its members and school-audit staff; commissioning (AP audits only) and
    # editors get 404, like other settings' people. Completing it is for setting users only.
    "schools:return_task_list": row((OK, A_PEOPLE | SCHOOL_AUDIT_STAFF), rest=NOT_FOUND),
    "schools:return_section_start": row(
        ("redirect:/audits/returns/N/sections/N/pages/N/", A_PEOPLE), (NOT_FOUND, NOT_A)
    ),
    "schools:return_section_page": row(
        (OK, A_PEOPLE), ("redirect:/audits/returns/N/sections/N/check/", SCHOOL_AUDIT_STAFF), rest=NOT_FOUND
    ),
    "schools:return_section_check": row((OK, A_PEOPLE | SCHOOL_AUDIT_STAFF), rest=NOT_FOUND),
    "schools:return_section_assign": row((OK, A_PEOPLE), (NOT_FOUND, NOT_A)),
    "schools:return_sign_off": row((OK, A_PEOPLE), (NOT_FOUND, NOT_A)),
    "schools:return_submit": row((OK, A_PEOPLE), (NOT_FOUND, NOT_A)),
    "schools:return_print": row((OK, A_PEOPLE | SCHOOL_AUDIT_STAFF), rest=NOT_FOUND),
    "schools:return_feedback": row((OK, A_PEOPLE | SCHOOL_AUDIT_STAFF), rest=NOT_FOUND),
    "schools:return_review": row((OK, SCHOOL_AUDIT_STAFF), (NOT_FOUND, {COMMISSIONING})),
    "schools:setting_members": row((OK, {ADVISER, QA})),
    "schools:setting_member_invite": row((OK, {ADVISER, QA})),
    "schools:evidence_download": row((OK, A_PEOPLE | SCHOOL_AUDIT_STAFF), rest=NOT_FOUND),
    "schools:evidence_delete": same(NOT_ALLOWED),
    # schools: action plans ------------------------------------------------------------------
    "schools:plan_list": row(rest=OK),
    "schools:risk_list": row((OK, SCHOOL_AUDIT_STAFF)),
    "schools:plan_detail": row((OK, A_PEOPLE | SCHOOL_AUDIT_STAFF), rest=NOT_FOUND),
    "schools:action_add": row((OK, CASEWORK), (NOT_FOUND, NOT_A | {COMMISSIONING, EDITOR})),
    "schools:action_edit": row((OK, CASEWORK), (NOT_FOUND, NOT_A | {COMMISSIONING, EDITOR})),
    "schools:plan_from_return": same(NOT_ALLOWED),
    "schools:action_detail": row((OK, A_PEOPLE | SCHOOL_AUDIT_STAFF), rest=NOT_FOUND),
    "schools:action_evidence_download": row((OK, A_PEOPLE | SCHOOL_AUDIT_STAFF), rest=NOT_FOUND),
    # schools: casework (advisers and QA managers) --------------------------------------------
    "schools:visit_list": row((OK, CASEWORK)),
    "schools:visit_plan": row((OK, CASEWORK)),
    "schools:visit_detail": row((OK, CASEWORK)),
    "schools:visit_record": row((OK, CASEWORK)),
    "schools:visit_cancel": row((OK, CASEWORK)),
    "schools:my_visits": row(("redirect:/audits/casework/visits/", CASEWORK), rest=OK),
    "schools:support_offer_list": row((OK, CASEWORK)),
    "schools:support_offer_detail": row((OK, CASEWORK)),
    "schools:allegations_list": row((OK, CASEWORK)),
    "schools:allegations_record": row((OK, CASEWORK)),
    "schools:allegations_repeat_issues": row((OK, CASEWORK)),
    "schools:allegations_detail": row((OK, CASEWORK)),
    "schools:practice_review_list": row((OK, CASEWORK)),
    "schools:practice_review_add": row((OK, CASEWORK)),
    "schools:practice_review_detail": row((OK, CASEWORK)),
    "schools:practice_review_edit": row((OK, CASEWORK)),
    "schools:practice_review_export": row((OK, CASEWORK)),
    "schools:training_needs": row((OK, QPAG_READERS)),
    "schools:training_needs_csv": row((OK, QPAG_READERS)),
    # complaints ------------------------------------------------------------------------------
    "complaints:tracker": complaints(),
    "complaints:tracker_export": complaints(),
    "complaints:complaint_new": complaints(change=True),
    "complaints:complaint_detail": complaints(),
    "complaints:complaint_edit": complaints(change=True),
    "complaints:complaint_response": complaints(change=True),  # seniors never see the letter
    "complaints:complaint_response_document": complaints(change=True),
    "complaints:complaint_action": row((NOT_ALLOWED, COMPLAINTS_ROLES), rest=NOT_FOUND),
    "complaints:report": complaints(),
    "complaints:report_request": same(NOT_ALLOWED),
    "complaints:report_list": complaints(),
    "complaints:report_snapshot": complaints(),
    "complaints:report_status": complaints(),
    "complaints:report_download": complaints(),
    # learning hub ---------------------------------------------------------------------------
    "learning_hub:session_book": row((OK, SETTING_PEOPLE)),
    "learning_hub:session_attendance": row((OK, TRAINING_STAFF)),
    "learning_hub:session_attendance_export": row((OK, TRAINING_STAFF)),
    "learning_hub:my_bookings": row(rest=OK),
    # A's DSL's booking: hers, and the training staff's; nobody else's (404).
    "learning_hub:booking_cancel": row((OK, {SCHOOL_A} | TRAINING_STAFF), rest=NOT_FOUND),
    "learning_hub:booking_evaluation": row((OK, {SCHOOL_A}), rest=NOT_FOUND),
    "learning_hub:booking_certificate": row(rest=NOT_FOUND),  # nobody: the session has not happened yet
    "learning_hub:good_practice_submit": row((OK, SUBMITTERS)),
    "learning_hub:good_practice_submitted": row((OK, {SCHOOL_A}), (NOT_FOUND, SUBMITTERS - {SCHOOL_A})),
    "learning_hub:my_submissions": row((OK, SUBMITTERS)),
    # QPAG ------------------------------------------------------------------------------------
    "qpag:dashboard": qpag(),
    "qpag:audits_of_concern": qpag(),
    "qpag:action_oversight": qpag(),
    "qpag:extract_list": qpag(),
    "qpag:extract_upload": qpag(change=True),
    "qpag:extract_detail": qpag(),
    "qpag:sample_draw": same(NOT_ALLOWED),
    "qpag:sample_draw_detail": qpag(),
    "qpag:case_file_audit_import": qpag(change=True),
    "qpag:case_file_audit_import_template": qpag(),
    "qpag:case_file_audit_list": qpag(),
    "qpag:case_file_audit_new": qpag(change=True),
    "qpag:case_file_audit_detail": qpag(),
    "qpag:case_file_audit_grade": qpag(change=True),
    "qpag:case_file_audit_moderate": qpag(change=True),
    # Not moderated yet / not lowered: the page sends QA managers back to the audit.
    "qpag:case_file_audit_close": {**qpag(change=True), QA: "redirect:/qpag/case-file-audits/N/"},
    "qpag:case_file_audit_action_add": qpag(change=True),
    "qpag:case_file_audit_action_complete": qpag(change=True),
    "qpag:triple_lock_review_complete": qpag(change=True),
    "qpag:moderation_panel_record": {**qpag(change=True), QA: "redirect:/qpag/case-file-audits/N/"},
    "qpag:triple_lock_review_list": qpag(),
    "qpag:moderation_panel": qpag(),
    "qpag:pack_list": qpag(),
    "qpag:pack_new": same(NOT_ALLOWED),
    "qpag:pack_detail": qpag(),
    "qpag:pack_narrative": qpag(change=True),
    "qpag:pack_issue": qpag(change=True),
    "qpag:pack_download": qpag(),
    # Wagtail front end -----------------------------------------------------------------------
    "wagtail_serve": row(rest=OK),  # the members-only resource: sign in first
    "wagtaildocs_serve": same(NOT_FOUND),  # no such document
    "wagtaildocs_authenticate_with_password": same(NOT_FOUND),  # no such restriction
    "wagtailcore_authenticate_with_password": same(OK),
    "wagtailcore_login": same(OK),
    # Wagtail admin: its own screens ------------------------------------------------------------
    "wagtailadmin_home": admin(STAFF),
    "wagtailadmin_explore_root": admin({EDITOR}, set()),
    "wagtailadmin_explore": admin({EDITOR}, set()),
    "wagtailadmin_explore_results": admin({EDITOR}, set()),
    "wagtailsnippets:index": admin({ADVISER}, QA_ONLY),
    "wagtailsettings:edit": {**admin(set(), set()), QA: "redirect:/admin/settings/complaints/complaintssettings/N/"},
    "schools_gias_import:upload": row((OK, QA_ONLY)),  # a plain view: 403, not Wagtail's redirect
}

# Exceptions to the viewset rule above.
_FROZEN = "redirect:/admin/snippets/schools/questionnaire/inspect/N/"  # a published questionnaire
for _name in (
    "wagtailsnippets_schools_questionnaire:edit",
    "wagtailsnippets_schools_questionnaire:delete",
    "wagtailsnippets_schools_question:edit",
    "wagtailsnippets_schools_question:delete",
):
    EXPECTED[_name] = {**EXPECTED[_name], QA: _FROZEN}
for _name in (  # failed jobs are recorded by the tasks, never added or deleted by hand
    "portal_taskfailure:add",
    "portal_taskfailure:delete",
):
    if _name in EXPECTED:
        EXPECTED[_name] = admin(set(), set())
for _name in (
    "wagtailsnippets_schools_questionnaire:publish",
    "wagtailsnippets_schools_questionnaire:copy_to_next_year",
):
    EXPECTED[_name] = row((NOT_ALLOWED, QA_ONLY))  # plain POST-only views: 403 for other staff


# The tests ------------------------------------------------------------------------------------

URL_NAMES = sorted(named_urls())
SEEN: list[int] = [0]


def test_every_named_url_has_an_entry():
    missing = [name for name in URL_NAMES if name not in EXPECTED]
    assert not missing, f"named URLs with no entry in the access matrix: {', '.join(missing)}"
    stale = sorted(set(EXPECTED) - set(URL_NAMES))
    assert not stale, f"entries for URLs that no longer exist: {', '.join(stale)}"
    assert all(set(EXPECTED[name]) == set(ROLES) for name in URL_NAMES)


def test_every_url_can_be_filled_from_the_fixture(access_world, db):  # noqa: F811 (the fixture)
    # `db` also makes pytest-django run this with the other database tests, before the browser
    # tests (which flush the tables); without it, it ran last and found no roles.
    kwargs = url_kwargs(access_world)
    unfilled = [name for name in URL_NAMES if name not in kwargs]
    assert not unfilled, f"no fixture object for: {', '.join(unfilled)} (add it to url_kwargs)"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", URL_NAMES)
def test_access(access_world, client, db, name, role):  # noqa: F811 (the fixture)
    if name not in EXPECTED:
        pytest.fail(f"{name} has no entry in the access matrix")
    kwargs = url_kwargs(access_world)
    if name not in kwargs:
        pytest.fail(f"{name}: no fixture object to fill its URL")
    if role != ANONYMOUS:
        client.force_login(access_world.users[role])
    address = url_for(name, kwargs[name], access_world)
    got = outcome(client.get(address))
    SEEN[0] += 1
    assert got == EXPECTED[name][role], f"{name} ({address}) as {role}: got {got}, expected {EXPECTED[name][role]}"


def test_matrix_size(capsys):
    """Report the size of the matrix on the terminal, with or without -s."""
    size = len(URL_NAMES) * len(ROLES)
    with capsys.disabled():
        print(  # noqa: T201 (the issue asks for the figure)
            f"\naccess matrix: {len(URL_NAMES)} URLs x {len(ROLES)} roles = {size} requests"
            f" ({SEEN[0]} made in this run)"
        )
    assert size >= 1000
