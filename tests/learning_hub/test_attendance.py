"""Attendance: the training team marks who came, once the session has started; the register
page and its Excel export, by role; marks that cannot be made."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.models import ModelLogEntry

from learning_hub import booking as services
from learning_hub.models import Booking, TrainingSession
from portal.roles import Role

pytestmark = pytest.mark.django_db

STAFF = [Role.ADVISER, Role.EDITOR, Role.QA_MANAGER]


def book(session, user, name=None, email=None, **kwargs) -> Booking:
    return services.booking_create(
        session, user, name or user.get_full_name(), email or user.email, "Oakfield", **kwargs
    )


@pytest.fixture
def started(hub):
    """A session that began an hour ago (capacity 2), booked before it started."""
    now = timezone.now()
    return TrainingSession.objects.create(
        course=hub.course,
        starts_at=now - datetime.timedelta(hours=1),
        ends_at=now + datetime.timedelta(hours=2),
        venue="County Hall",
        joining_details="Room 2.14",
        capacity=2,
        booking_closes_on=timezone.localdate(now) - datetime.timedelta(days=2),
    )


@pytest.fixture
def register(started, school_user):
    """Two places and one person waiting on the started session."""
    before = started.starts_at - datetime.timedelta(days=7)
    return {
        "sam": book(started, school_user, now=before),
        "priya": book(started, school_user, "Priya Shah", "priya@school.example.org", now=before),
        "waiting": book(
            started, school_user, "Wes Waiting", "wes@school.example.org", join_waiting_list=True, now=before
        ),
    }


def attendance_url(session) -> str:
    return reverse("learning_hub:session_attendance", args=[session.pk])


# The service ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", STAFF)
def test_the_training_team_marks_attendance(register, user_for_role, role):
    staff = user_for_role(role)
    marked = services.attendance_mark(register["sam"], staff, True)
    assert (marked.attended, marked.attendance_marked_by) == (True, staff)
    assert Booking.objects.get(pk=register["sam"].pk).attended is True
    services.attendance_mark(register["priya"], staff, False)
    assert Booking.objects.get(pk=register["priya"].pk).attended is False
    assert ModelLogEntry.objects.filter(action="learning_hub.booking.attendance", user_id=staff.pk).count() == 2


@pytest.mark.parametrize("role", [Role.SCHOOL_USER, Role.AP_PROVIDER_USER, Role.SENIOR_MANAGER])
def test_others_cannot_mark_attendance(register, user_for_role, role):
    with pytest.raises(PermissionDenied):
        services.attendance_mark(register["sam"], user_for_role(role), True)
    assert Booking.objects.get(pk=register["sam"].pk).attended is None


def test_attendance_waits_for_the_session_to_start(hub, school_user, adviser):
    booking = book(hub.session, school_user)
    with pytest.raises(ValidationError, match="once the session starts"):
        services.attendance_mark(booking, adviser, True)
    assert services.attendance_mark(booking, adviser, True, now=hub.session.starts_at).attended is True


def test_only_people_with_a_place_are_marked(register, adviser):
    with pytest.raises(ValidationError, match="did not have a place"):
        services.attendance_mark(register["waiting"], adviser, True)


def test_a_cancelled_session_has_no_attendance(register, started, adviser):
    TrainingSession.objects.filter(pk=started.pk).update(is_cancelled=True)
    booking = Booking.objects.get(pk=register["sam"].pk)
    with pytest.raises(ValidationError, match="cancelled"):
        services.attendance_mark(booking, adviser, True)


def test_a_mark_can_be_corrected_but_not_to_absent_after_evaluation(register, started, adviser, school_user):
    sam = register["sam"]
    services.attendance_mark(sam, adviser, False)
    services.attendance_mark(sam, adviser, True)
    services.evaluation_submit(sam, school_user, 4, "Useful", "Change", now=started.ends_at)
    sam = Booking.objects.select_related("session", "evaluation").get(pk=sam.pk)
    with pytest.raises(ValidationError, match="already evaluated"):
        services.attendance_mark(sam, adviser, False)


# The register page ------------------------------------------------------------------------


@pytest.mark.parametrize("role", STAFF)
def test_the_register_lists_places_and_the_waiting_list(client, register, started, user_for_role, role):
    client.force_login(user_for_role(role))
    response = client.get(attendance_url(started))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sam Lead" in html
    assert "Priya Shah" in html
    assert "Wes Waiting" in html
    assert "Waiting list" in html
    assert html.count('name="attended" value="yes"') == 2  # a form for each person with a place
    assert reverse("learning_hub:session_attendance_export", args=[started.pk]) in html


def test_anonymous_people_are_sent_to_sign_in(client, started):
    assert client.get(attendance_url(started)).status_code == 302
    export = reverse("learning_hub:session_attendance_export", args=[started.pk])
    assert client.get(export).status_code == 302


@pytest.mark.parametrize("role", [Role.SCHOOL_USER, Role.AP_PROVIDER_USER, Role.SENIOR_MANAGER])
def test_others_cannot_see_the_register(client, register, started, user_for_role, role):
    client.force_login(user_for_role(role))
    assert client.get(attendance_url(started)).status_code == 403
    assert client.post(attendance_url(started), {"booking": register["sam"].pk, "attended": "yes"}).status_code == 403
    assert client.get(reverse("learning_hub:session_attendance_export", args=[started.pk])).status_code == 403
    assert Booking.objects.get(pk=register["sam"].pk).attended is None


def test_marking_from_the_register(client, register, started, adviser):
    client.force_login(adviser)
    response = client.post(attendance_url(started), {"booking": register["sam"].pk, "attended": "yes"})
    assert response.status_code == 302
    assert Booking.objects.get(pk=register["sam"].pk).attended is True
    response = client.post(attendance_url(started), {"booking": register["priya"].pk, "attended": "no"}, follow=True)
    assert "Priya Shah marked as absent" in response.content.decode()
    assert Booking.objects.get(pk=register["priya"].pk).attended is False


def test_a_refused_mark_is_explained(client, register, started, adviser):
    client.force_login(adviser)
    response = client.post(attendance_url(started), {"booking": register["waiting"].pk, "attended": "yes"})
    assert response.status_code == 200
    assert "did not have a place" in response.content.decode()
    response = client.post(attendance_url(started), {"booking": register["sam"].pk, "attended": "maybe"})
    assert response.status_code == 200
    assert "Choose whether the person attended or was absent" in response.content.decode()


def test_a_booking_on_another_session_cannot_be_marked_through_this_one(client, register, started, hub, adviser):
    other = book(hub.session, register["sam"].booked_by, "Elsewhere", "else@x.org")
    client.force_login(adviser)
    assert client.post(attendance_url(started), {"booking": other.pk, "attended": "yes"}).status_code == 404


def test_before_the_session_the_register_offers_no_marking(client, hub, school_user, adviser):
    book(hub.session, school_user)
    client.force_login(adviser)
    html = client.get(attendance_url(hub.session)).content.decode()
    assert "You can mark attendance once the session starts" in html
    assert 'name="attended"' not in html


def test_the_register_costs_the_same_queries_for_few_or_many(
    client, started, school_user, adviser, django_assert_max_num_queries
):
    before = started.starts_at - datetime.timedelta(days=7)
    book(started, school_user, now=before)
    client.force_login(adviser)
    client.get(attendance_url(started))
    with django_assert_max_num_queries(30) as few:
        client.get(attendance_url(started))
    TrainingSession.objects.filter(pk=started.pk).update(capacity=12)
    started.refresh_from_db()
    for n in range(15):
        booking = book(started, school_user, f"P {n}", f"p{n}@x.org", now=before, join_waiting_list=True)
        if n % 2 and booking.status == Booking.Status.BOOKED:
            services.attendance_mark(booking, adviser, True)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(attendance_url(started))


# Export -----------------------------------------------------------------------------------


def test_the_register_exports_to_excel(client, register, started, adviser, school_user):
    services.attendance_mark(register["sam"], adviser, True)
    Booking.objects.filter(pk=register["priya"].pk).update(attendee_name="=HYPERLINK(1)")
    client.force_login(adviser)
    response = client.get(reverse("learning_hub:session_attendance_export", args=[started.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment;" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Attendee", "Email", "Organisation", "Status")
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {"Sam Lead", "=HYPERLINK(1)", "Wes Waiting"}
    assert by_name["Sam Lead"][3] == "Booked"
    assert by_name["Sam Lead"][7] == "Yes"
    assert by_name["Wes Waiting"][3] == "On the waiting list"
    typed_formula = next(cell for cell in sheet["A"] if cell.value == "=HYPERLINK(1)")
    assert typed_formula.data_type == "s"  # kept as the text typed, never run as a formula
    assert ModelLogEntry.objects.filter(action="learning_hub.session.attendance_export", user_id=adviser.pk).exists()


def test_the_register_shows_who_has_evaluated_and_offers_them_no_absent_button(
    client, register, started, adviser, school_user
):
    services.attendance_mark(register["sam"], adviser, True)
    services.evaluation_submit(register["sam"], school_user, 5, "Useful", "Change")
    client.force_login(adviser)
    html = client.get(attendance_url(started)).content.decode()
    assert "Evaluated" in html
    assert 'Absent<span class="govuk-visually-hidden">: Sam Lead' not in html
    assert 'Absent<span class="govuk-visually-hidden">: Priya Shah' in html
