"""Places under real concurrency: people booking the last place at the same moment, each on
their own database connection, released together by a barrier. The session row lock
(`select_for_update()`) must let exactly one have it. Only PostgreSQL has row locks (SQLite
serialises every write, so it would prove nothing): elsewhere these skip, and in CI, which sets
PORTAL_TESTS_REQUIRE_ALL, they fail instead of skipping."""

import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection, connections

from learning_hub import booking as services
from learning_hub.booking import SessionFull
from learning_hub.models import Booking, TrainingSession
from portal.models import User
from portal.roles import Role
from tests.conftest import skip_or_fail

from .conftest import make_session

# serialized_rollback: put back the data migrations' rows (roles, themes, home page) after the flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        skip_or_fail(
            f"Booking concurrency needs PostgreSQL row locks; this run uses {connection.vendor}. "
            "Set DATABASE_URL=postgres://... to run it."
        )


def race(actions) -> list:
    """Run each action in its own thread and connection, all starting at the same moment.
    Returns what each returned, or the exception it raised."""
    barrier = threading.Barrier(len(actions))
    results: list = [None] * len(actions)

    def run(index: int, action) -> None:
        try:
            barrier.wait(timeout=20)
            results[index] = action()
        except Exception as error:  # noqa: BLE001 - the test inspects it
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, action)) for i, action in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a booking thread hung"
    return results


def booker(user_pk: int, session_pk: int, name: str, email: str, **kwargs):
    def action():
        # Everything read afresh on this thread's own connection.
        user = User.objects.get(pk=user_pk)
        session = TrainingSession.objects.get(pk=session_pk)
        return services.booking_create(session, user, name, email, "Oakfield", **kwargs)

    return action


@pytest.fixture
def people(migrated_reference_data, make_user):
    return [make_user(Role.SCHOOL_USER, email=f"dsl{n}@school{n}.example.org") for n in range(6)]


@pytest.fixture
def last_place(migrated_reference_data, hub, people):
    """The 2-place session with one place left."""
    services.booking_create(hub.later_session, people[0], "First In", "first@x.org", "")
    return TrainingSession.objects.get(pk=hub.later_session.pk)


def test_two_people_taking_the_last_place_at_once_one_gets_it(last_place, people):
    results = race(
        [
            booker(people[1].pk, last_place.pk, "Ann One", "ann@one.example.org"),
            booker(people[2].pk, last_place.pk, "Ben Two", "ben@two.example.org"),
        ]
    )
    booked = [r for r in results if isinstance(r, Booking)]
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(booked) == 1 and len(refused) == 1, results
    assert booked[0].status == Booking.Status.BOOKED
    assert isinstance(refused[0], SessionFull)
    assert "This session is full" in refused[0].messages[0]
    session = TrainingSession.objects.get(pk=last_place.pk)
    assert session.places_taken == session.capacity == 2
    assert session.bookings.filter(status=Booking.Status.BOOKED).count() == 2


def test_the_one_who_misses_out_can_land_on_the_waiting_list(last_place, people):
    results = race(
        [
            booker(people[1].pk, last_place.pk, "Ann One", "ann@one.example.org", join_waiting_list=True),
            booker(people[2].pk, last_place.pk, "Ben Two", "ben@two.example.org", join_waiting_list=True),
        ]
    )
    assert all(isinstance(r, Booking) for r in results), results
    assert sorted(r.status for r in results) == [Booking.Status.BOOKED, Booking.Status.WAITING]
    assert TrainingSession.objects.get(pk=last_place.pk).places_taken == 2


def test_a_crowd_never_overfills_a_session(migrated_reference_data, hub, people):
    session = make_session(hub.course, days_ahead=20, capacity=3)
    results = race(
        [booker(person.pk, session.pk, f"Person {n}", f"p{n}@x.example.org") for n, person in enumerate(people)]
    )
    assert sum(isinstance(r, Booking) for r in results) == 3, results
    assert all(isinstance(r, SessionFull) for r in results if not isinstance(r, Booking)), results
    session.refresh_from_db()
    assert session.places_taken == 3
    assert session.bookings.filter(status=Booking.Status.BOOKED).count() == 3


def test_the_same_attendee_booked_twice_at_once_gets_one_booking(migrated_reference_data, hub, people):
    results = race(
        [
            booker(people[0].pk, hub.session.pk, "Sam Lead", "sam@school.example.org"),
            booker(people[1].pk, hub.session.pk, "Sam Lead", "SAM@school.example.org"),
        ]
    )
    assert sum(isinstance(r, Booking) for r in results) == 1, results
    (refused,) = [r for r in results if isinstance(r, Exception)]
    assert isinstance(refused, ValidationError)
    assert "already has a place" in refused.messages[0]
    assert TrainingSession.objects.get(pk=hub.session.pk).places_taken == 1


def test_a_cancellation_and_a_booking_at_once_keep_the_count_right(last_place, people):
    fill = services.booking_create(last_place, people[1], "Fills It", "fills@x.org", "")
    waiting = services.booking_create(last_place, people[2], "Wai Ting", "wait@x.org", "", join_waiting_list=True)

    def cancel():
        return services.booking_cancel(Booking.objects.get(pk=fill.pk), User.objects.get(pk=people[1].pk))

    results = race([cancel, booker(people[3].pk, last_place.pk, "Late Comer", "late@x.org", join_waiting_list=True)])
    assert not any(isinstance(r, Exception) for r in results), results
    session = TrainingSession.objects.get(pk=last_place.pk)
    booked = session.bookings.filter(status=Booking.Status.BOOKED)
    assert session.places_taken == booked.count() == 2
    # The freed place went to whoever was first on the waiting list when it was freed.
    assert Booking.objects.get(pk=waiting.pk).status == Booking.Status.BOOKED


def test_two_reminder_runs_at_once_send_each_reminder_once(migrated_reference_data, hub, people):
    soon = make_session(hub.course, days_ahead=1, closes_days_before=0)
    for n, person in enumerate(people[:3]):
        services.booking_create(soon, person, f"Person {n}", f"p{n}@x.example.org", "")
    mail.outbox.clear()
    results = race([services.reminders_send_due, services.reminders_send_due])
    assert sum(results) == 3, results
    reminders = [m for m in mail.outbox if m.subject.startswith("Reminder:")]
    assert sorted(m.to[0] for m in reminders) == ["p0@x.example.org", "p1@x.example.org", "p2@x.example.org"]
