"""Evaluation and the certificate. The rule (learning_hub.booking): the booker evaluates a place
that was attended; if attendance was not marked, once the session has ended; never if marked
absent; once only. The certificate (a PDF) is there once the evaluation is in, and 404 before."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from learning_hub import booking as services
from learning_hub.certificates import certificate_html
from learning_hub.models import Booking, Evaluation, TrainingSession
from portal.roles import Role

from .conftest import make_session

pytestmark = pytest.mark.django_db


def book(session, user, name=None, email=None, **kwargs) -> Booking:
    return services.booking_create(
        session, user, name or user.get_full_name(), email or user.email, "Oakfield", **kwargs
    )


@pytest.fixture
def held(hub):
    """A session that ended yesterday."""
    return make_session(hub.course, days_ahead=-1)


@pytest.fixture
def place(held, school_user) -> Booking:
    return book(held, school_user, now=held.starts_at - datetime.timedelta(days=10))


def evaluate(booking, user, **overrides):
    values = {"rating": 5, "most_useful": "The SCR walk-through", "will_change": "Check our SCR monthly"}
    return services.evaluation_submit(booking, user, **{**values, **overrides})


def evaluation_url(booking) -> str:
    return reverse("learning_hub:booking_evaluation", args=[booking.pk])


def certificate_url(booking) -> str:
    return reverse("learning_hub:booking_certificate", args=[booking.pk])


# The rule ---------------------------------------------------------------------------------


def test_the_booker_evaluates_an_attended_session(place, school_user, adviser):
    services.attendance_mark(place, adviser, True)
    evaluation = evaluate(place, school_user, comments="  More case studies please ")
    assert (evaluation.rating, evaluation.comments) == (5, "More case studies please")
    assert ModelLogEntry.objects.filter(action="learning_hub.booking.evaluation", user_id=school_user.pk).exists()


def test_unmarked_attendance_opens_the_evaluation_once_the_session_has_ended(hub, school_user):
    running = book(hub.session, school_user)
    with pytest.raises(ValidationError, match="once it has finished"):
        evaluate(running, school_user, now=hub.session.starts_at + datetime.timedelta(minutes=30))
    assert evaluate(running, school_user, now=hub.session.ends_at).rating == 5


def test_attended_opens_the_evaluation_even_before_the_end(hub, school_user, adviser):
    booking = book(hub.session, school_user)
    during = hub.session.starts_at + datetime.timedelta(hours=1)
    services.attendance_mark(booking, adviser, True, now=during)
    assert evaluate(booking, school_user, now=during).rating == 5


def test_absent_people_cannot_evaluate(place, school_user, adviser):
    services.attendance_mark(place, adviser, False)
    with pytest.raises(ValidationError, match="did not attend"):
        evaluate(place, school_user)
    assert not Evaluation.objects.exists()


def test_only_the_booker_evaluates(place, make_user, adviser):
    for user in (make_user(Role.SCHOOL_USER), adviser):
        with pytest.raises(PermissionDenied):
            evaluate(place, user)


def test_a_session_is_evaluated_once(place, school_user):
    evaluate(place, school_user)
    place = Booking.objects.get(pk=place.pk)
    with pytest.raises(ValidationError, match="already been evaluated"):
        evaluate(place, school_user)
    assert Evaluation.objects.count() == 1


def test_waiting_list_and_cancelled_bookings_are_not_evaluated(hub, held, school_user):
    before = held.starts_at - datetime.timedelta(days=10)
    TrainingSession.objects.filter(pk=held.pk).update(capacity=0)
    held.refresh_from_db()
    waiting = book(held, school_user, join_waiting_list=True, now=before)
    with pytest.raises(ValidationError, match="had a place"):
        evaluate(waiting, school_user)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"rating": 0}, "Choose a rating from 1 to 5"),
        ({"rating": 6}, "Choose a rating from 1 to 5"),
        ({"rating": "x"}, "Choose a rating from 1 to 5"),
        ({"most_useful": "  "}, "Enter what you found most useful"),
        ({"will_change": ""}, "Enter what you will do differently"),
    ],
)
def test_the_answers_are_checked(place, school_user, overrides, message):
    with pytest.raises(ValidationError, match=message):
        evaluate(place, school_user, **overrides)


# The evaluation page ----------------------------------------------------------------------


def test_the_form_validates_and_keeps_what_was_typed(client, place, school_user):
    client.force_login(school_user)
    html = client.get(evaluation_url(place)).content.decode()
    assert 'type="radio"' in html
    assert "What did you find most useful?" in html
    response = client.post(evaluation_url(place), {"most_useful": "The case studies", "will_change": ""})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Choose a rating from 1 to 5" in html
    assert "Enter what you will do differently" in html
    assert "The case studies" in html
    assert not Evaluation.objects.exists()


def test_sending_the_evaluation_unlocks_the_certificate(client, place, school_user):
    client.force_login(school_user)
    assert client.get(certificate_url(place)).status_code == 404
    response = client.post(
        evaluation_url(place),
        {"rating": "4", "most_useful": "The case studies", "will_change": "Monthly SCR checks", "comments": ""},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("learning_hub:my_bookings")
    evaluation = Evaluation.objects.get(booking=place)
    assert (evaluation.rating, evaluation.will_change) == (4, "Monthly SCR checks")
    # Once only: the form sends people back to their bookings.
    again = client.get(evaluation_url(place))
    assert again.status_code == 302


def test_the_page_explains_when_evaluation_is_not_open(client, hub, school_user):
    booking = book(hub.session, school_user)
    client.force_login(school_user)
    html = client.get(evaluation_url(booking)).content.decode()
    assert "You can evaluate the session once it has finished." in html
    assert 'name="rating"' not in html
    client.post(evaluation_url(booking), {"rating": "5", "most_useful": "a", "will_change": "b"})
    assert not Evaluation.objects.exists()


def test_others_get_not_found(client, place, make_user, adviser):
    for user in (make_user(Role.SCHOOL_USER), adviser):
        client.force_login(user)
        assert client.get(evaluation_url(place)).status_code == 404
        assert client.post(evaluation_url(place), {"rating": "5"}).status_code == 404


# The certificate --------------------------------------------------------------------------


def test_the_certificate_is_a_pdf_for_the_attendee(client, place, school_user):
    evaluate(place, school_user)
    client.force_login(school_user)
    response = client.get(certificate_url(place))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="certificate-safer-recruitment-refresher')
    assert response.content.startswith(b"%PDF-")


def test_the_certificate_names_the_attendee_course_and_date(place, school_user):
    evaluate(place, school_user)
    booking = Booking.objects.select_related("session__course", "evaluation").get(pk=place.pk)
    html = certificate_html(booking)
    assert "Certificate of attendance" in html
    assert "Sam Lead" in html
    assert "Safer recruitment refresher" in html
    assert f"{timezone.localtime(place.session.starts_at):%-d %B %Y}" in html
    assert 'lang="en-GB"' in html


def test_no_certificate_for_someone_else(client, place, school_user, make_user):
    evaluate(place, school_user)
    client.force_login(make_user(Role.SCHOOL_USER))
    assert client.get(certificate_url(place)).status_code == 404
