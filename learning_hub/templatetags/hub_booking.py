"""Template helpers for the course page's sessions: the viewer's own bookings, fetched in one
query for every session listed (learning_hub.booking.bookings_for)."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils import timezone

from learning_hub import booking as booking_services

register = template.Library()


@register.simple_tag(takes_context=True)
def session_bookings(context, sessions) -> dict:
    """{% session_bookings sessions as my_bookings %}: {session id: the viewer's live booking}."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return booking_services.bookings_for(user, sessions)


@register.filter
def booking_on(bookings: dict, session):
    """{{ my_bookings|booking_on:session }}: the viewer's booking on that session, or None."""
    return bookings.get(getattr(session, "pk", None)) if bookings else None


@register.filter
def can_book_training(user) -> bool:
    return booking_services.can_book(user)


@register.filter
def is_training_staff(user) -> bool:
    return booking_services.is_training_staff(user)


@register.filter
def booking_closed_reason(session) -> str:
    """Why the session cannot be booked now ("" if it can): cancelled, past, or closed."""
    return booking_services.session_booking_problem(session)


@register.simple_tag(takes_context=True)
def session_actions(context, session, booking=None) -> list[dict]:
    """The links for one session on the course page, for whoever is looking: sign in, book,
    join the waiting list, their bookings, or (training staff) the attendance list.
    Each is {"text", "hidden" (visually hidden context), "url"}."""
    request = context.get("request")
    user = getattr(request, "user", None)
    when = f"{timezone.localtime(session.starts_at):%-d %B %Y}"
    actions = []
    bookable = not booking_services.session_booking_problem(session)
    if user is None or not user.is_authenticated:
        if bookable:
            path = request.get_full_path() if request is not None else "/"
            url = f"{reverse('portal:sign_in')}?{urlencode({'next': path})}"
            actions.append({"text": "Sign in to book", "hidden": f" a place on {when}", "url": url})
        return actions
    if booking_services.can_book(user):
        if booking is not None:
            actions.append(
                {"text": "Your bookings", "hidden": f" (for {when})", "url": reverse("learning_hub:my_bookings")}
            )
        if bookable:
            url = reverse("learning_hub:session_book", args=[session.pk])
            if session.places_left:
                actions.append({"text": "Book a place", "hidden": f" on {when}", "url": url})
            else:
                actions.append({"text": "Join the waiting list", "hidden": f" for {when}", "url": url})
    if booking_services.is_training_staff(user):
        url = reverse("learning_hub:session_attendance", args=[session.pk])
        actions.append({"text": "Attendance", "hidden": f" for {when}", "url": url})
    return actions
