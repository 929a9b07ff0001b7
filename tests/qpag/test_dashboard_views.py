"""The dashboard pages: access by role, filters (bad values never 500), what the page shows,
paging, and a constant number of queries however much data there is."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.roles import Role
from qpag.constants import Grade, Service
from qpag.dates import previous_month
from qpag.services import casefile_action_add
from schools.models import Action, ActionPlan, AuditReturn, QuestionnaireKind, SettingKind
from tests.qpag.test_dashboard import (
    build_questionnaire,
    make_action,
    make_cycle,
    make_return,
    make_setting,
)

D = datetime.date.fromisoformat
PAGES = ("qpag:dashboard", "qpag:audits_of_concern", "qpag:action_oversight")
R = AuditReturn.Status


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_people_are_sent_to_sign_in(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert reverse("portal:sign_in") in response["Location"]


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("role", [Role.SCHOOL_USER, Role.AP_PROVIDER_USER, Role.ADVISER, Role.EDITOR])
def test_other_roles_get_404(client, user_for_role, name, role):
    client.force_login(user_for_role(role))
    assert client.get(reverse(name)).status_code == 404


@pytest.mark.parametrize("name", PAGES)
def test_qa_and_senior_managers_see_the_pages(client, qa_manager, qpag_senior, name):
    for user in (qa_manager, qpag_senior):
        client.force_login(user)
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert b"There is a problem" not in response.content


def test_the_month_defaults_to_the_last_complete_month(client, qa_manager):
    client.force_login(qa_manager)
    response = client.get(reverse("qpag:dashboard"))
    expected = previous_month(timezone.localdate())
    assert response.context["month"] == expected
    assert f'value="{expected:%Y-%m}"' in response.content.decode()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"period": "October"}, "Enter the month as a year and month, like 2026-10"),
        ({"period": "2026-13"}, "Enter a real month, like 2026-10"),
        ({"period": "2999-01"}, "The month must be this month or earlier"),
        ({"service": "bogus"}, "Choose a service from the list"),
        ({"locality": "Atlantis"}, "Choose a locality from the list"),
        ({"setting_kind": "castle"}, "Choose a kind of setting from the list"),
    ],
)
@pytest.mark.parametrize("name", PAGES)
def test_bad_filter_values_show_an_error_and_fall_back(client, qa_manager, params, message, name):
    client.force_login(qa_manager)
    response = client.get(reverse(name), params)
    assert response.status_code == 200
    content = response.content.decode()
    assert "There is a problem" in content
    assert message in content
    filters = response.context["filters"]
    assert filters.month == previous_month(timezone.localdate())
    assert (filters.service, filters.locality, filters.setting_kind) == ("", "", "")


def test_bad_page_and_list_values_do_not_fail(client, qa_manager):
    client.force_login(qa_manager)
    response = client.get(reverse("qpag:audits_of_concern"), {"page": "many", "list": "<script>"})
    assert response.status_code == 200
    assert response.context["showing"] == "case_file"


# --- A small county ------------------------------------------------------------------------------


def build_data(*, make_audit, qa_manager, adviser, size: int, offset: int = 0):
    """`size` of everything: settings with returns in two cycles and action plans, case-file
    audits in October and September 2026 with actions."""
    questionnaire, questions, _a, _b = build_questionnaire(year=f"20{20 + offset}/x")
    old = make_cycle(questionnaire, user=qa_manager, title=f"Audit 2025 ({offset})", opens_on=D("2025-09-01"))
    new = make_cycle(questionnaire, user=qa_manager, title=f"Audit 2026 ({offset})", opens_on=D("2026-09-01"))
    ap_questionnaire, ap_questions, _a, _b = build_questionnaire(
        kind=QuestionnaireKind.AP_PROVIDER, year=f"20{20 + offset}/x"
    )
    ap_cycle = make_cycle(
        ap_questionnaire,
        user=qa_manager,
        title=f"AP audit 2026 ({offset})",
        opens_on=D("2026-09-01"),
        kind=QuestionnaireKind.AP_PROVIDER,
    )
    for n in range(size):
        setting = make_setting(
            f"Setting {offset}-{n}",
            urn=f"{920000 + offset * 1000 + n}",
            kind=SettingKind.ACADEMY if n % 2 else SettingKind.MAINTAINED_SCHOOL,
            locality="North" if n % 2 else "South",
        )
        answers = {"A1": "yes", "A2": "partly", "B1": "no", "B2": "yes", "C1": "not_applicable"}
        make_return(old, setting, questions, R.CLOSED, answers)
        make_return(ap_cycle, setting, ap_questions, R.SUBMITTED, answers)
        returned = make_return(new, setting, questions, R.FEEDBACK_SENT, answers, judgement="requires_improvement")
        plan = ActionPlan.objects.create(
            setting=setting,
            source=ActionPlan.Source.SCHOOLS_AUDIT,
            source_return=returned,
            title="Plan",
            lead=adviser,
        )
        make_action(plan, due_on="2026-11-01")
        make_action(plan, due_on="2027-11-01", status=Action.Status.VERIFIED)
        for service, team, grade in (
            (Service.SOCIAL_CARE, "South locality team", Grade.INADEQUATE),
            (Service.EARLY_HELP, "Early Help West", Grade.GOOD),
        ):
            for notified in ("2026-10-05", "2026-09-05"):
                audit = make_audit(service=service, team=team, notified_on=D(notified), grade=grade, locality="North")
                casefile_action_add(
                    audit=audit, user=qa_manager, description="Act", owner=f"Owner {n}", due_on=D("2026-11-01")
                )


@pytest.fixture
def county(make_audit, qa_manager, adviser):
    def _build(size, offset=0):
        build_data(make_audit=make_audit, qa_manager=qa_manager, adviser=adviser, size=size, offset=offset)

    return _build


# 20 when measured: the page's own 9 (session read, user, roles, site, site settings, navigation,
# and 3 to save the session) and the dashboard's 11 (localities 1, case-file trends 2, cycles 1,
# one aggregate per kind of settings' audit 2, actions 2, audits of concern 3).
DASHBOARD_QUERIES = 20


def test_dashboard_queries_do_not_grow_with_the_data(client, qa_manager, county, django_assert_max_num_queries):
    client.force_login(qa_manager)
    url = reverse("qpag:dashboard")
    county(1)
    client.get(url, {"period": "2026-10"})  # warm the site settings and navigation caches
    with django_assert_max_num_queries(DASHBOARD_QUERIES) as small:
        assert client.get(url, {"period": "2026-10"}).status_code == 200
    county(6, offset=1)
    with django_assert_max_num_queries(DASHBOARD_QUERIES) as large:
        response = client.get(url, {"period": "2026-10"})
    assert response.status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)
    # The filtered page too.
    with django_assert_max_num_queries(DASHBOARD_QUERIES):
        client.get(url, {"period": "2026-10", "locality": "North", "setting_kind": "academy"})


def test_full_lists_take_constant_queries(client, qa_manager, county, django_assert_max_num_queries):
    client.force_login(qa_manager)
    county(1)
    sizes = {}
    for size, offset in ((0, 0), (5, 1)):
        if size:
            county(size, offset=offset)
        for name, params in (
            ("qpag:audits_of_concern", {"period": "2026-10"}),
            ("qpag:audits_of_concern", {"period": "2026-10", "list": "returns"}),
            ("qpag:action_oversight", {"period": "2026-10"}),
        ):
            client.get(reverse(name), params)
            with django_assert_max_num_queries(20) as captured:
                assert client.get(reverse(name), params).status_code == 200
            sizes.setdefault((name, params.get("list")), []).append(len(captured.captured_queries))
    for counts in sizes.values():
        assert counts[0] == counts[1]


def test_dashboard_shows_rules_trends_actions_and_concerns(client, qpag_senior, county):
    county(2)
    client.force_login(qpag_senior)
    response = client.get(reverse("qpag:dashboard"), {"period": "2026-10"})
    content = response.content.decode()
    assert "<h1" in content and content.count("<h1") == 1
    # The status rules in words.
    assert "80% or more good or better" in content
    assert "How the status of each practice area and theme is decided" in content
    # Case-file audits by service, with a status, a sparkline and a table of every month.
    assert "Children&#x27;s social care" in content
    assert "Children are safe and risk is managed" in content
    assert 'class="portal-chart qpag-sparkline"' in content
    assert "Needs strengthening" in content  # social care: all inadequate
    assert "Strong" in content  # Early Help: all good
    assert "Oct 2026" in content and "Nov 2025" in content
    # Settings' audit themes across the cycles.
    assert "175/157 and AP audits by theme" in content
    assert "Audit 2026 (0)" in content
    # Action oversight with a chart and tables.
    assert 'id="actions-by-source"' in content
    assert "Case-file audits" in content
    assert "Owner 0" in content
    # Audits of concern with links to the full lists.
    assert 'id="concern-case-file"' in content
    assert 'id="concern-returns"' in content
    assert reverse("qpag:audits_of_concern") in content
    assert reverse("qpag:action_oversight") in content


def test_service_filter_narrows_the_page(client, qa_manager, county):
    county(1)
    client.force_login(qa_manager)
    early = client.get(reverse("qpag:dashboard"), {"period": "2026-10", "service": Service.EARLY_HELP})
    assert [g["key"] for g in early.context["case_file_groups"]] == [Service.EARLY_HELP]
    assert early.context["theme_groups"] == []
    assert "175/157 and AP audits by theme" not in early.content.decode()
    schools = client.get(reverse("qpag:dashboard"), {"period": "2026-10", "service": "settings"})
    assert schools.context["case_file_groups"] == []
    assert [g["key"] for g in schools.context["theme_groups"]] == [k for k, _ in QuestionnaireKind.choices]


def test_localities_come_from_settings_and_case_file_audits(client, qa_manager, make_audit):
    make_setting("Hilltop", urn="930001", locality="Hills")
    make_audit(notified_on=D("2026-10-01"), locality="Coast")
    client.force_login(qa_manager)
    response = client.get(reverse("qpag:dashboard"), {"locality": "Coast"})
    assert response.context["filters"].locality == "Coast"
    choices = [value for value, _label in response.context["form"].fields["locality"].choices]
    assert choices == ["", "Coast", "Hills"]


def test_audits_of_concern_page_is_paginated(client, qa_manager, make_audit):
    for day in range(1, 27):
        make_audit(notified_on=D(f"2026-10-{day:02d}"), grade=Grade.REQUIRES_IMPROVEMENT)
    client.force_login(qa_manager)
    url = reverse("qpag:audits_of_concern")
    first = client.get(url, {"period": "2026-10"})
    assert len(first.context["rows"]) == 25
    assert first.context["rows"][0].notified_on == D("2026-10-26")
    assert "26 case-file audits, newest first" in first.content.decode()
    second = client.get(url, {"period": "2026-10", "page": "2"})
    assert [a.notified_on for a in second.context["rows"]] == [D("2026-10-01")]
    # Outside the 12 months to the chosen month: none.
    earlier = client.get(url, {"period": "2025-09"})
    assert earlier.context["rows"] == []
    assert 'id="empty-state"' in earlier.content.decode()


def test_action_oversight_page_lists_every_owner(client, qpag_senior, make_audit, qa_manager):
    audit = make_audit(notified_on=D("2026-10-01"), grade=Grade.GOOD)
    for n in range(17):
        casefile_action_add(
            audit=audit, user=qa_manager, description="Act", owner=f"Owner {n:02d}", due_on=D("2099-01-01")
        )
    client.force_login(qpag_senior)
    response = client.get(reverse("qpag:action_oversight"))
    content = response.content.decode()
    assert len(response.context["oversight"].by_owner) == 17
    assert "Everyone else" not in content
    assert 'id="actions-by-service"' in content
    dashboard_page = client.get(reverse("qpag:dashboard"))
    assert "Everyone else (2 more)" in dashboard_page.content.decode()
