"""Training needs: themes ranked by the settings weak in them (latest reviewed audit, open
actions, and signals from later apps through the hook), beside the sessions scheduled."""

# Test functions take the hub fixture imported below by name, which ruff reads as a redefinition.
# ruff: noqa: F811

import datetime
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail import hooks

from portal.models import Theme
from portal.roles import Role
from schools.models import (
    Action,
    ActionPlan,
    Answer,
    AuditCycle,
    AuditReturn,
    Question,
    Section,
    Setting,
    SettingKind,
)
from schools.training_needs import HOOK_NAME, training_needs
from tests.learning_hub.conftest import hub, make_session  # noqa: F401
from tests.schools.conftest import TODAY

Status = AuditReturn.Status


@pytest.fixture
def themes(db):
    return SimpleNamespace(
        safer=Theme.objects.get(slug="safer-recruitment"),
        online=Theme.objects.get(slug="online-safety"),
        records=Theme.objects.get(slug="records"),
    )


@pytest.fixture
def cycles(questionnaire, qa_manager, themes):
    """Section 1 is about safer recruitment, section 2 about online safety; two years' cycles."""
    first, second = questionnaire.sections.order_by("sort_order")
    Section.objects.filter(pk=first.pk).update(theme=themes.safer)
    Section.objects.filter(pk=second.pk).update(theme=themes.online)

    def cycle(title, opens_on):
        return AuditCycle.objects.create(
            kind=questionnaire.kind,
            questionnaire=questionnaire,
            title=title,
            opens_on=opens_on,
            due_on=opens_on + datetime.timedelta(days=60),
            opened_by=qa_manager,
        )

    return SimpleNamespace(old=cycle("2021/22", datetime.date(2021, 9, 1)), new=cycle("2022/23", TODAY))


def make_setting(n, *, is_open=True):
    return Setting.objects.create(name=f"Setting {n:03d}", urn=f"8{n:05d}", kind=SettingKind.ACADEMY, is_open=is_open)


def make_return(cycle, setting, status, **answers):
    """A return whose compliance answers are given by question code ("q1_1": "no")."""
    audit_return = AuditReturn.objects.create(cycle=cycle, setting=setting, status=status)
    for code, compliance in answers.items():
        question = Question.objects.get(section__questionnaire=cycle.questionnaire, code=code[1:].replace("_", "."))
        Answer.objects.create(audit_return=audit_return, question=question, compliance=compliance)
    return audit_return


def make_action(setting, theme, adviser, *, plan_status=ActionPlan.Status.AGREED, status=Action.Status.NOT_STARTED):
    plan = ActionPlan.objects.create(setting=setting, source="other", title="Plan", lead=adviser, status=plan_status)
    return Action.objects.create(
        plan=plan, description="Do it", theme=theme, original_due_on=TODAY, due_on=TODAY, status=status
    )


@pytest.fixture
def world(cycles, themes, adviser):
    """Hand-built weaknesses (safer recruitment = S, online safety = O, records = R):

    s1: latest reviewed return red on S (an older reviewed return red on O does not count)
    s2: latest reviewed return amber on S, green on O
    s3: return submitted but not reviewed, red on S (not counted); open action on S
    s4: open action on O; a verified action on S and a draft plan's action on R (not counted)
    s5: signalled by the fake hook on S (and s2 again: counted once)
    s6: closed setting, red on S and an open action on R (not counted)
    """
    s = SimpleNamespace(**{f"s{n}": make_setting(n) for n in range(1, 6)}, s6=make_setting(6, is_open=False))
    make_return(cycles.old, s.s1, Status.CLOSED, q2_1="no")
    make_return(cycles.new, s.s1, Status.FEEDBACK_SENT, q1_1="no", q2_1="yes")
    make_return(cycles.new, s.s2, Status.IN_REVIEW, q1_1="partly", q2_1="yes")
    make_return(cycles.new, s.s3, Status.SUBMITTED, q1_1="no")
    make_action(s.s3, themes.safer, adviser, plan_status=ActionPlan.Status.IN_PROGRESS)
    make_action(s.s4, themes.online, adviser, status=Action.Status.IN_PROGRESS)
    make_action(s.s4, themes.safer, adviser, status=Action.Status.VERIFIED)
    make_action(s.s4, themes.records, adviser, plan_status=ActionPlan.Status.DRAFT)
    make_return(cycles.new, s.s6, Status.FEEDBACK_SENT, q1_1="no")
    make_action(s.s6, themes.records, adviser)
    return s


def fake_signal(world, themes, seen):
    def partner_reports(since):
        seen.append(since)
        return {themes.safer.pk: {world.s5.pk, world.s2.pk, world.s6.pk}}

    partner_reports.label = "Partner reports"
    return partner_reports


def row_for(needs, theme):
    return next(row for row in needs.rows if row.theme == theme)


def test_ranking_against_hand_computed_counts(world, themes):
    seen = []
    with hooks.register_temporarily(HOOK_NAME, fake_signal(world, themes, seen)):
        needs = training_needs(today=TODAY)

    assert seen == [TODAY - datetime.timedelta(days=365)]
    labels = [signal.label for signal in needs.signals]
    partner = labels.index("Partner reports")
    safer, online, records = (row_for(needs, t) for t in (themes.safer, themes.online, themes.records))
    assert safer.audit == {world.s1.pk, world.s2.pk}
    assert safer.actions == {world.s3.pk}
    assert safer.signals[partner] == {world.s5.pk, world.s2.pk}
    assert safer.need == 4 and safer.high_need
    assert (online.need, online.audit, online.actions) == (1, set(), {world.s4.pk})
    assert records.need == 0
    assert safer.setting_names == ["Setting 001", "Setting 002", "Setting 003", "Setting 005"]
    # Highest need first, then the taxonomy's order; every active theme is listed once.
    assert needs.rows[0] == safer and needs.rows[1] == online
    assert [row.need for row in needs.rows[2:]] == [0] * (len(needs.rows) - 2)
    assert len(needs.rows) == Theme.objects.filter(is_active=True).count()
    # Nothing is scheduled for safer recruitment: highlighted.
    assert safer.sessions == 0 and safer.unmet and needs.unmet == [safer]
    assert not online.unmet


def test_sessions_scheduled_beside_the_need(world, themes, hub):
    make_session(hub.course, days_ahead=200)  # beyond six months: not counted
    make_session(hub.course, days_ahead=10, is_cancelled=True)
    booked = make_session(hub.course, days_ahead=20, capacity=5)
    booked.places_taken = 5
    booked.save()
    with hooks.register_temporarily(HOOK_NAME, fake_signal(world, themes, [])):
        needs = training_needs(today=TODAY)

    safer = row_for(needs, themes.safer)
    # The fixture's sessions at 30 (10 places) and 60 days (2 places) and the full one at 20 days.
    assert safer.sessions == 3
    assert safer.places_left == 12
    assert safer.next_session == booked.starts_at
    assert not safer.unmet and needs.unmet == []


def test_inactive_themes_are_left_out(world, themes):
    Theme.objects.filter(pk=themes.online.pk).update(is_active=False)

    needs = training_needs(today=TODAY)

    assert themes.online not in [row.theme for row in needs.rows]


def test_page_shows_rule_counts_and_the_no_training_tag(world, themes, qa_manager, client):
    client.force_login(qa_manager)
    with hooks.register_temporarily(HOOK_NAME, fake_signal(world, themes, [])):
        response = client.get(reverse("schools:training_needs"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "High need means 3 or more settings" in page
    assert '<strong class="govuk-tag govuk-tag--red">No training scheduled</strong>' in page
    assert "High need: 4 settings and no session in the next 6 months" in page
    assert "<caption" in page and 'scope="col"' in page and "Partner reports" in page
    assert page.count("No training scheduled</strong>") == 1


def test_csv_download(world, themes, qa_manager, client):
    client.force_login(qa_manager)
    with hooks.register_temporarily(HOOK_NAME, fake_signal(world, themes, [])):
        response = client.get(reverse("schools:training_needs_csv"))

    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("Theme,Settings in need,Audit red or amber,Open actions,Complaints,Partner reports,")
    assert lines[1].startswith("Safer recruitment,4,2,1,0,2,0,,0,Yes,")


@pytest.mark.parametrize("role", [Role.QA_MANAGER, Role.SENIOR_MANAGER])
@pytest.mark.parametrize("name", ["schools:training_needs", "schools:training_needs_csv"])
def test_qa_and_senior_managers_may_read_it(role, name, user_for_role, client):
    client.force_login(user_for_role(role))

    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize(
    "role", [Role.SCHOOL_USER, Role.AP_PROVIDER_USER, Role.ADVISER, Role.COMMISSIONING_OFFICER, Role.EDITOR]
)
@pytest.mark.parametrize("name", ["schools:training_needs", "schools:training_needs_csv"])
def test_other_roles_are_refused(role, name, user_for_role, client):
    client.force_login(user_for_role(role))

    assert client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", ["schools:training_needs", "schools:training_needs_csv"])
def test_anonymous_people_are_sent_to_sign_in(name, client, db):
    response = client.get(reverse(name))

    assert response.status_code == 302 and reverse("portal:sign_in") in response["Location"]


def _grow(cycles, themes, adviser, hub, start, n):
    for i in range(start, start + n):
        setting = make_setting(100 + i)
        make_return(cycles.new, setting, Status.FEEDBACK_SENT, q1_1="no", q2_1="partly")
        make_return(cycles.old, setting, Status.CLOSED, q2_1="no")
        make_action(setting, themes.records, adviser)
        make_session(hub.course, days_ahead=5 + i)


def test_a_fixed_number_of_queries(
    world, cycles, themes, adviser, hub, qa_manager, client, django_assert_max_num_queries
):
    _grow(cycles, themes, adviser, hub, 0, 1)
    client.force_login(qa_manager)
    client.get(reverse("schools:training_needs"))
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("schools:training_needs")).status_code == 200

    _grow(cycles, themes, adviser, hub, 1, 12)
    with django_assert_max_num_queries(len(small)):
        page = client.get(reverse("schools:training_needs"))
    assert row_for(page.context["needs"], themes.records).need == 13  # s4 (draft plan) and s6 (closed) not counted


def test_next_session_is_shown_in_local_time(world, themes, hub, qa_manager, client):
    client.force_login(qa_manager)

    page = client.get(reverse("schools:training_needs")).content.decode()

    assert timezone.localtime(hub.session.starts_at).strftime("%-d %B %Y") in page
