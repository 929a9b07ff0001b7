"""The booking pages: book (and the waiting-list offer), your bookings, cancel; who may reach
each, whose bookings they show; the course page's sessions include; the admin listings of
sessions and bookings. Constant queries at two data sizes."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from learning_hub import booking as services
from learning_hub.models import Booking, TrainingSession
from portal.models import User
from portal.roles import Role

from .conftest import make_session

pytestmark = pytest.mark.django_db

SESSIONS_ADMIN = reverse("learning_hub_session:index")
BOOKINGS_ADMIN = reverse("learning_hub_booking:index")


def sign_in(client, user):
    client.force_login(user)
    return client


def book_url(session) -> str:
    return reverse("learning_hub:session_book", args=[session.pk])


def book(session, user, name=None, email=None, **kwargs) -> Booking:
    return services.booking_create(
        session, user, name or user.get_full_name(), email or user.email, "Oakfield", **kwargs
    )


def fill(session, user, count, prefix="c") -> list[Booking]:
    return [book(session, user, f"Colleague {n}", f"{prefix}{n}@school.example.org") for n in range(count)]


@pytest.fixture
def other_school_user(make_user):
    return make_user(Role.SCHOOL_USER, email="dsl@other.example.org", first_name="Olu", last_name="Other")


def form_data(**overrides) -> dict:
    return {
        "attendee_name": "Sam Lead",
        "attendee_email": "dsl@school.example.org",
        "organisation": "Oakfield Primary School",
        **overrides,
    }


# Booking a place -------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, hub):
    response = client.get(book_url(hub.session))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("portal:sign_in"))


@pytest.mark.parametrize("role", [Role.ADVISER, Role.EDITOR, Role.QA_MANAGER, Role.SENIOR_MANAGER])
def test_staff_cannot_reach_the_booking_form(client, hub, user_for_role, role):
    assert sign_in(client, user_for_role(role)).get(book_url(hub.session)).status_code == 403


def test_the_form_is_prefilled_from_the_user(client, hub, school_user):
    response = sign_in(client, school_user).get(book_url(hub.session))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Book a place" in html
    assert 'value="Sam Lead"' in html
    assert 'value="dsl@school.example.org"' in html
    assert "10 of 10 left" in html
    assert "Sign in at reception" not in html  # joining details only once booked


def test_posting_books_a_colleague_and_says_so(client, hub, school_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_in(client, school_user).post(
            book_url(hub.session), form_data(attendee_name="Priya Shah", attendee_email="priya@school.example.org")
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("learning_hub:my_bookings")
    booking = Booking.objects.get()
    assert (booking.attendee_name, booking.status, booking.booked_by) == ("Priya Shah", "booked", school_user)
    assert mail.outbox[0].to == ["priya@school.example.org", "dsl@school.example.org"]
    page = client.get(response["Location"]).content.decode()
    assert "Place booked for Priya Shah" in page


def test_form_errors_keep_what_was_typed(client, hub, school_user):
    response = sign_in(client, school_user).post(
        book_url(hub.session), form_data(attendee_name="Priya Shah", attendee_email="not-an-email")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Enter an email address in the correct format" in html
    assert 'value="Priya Shah"' in html
    assert not Booking.objects.exists()


def test_a_duplicate_booking_is_explained_not_a_500(client, hub, school_user):
    book(hub.session, school_user)
    response = sign_in(client, school_user).post(book_url(hub.session), form_data())
    assert response.status_code == 200
    assert "Sam Lead already has a place on this session" in response.content.decode()
    assert Booking.objects.count() == 1


def test_a_full_session_is_offered_as_a_waiting_list(client, hub, school_user, other_school_user):
    fill(hub.later_session, other_school_user, 2)
    response = sign_in(client, school_user).get(book_url(hub.later_session))
    html = response.content.decode()
    assert "This session is full" in html
    assert "Join the waiting list" in html
    response = client.post(book_url(hub.later_session), form_data(join_waiting_list="True"))
    assert response.status_code == 302
    assert Booking.objects.get(attendee_email="dsl@school.example.org").status == Booking.Status.WAITING


def test_when_the_last_place_goes_mid_form_the_waiting_list_is_offered(client, hub, school_user, other_school_user):
    sign_in(client, school_user).get(book_url(hub.later_session))  # a place was free when the form was shown
    fill(hub.later_session, other_school_user, 2)
    response = client.post(book_url(hub.later_session), form_data(attendee_name="Priya Shah"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "This session is full" in html
    assert 'name="join_waiting_list" value="True"' in html
    assert 'name="attendee_name" value="Priya Shah"' in html  # what they typed is kept
    assert not Booking.objects.filter(attendee_name="Priya Shah").exists()
    # The button on that page puts them on the list.
    response = client.post(book_url(hub.later_session), form_data(attendee_name="Priya Shah", join_waiting_list="True"))
    assert response.status_code == 302
    assert Booking.objects.get(attendee_name="Priya Shah").status == Booking.Status.WAITING


def test_a_closed_session_shows_why_and_no_form(client, hub, school_user):
    TrainingSession.objects.filter(pk=hub.session.pk).update(
        booking_closes_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    response = sign_in(client, school_user).get(book_url(hub.session))
    html = response.content.decode()
    assert "Booking for this session closed on" in html
    assert 'name="attendee_name"' not in html
    response = client.post(book_url(hub.session), form_data())
    assert response.status_code == 200
    assert not Booking.objects.exists()


def test_sessions_of_unpublished_courses_are_not_found(client, hub, school_user):
    hub.course.unpublish()
    assert sign_in(client, school_user).get(book_url(hub.session)).status_code == 404


# Your bookings ---------------------------------------------------------------------------


def test_your_bookings_has_an_empty_state(client, hub, school_user):
    html = sign_in(client, school_user).get(reverse("learning_hub:my_bookings")).content.decode()
    assert "You have no upcoming training booked." in html
    assert "You have no past training bookings." in html


def test_your_bookings_lists_only_your_own(client, hub, school_user, other_school_user):
    mine = book(hub.session, school_user)
    book(hub.later_session, school_user, "Priya Shah", "priya@school.example.org")
    book(hub.session, other_school_user)
    html = sign_in(client, school_user).get(reverse("learning_hub:my_bookings")).content.decode()
    assert "Priya Shah" in html
    assert "Sam Lead" in html
    assert "Olu Other" not in html
    assert reverse("learning_hub:booking_cancel", args=[mine.pk]) in html
    assert "Sign in at reception; room 2.14." in html  # joining details for places held
    assert "Booked" in html


def test_your_bookings_offer_evaluation_and_certificate_after_the_session(client, hub, school_user):
    past = make_session(hub.course, days_ahead=-2)
    before = past.starts_at - datetime.timedelta(days=10)
    to_evaluate = book(past, school_user, now=before)
    evaluated = book(past, school_user, "Priya Shah", "priya@school.example.org", now=before)
    services.evaluation_submit(evaluated, school_user, 5, "The checks", "Audit our SCR")
    html = sign_in(client, school_user).get(reverse("learning_hub:my_bookings")).content.decode()
    assert reverse("learning_hub:booking_evaluation", args=[to_evaluate.pk]) in html
    assert reverse("learning_hub:booking_certificate", args=[evaluated.pk]) in html
    assert reverse("learning_hub:booking_certificate", args=[to_evaluate.pk]) not in html
    assert reverse("learning_hub:booking_cancel", args=[to_evaluate.pk]) not in html


def test_your_bookings_costs_the_same_queries_for_few_or_many(client, hub, school_user, django_assert_max_num_queries):
    sign_in(client, school_user)
    url = reverse("learning_hub:my_bookings")
    book(hub.session, school_user)
    past = make_session(hub.course, days_ahead=-2)
    book(past, school_user, now=past.starts_at - datetime.timedelta(days=5))
    client.get(url)  # warm the site root cache
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for n in range(8):
        session = make_session(hub.course, days_ahead=40 + n)
        book(session, school_user)
        book(session, school_user, f"C {n}", f"c{n}@x.org")
        old = make_session(hub.course, days_ahead=-10 - n)
        book(old, school_user, now=old.starts_at - datetime.timedelta(days=5))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("Cancel<span") == 17


# Cancelling ------------------------------------------------------------------------------


def test_cancel_asks_first_then_cancels(client, hub, school_user):
    booking = book(hub.session, school_user)
    url = reverse("learning_hub:booking_cancel", args=[booking.pk])
    html = sign_in(client, school_user).get(url).content.decode()
    assert "Cancel this booking" in html
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.BOOKED
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("learning_hub:my_bookings")
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.CANCELLED


def test_cancel_after_the_cut_off_explains_and_changes_nothing(client, hub, school_user):
    booking = book(hub.session, school_user)
    TrainingSession.objects.filter(pk=hub.session.pk).update(
        booking_closes_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    url = reverse("learning_hub:booking_cancel", args=[booking.pk])
    html = sign_in(client, school_user).get(url).content.decode()
    assert "contact the training team" in html
    assert "Cancel the booking</button>" not in html
    response = client.post(url)
    assert response.status_code == 200
    assert "contact the training team" in response.content.decode()
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.BOOKED


def test_someone_elses_booking_is_not_found(client, hub, school_user, other_school_user):
    booking = book(hub.session, school_user)
    sign_in(client, other_school_user)
    for name in ("booking_cancel", "booking_evaluation", "booking_certificate"):
        assert client.get(reverse(f"learning_hub:{name}", args=[booking.pk])).status_code == 404
    assert client.post(reverse("learning_hub:booking_cancel", args=[booking.pk])).status_code == 404
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.BOOKED


def test_the_training_team_cancels_from_the_register(client, hub, school_user, adviser):
    booking = book(hub.session, school_user)
    url = reverse("learning_hub:booking_cancel", args=[booking.pk])
    response = sign_in(client, adviser).post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("learning_hub:session_attendance", args=[hub.session.pk])
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.CANCELLED


# The course page's sessions --------------------------------------------------------------


def render_sessions(course, sessions, user) -> str:
    request = RequestFactory().get(course.url)
    request.user = user
    return render_to_string(
        "learning_hub/includes/course_sessions.html",
        {"course": course, "sessions": sessions, "request": request},
    )


def test_anonymous_visitors_see_sign_in_to_book(hub):
    html = render_sessions(hub.course, [hub.session, hub.later_session], AnonymousUser())
    assert html.count("Sign in to book") == 2
    assert "Book a place" not in html
    assert "County Hall, Committee Room 2" in html
    assert "Face to face" in html
    assert "Sign in at reception" not in html


def test_setting_members_see_book_a_place_and_full_sessions_offer_the_waiting_list(hub, school_user, other_school_user):
    fill(hub.later_session, other_school_user, 2)
    html = render_sessions(hub.course, [hub.session, TrainingSession.objects.get(pk=hub.later_session.pk)], school_user)
    assert "Book a place" in html
    assert reverse("learning_hub:session_book", args=[hub.session.pk]) in html
    assert "Full" in html
    assert "Join the waiting list" in html
    assert "Sign in at reception" not in html


def test_joining_details_show_only_with_a_place(hub, school_user, other_school_user, make_user):
    book(hub.session, school_user)
    fill(hub.later_session, other_school_user, 2)
    book(hub.later_session, school_user, join_waiting_list=True)
    sessions = list(TrainingSession.objects.filter(pk__in=[hub.session.pk, hub.later_session.pk]))
    html = render_sessions(hub.course, sessions, school_user)
    assert html.count("Sign in at reception; room 2.14.") == 1
    assert "On the waiting list" in html
    assert "Sign in at reception" not in render_sessions(hub.course, sessions, make_user(Role.SCHOOL_USER))


def test_staff_see_the_attendance_link_not_booking(hub, adviser):
    html = render_sessions(hub.course, [hub.session], adviser)
    assert reverse("learning_hub:session_attendance", args=[hub.session.pk]) in html
    assert "Book a place" not in html


def test_cancelled_and_closed_sessions_offer_no_booking(hub, school_user):
    TrainingSession.objects.filter(pk=hub.session.pk).update(is_cancelled=True)
    TrainingSession.objects.filter(pk=hub.later_session.pk).update(
        booking_closes_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    sessions = list(TrainingSession.objects.filter(pk__in=[hub.session.pk, hub.later_session.pk]))
    html = render_sessions(hub.course, sessions, school_user)
    assert "Cancelled" in html
    assert "Closed" in html
    assert "Book a place" not in html


def test_no_sessions_has_an_empty_state(hub, school_user):
    assert "No dates are scheduled" in render_sessions(hub.course, [], school_user)


@pytest.mark.parametrize("role", [None, Role.SCHOOL_USER, Role.ADVISER])
def test_the_sessions_include_costs_the_same_queries_for_few_or_many(
    hub, make_user, role, django_assert_max_num_queries
):
    viewer_pk = make_user(role).pk if role else None
    booker = User.objects.get(pk=viewer_pk) if role == Role.SCHOOL_USER else make_user(Role.SCHOOL_USER)

    def add_booked_sessions(count: int, start: int) -> None:
        for n in range(count):
            book(make_session(hub.course, days_ahead=start + n), booker)

    def render_for_a_new_request(limit: int) -> tuple[str, int]:
        # A fresh user object each time, so its roles are read again, as on a new request.
        sessions = list(TrainingSession.objects.filter(course=hub.course))
        # Warm Wagtail's site root paths (a cache that saving a session's booking may clear).
        render_sessions(hub.course, sessions, AnonymousUser())
        viewer = User.objects.get(pk=viewer_pk) if viewer_pk else AnonymousUser()
        with django_assert_max_num_queries(limit) as queries:
            html = render_sessions(hub.course, sessions, viewer)
        return html, len(queries.captured_queries)

    add_booked_sessions(1, start=40)
    _, few = render_for_a_new_request(limit=2)
    add_booked_sessions(8, start=50)
    html, _ = render_for_a_new_request(limit=few)
    assert html.count('class="govuk-summary-card__title"') == 11
    if role == Role.SCHOOL_USER:
        assert html.count("Sign in at reception; room 2.14.") == 9


def test_the_course_page_shows_its_sessions_through_the_include(client, hub, school_user):
    book(hub.session, school_user)
    anonymous = client.get(hub.course.url).content.decode()
    assert "Dates and booking" in anonymous
    assert "Sign in to book" in anonymous
    assert "Sign in at reception" not in anonymous
    client.force_login(school_user)
    member = client.get(hub.course.url).content.decode()
    assert reverse("learning_hub:session_book", args=[hub.later_session.pk]) in member
    assert "Sign in at reception; room 2.14." in member


# Admin listings --------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.ADVISER, Role.EDITOR, Role.QA_MANAGER])
def test_training_staff_see_the_admin_listings(client, hub, school_user, user_for_role, role):
    book(hub.session, school_user)
    sign_in(client, user_for_role(role))
    sessions = client.get(SESSIONS_ADMIN)
    assert sessions.status_code == 200
    assert "Safer recruitment refresher" in sessions.content.decode()
    bookings = client.get(BOOKINGS_ADMIN)
    assert bookings.status_code == 200
    assert "Sam Lead" in bookings.content.decode()


@pytest.mark.parametrize("role", [Role.SCHOOL_USER, Role.SENIOR_MANAGER, Role.COMMISSIONING_OFFICER])
def test_others_do_not_see_the_admin_listings(client, hub, user_for_role, role):
    sign_in(client, user_for_role(role))
    for url in (SESSIONS_ADMIN, BOOKINGS_ADMIN):
        assert client.get(url).status_code in {302, 403}


def test_editors_keep_sessions_advisers_only_read_them(client, hub, adviser, make_user):
    edit_url = reverse("learning_hub_session:edit", args=[hub.session.pk])
    assert sign_in(client, adviser).get(edit_url).status_code in {302, 403}
    client.logout()
    assert sign_in(client, make_user(Role.EDITOR)).get(edit_url).status_code == 200


def test_bookings_are_read_only_in_the_admin(client, hub, school_user, make_user):
    booking = book(hub.session, school_user)
    sign_in(client, make_user(Role.QA_MANAGER))
    assert client.get(reverse("learning_hub_booking:edit", args=[booking.pk])).status_code in {302, 403}
    assert client.get(reverse("learning_hub_booking:add")).status_code in {302, 403}
    assert client.get(reverse("learning_hub_booking:inspect", args=[booking.pk])).status_code == 200


def test_a_booked_session_cannot_be_deleted_in_the_admin(client, hub, school_user, make_user):
    book(hub.session, school_user)
    sign_in(client, make_user(Role.EDITOR))
    client.post(reverse("learning_hub_session:delete", args=[hub.session.pk]))
    assert TrainingSession.objects.filter(pk=hub.session.pk).exists()
    client.post(reverse("learning_hub_session:delete", args=[hub.later_session.pk]))
    assert not TrainingSession.objects.filter(pk=hub.later_session.pk).exists()


def test_capacity_cannot_drop_below_places_taken_and_more_places_go_to_the_waiting_list(
    client, hub, school_user, other_school_user, make_user
):
    fill(hub.later_session, other_school_user, 2)
    waiting = book(hub.later_session, school_user, join_waiting_list=True)
    session = TrainingSession.objects.get(pk=hub.later_session.pk)
    sign_in(client, make_user(Role.EDITOR))
    url = reverse("learning_hub_session:edit", args=[session.pk])
    data = {
        "course": session.course_id,
        "starts_at": timezone.localtime(session.starts_at).strftime("%Y-%m-%d %H:%M"),
        "ends_at": timezone.localtime(session.ends_at).strftime("%Y-%m-%d %H:%M"),
        "venue": session.venue,
        "joining_details": session.joining_details,
        "booking_closes_on": session.booking_closes_on.isoformat(),
    }
    response = client.post(url, {**data, "capacity": 1})
    assert response.status_code == 200
    assert "2 places are already booked" in response.content.decode()
    response = client.post(url, {**data, "capacity": 3})
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == Booking.Status.BOOKED
    assert TrainingSession.objects.get(pk=session.pk).places_taken == 3


def test_cancelling_a_session_in_the_admin_cancels_every_place_and_tells_people(
    client, hub, school_user, other_school_user, make_user, mailoutbox, django_capture_on_commit_callbacks
):
    fill(hub.later_session, other_school_user, 2)
    waiting = book(hub.later_session, school_user, join_waiting_list=True)
    session = TrainingSession.objects.get(pk=hub.later_session.pk)
    sign_in(client, make_user(Role.EDITOR))
    mailoutbox.clear()
    data = {
        "course": session.course_id,
        "starts_at": timezone.localtime(session.starts_at).strftime("%Y-%m-%d %H:%M"),
        "ends_at": timezone.localtime(session.ends_at).strftime("%Y-%m-%d %H:%M"),
        "venue": session.venue,
        "joining_details": session.joining_details,
        "booking_closes_on": session.booking_closes_on.isoformat(),
        "capacity": 2,
        "is_cancelled": "on",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("learning_hub_session:edit", args=[session.pk]), data)
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.is_cancelled and session.places_taken == 0
    assert set(session.bookings.values_list("status", flat=True)) == {Booking.Status.CANCELLED}
    waiting.refresh_from_db()
    assert waiting.status == Booking.Status.CANCELLED
    subjects = [message.subject for message in mailoutbox]
    assert len(subjects) >= 3 and all(subject.startswith("Training session cancelled") for subject in subjects)
    # Saving it again sends nothing more.
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("learning_hub_session:edit", args=[session.pk]), data).status_code == 302
    assert mailoutbox == []


def test_the_admin_exports_sessions_and_bookings(client, hub, school_user, make_user):
    book(hub.session, school_user)
    sign_in(client, make_user(Role.ADVISER))
    sessions = client.get(SESSIONS_ADMIN + "?export=csv")
    assert sessions.status_code == 200
    text = b"".join(sessions.streaming_content).decode() if sessions.streaming else sessions.content.decode()
    assert "Places taken" in text
    assert "Safer recruitment refresher" in text
    bookings = client.get(BOOKINGS_ADMIN + "?export=csv")
    text = b"".join(bookings.streaming_content).decode() if bookings.streaming else bookings.content.decode()
    assert "dsl@school.example.org" in text


def test_the_admin_filters_sessions_and_bookings(client, hub, school_user, make_user):
    past = make_session(hub.course, days_ahead=-5)
    book(hub.session, school_user)
    book(past, school_user, "Old Timer", "old@x.org", now=past.starts_at - datetime.timedelta(days=5))
    sign_in(client, make_user(Role.QA_MANAGER))
    upcoming = client.get(SESSIONS_ADMIN + "?when=upcoming").context["object_list"]
    assert {s.pk for s in upcoming} == {hub.session.pk, hub.later_session.pk}
    assert {s.pk for s in client.get(SESSIONS_ADMIN + "?when=past").context["object_list"]} == {past.pk}
    past_bookings = client.get(BOOKINGS_ADMIN + "?when=past").context["object_list"]
    assert [b.attendee_name for b in past_bookings] == ["Old Timer"]
    waiting = client.get(BOOKINGS_ADMIN + "?status=waiting").context["object_list"]
    assert list(waiting) == []


def test_the_admin_listings_cost_the_same_queries_for_few_or_many(
    client, hub, school_user, make_user, django_assert_max_num_queries
):
    sign_in(client, make_user(Role.QA_MANAGER))
    book(hub.session, school_user)
    for url in (SESSIONS_ADMIN, BOOKINGS_ADMIN):
        client.get(url)
    counts = {}
    for url in (SESSIONS_ADMIN, BOOKINGS_ADMIN):
        with django_assert_max_num_queries(60) as few:
            client.get(url)
        counts[url] = len(few.captured_queries)
    for n in range(10):
        session = make_session(hub.course, days_ahead=40 + n)
        book(session, school_user)
    for url in (SESSIONS_ADMIN, BOOKINGS_ADMIN):
        with django_assert_max_num_queries(counts[url]):
            client.get(url)
