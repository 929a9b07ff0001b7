"""Casework services and selectors: visits, Ofsted support offers (opened by inspections, the
10-working-day clock), managing allegations meetings and repeat issues, CSPR plans. Every
transition allowed and refused by role and by state."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from wagtail.models import ModelLogEntry

from portal.roles import Role
from schools import services_casework as casework
from schools import services_plans as plans
from schools.models import (
    ActionPlan,
    AllegationCategory,
    AllegationsMeeting,
    OfstedInspection,
    PracticeReview,
    SupportOffer,
    Visit,
)
from schools.models.register import OfstedJudgement, ReportCardOutcome
from schools.selectors_casework import (
    repeat_issue_settings,
    support_offers_overdue,
    support_offers_pending,
    visits_filter,
    visits_this_month,
    visits_visible_to,
)

TODAY = timezone.localdate()
D = datetime.date.fromisoformat
# Everyone who is not casework staff, for the refusals.
NOT_CASEWORK = [Role.SCHOOL_USER, Role.AP_PROVIDER_USER, Role.COMMISSIONING_OFFICER, Role.SENIOR_MANAGER, Role.EDITOR]


def logged(action: str, instance) -> bool:
    return ModelLogEntry.objects.filter(action=action, object_id=str(instance.pk)).exists()


def inspect(setting, on: str = "2026-10-01", **kwargs) -> OfstedInspection:
    return OfstedInspection.objects.create(setting=setting, inspected_on=D(on), **kwargs)


def category(name: str = "Physical harm") -> AllegationCategory:
    return AllegationCategory.objects.get(name=name)


@pytest.fixture
def plan(setting, adviser):
    plan = plans.plan_create(user=adviser, setting=setting, source=ActionPlan.Source.OTHER, title="Safer recruitment")
    plans.action_save(plan=plan, user=adviser, description="Check the SCR", due_on=TODAY + datetime.timedelta(days=30))
    plans.action_save(
        plan=plan, user=adviser, description="Train governors", due_on=TODAY + datetime.timedelta(days=60)
    )
    return plan


# Ofsted support offers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "outcome",
    [
        {"overall_effectiveness": OfstedJudgement.REQUIRES_IMPROVEMENT, "safeguarding_effective": True},
        {"overall_effectiveness": OfstedJudgement.INADEQUATE},
        {"overall_effectiveness": OfstedJudgement.GOOD, "safeguarding_effective": False},
        {"report_card_safeguarding": ReportCardOutcome.NOT_MET},
    ],
    ids=["requires-improvement", "inadequate", "safeguarding-not-effective", "report-card-not-met"],
)
def test_an_inspection_with_a_safeguarding_concern_opens_a_support_offer(setting, outcome):
    inspection = inspect(setting, **outcome)

    offer = SupportOffer.objects.get(inspection=inspection)
    assert offer.setting == setting and offer.status == SupportOffer.Status.OPEN
    assert logged("schools.support_offer.open", offer)


@pytest.mark.parametrize(
    "outcome",
    [
        {"overall_effectiveness": OfstedJudgement.GOOD, "safeguarding_effective": True},
        {"overall_effectiveness": OfstedJudgement.OUTSTANDING, "safeguarding_effective": True},
        {"report_card_safeguarding": ReportCardOutcome.MET},
        {},
    ],
    ids=["good", "outstanding", "report-card-met", "nothing-recorded"],
)
def test_no_offer_without_a_safeguarding_concern(setting, outcome):
    inspect(setting, **outcome)
    assert not SupportOffer.objects.exists()


def test_saving_again_does_not_open_a_second_offer(setting):
    inspection = inspect(setting, overall_effectiveness=OfstedJudgement.INADEQUATE)
    inspection.report_url = "https://reports.ofsted.gov.uk/provider/21/900001"
    inspection.save()
    assert SupportOffer.objects.count() == 1


def test_correcting_an_inspection_to_a_concern_opens_an_offer(setting):
    inspection = inspect(setting, overall_effectiveness=OfstedJudgement.GOOD, safeguarding_effective=True)
    assert not SupportOffer.objects.exists()
    inspection.safeguarding_effective = False
    inspection.save()
    assert SupportOffer.objects.get().inspection == inspection


def test_a_superseded_inspection_opens_no_offer(setting):
    inspect(setting, on="2026-06-01", overall_effectiveness=OfstedJudgement.GOOD, safeguarding_effective=True)
    inspect(setting, on="2022-03-01", overall_effectiveness=OfstedJudgement.INADEQUATE)
    assert not SupportOffer.objects.exists()


def test_inspections_imported_one_by_one_each_open_their_offer(setting, other_setting):
    rows = [
        (setting, {"overall_effectiveness": OfstedJudgement.INADEQUATE}),
        (other_setting, {"report_card_safeguarding": ReportCardOutcome.NOT_MET}),
        (other_setting, {"report_card_safeguarding": ReportCardOutcome.NOT_MET}),  # the same again: no second
    ]
    for row_setting, values in rows:
        OfstedInspection.objects.update_or_create(
            setting=row_setting, inspected_on=D("2026-10-01"), defaults={"report_url": "", **values}
        )
    assert sorted(SupportOffer.objects.values_list("setting__name", flat=True)) == [
        "Oakfield Primary School",
        "Riverside Academy",
    ]


def test_the_offer_goes_to_the_setting_s_adviser_who_is_emailed(
    setting, adviser, plan, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        inspection = inspect(setting, overall_effectiveness=OfstedJudgement.REQUIRES_IMPROVEMENT)
    offer = inspection.support_offer
    assert offer.adviser == adviser  # led the setting's latest plan
    [message] = [m for m in mailoutbox if "offer safeguarding support" in m.subject]
    assert message.to == [adviser.email]
    assert f"/casework/support-offers/{offer.pk}/" in message.body
    assert "&#" not in message.body  # plain text, not HTML-escaped


@pytest.fixture
def offer(setting):
    return inspect(setting, overall_effectiveness=OfstedJudgement.INADEQUATE).support_offer


def opened_on(offer: SupportOffer, day: str) -> SupportOffer:
    created = timezone.make_aware(datetime.datetime.combine(D(day), datetime.time(10, 0)))
    SupportOffer.objects.filter(pk=offer.pk).update(created_at=created)
    offer.refresh_from_db()
    return offer


def test_overdue_after_ten_working_days(offer, qa_manager):
    opened_on(offer, "2026-03-02")  # a Monday; no bank holidays in the fortnight
    assert offer.offer_due_on == D("2026-03-16")
    assert not offer.is_overdue(D("2026-03-16"))
    assert offer.is_overdue(D("2026-03-17"))
    assert list(support_offers_overdue(qa_manager, D("2026-03-16"))) == []
    assert list(support_offers_overdue(qa_manager, D("2026-03-17"))) == [offer]


def test_bank_holidays_do_not_count_towards_the_ten_days(offer, qa_manager):
    opened_on(offer, "2026-04-01")  # Good Friday and Easter Monday follow
    for day, overdue in [
        ("2026-04-16", False),  # would be overdue were it not for Easter
        ("2026-04-17", False),  # the tenth working day
        ("2026-04-18", False),  # Saturday: still ten
        ("2026-04-20", True),
    ]:
        assert offer.is_overdue(D(day)) is overdue, day
        assert (offer in support_offers_overdue(qa_manager, D(day))) is overdue, day


def test_an_offer_made_is_no_longer_overdue(offer, adviser):
    opened_on(offer, "2026-03-02")
    casework.support_offer_make(offer=offer, user=adviser, offered_on=D("2026-03-20"), today=D("2026-03-20"))
    assert not offer.is_overdue(D("2026-04-30"))
    assert list(support_offers_overdue(adviser, D("2026-04-30"))) == []
    assert list(support_offers_pending(adviser)) == [offer]


def test_pending_offers_for_one_adviser_include_the_unassigned(offer, other_setting, adviser, make_user):
    someone_else = make_user(Role.ADVISER)
    other = inspect(other_setting, overall_effectiveness=OfstedJudgement.INADEQUATE).support_offer
    SupportOffer.objects.filter(pk=other.pk).update(adviser=someone_else)
    assert list(support_offers_pending(adviser, assigned_to=adviser)) == [offer]
    assert set(support_offers_pending(adviser)) == {offer, other}


def test_offer_made_then_accepted(offer, adviser):
    casework.support_offer_make(offer=offer, user=adviser, offered_on=TODAY, notes="Visit and plan offered")
    assert offer.status == SupportOffer.Status.OFFERED and offer.adviser == adviser
    casework.support_offer_record_response(offer=offer, user=adviser, accepted=True, response_on=TODAY)
    offer.refresh_from_db()
    assert offer.status == SupportOffer.Status.ACCEPTED and offer.response_on == TODAY
    assert logged("schools.support_offer.make", offer) and logged("schools.support_offer.respond", offer)


def test_offer_declined(offer, qa_manager):
    casework.support_offer_make(offer=offer, user=qa_manager, offered_on=TODAY)
    casework.support_offer_record_response(offer=offer, user=qa_manager, accepted=False, response_on=TODAY)
    assert offer.status == SupportOffer.Status.DECLINED


def test_offer_transitions_refused_in_the_wrong_state(offer, adviser):
    with pytest.raises(casework.InvalidTransition):
        casework.support_offer_record_response(offer=offer, user=adviser, accepted=True, response_on=TODAY)
    with pytest.raises(ValidationError):
        casework.support_offer_make(offer=offer, user=adviser, offered_on=TODAY + datetime.timedelta(days=1))
    casework.support_offer_make(offer=offer, user=adviser, offered_on=TODAY)
    with pytest.raises(casework.InvalidTransition):
        casework.support_offer_make(offer=offer, user=adviser, offered_on=TODAY)
    with pytest.raises(ValidationError):
        casework.support_offer_record_response(
            offer=offer, user=adviser, accepted=True, response_on=TODAY - datetime.timedelta(days=3)
        )


@pytest.mark.parametrize("role", NOT_CASEWORK, ids=lambda r: r.value)
def test_only_casework_staff_handle_offers(offer, user_for_role, role):
    user = user_for_role(role)
    with pytest.raises(PermissionDenied):
        casework.support_offer_make(offer=offer, user=user, offered_on=TODAY)
    with pytest.raises(PermissionDenied):
        casework.support_offer_create_plan(
            offer=offer, user=user, title="Plan", areas_for_improvement="One", due_on=TODAY
        )
    offer.status = SupportOffer.Status.OFFERED
    with pytest.raises(PermissionDenied):
        casework.support_offer_record_response(offer=offer, user=user, accepted=True, response_on=TODAY)


def test_plan_from_the_inspection_has_one_action_per_area(offer, adviser):
    due = TODAY + datetime.timedelta(weeks=8)
    plan = casework.support_offer_create_plan(
        offer=offer,
        user=adviser,
        title="Ofsted: safeguarding",
        areas_for_improvement="- Keep the single central record complete\n\n2. Record concerns promptly\n",
        due_on=due,
    )
    assert plan.source == ActionPlan.Source.OFSTED and plan.source_inspection == offer.inspection
    assert plan.status == ActionPlan.Status.DRAFT and plan.lead == adviser
    assert [a.description for a in plan.actions.order_by("sort_order")] == [
        "Keep the single central record complete",
        "Record concerns promptly",
    ]
    assert {a.due_on for a in plan.actions.all()} == {due}
    assert logged("schools.support_offer.create_plan", offer)
    with pytest.raises(casework.InvalidTransition):
        casework.support_offer_create_plan(
            offer=offer, user=adviser, title="Again", areas_for_improvement="x", due_on=due
        )


def test_plan_needs_areas_and_a_future_date(offer, adviser):
    with pytest.raises(ValidationError):
        casework.support_offer_create_plan(
            offer=offer, user=adviser, title="Plan", areas_for_improvement=" \n ", due_on=TODAY
        )
    with pytest.raises(ValidationError):
        casework.support_offer_create_plan(
            offer=offer, user=adviser, title="Plan", areas_for_improvement="One", due_on=TODAY - datetime.timedelta(1)
        )
    assert not ActionPlan.objects.exists()  # nothing half-made


# Visits ------------------------------------------------------------------------------------------


def plan_visit(setting, user, *, announced=True, days=7, **kwargs) -> Visit:
    return casework.visit_plan(
        user=user,
        setting=setting,
        planned_on=TODAY + datetime.timedelta(days=days),
        purpose=kwargs.pop("purpose", Visit.Purpose.AUDIT_FOLLOW_UP),
        announced=announced,
        **kwargs,
    )


def test_an_announced_visit_is_emailed_to_the_setting(
    setting, dsl, adviser, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        visit = plan_visit(setting, adviser)
    assert visit.status == Visit.Status.PLANNED and visit.adviser == adviser
    assert logged("schools.visit.plan", visit)
    [message] = mailoutbox
    assert message.to == [dsl.email] and "Visit planned" in message.subject


def test_an_unannounced_visit_is_hidden_from_the_setting_until_held(
    setting, dsl, adviser, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        visit = plan_visit(setting, adviser, announced=False, days=0)
    assert mailoutbox == []
    assert list(visits_visible_to(dsl)) == []
    with django_capture_on_commit_callbacks(execute=True):
        casework.visit_record(visit=visit, user=adviser, held_on=TODAY, attendees="DSL, head", outcome="Good practice")
    assert list(visits_visible_to(dsl)) == [visit]
    assert [m.subject for m in mailoutbox] == ["Oakfield Primary School: Visit recorded"]


def test_members_see_only_their_setting_s_visits(setting, other_setting, dsl, outsider, adviser):
    ours = plan_visit(setting, adviser)
    theirs = plan_visit(other_setting, adviser)
    assert list(visits_visible_to(dsl)) == [ours]
    assert list(visits_visible_to(outsider)) == [theirs]
    assert set(visits_visible_to(adviser)) == {ours, theirs}


def test_recording_a_visit_reviews_actions_and_adds_one(setting, dsl, adviser, plan):
    visit = plan_visit(setting, adviser, days=0)
    first, second = plan.actions.order_by("sort_order")
    due = TODAY + datetime.timedelta(days=90)
    casework.visit_record(
        visit=visit,
        user=adviser,
        held_on=TODAY,
        attendees="Dee Lead (DSL), Helen Head",
        outcome="The SCR is now complete",
        notes="Spoke to the office manager",
        actions_reviewed=[first, second],
        review_note="Discussed at the visit",
        add_to_plan=plan,
        action_description="Audit staff files termly",
        action_due_on=due,
    )
    visit.refresh_from_db()
    assert visit.status == Visit.Status.HELD and visit.held_on == TODAY
    assert set(visit.actions_reviewed.all()) == {first, second}
    assert first.notes.get().text == "Discussed at the visit"
    added = plan.actions.get(description="Audit staff files termly")
    assert added.due_on == due
    assert logged("schools.visit.record", visit)


def test_a_visit_cannot_review_another_setting_s_actions(other_setting, adviser, plan):
    visit = plan_visit(other_setting, adviser, days=0)
    with pytest.raises(ValidationError):
        casework.visit_record(
            visit=visit, user=adviser, held_on=TODAY, attendees="x", outcome="y", actions_reviewed=plan.actions.all()
        )
    with pytest.raises(ValidationError):
        casework.visit_record(
            visit=visit,
            user=adviser,
            held_on=TODAY,
            attendees="x",
            outcome="y",
            add_to_plan=plan,
            action_description="New",
            action_due_on=TODAY,
        )
    visit.refresh_from_db()
    assert visit.status == Visit.Status.PLANNED


def test_visit_record_refusals(setting, adviser):
    visit = plan_visit(setting, adviser)
    with pytest.raises(ValidationError):
        casework.visit_record(
            visit=visit, user=adviser, held_on=TODAY + datetime.timedelta(1), attendees="x", outcome="y"
        )
    with pytest.raises(ValidationError):
        casework.visit_record(visit=visit, user=adviser, held_on=TODAY, attendees=" ", outcome="y")
    with pytest.raises(ValidationError):
        casework.visit_record(visit=visit, user=adviser, held_on=TODAY, attendees="x", outcome="")
    casework.visit_record(visit=visit, user=adviser, held_on=TODAY, attendees="x", outcome="y")
    with pytest.raises(casework.InvalidTransition):
        casework.visit_record(visit=visit, user=adviser, held_on=TODAY, attendees="x", outcome="y")
    with pytest.raises(casework.InvalidTransition):
        casework.visit_cancel(visit=visit, user=adviser, reason="Too late")


def test_cancelling_a_visit(setting, dsl, qa_manager, adviser, mailoutbox, django_capture_on_commit_callbacks):
    visit = plan_visit(setting, adviser)
    with pytest.raises(ValidationError):
        casework.visit_cancel(visit=visit, user=qa_manager, reason="")
    with django_capture_on_commit_callbacks(execute=True):
        casework.visit_cancel(visit=visit, user=qa_manager, reason="The head is ill")
    assert visit.status == Visit.Status.CANCELLED and logged("schools.visit.cancel", visit)
    assert any("Visit cancelled" in m.subject for m in mailoutbox)
    with pytest.raises(casework.InvalidTransition):
        casework.visit_record(visit=visit, user=adviser, held_on=TODAY, attendees="x", outcome="y")


def test_a_visit_is_led_by_casework_staff(setting, adviser, school_user):
    with pytest.raises(ValidationError):
        plan_visit(setting, adviser, adviser=school_user)
    with pytest.raises(ValidationError):
        plan_visit(setting, adviser, purpose="tea")


@pytest.mark.parametrize("role", NOT_CASEWORK, ids=lambda r: r.value)
def test_only_casework_staff_plan_record_and_cancel_visits(setting, adviser, user_for_role, role):
    user = user_for_role(role)
    with pytest.raises(PermissionDenied):
        plan_visit(setting, user)
    visit = plan_visit(setting, adviser)
    with pytest.raises(PermissionDenied):
        casework.visit_record(visit=visit, user=user, held_on=TODAY, attendees="x", outcome="y")
    with pytest.raises(PermissionDenied):
        casework.visit_cancel(visit=visit, user=user, reason="No")


def test_visit_filters(setting, adviser):
    today = D("2026-11-26")

    def visit(planned: str, status=Visit.Status.PLANNED, held: str | None = None) -> Visit:
        return Visit.objects.create(
            setting=setting,
            adviser=adviser,
            purpose=Visit.Purpose.CSPR,
            planned_on=D(planned),
            status=status,
            held_on=D(held) if held else None,
        )

    later_this_month = visit("2026-11-30")
    next_month = visit("2026-12-01")
    held_this_month = visit("2026-10-30", Visit.Status.HELD, held="2026-11-02")
    not_recorded = visit("2026-11-20")
    cancelled = visit("2026-11-27", Visit.Status.CANCELLED)
    held_last_month = visit("2026-10-01", Visit.Status.HELD, held="2026-10-01")
    everything = Visit.objects.all()

    assert list(visits_filter(everything, "this_month", today)) == [held_this_month, not_recorded, later_this_month]
    assert list(visits_filter(everything, "upcoming", today)) == [later_this_month, next_month]
    assert list(visits_filter(everything, "to_record", today)) == [not_recorded]
    assert list(visits_filter(everything, "held", today)) == [held_this_month, held_last_month]
    assert list(visits_filter(everything, "cancelled", today)) == [cancelled]
    assert len(visits_filter(everything, None, today)) == 6
    assert list(visits_this_month(adviser, today)) == [held_this_month, not_recorded, later_this_month]


# Managing allegations meetings --------------------------------------------------------------


def meeting(setting, user, on, ref="LADO-1", name="Physical harm", **kwargs) -> AllegationsMeeting:
    return casework.allegations_meeting_record(
        user=user,
        setting=setting,
        met_on=D(on) if isinstance(on, str) else on,
        lado_reference=ref,
        category=category(name),
        adviser_attended=kwargs.pop("adviser_attended", True),
        learning=kwargs.pop("learning", ""),
        today=kwargs.pop("today", TODAY),
    )


def test_the_data_migration_seeds_the_categories(db):
    names = set(AllegationCategory.objects.values_list("name", flat=True))
    assert {"Physical harm", "Sexual harm", "Emotional harm", "Neglect", "Online conduct", "Other"} <= names
    assert "Behaviour that may indicate unsuitability to work with children" in names
    migration = importlib.import_module("schools.migrations.0005_allegation_categories")
    migration.add_categories(apps, None)  # running it again adds nothing
    assert AllegationCategory.objects.count() == len(migration.CATEGORIES)


def test_recording_a_meeting(setting, adviser):
    recorded = meeting(setting, adviser, "2026-11-20", ref=" LADO/2026/041 ", learning="Update the code of conduct")
    assert recorded.lado_reference == "LADO/2026/041" and recorded.recorded_by == adviser
    assert logged("schools.allegations_meeting.record", recorded)


def test_meeting_refusals(setting, adviser):
    with pytest.raises(ValidationError):
        meeting(setting, adviser, "2026-11-27", today=D("2026-11-26"))  # the future
    with pytest.raises(ValidationError):
        meeting(setting, adviser, "2026-11-20", ref="  ")
    AllegationCategory.objects.filter(name="Other").update(active=False)
    with pytest.raises(ValidationError):
        meeting(setting, adviser, "2026-11-20", name="Other")


@pytest.mark.parametrize("role", NOT_CASEWORK, ids=lambda r: r.value)
def test_only_casework_staff_record_meetings_and_plan_from_them(setting, adviser, user_for_role, role):
    user = user_for_role(role)
    with pytest.raises(PermissionDenied):
        meeting(setting, user, "2026-11-20")
    recorded = meeting(setting, adviser, "2026-11-20")
    with pytest.raises(PermissionDenied):
        casework.allegations_meeting_create_plan(meeting=recorded, user=user, title="Plan", actions="One", due_on=TODAY)


def test_plan_from_a_meeting_s_learning(setting, adviser):
    recorded = meeting(setting, adviser, "2026-11-20", ref="LADO/77", learning="Refresh the staff code of conduct")
    due = TODAY + datetime.timedelta(weeks=6)
    plan = casework.allegations_meeting_create_plan(
        meeting=recorded, user=adviser, title="Learning from LADO/77", actions=recorded.learning, due_on=due
    )
    assert plan.source == ActionPlan.Source.ALLEGATIONS and plan.source_reference == "LADO/77"
    assert plan.setting == setting and plan.actions.get().description == "Refresh the staff code of conduct"
    recorded.refresh_from_db()
    assert recorded.action_plan == plan
    with pytest.raises(casework.InvalidTransition):
        casework.allegations_meeting_create_plan(meeting=recorded, user=adviser, title="Again", actions="x", due_on=due)


def test_two_allegations_in_twelve_months_are_a_repeat_issue(setting, other_setting, adviser):
    meeting(setting, adviser, "2026-01-10", ref="A", name="Physical harm")
    meeting(setting, adviser, "2026-11-01", ref="B", name="Online conduct")
    meeting(other_setting, adviser, "2026-11-01", ref="C")  # one meeting: not a repeat

    [issue] = repeat_issue_settings(D("2026-11-26"))
    assert issue.setting == setting
    assert issue.reasons == ["2 allegations in the last 12 months"]
    assert [m.lado_reference for m in issue.meetings] == ["A", "B"]
    assert issue.latest_met_on == D("2026-11-01")


def test_the_same_category_again_is_a_repeat_issue_however_long_ago(setting, adviser):
    meeting(setting, adviser, "2023-05-04", ref="OLD", name="Neglect")
    meeting(setting, adviser, "2026-09-01", ref="NEW", name="Neglect")

    [issue] = repeat_issue_settings(D("2026-11-26"))
    assert issue.reasons == ["Neglect again (also 4 May 2023)"]
    assert [m.lado_reference for m in issue.meetings] == ["NEW"]


def test_not_a_repeat_issue(setting, other_setting, adviser):
    meeting(setting, adviser, "2026-06-01", ref="ONE")
    meeting(setting, adviser, "2026-07-01", ref="ONE")  # a review meeting of the same allegation
    meeting(other_setting, adviser, "2024-01-10", ref="X", name="Neglect")
    meeting(other_setting, adviser, "2025-01-10", ref="Y", name="Neglect")  # both over 12 months ago
    assert repeat_issue_settings(D("2026-11-26")) == []


def test_the_twelve_months_run_back_from_today(setting, adviser):
    meeting(setting, adviser, "2025-11-26", ref="A", name="Physical harm")
    meeting(setting, adviser, "2026-11-26", ref="B", name="Sexual harm")
    assert len(repeat_issue_settings(D("2026-11-26"))) == 1
    assert repeat_issue_settings(D("2026-11-27")) == []  # the first has dropped out


def test_repeat_issues_take_one_query(setting, other_setting, adviser, django_assert_num_queries):
    for n, place in enumerate([setting, setting, other_setting, other_setting]):
        meeting(place, adviser, f"2026-0{n + 1}-10", ref=f"R{n}", name="Neglect")
    with django_assert_num_queries(1):
        issues = repeat_issue_settings(D("2026-11-26"))
        assert [len(i.reasons) for i in issues] == [2, 2]


# CSPR learning ------------------------------------------------------------------------------------


@pytest.fixture
def review(setting, other_setting, adviser):
    return casework.practice_review_save(
        user=adviser,
        name="Child K",
        reference="CSPR-2026-01",
        published_on=D("2026-09-15"),
        settings=[setting, other_setting],
    )


def test_a_practice_review_and_a_plan_for_each_setting_it_names(review, setting, other_setting, adviser):
    assert set(review.settings.all()) == {setting, other_setting}
    assert logged("schools.practice_review.create", review)
    due = TODAY + datetime.timedelta(weeks=12)
    made = casework.practice_review_create_plans(
        review=review, user=adviser, actions="Revisit the neglect toolkit\nBrief all staff", due_on=due
    )
    assert {p.setting for p in made} == {setting, other_setting}
    assert all(p.source == ActionPlan.Source.CSPR and p.source_reference == "CSPR-2026-01" for p in made)
    assert all(p.actions.count() == 2 for p in made)
    assert logged("schools.practice_review.create_plans", review)
    with pytest.raises(casework.InvalidTransition):
        casework.practice_review_create_plans(review=review, user=adviser)


def test_plans_only_for_settings_still_without_one(review, setting, make_user, adviser):
    casework.practice_review_create_plans(review=review, user=adviser)
    third = type(setting).objects.create(name="Hilltop School", urn="900003", kind=setting.kind)
    casework.practice_review_save(
        user=adviser,
        review=review,
        name=review.name,
        reference=review.reference,
        published_on=review.published_on,
        settings=[*review.settings.all(), third],
    )
    [plan] = casework.practice_review_create_plans(review=review, user=adviser)
    assert plan.setting == third and plan.actions.count() == 0


def test_practice_review_refusals(review, setting, other_setting, adviser):
    with pytest.raises(ValidationError):
        casework.practice_review_save(
            user=adviser, name="Another", reference="cspr-2026-01", published_on=TODAY, settings=[]
        )
    with pytest.raises(ValidationError):
        casework.practice_review_create_plans(review=review, user=adviser, actions="One", due_on=None)
    casework.practice_review_create_plans(review=review, user=adviser)
    with pytest.raises(ValidationError):  # the plans are found by the reference
        casework.practice_review_save(
            user=adviser, review=review, name=review.name, reference="NEW", published_on=TODAY, settings=[setting]
        )
    with pytest.raises(ValidationError, match="Riverside Academy already has a plan"):
        casework.practice_review_save(
            user=adviser,
            review=review,
            name="Child K",
            reference=review.reference,
            published_on=TODAY,
            settings=[setting],
        )


@pytest.mark.parametrize("role", NOT_CASEWORK, ids=lambda r: r.value)
def test_only_casework_staff_keep_practice_reviews(review, user_for_role, role):
    user = user_for_role(role)
    with pytest.raises(PermissionDenied):
        casework.practice_review_save(user=user, name="X", reference="X", published_on=TODAY, settings=[])
    with pytest.raises(PermissionDenied):
        casework.practice_review_create_plans(review=review, user=user)
    assert PracticeReview.objects.count() == 1 and not ActionPlan.objects.exists()


@pytest.mark.parametrize("who", ["adviser", "qa_manager"])
def test_advisers_and_qa_managers_may_make_every_change(request, setting, other_setting, who):
    user = request.getfixturevalue(who)
    due = TODAY + datetime.timedelta(weeks=4)

    visit = plan_visit(setting, user, days=0)
    casework.visit_record(visit=visit, user=user, held_on=TODAY, attendees="DSL", outcome="Fine")
    cancelled = casework.visit_cancel(visit=plan_visit(setting, user), user=user, reason="Snow")
    assert (visit.status, cancelled.status) == (Visit.Status.HELD, Visit.Status.CANCELLED)

    offer = inspect(setting, overall_effectiveness=OfstedJudgement.INADEQUATE).support_offer
    casework.support_offer_make(offer=offer, user=user, offered_on=TODAY)
    casework.support_offer_record_response(offer=offer, user=user, accepted=True, response_on=TODAY)
    casework.support_offer_create_plan(offer=offer, user=user, title="Ofsted", areas_for_improvement="A", due_on=due)
    with pytest.raises(ValidationError):  # the offer's visit is at the offer's setting
        plan_visit(other_setting, user, support_offer=offer)

    recorded = meeting(setting, user, TODAY, ref="M1")
    casework.allegations_meeting_create_plan(meeting=recorded, user=user, title="Learning", actions="A", due_on=due)

    review = casework.practice_review_save(
        user=user, name="Child L", reference="CSPR-L", published_on=TODAY, settings=[setting]
    )
    casework.practice_review_create_plans(review=review, user=user)
    assert sorted(ActionPlan.objects.values_list("source", flat=True)) == ["allegations", "cspr", "ofsted"]
