"""Booking pages: book a place (or join the waiting list), your bookings, cancel, evaluate,
download the certificate; and, for the training team, the attendance register and its export.

Who sees what: a booking is shown only to the person who made it (anyone else gets a 404),
and to the training team on the attendance pages. Every change goes through
learning_hub.booking, which checks it again."""

import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import log

from portal.permissions import role_required
from portal.roles import SETTING_ROLES

from . import booking as booking_services
from .booking import TRAINING_STAFF, SessionFull, bookings_of
from .certificates import certificate_filename, certificate_pdf
from .forms_booking import AttendanceForm, BookingForm, EvaluationForm
from .log_actions import ATTENDANCE_EXPORT
from .models import Booking, TrainingSession

PAST_PER_PAGE = 25


def _post(request):
    return request.POST if request.method == "POST" else None


def _sessions():
    # Sessions of published courses only: a draft or unpublished course takes no bookings.
    return TrainingSession.objects.select_related("course").filter(course__live=True)


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


# Booking ----------------------------------------------------------------------------------


@role_required(*SETTING_ROLES)
def session_book(request, pk: int):
    session = get_object_or_404(_sessions(), pk=pk)
    user = request.user
    problem = booking_services.session_booking_problem(session)
    full = session.places_left == 0
    initial = {
        "attendee_name": user.get_full_name(),
        "attendee_email": user.email,
        "organisation": booking_services.attendee_organisation_for(user),
        "join_waiting_list": full,
    }
    form = BookingForm(_post(request), initial=initial)
    if request.method == "POST" and not problem and form.is_valid():
        data = form.cleaned_data
        try:
            booking = booking_services.booking_create(
                session,
                user,
                data["attendee_name"],
                data["attendee_email"],
                data["organisation"],
                join_waiting_list=data["join_waiting_list"],
            )
        except SessionFull as error:
            # Taken while they were filling in the form: offer the waiting list, keeping what they typed.
            offer = BookingForm(initial={**data, "join_waiting_list": True})
            context = {"session": session, "course": session.course, "offer": offer, "message": _error_text(error)}
            return render(request, "learning_hub/booking/full.html", context)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if booking.status == Booking.Status.BOOKED:
                messages.success(request, f"Place booked for {booking.attendee_name}. We have emailed the details.")
            else:
                messages.success(request, f"{booking.attendee_name} is on the waiting list. We have emailed them.")
            return redirect("learning_hub:my_bookings")
    context = {"session": session, "course": session.course, "form": form, "problem": problem, "full": full}
    return render(request, "learning_hub/booking/book.html", context)


@role_required()
def my_bookings(request):
    user = request.user
    now = timezone.now()
    bookings = bookings_of(user).select_related("session__course", "evaluation")
    upcoming = list(bookings.filter(session__ends_at__gt=now).order_by("session__starts_at", "created_at", "pk"))
    past_page = Paginator(
        bookings.filter(session__ends_at__lte=now).order_by("-session__starts_at", "-created_at", "-pk"),
        PAST_PER_PAGE,
    ).get_page(request.GET.get("page"))
    for booking in [*upcoming, *past_page.object_list]:
        booking.can_cancel = booking_services.can_cancel(booking, user, now=now)
        booking.can_evaluate = not booking_services.evaluation_problem(booking, now=now)
        booking.has_certificate = hasattr(booking, "evaluation")
    return render(
        request,
        "learning_hub/booking/my_bookings.html",
        {"upcoming": upcoming, "past_page": past_page, "past": past_page.object_list},
    )


@role_required()
def booking_cancel(request, pk: int):
    user = request.user
    is_staff = booking_services.is_training_staff(user)
    visible = Booking.objects.all() if is_staff else bookings_of(user)
    booking = get_object_or_404(visible.select_related("session__course", "booked_by"), pk=pk)
    if booking.booked_by_id == user.pk or not is_staff:
        back_url = reverse("learning_hub:my_bookings")
    else:
        back_url = reverse("learning_hub:session_attendance", args=[booking.session_id])
    error = ""
    if request.method == "POST":
        try:
            booking_services.booking_cancel(booking, user)
        except ValidationError as problem:
            error = _error_text(problem)
        else:
            messages.success(request, f"Booking for {booking.attendee_name} cancelled. We have emailed a confirmation.")
            return redirect(back_url)
    else:
        error = booking_services.cancel_problem(booking, user)
    return render(
        request,
        "learning_hub/booking/cancel.html",
        {
            "booking": booking,
            "session": booking.session,
            "course": booking.session.course,
            "error": error,
            "back_url": back_url,
        },
    )


# After the session ------------------------------------------------------------------------


@role_required()
def booking_evaluation(request, pk: int):
    booking = get_object_or_404(bookings_of(request.user).select_related("session__course", "evaluation"), pk=pk)
    if hasattr(booking, "evaluation"):
        messages.info(request, "You have already evaluated this session. You can download the certificate.")
        return redirect("learning_hub:my_bookings")
    problem = booking_services.evaluation_problem(booking)
    form = None if problem else EvaluationForm(_post(request))
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            booking_services.evaluation_submit(booking, request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Thank you for your evaluation. Your certificate is ready to download.")
            return redirect("learning_hub:my_bookings")
    context = {"booking": booking, "session": booking.session, "course": booking.session.course}
    return render(request, "learning_hub/booking/evaluation.html", {**context, "form": form, "problem": problem})


@role_required()
def booking_certificate(request, pk: int):
    booking = get_object_or_404(bookings_of(request.user).select_related("session__course", "evaluation"), pk=pk)
    if not hasattr(booking, "evaluation"):
        raise Http404("The certificate is available once the session has been evaluated.")
    response = HttpResponse(certificate_pdf(booking), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{certificate_filename(booking)}"'
    return response


# The training team's register --------------------------------------------------------------


@role_required(*TRAINING_STAFF)
def session_attendance(request, pk: int):
    session = get_object_or_404(TrainingSession.objects.select_related("course"), pk=pk)
    error = ""
    if request.method == "POST":
        form = AttendanceForm(request.POST)
        if not form.is_valid():
            error = "Choose whether the person attended or was absent"
        else:
            booking = get_object_or_404(session.bookings.select_related("evaluation"), pk=form.cleaned_data["booking"])
            booking.session = session
            attended = form.cleaned_data["attended"]
            try:
                booking_services.attendance_mark(booking, request.user, attended)
            except ValidationError as problem:
                error = _error_text(problem)
            else:
                outcome = "attended" if attended else "absent"
                messages.success(request, f"{booking.attendee_name} marked as {outcome}")
                return redirect("learning_hub:session_attendance", session.pk)
    now = timezone.now()
    rows = list(booking_services.attendance_list(session))
    for booking in rows:
        booking.can_cancel = booking_services.can_cancel(booking, request.user, now=now)
        booking.evaluated = hasattr(booking, "evaluation")
    return render(
        request,
        "learning_hub/booking/attendance.html",
        {
            "session": session,
            "course": session.course,
            "booked": [b for b in rows if b.status == Booking.Status.BOOKED],
            "waiting": [b for b in rows if b.status == Booking.Status.WAITING],
            "can_mark": not session.is_cancelled and session.starts_at <= now,
            "error": error,
        },
    )


EXPORT_HEADINGS = [
    "Attendee",
    "Email",
    "Organisation",
    "Status",
    "Booked by",
    "Booked on",
    "Moved from waiting list on",
    "Attended",
    "Attendance marked by",
    "Evaluated",
    "Rating",
]


def _yes_no(value: bool | None) -> str:
    return "Not marked" if value is None else ("Yes" if value else "No")


@role_required(*TRAINING_STAFF)
def session_attendance_export(request, pk: int):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    session = get_object_or_404(TrainingSession.objects.select_related("course"), pk=pk)
    rows = list(booking_services.attendance_list(session))
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Attendance"
    sheet.append(EXPORT_HEADINGS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for booking in rows:
        evaluation = getattr(booking, "evaluation", None)
        marked_by = booking.attendance_marked_by
        sheet.append(
            [
                booking.attendee_name,
                booking.attendee_email,
                booking.organisation,
                booking.get_status_display(),
                booking.booked_by.get_full_name() or booking.booked_by.email,
                timezone.localtime(booking.created_at).date(),
                timezone.localtime(booking.promoted_at).date() if booking.promoted_at else None,
                _yes_no(booking.attended) if booking.status == Booking.Status.BOOKED else "",
                (marked_by.get_full_name() or marked_by.email) if marked_by else "",
                "Yes" if evaluation else "No",
                evaluation.rating if evaluation else None,
            ]
        )
        for cell in sheet[sheet.max_row]:
            if cell.data_type == "f":
                # openpyxl stores text starting with "=" as a formula; keep it as the text typed.
                cell.data_type = "s"
            elif cell.column_letter in {"F", "G"} and cell.value is not None:
                cell.number_format = "DD/MM/YYYY"
    sheet.freeze_panes = "A2"
    for column in sheet.iter_cols(min_row=1, max_row=1):
        sheet.column_dimensions[column[0].column_letter].width = max(12, min(40, len(column[0].value) + 4))
    buffer = io.BytesIO()
    workbook.save(buffer)
    log(session, ATTENDANCE_EXPORT, user=request.user, data={"rows": len(rows)})
    starts = timezone.localtime(session.starts_at)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="attendance-{session.pk}-{starts:%Y-%m-%d}.xlsx"'
    return response
