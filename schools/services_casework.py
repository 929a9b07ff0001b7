"""Writes for casework: visits, Ofsted support offers, managing allegations meetings and CSPR
learning. One function per change: it checks who is asking, the role and the state, logs to
Wagtail's audit log and queues email. Action plans are made only through
schools.services_plans, so every source produces the same kind of plan (DESIGN.md)."""

import re
from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import log

from portal.services import email_queue
from schools.models import (
    Action,
    ActionPlan,
    AllegationCategory,
    AllegationsMeeting,
    OfstedInspection,
    PracticeReview,
    Setting,
    SupportOffer,
    Visit,
)
from schools.selectors import members_of
from schools.selectors_casework import is_casework_staff, setting_adviser
from schools.services_plans import InvalidTransition, action_add_note, action_save, plan_create

__all__ = [
    "InvalidTransition",
    "allegations_meeting_create_plan",
    "allegations_meeting_record",
    "practice_review_create_plans",
    "practice_review_save",
    "split_lines",
    "support_offer_create_plan",
    "support_offer_make",
    "support_offer_open",
    "support_offer_record_response",
    "visit_cancel",
    "visit_plan",
    "visit_record",
]

MAX_ACTION_LENGTH = 2000
_BULLET = re.compile(r"^\s*(?:[-•*]|\d{1,3}[.)])\s+")


def _require_staff(user) -> None:
    if not is_casework_staff(user):
        raise PermissionDenied("Only advisers and QA managers can do that.")


def _not_future(day: date, today: date, message: str) -> None:
    if day > today:
        raise ValidationError(message)


def split_lines(text: str) -> list[str]:
    """One action per line, without the bullets or numbers people paste in."""
    lines = [_BULLET.sub("", line).strip() for line in (text or "").splitlines()]
    lines = [line for line in lines if line]
    for line in lines:
        if len(line) > MAX_ACTION_LENGTH:
            raise ValidationError(f"Each action must be {MAX_ACTION_LENGTH} characters or fewer")
    return lines


def _add_actions(*, plan: ActionPlan, user, lines: list[str], due_on: date, today: date) -> list[Action]:
    return [action_save(plan=plan, user=user, description=line, due_on=due_on, today=today) for line in lines]


def _notify_setting(setting: Setting, *, subject: str, body_template: str, context: dict) -> None:
    for email in sorted({m.user.email for m in members_of(setting)}):
        email_queue(
            to=[email],
            subject_template="schools/emails/casework_subject.txt",
            body_template=body_template,
            context={"setting": setting, "subject": subject, **context},
        )


# Visits --------------------------------------------------------------------------------------


def visit_plan(
    *,
    user,
    setting: Setting,
    planned_on: date,
    purpose: str,
    announced: bool,
    adviser=None,
    support_offer: SupportOffer | None = None,
    today: date | None = None,
) -> Visit:
    """Plan a visit. The setting hears of an announced visit now; of an unannounced one only
    once it has been held."""
    _require_staff(user)
    today = today or timezone.localdate()
    adviser = adviser or user
    if not is_casework_staff(adviser):
        raise ValidationError("Choose an adviser or QA manager to lead the visit")
    if purpose not in Visit.Purpose.values:
        raise ValidationError("Select the purpose of the visit")
    if support_offer is not None and support_offer.setting_id != setting.pk:
        raise ValidationError("The support offer is for another setting")
    with transaction.atomic():
        visit = Visit.objects.create(
            setting=setting,
            planned_on=planned_on,
            purpose=purpose,
            announced=announced,
            adviser=adviser,
            support_offer=support_offer,
        )
        log(visit, "schools.visit.plan", user=user, data={"announced": announced, "planned_on": str(planned_on)})
        if announced and planned_on >= today:
            _notify_setting(
                setting,
                subject="Visit planned",
                body_template="schools/emails/casework_visit_planned.txt",
                context={"visit": visit, "visits_url": reverse("schools:my_visits")},
            )
    return visit


def visit_record(
    *,
    visit: Visit,
    user,
    held_on: date,
    attendees: str,
    outcome: str,
    notes: str = "",
    actions_reviewed: Iterable[Action] = (),
    review_note: str = "",
    add_to_plan: ActionPlan | None = None,
    action_description: str = "",
    action_due_on: date | None = None,
    today: date | None = None,
) -> Visit:
    """Record a planned visit as held: who attended, notes, outcome, the actions reviewed (each
    given `review_note`, when there is one, as a progress note the setting sees), and
    optionally a new action on one of the setting's running plans."""
    _require_staff(user)
    today = today or timezone.localdate()
    if visit.status != Visit.Status.PLANNED:
        raise InvalidTransition("Only a planned visit can be recorded as held.")
    _not_future(held_on, today, "The date of the visit must be today or in the past")
    if not attendees.strip():
        raise ValidationError("Say who attended")
    if not outcome.strip():
        raise ValidationError("Enter the outcome of the visit")
    actions = list(actions_reviewed)
    if any(action.plan.setting_id != visit.setting_id for action in actions):
        raise ValidationError("Only this setting's actions can be reviewed at the visit")
    if add_to_plan is not None:
        if add_to_plan.setting_id != visit.setting_id:
            raise ValidationError("The new action must go on one of this setting's plans")
        if not action_description.strip() or action_due_on is None:
            raise ValidationError("Describe the new action and when it is due")
    with transaction.atomic():
        visit.status = Visit.Status.HELD
        visit.held_on = held_on
        visit.attendees = attendees.strip()
        visit.outcome = outcome.strip()
        visit.notes = notes.strip()
        visit.save(update_fields=["status", "held_on", "attendees", "outcome", "notes", "updated_at"])
        visit.actions_reviewed.set(actions)
        if review_note.strip():
            for action in actions:
                action_add_note(action=action, user=user, text=review_note)
        new_action = None
        if add_to_plan is not None:
            new_action = action_save(
                plan=add_to_plan, user=user, description=action_description, due_on=action_due_on, today=today
            )
        log(
            visit,
            "schools.visit.record",
            user=user,
            data={"actions_reviewed": [a.pk for a in actions], "action_added": new_action.pk if new_action else None},
        )
        _notify_setting(
            visit.setting,
            subject="Visit recorded",
            body_template="schools/emails/casework_visit_recorded.txt",
            context={"visit": visit, "visits_url": reverse("schools:my_visits")},
        )
    return visit


def visit_cancel(*, visit: Visit, user, reason: str) -> Visit:
    _require_staff(user)
    if visit.status != Visit.Status.PLANNED:
        raise InvalidTransition("Only a planned visit can be cancelled.")
    if not reason.strip():
        raise ValidationError("Say why the visit is cancelled")
    with transaction.atomic():
        visit.status = Visit.Status.CANCELLED
        visit.cancelled_reason = reason.strip()
        visit.save(update_fields=["status", "cancelled_reason", "updated_at"])
        log(visit, "schools.visit.cancel", user=user)
        if visit.announced:
            _notify_setting(
                visit.setting,
                subject="Visit cancelled",
                body_template="schools/emails/casework_visit_cancelled.txt",
                context={"visit": visit, "visits_url": reverse("schools:my_visits")},
            )
    return visit


# Ofsted support offers -----------------------------------------------------------------------


def support_offer_open(*, inspection: OfstedInspection) -> SupportOffer | None:
    """Open a support offer for an inspection with a safeguarding concern (requires improvement,
    inadequate, safeguarding not effective, or the report card's standard not met), unless it
    has one already or a later inspection of the setting supersedes it. Called whenever an
    inspection is saved, so recording, editing and importing one by one all arrive here."""
    if not inspection.safeguarding_concern:
        return None
    existing = SupportOffer.objects.filter(inspection=inspection).first()
    if existing is not None:
        return existing
    later = OfstedInspection.objects.filter(setting_id=inspection.setting_id, inspected_on__gt=inspection.inspected_on)
    if later.exists():
        return None
    with transaction.atomic():
        offer, created = SupportOffer.objects.get_or_create(
            inspection=inspection,
            defaults={"setting_id": inspection.setting_id, "adviser": setting_adviser(inspection.setting)},
        )
        if not created:
            return offer
        log(offer, "schools.support_offer.open", data={"inspection": inspection.pk})
        if offer.adviser is not None:
            email_queue(
                to=[offer.adviser.email],
                subject_template="schools/emails/casework_subject.txt",
                body_template="schools/emails/casework_support_offer_opened.txt",
                context={
                    "setting": offer.setting,
                    "subject": "Ofsted: offer safeguarding support",
                    "offer": offer,
                    "inspection": inspection,
                    "offer_url": reverse("schools:support_offer_detail", args=[offer.pk]),
                },
            )
    return offer


def support_offer_make(*, offer: SupportOffer, user, offered_on: date, notes: str = "", today=None) -> SupportOffer:
    """The adviser has offered the setting a visit and help with an action plan."""
    _require_staff(user)
    today = today or timezone.localdate()
    if offer.status != SupportOffer.Status.OPEN:
        raise InvalidTransition("Support has already been offered.")
    _not_future(offered_on, today, "The date of the offer must be today or in the past")
    with transaction.atomic():
        offer.status = SupportOffer.Status.OFFERED
        offer.offered_on = offered_on
        offer.notes = notes.strip()
        offer.adviser = offer.adviser or user
        offer.save(update_fields=["status", "offered_on", "notes", "adviser", "updated_at"])
        log(offer, "schools.support_offer.make", user=user)
    return offer


def support_offer_record_response(
    *, offer: SupportOffer, user, accepted: bool, response_on: date, notes: str = "", today=None
) -> SupportOffer:
    _require_staff(user)
    today = today or timezone.localdate()
    if offer.status != SupportOffer.Status.OFFERED:
        raise InvalidTransition("Record the offer before the setting's response.")
    _not_future(response_on, today, "The date of the response must be today or in the past")
    if offer.offered_on and response_on < offer.offered_on:
        raise ValidationError("The response cannot be before the offer was made")
    with transaction.atomic():
        offer.status = SupportOffer.Status.ACCEPTED if accepted else SupportOffer.Status.DECLINED
        offer.response_on = response_on
        offer.response_notes = notes.strip()
        offer.save(update_fields=["status", "response_on", "response_notes", "updated_at"])
        log(offer, "schools.support_offer.respond", user=user, data={"accepted": accepted})
    return offer


def support_offer_create_plan(
    *, offer: SupportOffer, user, title: str, areas_for_improvement: str, due_on: date, today=None
) -> ActionPlan:
    """A draft plan (source Ofsted, linked to the inspection) with one action per area for
    improvement, one a line. The framework offers the plan whether or not the visit is taken up."""
    _require_staff(user)
    today = today or timezone.localdate()
    lines = split_lines(areas_for_improvement)
    if not lines:
        raise ValidationError("Enter at least one area for improvement")
    if offer.inspection.action_plans.exclude(status=ActionPlan.Status.CLOSED).exists():
        raise InvalidTransition("There is already an action plan from this inspection.")
    with transaction.atomic():
        plan = plan_create(
            user=user,
            setting=offer.setting,
            source=ActionPlan.Source.OFSTED,
            title=title,
            source_inspection=offer.inspection,
        )
        _add_actions(plan=plan, user=user, lines=lines, due_on=due_on, today=today)
        log(offer, "schools.support_offer.create_plan", user=user, data={"plan": plan.pk})
    return plan


# Managing allegations meetings --------------------------------------------------------------


def allegations_meeting_record(
    *,
    user,
    setting: Setting,
    met_on: date,
    lado_reference: str,
    category: AllegationCategory,
    adviser_attended: bool,
    learning: str = "",
    today: date | None = None,
) -> AllegationsMeeting:
    _require_staff(user)
    today = today or timezone.localdate()
    _not_future(met_on, today, "The date of the meeting must be today or in the past")
    if not lado_reference.strip():
        raise ValidationError("Enter the LADO reference")
    if not category.active:
        raise ValidationError("This category is no longer in use; choose another")
    with transaction.atomic():
        meeting = AllegationsMeeting.objects.create(
            setting=setting,
            met_on=met_on,
            lado_reference=lado_reference.strip(),
            category=category,
            adviser_attended=adviser_attended,
            learning=learning.strip(),
            recorded_by=user,
        )
        log(meeting, "schools.allegations_meeting.record", user=user)
    return meeting


def allegations_meeting_create_plan(
    *, meeting: AllegationsMeeting, user, title: str, actions: str, due_on: date, today: date | None = None
) -> ActionPlan:
    """Start a draft plan (source allegations, referenced by the LADO reference) from the
    meeting's learning, one action a line."""
    _require_staff(user)
    today = today or timezone.localdate()
    lines = split_lines(actions)
    if not lines:
        raise ValidationError("Enter at least one action")
    if meeting.action_plan is not None and meeting.action_plan.status != ActionPlan.Status.CLOSED:
        raise InvalidTransition("This meeting's learning already has an action plan.")
    with transaction.atomic():
        plan = plan_create(
            user=user,
            setting=meeting.setting,
            source=ActionPlan.Source.ALLEGATIONS,
            title=title,
            source_reference=meeting.lado_reference,
        )
        _add_actions(plan=plan, user=user, lines=lines, due_on=due_on, today=today)
        meeting.action_plan = plan
        meeting.save(update_fields=["action_plan", "updated_at"])
        log(meeting, "schools.allegations_meeting.create_plan", user=user, data={"plan": plan.pk})
    return plan


# CSPR learning ------------------------------------------------------------------------------------


def practice_review_save(
    *,
    user,
    name: str,
    reference: str,
    published_on: date,
    settings: Iterable[Setting],
    review: PracticeReview | None = None,
) -> PracticeReview:
    """Add a practice review, or change one. Its plans are found by its reference, so the
    reference is fixed once there are plans, and a setting with a plan stays named."""
    _require_staff(user)
    name, reference = name.strip(), reference.strip()
    settings = list(settings)
    if not name:
        raise ValidationError("Enter the name of the review")
    if not reference:
        raise ValidationError("Enter the review's reference")
    clash = PracticeReview.objects.filter(reference__iexact=reference)
    if review is not None:
        clash = clash.exclude(pk=review.pk)
    if clash.exists():
        raise ValidationError("A practice review with this reference already exists")
    if review is not None:
        plans = review.action_plans()
        if reference != review.reference and plans.exists():
            raise ValidationError("The reference cannot change once action plans have been made from the review")
        kept = {s.pk for s in settings}
        dropped = sorted({p.setting.name for p in plans.select_related("setting") if p.setting_id not in kept})
        if dropped:
            verb = "has" if len(dropped) == 1 else "have"
            raise ValidationError(f"{', '.join(dropped)} already {verb} a plan from this review: keep it named")
    with transaction.atomic():
        created = review is None
        review = review or PracticeReview(created_by=user)
        review.name, review.reference, review.published_on = name, reference, published_on
        review.save()
        review.settings.set(settings)
        log(review, "schools.practice_review.create" if created else "schools.practice_review.edit", user=user)
    return review


def practice_review_create_plans(
    *, review: PracticeReview, user, actions: str = "", due_on: date | None = None, today: date | None = None
) -> list[ActionPlan]:
    """A draft plan (source CSPR, referenced by the review) for each named setting that has
    none yet, each with the same starting actions if any are given; the adviser tailors them."""
    _require_staff(user)
    today = today or timezone.localdate()
    lines = split_lines(actions)
    if lines and due_on is None:
        raise ValidationError("Enter the date the actions are due")
    have_plans = set(review.action_plans().values_list("setting_id", flat=True))
    settings = [s for s in review.settings.order_by("name") if s.pk not in have_plans]
    if not settings:
        raise InvalidTransition("Every setting the review names already has an action plan from it.")
    plans = []
    with transaction.atomic():
        for setting in settings:
            plan = plan_create(
                user=user,
                setting=setting,
                source=ActionPlan.Source.CSPR,
                title=f"Learning from {review.name}",
                source_reference=review.reference,
            )
            _add_actions(plan=plan, user=user, lines=lines, due_on=due_on, today=today)
            plans.append(plan)
        log(review, "schools.practice_review.create_plans", user=user, data={"plans": [p.pk for p in plans]})
    return plans
