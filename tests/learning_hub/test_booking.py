"""Booking services: who may book and cancel, the states that refuse, places counted under the
session lock, the waiting list and its promotion, the emails each change sends, reminders that
are never sent twice, and the audit log."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.models import ModelLogEntry

from learning_hub import booking as services
from learning_hub.booking import SessionFull
from learning_hub.models import Booking, TrainingSession
from learning_hub.tasks import send_session_reminders_task
from portal.roles import Role

from .conftest import make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """`with commit(execute=True):` runs the emails queued inside once the block ends, as a
    real commit would (the test's own transaction never commits)."""
    return django_capture_on_commit_callbacks


@pytest.fixture
def ap_user(make_user):
    return make_user(Role.AP_PROVIDER_USER, email="lead@ap.example.org", first_name="Alex", last_name="Provider")


@pytest.fixture
def colleague_user(make_user):
    return make_user(Role.SCHOOL_USER, email="head@school.example.org", first_name="Hana", last_name="Head")


def book(session, user, *, name=None, email=None, organisation="Oakfield Primary School", **kwargs) -> Booking:
    return services.booking_create(
        session,
        user,
        name or user.get_full_name(),
        email or user.email,
        organisation,
        **kwargs,
    )


def fill(session, user, count: int) -> list[Booking]:
    return [book(session, user, name=f"Colleague {n}", email=f"colleague{n}@school.example.org") for n in range(count)]


def fresh(session: TrainingSession) -> TrainingSession:
    return TrainingSession.objects.get(pk=session.pk)


# Booking --------------------------------------------------------------------------------------


def test_a_school_user_books_a_place_for_themselves(hub, school_user):
    booking = book(hub.session, school_user)
    assert booking.status == Booking.Status.BOOKED
    assert booking.attendee_email == "dsl@school.example.org"
    assert booking.booked_by == school_user
    assert booking.confirmation_sent_at is not None
    assert fresh(hub.session).places_taken == 1
    assert hub.session.places_taken == 1  # the caller's object is kept in step
    assert ModelLogEntry.objects.filter(action="learning_hub.booking.create", user_id=school_user.pk).exists()


def test_the_confirmation_carries_the_joining_details(hub, school_user, commit):
    with commit(execute=True):
        book(hub.session, school_user)
    (message,) = mail.outbox
    assert message.to == ["dsl@school.example.org"]
    assert "Place confirmed: Safer recruitment refresher" in message.subject
    assert "Sign in at reception; room 2.14." in message.body
    assert "County Hall, Committee Room 2" in message.body
    assert settings.SITE_URL + "/hub/bookings/" in message.body


def test_an_ap_provider_user_books_a_named_colleague_and_both_are_emailed(hub, ap_user, commit):
    with commit(execute=True):
        booking = book(hub.session, ap_user, name="  Priya   Shah ", email=" Priya.Shah@AP.example.org ")
    assert (booking.attendee_name, booking.attendee_email) == ("Priya Shah", "priya.shah@ap.example.org")
    (message,) = mail.outbox
    assert message.to == ["priya.shah@ap.example.org", "lead@ap.example.org"]
    assert "has booked a place for Priya Shah" in message.body


@pytest.mark.parametrize("role", [Role.ADVISER, Role.EDITOR, Role.QA_MANAGER, Role.SENIOR_MANAGER])
def test_staff_cannot_book_places(hub, user_for_role, role):
    with pytest.raises(PermissionDenied):
        book(hub.session, user_for_role(role))
    assert not Booking.objects.exists()


def test_anonymous_people_cannot_book(hub):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.booking_create(hub.session, AnonymousUser(), "Sam Lead", "sam@example.org", "")


@pytest.mark.parametrize(
    ("name", "email", "message"),
    [
        ("", "a@example.org", "Enter the full name"),
        ("A Person", "", "Enter the email address"),
        ("A Person", "not-an-email", "correct format"),
    ],
)
def test_the_attendee_needs_a_name_and_a_valid_email(hub, school_user, name, email, message):
    with pytest.raises(ValidationError, match=message):
        services.booking_create(hub.session, school_user, name, email, "")


def test_a_cancelled_session_cannot_be_booked(hub, school_user):
    TrainingSession.objects.filter(pk=hub.session.pk).update(is_cancelled=True)
    with pytest.raises(ValidationError, match="has been cancelled"):
        book(hub.session, school_user)


def test_booking_closes_after_the_closing_day(hub, school_user):
    session = hub.session
    after_closing = timezone.make_aware(
        datetime.datetime.combine(session.booking_closes_on + datetime.timedelta(days=1), datetime.time(9))
    )
    with pytest.raises(ValidationError, match="Booking for this session closed on"):
        book(session, school_user, now=after_closing)
    on_closing_day = timezone.make_aware(datetime.datetime.combine(session.booking_closes_on, datetime.time(17)))
    assert book(session, school_user, now=on_closing_day).status == Booking.Status.BOOKED


def test_a_past_session_cannot_be_booked(hub, school_user):
    past = make_session(hub.course, days_ahead=-3, closes_days_before=-10)  # closing date left open: still past
    with pytest.raises(ValidationError, match="already started"):
        book(past, school_user)


def test_the_same_attendee_cannot_hold_two_live_bookings(hub, school_user, colleague_user):
    book(hub.session, school_user)
    with pytest.raises(ValidationError, match="already has a place on this session"):
        book(hub.session, colleague_user, name="Sam Lead", email="DSL@school.example.org")
    assert fresh(hub.session).places_taken == 1
    # Another session, or another person, is fine.
    assert book(hub.later_session, school_user).status == Booking.Status.BOOKED
    assert book(hub.session, colleague_user).status == Booking.Status.BOOKED


def test_the_same_attendee_cannot_join_the_waiting_list_twice(hub, school_user):
    fill(hub.later_session, school_user, 2)
    book(hub.later_session, school_user, join_waiting_list=True)
    with pytest.raises(ValidationError, match="already on the waiting list"):
        book(hub.later_session, school_user, join_waiting_list=True)


def test_after_cancelling_the_attendee_can_book_again(hub, school_user):
    first = book(hub.session, school_user)
    services.booking_cancel(first, school_user)
    again = book(hub.session, school_user)
    assert again.status == Booking.Status.BOOKED
    assert fresh(hub.session).places_taken == 1


def test_the_database_refuses_a_second_live_booking_for_an_attendee(hub, school_user):
    book(hub.session, school_user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(
            session=hub.session,
            booked_by=school_user,
            attendee_name="Sam Lead",
            attendee_email="dsl@school.example.org",
            status=Booking.Status.WAITING,
        )


def test_a_duplicate_the_check_missed_is_still_refused_with_a_clear_message(hub, school_user, monkeypatch):
    # As if two forms were sent at once and the other committed after our check: only the
    # database constraint stands in the way, and the person still gets a sentence, not a 500.
    book(hub.session, school_user)
    monkeypatch.setattr(services, "LIVE_STATUSES", (Booking.Status.CANCELLED,))
    with pytest.raises(ValidationError, match="already has a place"):
        book(hub.session, school_user)
    assert fresh(hub.session).places_taken == 1


# Full sessions and the waiting list ---------------------------------------------------------


def test_a_full_session_offers_the_waiting_list(hub, school_user, commit):
    fill(hub.later_session, school_user, 2)
    with commit(execute=True), pytest.raises(SessionFull, match="This session is full. You can join") as raised:
        book(hub.later_session, school_user)
    assert isinstance(raised.value, ValidationError)
    assert Booking.objects.filter(session=hub.later_session).count() == 2
    assert mail.outbox == []


def test_joining_the_waiting_list_takes_no_place(hub, school_user, commit):
    fill(hub.later_session, school_user, 2)
    with commit(execute=True):
        waiting = book(hub.later_session, school_user, join_waiting_list=True)
    assert waiting.status == Booking.Status.WAITING
    assert fresh(hub.later_session).places_taken == 2
    (message,) = mail.outbox
    assert message.subject.startswith("On the waiting list")
    assert "Sign in at reception" not in message.body  # joining details only with a place
    assert ModelLogEntry.objects.filter(action="learning_hub.booking.wait").exists()


def test_asking_for_the_waiting_list_when_a_place_is_free_books_the_place(hub, school_user):
    assert book(hub.later_session, school_user, join_waiting_list=True).status == Booking.Status.BOOKED


def test_capacity_is_never_exceeded(hub, school_user):
    fill(hub.later_session, school_user, 2)
    for n in range(3):
        book(hub.later_session, school_user, name=f"Extra {n}", email=f"extra{n}@x.org", join_waiting_list=True)
    session = fresh(hub.later_session)
    assert session.places_taken == session.capacity == 2
    assert session.bookings.filter(status=Booking.Status.BOOKED).count() == 2
    assert session.places_left == 0


# Cancelling -------------------------------------------------------------------------------


def test_the_booker_cancels_before_the_cut_off(hub, school_user, commit):
    booking = book(hub.session, school_user)
    with commit(execute=True):
        cancelled = services.booking_cancel(booking, school_user)
    assert cancelled.status == Booking.Status.CANCELLED
    assert cancelled.cancelled_at is not None
    assert fresh(hub.session).places_taken == 0
    (message,) = mail.outbox
    assert message.subject.startswith("Booking cancelled")
    assert ModelLogEntry.objects.filter(action="learning_hub.booking.cancel", user_id=school_user.pk).exists()


def test_after_the_cut_off_the_booker_is_told_to_contact_the_training_team(hub, school_user):
    booking = book(hub.session, school_user)
    late = timezone.make_aware(
        datetime.datetime.combine(hub.session.booking_closes_on + datetime.timedelta(days=1), datetime.time(9))
    )
    with pytest.raises(ValidationError, match="contact the training team"):
        services.booking_cancel(booking, school_user, now=late)
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.BOOKED


@pytest.mark.parametrize("role", [Role.ADVISER, Role.EDITOR, Role.QA_MANAGER])
def test_the_training_team_may_cancel_after_the_cut_off_until_the_session_starts(
    hub, school_user, user_for_role, role, commit
):
    booking = book(hub.session, school_user)
    staff = user_for_role(role)
    late = timezone.make_aware(
        datetime.datetime.combine(hub.session.booking_closes_on + datetime.timedelta(days=1), datetime.time(9))
    )
    with commit(execute=True):
        assert services.booking_cancel(booking, staff, now=late).status == Booking.Status.CANCELLED
    assert "The training team has cancelled" in mail.outbox[0].body


def test_nobody_cancels_once_the_session_has_started(hub, school_user, adviser):
    booking = book(hub.session, school_user)
    started = hub.session.starts_at + datetime.timedelta(minutes=5)
    for user in (school_user, adviser):
        with pytest.raises(ValidationError, match="has started"):
            services.booking_cancel(booking, user, now=started)


def test_other_people_cannot_cancel_a_booking(hub, school_user, colleague_user, make_user):
    booking = book(hub.session, school_user)
    for user in (colleague_user, make_user(Role.SENIOR_MANAGER), make_user(Role.COMMISSIONING_OFFICER)):
        with pytest.raises(PermissionDenied):
            services.booking_cancel(booking, user)
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.BOOKED


def test_a_booking_is_cancelled_once(hub, school_user):
    booking = book(hub.session, school_user)
    services.booking_cancel(booking, school_user)
    with pytest.raises(ValidationError, match="already been cancelled"):
        services.booking_cancel(booking, school_user)
    assert fresh(hub.session).places_taken == 0


def test_cancelling_a_place_gives_it_to_the_oldest_waiting_booking(hub, school_user, colleague_user, commit):
    first, _ = fill(hub.later_session, school_user, 2)
    oldest = book(hub.later_session, colleague_user, join_waiting_list=True)
    newer = book(hub.later_session, school_user, name="Late Comer", email="late@x.org", join_waiting_list=True)
    with commit(execute=True):
        services.booking_cancel(first, school_user)

    oldest.refresh_from_db()
    newer.refresh_from_db()
    assert oldest.status == Booking.Status.BOOKED
    assert oldest.promoted_at is not None
    assert newer.status == Booking.Status.WAITING
    assert fresh(hub.later_session).places_taken == 2
    promoted = [m for m in mail.outbox if m.subject.startswith("A place has come free")]
    assert len(promoted) == 1
    assert promoted[0].to == ["head@school.example.org"]
    assert "Sign in at reception; room 2.14." in promoted[0].body
    assert ModelLogEntry.objects.filter(action="learning_hub.booking.promote", object_id=str(oldest.pk)).exists()


def test_leaving_the_waiting_list_frees_no_place_and_promotes_nobody(hub, school_user, colleague_user):
    fill(hub.later_session, school_user, 2)
    first_waiting = book(hub.later_session, colleague_user, join_waiting_list=True)
    second_waiting = book(hub.later_session, school_user, name="B", email="b@x.org", join_waiting_list=True)
    services.booking_cancel(first_waiting, colleague_user)
    second_waiting.refresh_from_db()
    assert second_waiting.status == Booking.Status.WAITING
    assert fresh(hub.later_session).places_taken == 2


def test_more_places_in_the_admin_go_to_the_waiting_list(hub, school_user, make_user):
    fill(hub.later_session, school_user, 2)
    waiting = [
        book(hub.later_session, school_user, name=f"W{n}", email=f"w{n}@x.org", join_waiting_list=True)
        for n in range(3)
    ]
    TrainingSession.objects.filter(pk=hub.later_session.pk).update(capacity=4)
    editor = make_user(Role.EDITOR)
    promoted = services.waiting_list_fill(hub.later_session, user=editor)
    assert [b.pk for b in promoted] == [waiting[0].pk, waiting[1].pk]
    assert fresh(hub.later_session).places_taken == 4
    with pytest.raises(PermissionDenied):
        services.waiting_list_fill(hub.later_session, user=school_user)


# Reminders --------------------------------------------------------------------------------


def test_reminders_go_two_days_ahead_once_only(hub, school_user, commit):
    soon = make_session(hub.course, days_ahead=1, closes_days_before=0)
    booked = book(soon, school_user)
    book(hub.session, school_user)  # 30 days away: no reminder yet

    with commit(execute=True):
        assert send_session_reminders_task.delay().get() == 1
    with commit(execute=True):
        assert send_session_reminders_task.delay().get() == 0

    (message,) = mail.outbox
    assert message.subject.startswith("Reminder: Safer recruitment refresher")
    assert message.to == ["dsl@school.example.org"]
    assert "Sign in at reception; room 2.14." in message.body
    booked.refresh_from_db()
    assert booked.reminder_sent_at is not None


def test_no_reminders_for_the_waiting_list_cancelled_bookings_or_cancelled_sessions(
    hub, school_user, colleague_user, commit
):
    soon = make_session(hub.course, days_ahead=1, capacity=1, closes_days_before=0)
    book(soon, school_user)
    book(soon, colleague_user, join_waiting_list=True)
    gone = make_session(hub.course, days_ahead=1, closes_days_before=0)
    services.booking_cancel(book(gone, school_user), school_user)
    called_off = make_session(hub.course, days_ahead=1, closes_days_before=0)
    book(called_off, school_user)
    TrainingSession.objects.filter(pk=called_off.pk).update(is_cancelled=True)
    with commit(execute=True):
        assert services.reminders_send_due() == 1
    assert [m.to for m in mail.outbox] == [["dsl@school.example.org"]]


def test_a_reminder_already_claimed_is_not_sent_again(hub, school_user, commit):
    soon = make_session(hub.course, days_ahead=1, closes_days_before=0)
    booking = book(soon, school_user)
    # Another worker claimed it between our read and our update.
    Booking.objects.filter(pk=booking.pk).update(reminder_sent_at=timezone.now())
    with commit(execute=True):
        assert services.reminders_send_due() == 0
    assert mail.outbox == []


def test_the_reminder_task_runs_daily_from_beat():
    entry = settings.CELERY_BEAT_SCHEDULE["hub-session-reminders"]
    assert entry == {"task": "learning_hub.send_session_reminders", "schedule": 60 * 60 * 24}
    assert send_session_reminders_task.name == "learning_hub.send_session_reminders"


# Reads ------------------------------------------------------------------------------------


def test_bookings_for_is_one_query_and_prefers_a_place(hub, school_user, colleague_user, django_assert_num_queries):
    fill(hub.later_session, school_user, 2)
    waiting = book(hub.later_session, school_user, join_waiting_list=True)
    own = book(hub.session, school_user)
    book(hub.session, colleague_user, name="Someone Else", email="else@x.org")
    sessions = [hub.session, hub.later_session]
    with django_assert_num_queries(1):
        found = services.bookings_for(school_user, sessions)
    assert found[hub.session.pk] == own
    assert found[hub.later_session.pk].status == Booking.Status.BOOKED  # a colleague's place beats waiting
    assert found[hub.later_session.pk] != waiting
    assert services.bookings_for(colleague_user, sessions) == {
        hub.session.pk: Booking.objects.get(attendee_name="Someone Else")
    }
    from django.contrib.auth.models import AnonymousUser

    with django_assert_num_queries(0):
        assert services.bookings_for(AnonymousUser(), sessions) == {}


def test_the_organisation_is_prefilled_from_the_last_booking_for_themselves(hub, school_user):
    assert services.attendee_organisation_for(school_user) == ""
    book(hub.session, school_user, organisation="Oakfield Primary School")
    book(hub.later_session, school_user, name="C", email="c@x.org", organisation="Somewhere Else")
    assert services.attendee_organisation_for(school_user) == "Oakfield Primary School"


def test_an_app_below_can_supply_the_organisation(hub, school_user):
    from wagtail import hooks

    with hooks.register_temporarily(services.ORGANISATION_HOOK, lambda user: "From the register"):
        assert services.attendee_organisation_for(school_user) == "From the register"
    assert services.attendee_organisation_for(school_user) == ""
