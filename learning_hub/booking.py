"""Booking training sessions: places, the waiting list, attendance, evaluation and reminders.

One function per change. Each checks who is asking (PermissionDenied: the wrong person) and
the state of the session and booking (ValidationError: the right person at the wrong time,
with a message fit to show them), writes Wagtail's audit log and queues the emails.

Places are counted in `TrainingSession.places_taken`. Every change to it happens here, inside
a transaction holding the session row lock (`select_for_update()`), so two people taking the
last place at the same moment cannot both get it: the second waits for the first to commit,
then reads the new count. Only the session row is locked (`of=("self",)`), never the course
page joined to it, so editors and other sessions of the course are not held up.

Evaluation rule: the booker evaluates a place that was attended. If the training team has
marked attendance, that decides (attended: yes; absent: no). If nobody has marked it yet, the
evaluation opens once the session has ended, so an unmarked register never stops people getting
their certificate; a session still running or not yet held cannot be evaluated.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from wagtail import hooks
from wagtail.log_actions import log

from portal.permissions import user_has_role
from portal.roles import SETTING_ROLES, Role
from portal.services import email_queue

from .log_actions import (
    ATTENDANCE_MARK,
    BOOKING_CANCEL,
    BOOKING_CREATE,
    BOOKING_PROMOTE,
    BOOKING_WAIT,
    EVALUATION_SUBMIT,
)
from .models import Booking, Evaluation, TrainingSession

# Council staff who run the training: they see attendance lists, mark attendance and may
# cancel anyone's booking (after the booking cut-off too, until the session starts).
TRAINING_STAFF = (Role.ADVISER, Role.EDITOR, Role.QA_MANAGER)
LIVE_STATUSES = (Booking.Status.BOOKED, Booking.Status.WAITING)
REMINDER_DAYS = 2
RATINGS = range(1, 6)

# The hub sits above `schools` (DESIGN.md), so it cannot read a user's setting. An app below
# may register a function here, user -> organisation name or "", to prefill the booking form:
#     @hooks.register(ORGANISATION_HOOK)
#     def setting_name(user): ...
ORGANISATION_HOOK = "learning_hub_attendee_organisation"


class SessionFull(ValidationError):
    """No places left: the person may join the waiting list instead."""


# Who may -----------------------------------------------------------------------------------


def can_book(user) -> bool:
    """People at a school or AP provider book places, for themselves or a colleague."""
    return user is not None and user.is_authenticated and user_has_role(user, *SETTING_ROLES)


def is_training_staff(user) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user_has_role(user, *TRAINING_STAFF)


def _local_date(value: datetime) -> str:
    return date_format(timezone.localtime(value), "j F Y")


def session_booking_problem(session: TrainingSession, *, now: datetime | None = None) -> str:
    """Why nobody can book this session now, or "" if they can (places aside)."""
    now = now or timezone.now()
    if session.is_cancelled:
        return "This session has been cancelled. Choose another date for the course."
    if session.starts_at <= now:
        return "This session has already started. Choose a later date for the course."
    if timezone.localdate(now) > session.booking_closes_on:
        closed_on = date_format(session.booking_closes_on, "j F Y")
        return f"Booking for this session closed on {closed_on}. Choose a later date, or contact the training team."
    return ""


def evaluation_problem(booking: Booking, *, now: datetime | None = None) -> str:
    """Why this booking cannot be evaluated now, or "" if it can (see the module's rule)."""
    now = now or timezone.now()
    if booking.status != Booking.Status.BOOKED:
        return "Only people who had a place on the session can evaluate it."
    if hasattr(booking, "evaluation"):
        return "This session has already been evaluated. You can download the certificate."
    if booking.attended is False:
        return (
            f"The training team recorded that {booking.attendee_name} did not attend, so there is no evaluation "
            "or certificate. If this is wrong, contact the training team."
        )
    if booking.attended is None and booking.session.ends_at > now:
        return "You can evaluate the session once it has finished."
    return ""


def can_cancel(booking: Booking, user, *, now: datetime | None = None) -> bool:
    """For listings: whether `booking_cancel` would let this user cancel now."""
    return not cancel_problem(booking, user, now=now)


def cancel_problem(booking: Booking, user, *, now: datetime | None = None) -> str:
    """Why this user cannot cancel the booking now, or "" if they can (who they are aside):
    the booker until the booking cut-off, the training team until the session starts."""
    now = now or timezone.now()
    session = booking.session
    if booking.status == Booking.Status.CANCELLED:
        return "This booking has already been cancelled."
    if session.starts_at <= now:
        return "The session has started, so this booking can no longer be cancelled."
    if timezone.localdate(now) > session.booking_closes_on and not is_training_staff(user):
        closed_on = date_format(session.booking_closes_on, "j F Y")
        return f"Places on this session could be cancelled until {closed_on}. To cancel now, contact the training team."
    return ""


# Reads used by the views and the course page ---------------------------------------------


def bookings_of(user) -> QuerySet[Booking]:
    """The bookings a person may see and manage: the ones they made (for themselves or a
    colleague). Nobody else's, whatever their setting."""
    if user is None or not user.is_authenticated:
        return Booking.objects.none()
    return Booking.objects.filter(booked_by=user)


def bookings_for(user, sessions: Iterable[TrainingSession]) -> dict[int, Booking]:
    """The user's live booking on each of `sessions`, in one query: {session id: booking}.
    Where they made several on one session (themselves and a colleague, say), a place beats a
    waiting-list entry, so the joining details show whenever they hold a place."""
    session_ids = [session.pk for session in sessions]
    if not session_ids or user is None or not user.is_authenticated:
        return {}
    found: dict[int, Booking] = {}
    live = bookings_of(user).filter(session_id__in=session_ids, status__in=LIVE_STATUSES).order_by("created_at", "pk")
    for booking in live:
        held = found.get(booking.session_id)
        if held is None or (held.status != Booking.Status.BOOKED and booking.status == Booking.Status.BOOKED):
            found[booking.session_id] = booking
    return found


def attendance_list(session: TrainingSession) -> QuerySet[Booking]:
    """Everyone with a place, then the waiting list in the order it will be offered places."""
    return (
        session.bookings.filter(status__in=LIVE_STATUSES)
        .select_related("booked_by", "attendance_marked_by", "evaluation")
        .order_by("status", "created_at", "pk")  # "booked" sorts before "waiting"
    )


def attendee_organisation_for(user) -> str:
    """What to prefill as the attendee's organisation: a registered lookup (see
    ORGANISATION_HOOK), else what this person last typed when booking for themselves."""
    for lookup in hooks.get_hooks(ORGANISATION_HOOK):
        if name := lookup(user):
            return name
    last = (
        bookings_of(user)
        .filter(attendee_email__iexact=user.email)
        .exclude(organisation="")
        .order_by("-created_at")
        .values_list("organisation", flat=True)
        .first()
    )
    return last or ""


# Emails ----------------------------------------------------------------------------------


def _email(booking: Booking, kind: str, **extra) -> None:
    """Tell the attendee, and the colleague who booked for them if that was someone else."""
    recipients = [booking.attendee_email]
    booker_email = (booking.booked_by.email or "").lower()
    if booker_email and booker_email != booking.attendee_email.lower():
        recipients.append(booker_email)
    session = booking.session
    email_queue(
        to=recipients,
        subject_template=f"learning_hub/emails/{kind}_subject.txt",
        body_template=f"learning_hub/emails/{kind}.txt",
        context={
            "booking": booking,
            "session": session,
            "course": session.course,
            "booked_for_colleague": booker_email != booking.attendee_email.lower(),
            "booker_name": booking.booked_by.get_full_name() or booking.booked_by.email,
            "my_bookings_url": settings.SITE_URL + reverse("learning_hub:my_bookings"),
            **extra,
        },
    )


# Changes ---------------------------------------------------------------------------------


def _clean_text(value: str | None) -> str:
    return " ".join((value or "").split())


def _already_booked_message(existing: Booking | None, name: str) -> str:
    if existing is not None and existing.status == Booking.Status.WAITING:
        return f"{name} is already on the waiting list for this session."
    return f"{name} already has a place on this session. See your bookings to check or cancel it."


def booking_create(
    session: TrainingSession,
    user,
    attendee_name: str,
    attendee_email: str,
    organisation: str = "",
    *,
    join_waiting_list: bool = False,
    now: datetime | None = None,
) -> Booking:
    """Book a place for the user or a named colleague. With no place left, raise SessionFull
    unless `join_waiting_list`, which puts them on the waiting list instead."""
    if not can_book(user):
        raise PermissionDenied("Only people at schools and other education settings can book training places.")
    name = _clean_text(attendee_name)
    email = (attendee_email or "").strip().lower()
    organisation = _clean_text(organisation)
    if not name:
        raise ValidationError("Enter the full name of the person attending")
    if not email:
        raise ValidationError("Enter the email address of the person attending")
    try:
        validate_email(email)
    except ValidationError as error:
        raise ValidationError("Enter an email address in the correct format, like name@example.org") from error
    now = now or timezone.now()

    try:
        with transaction.atomic():
            # The lock: anyone else booking or cancelling on this session waits here until we commit.
            locked = TrainingSession.objects.select_for_update().get(pk=session.pk)
            if problem := session_booking_problem(locked, now=now):
                raise ValidationError(problem)
            existing = Booking.objects.filter(session=locked, attendee_email=email, status__in=LIVE_STATUSES).first()
            if existing is not None:
                raise ValidationError(_already_booked_message(existing, name))
            has_place = locked.places_taken < locked.capacity
            if not has_place and not join_waiting_list:
                raise SessionFull(
                    "This session is full. You can join the waiting list: if a place comes free, "
                    "the first person on the list is given it and emailed.",
                    code="full",
                )
            booking = Booking.objects.create(
                session=locked,
                booked_by=user,
                attendee_name=name,
                attendee_email=email,
                organisation=organisation,
                status=Booking.Status.BOOKED if has_place else Booking.Status.WAITING,
                confirmation_sent_at=now,
            )
            if has_place:
                locked.places_taken += 1
                locked.save(update_fields=["places_taken", "updated_at"])
            log(booking, BOOKING_CREATE if has_place else BOOKING_WAIT, user=user, data={"session": locked.pk})
            _email(booking, "booking_confirmed" if has_place else "waiting_list")
    except IntegrityError as error:
        # The database's own guard (one live booking per attendee): a double-submitted form.
        raise ValidationError(_already_booked_message(None, name)) from error
    session.places_taken = locked.places_taken
    return booking


def _fill_from_waiting_list(session: TrainingSession, *, user, now: datetime) -> list[Booking]:
    """Offer free places to the waiting list, oldest first. The caller holds the session lock
    and saves `places_taken`."""
    promoted: list[Booking] = []
    if session.is_cancelled or session.starts_at <= now:
        return promoted
    while session.places_taken < session.capacity:
        waiting = (
            session.bookings.filter(status=Booking.Status.WAITING)
            .select_related("booked_by")
            .order_by("created_at", "pk")
            .first()
        )
        if waiting is None:
            break
        waiting.status = Booking.Status.BOOKED
        waiting.promoted_at = now
        waiting.save(update_fields=["status", "promoted_at", "updated_at"])
        session.places_taken += 1
        waiting.session = session
        log(waiting, BOOKING_PROMOTE, user=user, data={"session": session.pk})
        _email(waiting, "promoted")
        promoted.append(waiting)
    return promoted


def booking_cancel(booking: Booking, user, *, now: datetime | None = None) -> Booking:
    """Cancel a place or a waiting-list entry. The booker may, until the booking cut-off;
    the training team may until the session starts. A freed place goes to the waiting list."""
    is_booker = user is not None and user.is_authenticated and booking.booked_by_id == user.pk
    if not (is_booker or is_training_staff(user)):
        raise PermissionDenied("You can only cancel bookings you made.")
    now = now or timezone.now()
    with transaction.atomic():
        session = (
            TrainingSession.objects.select_for_update(of=("self",)).select_related("course").get(pk=booking.session_id)
        )
        booking = Booking.objects.select_related("booked_by").get(pk=booking.pk)  # re-read under the session lock
        booking.session = session
        if problem := cancel_problem(booking, user, now=now):
            raise ValidationError(problem)
        had_place = booking.status == Booking.Status.BOOKED
        booking.status = Booking.Status.CANCELLED
        booking.cancelled_at = now
        booking.save(update_fields=["status", "cancelled_at", "updated_at"])
        log(booking, BOOKING_CANCEL, user=user, data={"session": session.pk, "had_place": had_place})
        _email(booking, "cancelled", cancelled_by_team=not is_booker)
        if had_place:
            session.places_taken = max(session.places_taken - 1, 0)
            _fill_from_waiting_list(session, user=user, now=now)
            session.save(update_fields=["places_taken", "updated_at"])
    return booking


def session_cancel(session: TrainingSession, *, user, now: datetime | None = None) -> list[Booking]:
    """The training team has cancelled a session: every place and waiting-list entry is
    cancelled and each person is told. Returns the bookings cancelled."""
    if not is_training_staff(user):
        raise PermissionDenied("Only the training team can cancel a session.")
    now = now or timezone.now()
    with transaction.atomic():
        locked = TrainingSession.objects.select_for_update(of=("self",)).select_related("course").get(pk=session.pk)
        live = list(
            locked.bookings.filter(status__in=[Booking.Status.BOOKED, Booking.Status.WAITING]).select_related(
                "booked_by"
            )
        )
        for booking in live:
            booking.session = locked
            booking.status = Booking.Status.CANCELLED
            booking.cancelled_at = now
            booking.save(update_fields=["status", "cancelled_at", "updated_at"])
            log(booking, BOOKING_CANCEL, user=user, data={"session": locked.pk, "session_cancelled": True})
            _email(booking, "session_cancelled")
        locked.is_cancelled = True
        locked.places_taken = 0
        locked.save(update_fields=["is_cancelled", "places_taken", "updated_at"])
    session.is_cancelled, session.places_taken = True, 0
    return live


def waiting_list_fill(session: TrainingSession, *, user, now: datetime | None = None) -> list[Booking]:
    """After the training team adds places to a session: give them to the waiting list, oldest
    first, emailing each person. Returns the bookings that got a place."""
    if not is_training_staff(user):
        raise PermissionDenied("Only the training team can change a session's places.")
    now = now or timezone.now()
    with transaction.atomic():
        locked = TrainingSession.objects.select_for_update(of=("self",)).select_related("course").get(pk=session.pk)
        promoted = _fill_from_waiting_list(locked, user=user, now=now)
        if promoted:
            locked.save(update_fields=["places_taken", "updated_at"])
    session.places_taken = locked.places_taken
    return promoted


def attendance_mark(booking: Booking, user, attended: bool, *, now: datetime | None = None) -> Booking:
    """Record whether someone with a place came. The training team only, once the session has
    started; it can be corrected, but not to "absent" once they have evaluated it."""
    if not is_training_staff(user):
        raise PermissionDenied("Only advisers, editors and QA managers can mark attendance.")
    now = now or timezone.now()
    session = booking.session
    if session.is_cancelled:
        raise ValidationError("This session was cancelled, so there is no attendance to mark.")
    if session.starts_at > now:
        raise ValidationError(f"You can mark attendance once the session starts on {_local_date(session.starts_at)}.")
    if booking.status != Booking.Status.BOOKED:
        raise ValidationError(f"{booking.attendee_name} did not have a place, so their attendance cannot be marked.")
    if not attended and hasattr(booking, "evaluation"):
        raise ValidationError(f"{booking.attendee_name} has already evaluated the session, so cannot be marked absent.")
    booking.attended = bool(attended)
    booking.attendance_marked_by = user
    booking.save(update_fields=["attended", "attendance_marked_by", "updated_at"])
    log(booking, ATTENDANCE_MARK, user=user, data={"attended": booking.attended})
    return booking


def evaluation_submit(
    booking: Booking,
    user,
    rating: int,
    most_useful: str,
    will_change: str,
    comments: str = "",
    *,
    now: datetime | None = None,
) -> Evaluation:
    """The booker's evaluation of an attended session, once; it unlocks the certificate."""
    if user is None or not user.is_authenticated or booking.booked_by_id != user.pk:
        raise PermissionDenied("Only the person who made the booking can evaluate the session.")
    if problem := evaluation_problem(booking, now=now):
        raise ValidationError(problem)
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if rating not in RATINGS:
        raise ValidationError("Choose a rating from 1 to 5")
    most_useful, will_change, comments = (
        text.strip() for text in (most_useful or "", will_change or "", comments or "")
    )
    if not most_useful:
        raise ValidationError("Enter what you found most useful")
    if not will_change:
        raise ValidationError("Enter what you will do differently")
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(
                booking=booking, rating=rating, most_useful=most_useful, will_change=will_change, comments=comments
            )
            log(booking, EVALUATION_SUBMIT, user=user, data={"rating": rating})
    except IntegrityError as error:
        raise ValidationError("This session has already been evaluated. You can download the certificate.") from error
    return evaluation


def reminders_send_due(*, now: datetime | None = None) -> int:
    """Remind everyone with a place on a session starting within REMINDER_DAYS. Each booking
    is claimed with a conditional update before its email is queued, so a rerun, or two
    workers at once, never send a reminder twice. Returns how many were sent."""
    now = now or timezone.now()
    due = (
        Booking.objects.filter(
            status=Booking.Status.BOOKED,
            reminder_sent_at__isnull=True,
            session__is_cancelled=False,
            session__starts_at__gt=now,
            session__starts_at__lte=now + timedelta(days=REMINDER_DAYS),
        )
        .select_related("session__course", "booked_by")
        .order_by("session__starts_at", "pk")
    )
    sent = 0
    for booking in due:
        with transaction.atomic():
            claimed = Booking.objects.filter(
                pk=booking.pk, status=Booking.Status.BOOKED, reminder_sent_at__isnull=True
            ).update(reminder_sent_at=now)
            if claimed:
                _email(booking, "reminder")
                sent += 1
    return sent
