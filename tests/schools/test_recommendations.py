"""Recommended for you: hub learning chosen from a setting's red and amber audit answers and
its open actions, each with its reason; shown on the dashboard and the feedback page."""

# Test functions take the hub fixture imported below by name, which ruff reads as a redefinition.
# ruff: noqa: F811

import datetime
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import PageViewRestriction

from learning_hub.models import ResourcePage, TrainingCoursePage
from portal.models import Theme
from portal.roles import Role
from schools import services as audit_services
from schools import services_plans
from schools.models import Action, Section, TrustMembership
from schools.recommendations import recommendations_for, recommendations_for_user
from tests.learning_hub.conftest import add, hub, make_session, tag  # noqa: F401
from tests.schools import helpers
from tests.schools.conftest import TODAY

NO = {"compliance": "no", "follow_up": "Put it right by March"}
SAFER = "Because your audit was amber on Safer recruitment"
ONLINE = "Because your audit was red on Online safety, filtering and monitoring"


THEME_SLUGS = {
    "safer": "safer-recruitment",
    "online": "online-safety",
    "records": "records",
    "site": "site-security",
    "dsl": "dsl-role",
}


@pytest.fixture
def themes(db):
    return SimpleNamespace(**{key: Theme.objects.get(slug=slug) for key, slug in THEME_SLUGS.items()})


@pytest.fixture
def themed(questionnaire, themes):
    """Section 1 is about safer recruitment, section 2 about online safety. The reviewed return
    answers 1.1 "partly" (amber) and 2.1 "no" (red)."""
    first, second = questionnaire.sections.order_by("sort_order")
    Section.objects.filter(pk=first.pk).update(theme=themes.safer)
    Section.objects.filter(pk=second.pk).update(theme=themes.online)
    return questionnaire


def review(audit_return, user, adviser, overrides=None):
    helpers.answer_everything(audit_return, user, overrides=overrides)
    helpers.sign_off(audit_return, user)
    audit_services.audit_return_submit(audit_return=audit_return, user=user)
    audit_services.audit_return_start_review(audit_return=audit_return, user=adviser)
    audit_services.audit_return_send_feedback(audit_return=audit_return, user=adviser, judgement="good", summary="Ok")
    return audit_return


def resource(hub, slug, *theme_slugs):
    return tag(
        add(
            hub.resources,
            ResourcePage(title=f"Resource {slug}", slug=slug, summary="A resource", kind=ResourcePage.Kind.LINK),
        ),
        *theme_slugs,
    )


def as_pairs(recs):
    return [(rec.target, rec.reasons) for rec in recs]


def test_items_and_sessions_for_red_and_amber_themes_with_reasons(themed, reviewed_return, dsl, hub):
    recs = recommendations_for_user(user=dsl)

    assert recs.reviewed
    assert [(w.theme.slug, w.rag, w.red, w.amber, w.open_actions) for w in recs.weaknesses] == [
        ("online-safety", "red", 1, 0, 0),
        ("safer-recruitment", "amber", 0, 1, 0),
    ]
    # Red first: the online-safety resource, then the safer-recruitment course. Nothing else
    # in the hub (the DSL-role pages, the governance news) is tagged with a weak theme.
    assert [(rec.target.specific, rec.reasons, rec.kind) for rec in recs.items] == [
        (hub.public_resource, [ONLINE], "Resource"),
        (hub.course, [SAFER], "Training course"),
    ]
    assert as_pairs(recs.sessions) == [(hub.session, [SAFER]), (hub.later_session, [SAFER])]


def test_open_actions_add_themes_and_join_audit_reasons(themed, agreed_plan, adviser, dsl, hub, themes):
    records = resource(hub, "records-guide", "records")
    site = resource(hub, "site-guide", "site-security")
    services_plans.action_save(
        plan=agreed_plan, user=adviser, description="Fix record transfers", due_on=TODAY, theme=themes.records
    )
    # A finished action and a draft plan's action are not open actions in a live plan.
    done = services_plans.action_save(
        plan=agreed_plan, user=adviser, description="Check the gate", due_on=TODAY, theme=themes.site
    )
    Action.objects.filter(pk=done.pk).update(status=Action.Status.VERIFIED)
    draft = services_plans.plan_create(user=adviser, setting=agreed_plan.setting, source="other", title="Draft")
    services_plans.action_save(plan=draft, user=adviser, description="Lock the gate", due_on=TODAY, theme=themes.site)

    recs = recommendations_for_user(user=dsl)

    reasons = {rec.target.specific: rec.reasons for rec in recs.items}
    # The plan from the return has an action on each weak section's theme.
    assert reasons[hub.public_resource] == [f"{ONLINE} and you have 1 open action on it"]
    assert reasons[hub.course] == [f"{SAFER} and you have 1 open action on it"]
    assert reasons[records] == ["Because you have 1 open action on Records and information sharing"]
    assert site not in reasons
    assert [w.theme.slug for w in recs.weaknesses] == ["online-safety", "safer-recruitment", "records"]


def test_members_only_items_are_recommended_to_signed_in_people(themed, reviewed_return, dsl, hub):
    members = resource(hub, "members-online", "online-safety")
    PageViewRestriction.objects.create(page=members, restriction_type=PageViewRestriction.LOGIN)

    assert members in [rec.target.specific for rec in recommendations_for_user(user=dsl).items]
    anonymous = recommendations_for(settings=[reviewed_return.setting], user=None)
    assert members not in [rec.target.specific for rec in anonymous.items]


def test_nothing_until_the_audit_is_reviewed(themed, audit_return, dsl, hub, client):
    helpers.submitted(audit_return, dsl)

    recs = recommendations_for_user(user=dsl)

    assert not recs.reviewed and recs.weaknesses == [] and recs.items == [] and recs.sessions == []
    client.force_login(dsl)
    page = client.get(reverse("portal:dashboard")).content.decode()
    assert "Recommended for you" in page
    assert "No recommendations yet: they appear once your audit has been reviewed" in page


def test_an_all_green_review_says_there_is_nothing_to_recommend(themed, audit_return, dsl, adviser, hub):
    review(audit_return, dsl, adviser)

    recs = recommendations_for_user(user=dsl)

    assert recs.reviewed and recs.weaknesses == [] and recs.items == []


def test_the_latest_reviewed_return_is_read(themed, reviewed_return, dsl, adviser, qa_manager, questionnaire, hub):
    from schools.services import cycle_open

    later = cycle_open(
        user=qa_manager,
        questionnaire=questionnaire,
        title="175/157 safeguarding audit 2023/24",
        opens_on=TODAY,
        due_on=TODAY + datetime.timedelta(days=60),
    )
    review(later.returns.get(setting=reviewed_return.setting), dsl, adviser, {"1.1": NO})

    recs = recommendations_for_user(user=dsl)

    assert [(w.theme.slug, w.rag) for w in recs.weaknesses] == [("safer-recruitment", "red")]
    # The feedback page on the older return still reads that return.
    older = recommendations_for(settings=[reviewed_return.setting], user=dsl, audit_return=reviewed_return)
    assert [(w.theme.slug, w.rag) for w in older.weaknesses] == [
        ("online-safety", "red"),
        ("safer-recruitment", "amber"),
    ]


def test_another_settings_weaknesses_never_leak(
    themed, open_cycle, audit_return, other_setting, outsider, dsl, adviser, hub, client
):
    review(open_cycle.returns.get(setting=other_setting), outsider, adviser, {"2.1": NO})

    assert recommendations_for_user(user=dsl).weaknesses == []
    assert [w.setting for w in recommendations_for_user(user=outsider).weaknesses] == [other_setting]
    client.force_login(dsl)
    page = client.get(reverse("portal:dashboard")).content.decode()
    assert hub.public_resource.title not in page
    assert "Online safety" not in page
    assert "No recommendations yet" in page


def test_dashboard_panel_for_a_school_user(themed, reviewed_return, dsl, hub, client):
    client.force_login(dsl)

    page = client.get(reverse("portal:dashboard")).content.decode()

    assert "Recommended for you" in page
    assert SAFER in page and ONLINE in page
    assert hub.public_resource.url in page and hub.course.url in page
    assert hub.members_resource.title not in page
    # Joining details are only for people with a place.
    assert hub.session.joining_details not in page


def test_panel_is_not_on_staff_dashboards(themed, reviewed_return, adviser, client):
    client.force_login(adviser)

    assert "Recommended for you" not in client.get(reverse("portal:dashboard")).content.decode()


def test_ap_provider_user_with_no_setting_sees_the_empty_state(make_user, client, db):
    client.force_login(make_user(Role.AP_PROVIDER_USER, email="ap@example.org"))

    page = client.get(reverse("portal:dashboard")).content.decode()

    assert "No recommendations yet: they appear once your audit has been reviewed" in page


def test_trust_staff_get_merged_recommendations_naming_each_setting(
    themed,
    open_cycle,
    reviewed_return,
    other_setting,
    outsider,
    adviser,
    make_user,
    hub,
):
    review(open_cycle.returns.get(setting=other_setting), outsider, adviser, {"1.1": NO})
    for setting in (reviewed_return.setting, other_setting):
        setting.trust_name = "Wessex Learning Trust"
        setting.save()
    trust_user = make_user(Role.SCHOOL_USER, email="ceo@wessex.example.org")
    TrustMembership.objects.create(user=trust_user, trust_name="Wessex Learning Trust")

    recs = recommendations_for_user(user=trust_user)

    reasons = {rec.target.specific: rec.reasons for rec in recs.items}
    assert reasons[hub.course] == [
        "Because Riverside Academy's audit was red on Safer recruitment",
        "Because Oakfield Primary School's audit was amber on Safer recruitment",
    ]
    assert reasons[hub.public_resource] == [
        "Because Oakfield Primary School's audit was red on Online safety, filtering and monitoring"
    ]


def test_feedback_page_shows_recommendations(themed, reviewed_return, dsl, hub, client):
    client.force_login(dsl)

    page = client.get(reverse("schools:return_feedback", args=[reviewed_return.pk])).content.decode()

    assert "Learning for your weaker areas" in page
    assert SAFER in page and ONLINE in page
    assert hub.course.url in page


def _grow(hub, agreed_plan, adviser, themes, n):
    for i in range(n):
        resource(hub, f"extra-{n}-{i}", "safer-recruitment", "online-safety", "records")
        make_session(hub.course, days_ahead=10 + i)
        course = add(
            hub.training,
            TrainingCoursePage(
                title=f"Course {n}-{i}",
                slug=f"course-{n}-{i}",
                summary="A course",
                format=TrainingCoursePage.Format.LIVE_ONLINE,
                length="2 hours",
                learning_outcomes="<p>Know the rules.</p>",
                who_should_attend="DSLs",
            ),
        )
        tag(course, "records")
        make_session(course, days_ahead=20 + i)
        services_plans.action_save(
            plan=agreed_plan, user=adviser, description=f"Action {i}", due_on=TODAY, theme=themes.records
        )


def test_recommendations_take_a_fixed_number_of_queries(
    themed,
    agreed_plan,
    adviser,
    dsl,
    hub,
    themes,
    django_assert_max_num_queries,
):
    _grow(hub, agreed_plan, adviser, themes, 1)
    with CaptureQueriesContext(connection) as small:
        small_recs = recommendations_for_user(user=dsl)
    assert small_recs.items and small_recs.sessions

    _grow(hub, agreed_plan, adviser, themes, 8)
    with django_assert_max_num_queries(len(small)):
        big = recommendations_for_user(user=dsl)
    assert len(big.items) == 6 and len(big.sessions) == 5


def test_dashboard_queries_do_not_grow(
    themed, agreed_plan, adviser, dsl, hub, themes, client, django_assert_max_num_queries
):
    client.force_login(dsl)
    _grow(hub, agreed_plan, adviser, themes, 1)
    client.get(reverse("portal:dashboard"))  # warm Wagtail's site-root cache
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("portal:dashboard"))

    _grow(hub, agreed_plan, adviser, themes, 8)
    with django_assert_max_num_queries(len(small)):
        client.get(reverse("portal:dashboard"))


def test_the_hub_booking_form_is_prefilled_with_the_bookers_setting(setting, dsl):
    from wagtail import hooks as wagtail_hooks

    from learning_hub.booking import ORGANISATION_HOOK

    names = [lookup(dsl) for lookup in wagtail_hooks.get_hooks(ORGANISATION_HOOK)]
    assert setting.name in names
