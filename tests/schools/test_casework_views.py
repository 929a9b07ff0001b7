"""Casework pages: who may reach each one, constant queries on every list, forms that keep what
was typed and show GOV.UK error summaries, the flows end to end, the CSPR XLSX report and the
allegation categories in the Wagtail admin."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.permissions import policy_registry

from portal.roles import Role
from schools import services_casework as casework
from schools import services_plans as plans
from schools.models import (
    Action,
    ActionPlan,
    AllegationCategory,
    AllegationsMeeting,
    OfstedInspection,
    PracticeReview,
    Setting,
    SettingKind,
    SupportOffer,
    Visit,
)
from schools.models.register import OfstedJudgement

TODAY = timezone.localdate()
SOON = TODAY + datetime.timedelta(days=40)


def uk(day: datetime.date) -> str:
    return f"{day.day}/{day.month}/{day.year}"


def make_setting(n: int) -> Setting:
    return Setting.objects.create(name=f"School {n:03d}", urn=f"{930000 + n}", kind=SettingKind.MAINTAINED_SCHOOL)


@pytest.fixture
def casework_records(setting, adviser):
    """One of everything, for the access checks."""
    visit = Visit.objects.create(
        setting=setting, adviser=adviser, purpose=Visit.Purpose.AUDIT_FOLLOW_UP, planned_on=SOON
    )
    inspection = OfstedInspection.objects.create(
        setting=setting, inspected_on=TODAY, overall_effectiveness=OfstedJudgement.INADEQUATE
    )
    meeting = AllegationsMeeting.objects.create(
        setting=setting,
        met_on=TODAY,
        lado_reference="LADO/1",
        category=AllegationCategory.objects.first(),
        adviser_attended=True,
        recorded_by=adviser,
    )
    review = PracticeReview.objects.create(name="Child K", reference="CSPR-1", published_on=TODAY)
    review.settings.add(setting)
    return {"visit": visit, "offer": inspection.support_offer, "meeting": meeting, "review": review}


STAFF_PAGES = [
    ("visit_list", None),
    ("visit_plan", None),
    ("visit_detail", "visit"),
    ("visit_record", "visit"),
    ("visit_cancel", "visit"),
    ("support_offer_list", None),
    ("support_offer_detail", "offer"),
    ("allegations_list", None),
    ("allegations_record", None),
    ("allegations_detail", "meeting"),
    ("allegations_repeat_issues", None),
    ("practice_review_list", None),
    ("practice_review_add", None),
    ("practice_review_detail", "review"),
    ("practice_review_edit", "review"),
    ("practice_review_export", "review"),
]
REFUSED = [Role.SCHOOL_USER, Role.AP_PROVIDER_USER, Role.COMMISSIONING_OFFICER, Role.SENIOR_MANAGER, Role.EDITOR]


def page_url(name: str, record: str | None, records: dict) -> str:
    return reverse(f"schools:{name}", args=[records[record].pk] if record else [])


@pytest.mark.parametrize(("name", "record"), STAFF_PAGES, ids=[p[0] for p in STAFF_PAGES])
def test_casework_pages_are_for_advisers_and_qa_managers(
    client, casework_records, adviser, qa_manager, dsl, user_for_role, name, record
):
    url = page_url(name, record, casework_records)
    assert client.get(url).status_code == 302  # sign in first
    for user in (adviser, qa_manager):
        client.force_login(user)
        assert client.get(url).status_code == 200, user
    for user in [dsl, *(user_for_role(role) for role in REFUSED)]:
        client.force_login(user)
        assert client.get(url).status_code == 403, user
        assert client.post(url, {"form": "make"}).status_code == 403, user


def test_members_read_their_setting_s_visits(client, setting, other_setting, dsl, outsider, adviser):
    Visit.objects.create(setting=setting, adviser=adviser, purpose=Visit.Purpose.CSPR, planned_on=SOON)
    Visit.objects.create(
        setting=setting, adviser=adviser, purpose=Visit.Purpose.OFSTED_SUPPORT, planned_on=SOON, announced=False
    )
    Visit.objects.create(setting=other_setting, adviser=adviser, purpose=Visit.Purpose.AP_QUALITY, planned_on=SOON)
    url = reverse("schools:my_visits")

    client.force_login(dsl)
    html = client.get(url).content.decode()
    assert "Child safeguarding practice review" in html
    assert "Ofsted support" not in html  # unannounced, not yet held
    assert "AP quality visit" not in html  # another setting's

    client.force_login(adviser)
    assert client.get(url).url == reverse("schools:visit_list")


# Constant queries -----------------------------------------------------------------------------


def queries_for(client, url: str) -> int:
    client.get(url)  # warm caches (site settings, navigation)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def add_visits(adviser, start: int, end: int, setting=None) -> None:
    for n in range(start, end):
        Visit.objects.create(
            setting=setting or make_setting(n),
            adviser=adviser,
            purpose=Visit.Purpose.AUDIT_FOLLOW_UP,
            planned_on=TODAY - datetime.timedelta(days=n),
            status=Visit.Status.HELD,
            held_on=TODAY - datetime.timedelta(days=n),
            outcome="Fine",
        )


def add_offers(start: int, end: int) -> None:
    for n in range(start, end):
        OfstedInspection.objects.create(
            setting=make_setting(n), inspected_on=TODAY, overall_effectiveness=OfstedJudgement.REQUIRES_IMPROVEMENT
        )
    every_other = list(SupportOffer.objects.order_by("pk").values_list("pk", flat=True))[::2]
    SupportOffer.objects.filter(pk__in=every_other).update(status=SupportOffer.Status.OFFERED, offered_on=TODAY)


def add_meetings(adviser, start: int, end: int) -> None:
    categories = list(AllegationCategory.objects.all())
    for n in range(start, end):
        place = make_setting(n)
        for k in range(2):  # two allegations each: every setting is a repeat issue
            plan = None
            if k == 0:
                plan = plans.plan_create(user=adviser, setting=place, source=ActionPlan.Source.ALLEGATIONS, title="P")
            AllegationsMeeting.objects.create(
                setting=place,
                met_on=TODAY - datetime.timedelta(days=k * 30),
                lado_reference=f"L{n}-{k}",
                category=categories[k],
                adviser_attended=bool(k),
                recorded_by=adviser,
                action_plan=plan,
            )


def add_reviews(adviser, start: int, end: int) -> None:
    for n in range(start, end):
        review = PracticeReview.objects.create(name=f"Child {n}", reference=f"CSPR-{n}", published_on=TODAY)
        place = make_setting(n)
        review.settings.add(place)
        plans.plan_create(
            user=adviser, setting=place, source=ActionPlan.Source.CSPR, title="L", source_reference=f"CSPR-{n}"
        )


def add_named_settings(adviser, review: PracticeReview, start: int, end: int) -> None:
    for n in range(start, end):
        place = make_setting(n)
        review.settings.add(place)
        plan = plans.plan_create(
            user=adviser, setting=place, source=ActionPlan.Source.CSPR, title="L", source_reference=review.reference
        )
        for k in range(2):
            plans.action_save(plan=plan, user=adviser, description=f"Action {k}", due_on=SOON)


LISTS = {
    "visits": (reverse("schools:visit_list"), add_visits),
    "visits-this-month": (reverse("schools:visit_list") + "?show=this_month", add_visits),
    "offers": (reverse("schools:support_offer_list"), None),
    "meetings": (reverse("schools:allegations_list"), add_meetings),
    "repeat-issues": (reverse("schools:allegations_repeat_issues"), add_meetings),
    "reviews": (reverse("schools:practice_review_list"), add_reviews),
}


@pytest.mark.parametrize("which", list(LISTS))
def test_list_pages_take_the_same_queries_for_3_and_20_rows(client, adviser, django_assert_max_num_queries, which):
    url, add = LISTS[which]
    add = add or (lambda _adviser, start, end: add_offers(start, end))
    client.force_login(adviser)
    add(adviser, 0, 3)
    with_three = queries_for(client, url)
    add(adviser, 3, 20)
    with django_assert_max_num_queries(with_three):
        response = client.get(url)
    assert response.status_code == 200


def test_members_visit_list_takes_the_same_queries_for_3_and_20_rows(
    client, setting, dsl, adviser, django_assert_max_num_queries
):
    client.force_login(dsl)
    url = reverse("schools:my_visits")
    add_visits(adviser, 0, 3, setting=setting)
    with_three = queries_for(client, url)
    add_visits(adviser, 3, 20, setting=setting)
    with django_assert_max_num_queries(with_three):
        response = client.get(url)
    assert response.content.decode().count("Fine") == 20


@pytest.mark.parametrize("export", [False, True], ids=["page", "xlsx"])
def test_practice_review_report_takes_the_same_queries_for_3_and_20_settings(
    client, adviser, django_assert_max_num_queries, export
):
    review = PracticeReview.objects.create(name="Child K", reference="CSPR-9", published_on=TODAY)
    name = "schools:practice_review_export" if export else "schools:practice_review_detail"
    url = reverse(name, args=[review.pk])
    client.force_login(adviser)
    add_named_settings(adviser, review, 0, 3)
    with_three = queries_for(client, url)
    add_named_settings(adviser, review, 3, 20)
    with django_assert_max_num_queries(with_three):
        assert client.get(url).status_code == 200


# Forms: error summaries that keep what was typed ------------------------------------------------


def assert_error_summary(response, *messages: str) -> str:
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html and "There is a problem" in html
    assert "<title>Error:" in html
    for message in messages:
        assert message in html, message
    return html


def test_plan_a_visit_form_keeps_input_on_error(client, adviser, setting):
    client.force_login(adviser)
    response = client.post(
        reverse("schools:visit_plan"),
        {"setting": setting.pk, "planned_on": "31/2/2027", "purpose": "cspr", "adviser": adviser.pk},
    )
    html = assert_error_summary(response, "Enter a real date", "Select whether the visit will be announced")
    assert 'value="31/2/2027"' in html
    assert f'<option value="{setting.pk}" selected>' in html
    assert 'value="cspr" checked' in html
    assert not Visit.objects.exists()


def test_plan_then_record_a_visit_through_the_pages(client, adviser, setting, dsl):
    plan = plans.plan_create(user=adviser, setting=setting, source=ActionPlan.Source.OTHER, title="Safer recruitment")
    action = plans.action_save(plan=plan, user=adviser, description="Check the SCR", due_on=SOON)
    client.force_login(adviser)
    response = client.post(
        reverse("schools:visit_plan"),
        {
            "setting": setting.pk,
            "planned_on": uk(TODAY),
            "purpose": "audit_follow_up",
            "announced": "yes",
            "adviser": adviser.pk,
        },
    )
    visit = Visit.objects.get()
    assert response.url == reverse("schools:visit_detail", args=[visit.pk])

    record_url = reverse("schools:visit_record", args=[visit.pk])
    response = client.post(
        record_url,
        {
            "held_on": uk(TODAY),
            "attendees": "Dee Lead",
            "outcome": "",
            "add_to_plan": plan.pk,
            "actions_reviewed": [action.pk],
        },
    )
    html = assert_error_summary(response, "Enter the outcome of the visit", "Describe the new action")
    assert "Dee Lead" in html and f'value="{action.pk}" checked' in html

    response = client.post(
        record_url,
        {
            "held_on": uk(TODAY),
            "attendees": "Dee Lead",
            "outcome": "Much improved",
            "actions_reviewed": [action.pk],
            "add_to_plan": plan.pk,
            "action_description": "Audit staff files termly",
            "action_due_on": uk(SOON),
        },
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.status == Visit.Status.HELD and list(visit.actions_reviewed.all()) == [action]
    assert plan.actions.filter(description="Audit staff files termly").exists()
    html = client.get(reverse("schools:visit_detail", args=[visit.pk])).content.decode()
    assert "Much improved" in html and "Check the SCR" in html

    client.force_login(dsl)
    assert "Much improved" in client.get(reverse("schools:my_visits")).content.decode()


def test_cancel_a_visit_through_the_page(client, adviser, setting):
    visit = Visit.objects.create(setting=setting, adviser=adviser, purpose=Visit.Purpose.CSPR, planned_on=SOON)
    client.force_login(adviser)
    url = reverse("schools:visit_cancel", args=[visit.pk])
    assert_error_summary(client.post(url, {"reason": ""}), "Why is the visit cancelled?")
    assert client.post(url, {"reason": "Snow"}).status_code == 302
    visit.refresh_from_db()
    assert visit.status == Visit.Status.CANCELLED
    response = client.get(reverse("schools:visit_record", args=[visit.pk]))
    assert response.url == reverse("schools:visit_detail", args=[visit.pk])


def test_support_offer_through_the_page(client, adviser, setting):
    inspection = OfstedInspection.objects.create(
        setting=setting, inspected_on=TODAY, overall_effectiveness=OfstedJudgement.INADEQUATE
    )
    offer = inspection.support_offer
    url = reverse("schools:support_offer_detail", args=[offer.pk])
    client.force_login(adviser)

    tomorrow = TODAY + datetime.timedelta(days=1)
    response = client.post(url, {"form": "make", "make-offered_on": uk(tomorrow), "make-notes": "A visit next week"})
    html = assert_error_summary(response, "The date must be today or in the past")
    assert "A visit next week" in html and 'href="#id_make-offered_on"' in html

    assert client.post(url, {"form": "make", "make-offered_on": uk(TODAY)}).status_code == 302
    assert (
        client.post(
            url, {"form": "response", "response-accepted": "yes", "response-response_on": uk(TODAY)}
        ).status_code
        == 302
    )
    offer.refresh_from_db()
    assert offer.status == SupportOffer.Status.ACCEPTED

    response = client.post(
        url, {"form": "plan", "plan-title": "Ofsted plan", "plan-lines": "", "plan-due_on": uk(SOON)}
    )
    html = assert_error_summary(response, "Enter at least one area for improvement")
    assert 'value="Ofsted plan"' in html

    response = client.post(
        url,
        {
            "form": "plan",
            "plan-title": "Ofsted plan",
            "plan-lines": "Fix the SCR\nTrain staff",
            "plan-due_on": uk(SOON),
        },
    )
    plan = ActionPlan.objects.get(source=ActionPlan.Source.OFSTED)
    assert response.url == reverse("schools:plan_detail", args=[plan.pk])
    assert plan.actions.count() == 2

    html = client.get(url).content.decode()
    assert "Ofsted plan" in html and "Make the draft plan" not in html
    response = client.get(reverse("schools:visit_plan") + f"?offer={offer.pk}")
    assert f'<option value="{setting.pk}" selected>' in response.content.decode()


def test_support_offer_list_puts_pending_first_and_flags_overdue(client, adviser):
    add_offers(0, 3)
    first, second, third = SupportOffer.objects.order_by("pk")
    SupportOffer.objects.filter(pk=third.pk).update(status=SupportOffer.Status.ACCEPTED)
    SupportOffer.objects.filter(pk=second.pk).update(
        status=SupportOffer.Status.OPEN, created_at=timezone.now() - datetime.timedelta(days=40)
    )
    client.force_login(adviser)
    html = client.get(reverse("schools:support_offer_list")).content.decode()
    assert html.index(second.setting.name) < html.index(first.setting.name) < html.index(third.setting.name)
    assert html.count("govuk-tag--red") == 1
    pending = client.get(reverse("schools:support_offer_list") + "?show=pending").content.decode()
    assert third.setting.name not in pending


def test_record_a_meeting_and_start_a_plan_through_the_pages(client, adviser, setting):
    client.force_login(adviser)
    neglect = AllegationCategory.objects.get(name="Neglect")
    data = {"setting": setting.pk, "met_on": "", "lado_reference": "LADO/2026/9", "category": neglect.pk}
    html = assert_error_summary(
        client.post(reverse("schools:allegations_record"), data),
        "Enter the date of the meeting",
        "Select whether the adviser attended the meeting",
    )
    assert 'value="LADO/2026/9"' in html and f'value="{neglect.pk}" checked' in html

    data.update(met_on=uk(TODAY), adviser_attended="no", learning="Log concerns the same day")
    response = client.post(reverse("schools:allegations_record"), data)
    meeting = AllegationsMeeting.objects.get()
    assert response.url == reverse("schools:allegations_detail", args=[meeting.pk])
    assert meeting.adviser_attended is False

    url = reverse("schools:allegations_detail", args=[meeting.pk])
    html = client.get(url).content.decode()
    assert "Log concerns the same day</textarea>" in html  # the learning starts the plan's actions
    assert_error_summary(client.post(url, {"plan-title": "Learning", "plan-lines": "x", "plan-due_on": ""}))
    response = client.post(
        url, {"plan-title": "Learning", "plan-lines": "Log concerns the same day", "plan-due_on": uk(SOON)}
    )
    plan = ActionPlan.objects.get()
    assert response.url == reverse("schools:plan_detail", args=[plan.pk])
    assert (plan.source, plan.source_reference) == (ActionPlan.Source.ALLEGATIONS, "LADO/2026/9")


def test_inactive_categories_are_not_offered(client, adviser):
    AllegationCategory.objects.filter(name="Other").update(active=False)
    client.force_login(adviser)
    html = client.get(reverse("schools:allegations_record")).content.decode()
    assert "Online conduct" in html and ">Other</label>" not in html


def test_repeat_issues_page_lists_the_reasons(client, adviser, setting):
    for n, days in enumerate((5, 50)):
        AllegationsMeeting.objects.create(
            setting=setting,
            met_on=TODAY - datetime.timedelta(days=days),
            lado_reference=f"R{n}",
            category=AllegationCategory.objects.get(name="Online conduct"),
            adviser_attended=True,
            recorded_by=adviser,
        )
    client.force_login(adviser)
    html = client.get(reverse("schools:allegations_repeat_issues")).content.decode()
    assert setting.name in html and "2 allegations in the last 12 months" in html and "Online conduct again" in html


def test_practice_review_through_the_pages(client, adviser, setting, other_setting):
    client.force_login(adviser)
    data = {"name": "Child K", "reference": "CSPR-2026-01", "published_on": "15/9/2026", "urns": "900001\n123456"}
    html = assert_error_summary(
        client.post(reverse("schools:practice_review_add"), data), "No setting has the URN 123456"
    )
    assert 'value="Child K"' in html and "900001\n123456</textarea>" in html

    data["urns"] = f"{setting.urn}, {other_setting.urn}"
    response = client.post(reverse("schools:practice_review_add"), data)
    review = PracticeReview.objects.get()
    assert response.url == reverse("schools:practice_review_detail", args=[review.pk])
    url = response.url

    assert_error_summary(client.post(url, {"lines": "Revisit the neglect toolkit", "due_on": ""}), "Enter the date")
    assert client.post(url, {"lines": "Revisit the neglect toolkit", "due_on": uk(SOON)}).status_code == 302
    assert ActionPlan.objects.filter(source=ActionPlan.Source.CSPR, source_reference="CSPR-2026-01").count() == 2
    html = client.get(url).content.decode()
    assert html.count("Revisit the neglect toolkit") == 2 and "Make the draft plans" not in html

    edit = client.get(reverse("schools:practice_review_edit", args=[review.pk])).content.decode()
    assert f"{setting.urn}\n{other_setting.urn}</textarea>" in edit


# The CSPR group's XLSX report ------------------------------------------------------------------


def test_xlsx_export_has_each_setting_s_actions_and_status(client, adviser, setting, other_setting):
    review = casework.practice_review_save(
        user=adviser, name="Child K", reference="CSPR 2026/01", published_on=TODAY, settings=[setting, other_setting]
    )
    plan = plans.plan_create(
        user=adviser,
        setting=setting,
        source=ActionPlan.Source.CSPR,
        title="Learning",
        source_reference=review.reference,
    )
    first = plans.action_save(plan=plan, user=adviser, description="Brief staff", due_on=SOON, owner_name="Dee Lead")
    plans.action_save(plan=plan, user=adviser, description='=HYPERLINK("http://example.com")', due_on=SOON)
    Action.objects.filter(pk=first.pk).update(status=Action.Status.COMPLETED)

    client.force_login(adviser)
    response = client.get(reverse("schools:practice_review_export", args=[review.pk]))

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="cspr-cspr-202601-actions-') and disposition.endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0].startswith("Child K (CSPR 2026/01)")
    assert rows[1] == ["Setting", "URN", "Action plan", "Plan status", "Action", "Owner", "Due on", "Action status"]
    assert rows[2][:6] == ["Oakfield Primary School", "900001", "Learning", "Draft", "Brief staff", "Dee Lead"]
    assert rows[2][6].date() == SOON and rows[2][7] == "Completed by the setting"
    assert rows[3][4] == '=HYPERLINK("http://example.com")' and rows[3][7] == "Not started"
    assert sheet["E4"].data_type == "s"  # text, never a formula
    assert rows[4][:3] == ["Riverside Academy", "900002", "No plan yet"]
    assert len(rows) == 5


# Allegation categories in the Wagtail admin -------------------------------------------------------

CATEGORIES_URL = reverse("wagtailsnippets_schools_allegationcategory:list")
ADD_CATEGORY_URL = reverse("wagtailsnippets_schools_allegationcategory:add")


def test_qa_managers_keep_the_categories(client, qa_manager):
    client.force_login(qa_manager)
    assert client.get(CATEGORIES_URL).status_code == 200
    response = client.post(ADD_CATEGORY_URL, {"name": "Radicalisation", "active": "on", "sort_order": "8"})
    assert response.status_code == 302
    assert AllegationCategory.objects.filter(name="Radicalisation", active=True).exists()


def test_advisers_read_the_categories_but_cannot_change_them(client, adviser):
    client.force_login(adviser)
    assert client.get(CATEGORIES_URL).status_code == 200
    response = client.get(ADD_CATEGORY_URL)
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")


def test_a_category_in_use_cannot_be_deleted(qa_manager, adviser, setting):
    policy = policy_registry.get_by_type(AllegationCategory)
    used, unused = AllegationCategory.objects.order_by("pk")[:2]
    AllegationsMeeting.objects.create(
        setting=setting, met_on=TODAY, lado_reference="X", category=used, adviser_attended=True, recorded_by=adviser
    )
    assert not policy.user_has_permission_for_instance(qa_manager, "delete", used)
    assert policy.user_has_permission_for_instance(qa_manager, "delete", unused)
    assert not policy.user_has_permission_for_instance(adviser, "delete", unused)


def test_school_users_never_reach_the_categories(client, dsl):
    client.force_login(dsl)
    assert client.get(CATEGORIES_URL).status_code in {302, 403}
