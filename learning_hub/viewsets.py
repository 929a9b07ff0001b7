"""Wagtail admin screens for training sessions and bookings (Wagtail's own viewsets; see
STYLE.md). Registration happens in `wagtail_hooks.py`.

Editors and QA managers keep the sessions; advisers read them. Bookings are read-only here
for all three: places, the waiting list and attendance change only through
learning_hub.booking (the public booking pages and the attendance register), which keep
`places_taken` in step under the session lock.
"""

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from portal.roles import Role
from portal.viewsets import RolePermissionPolicy

from .booking import is_training_staff, session_cancel, waiting_list_fill
from .models import Booking, TrainingCoursePage, TrainingSession

SESSION_READERS = frozenset({Role.ADVISER, Role.EDITOR, Role.QA_MANAGER})
SESSION_KEEPERS = frozenset({Role.EDITOR, Role.QA_MANAGER})
BOOKING_READERS = SESSION_READERS
BOOKING_KEEPERS: frozenset[Role] = frozenset()  # read-only: changes go through the services

SESSION_URLS = "learning_hub_session"
BOOKING_URLS = "learning_hub_booking"


class SessionPermissionPolicy(RolePermissionPolicy):
    """A session people have booked cannot be deleted (bookings PROTECT it): cancel it instead."""

    def user_has_permission_for_instance(self, user, action: str, instance) -> bool:
        if action == "delete" and instance.pk and instance.bookings.exists():
            return False
        return super().user_has_permission_for_instance(user, action, instance)


# Filters ---------------------------------------------------------------------------------

UPCOMING = "upcoming"
PAST = "past"
WHEN_CHOICES = [(UPCOMING, "Upcoming"), (PAST, "Past")]


def _when(queryset: QuerySet, value: str, *, field: str) -> QuerySet:
    now = timezone.now()
    if value == UPCOMING:
        return queryset.filter(**{f"{field}__gte": now})
    if value == PAST:
        return queryset.filter(**{f"{field}__lt": now})
    return queryset


def _courses(request=None) -> QuerySet:
    return TrainingCoursePage.objects.order_by("title").only("pk", "title")


class TrainingSessionFilterSet(WagtailFilterSet):
    course = django_filters.ModelChoiceFilter(queryset=_courses, label="Course")
    when = django_filters.ChoiceFilter(
        label="When", choices=WHEN_CHOICES, widget=forms.RadioSelect, empty_label="All", method="filter_when"
    )

    class Meta:
        model = TrainingSession
        fields = ["course", "when", "is_cancelled"]

    def filter_when(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return _when(queryset, value, field="starts_at")


class BookingFilterSet(WagtailFilterSet):
    course = django_filters.ModelChoiceFilter(field_name="session__course", queryset=_courses, label="Course")
    when = django_filters.ChoiceFilter(
        label="Session", choices=WHEN_CHOICES, widget=forms.RadioSelect, empty_label="All", method="filter_when"
    )
    status = django_filters.ChoiceFilter(
        label="Status", choices=Booking.Status.choices, widget=forms.RadioSelect, empty_label="All"
    )

    class Meta:
        model = Booking
        fields = ["course", "when", "status", "attended"]

    def filter_when(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return _when(queryset, value, field="session__starts_at")


# Sessions --------------------------------------------------------------------------------


class TrainingSessionForm(WagtailAdminModelForm):
    def clean(self) -> dict:
        cleaned = super().clean()
        capacity = cleaned.get("capacity")
        taken = self.instance.places_taken if self.instance.pk else 0
        if capacity is not None and capacity < taken:
            self.add_error(
                "capacity",
                f"{taken} places are already booked. Cancel bookings first, or keep at least {taken} places.",
            )
        starts_at = cleaned.get("starts_at")
        closes_on = cleaned.get("booking_closes_on")
        if starts_at and closes_on and closes_on > timezone.localdate(starts_at):
            self.add_error("booking_closes_on", "Booking must close on or before the day of the session.")
        return cleaned


class TrainingSessionEditView(generic.EditView):
    def save_instance(self):
        was_cancelled = TrainingSession.objects.filter(pk=self.object.pk, is_cancelled=True).exists()
        session = super().save_instance()
        if not is_training_staff(self.request.user):
            return session
        if session.is_cancelled and not was_cancelled:
            # Cancelling a session cancels its places and tells everyone booked or waiting.
            session_cancel(session, user=self.request.user)
        elif not session.is_cancelled:
            # More places: offer them to the waiting list straight away (under the session lock).
            waiting_list_fill(session, user=self.request.user)
        return session


class TrainingSessionViewSet(ModelViewSet):
    model = TrainingSession
    name = SESSION_URLS
    url_prefix = "hub/sessions"
    icon = "date"
    menu_label = "Training sessions"
    copy_view_enabled = True
    inspect_view_enabled = True
    edit_view_class = TrainingSessionEditView
    list_display = [
        Column("course", label="Course", accessor="course.title"),
        DateColumn("starts_at", label="Starts", sort_key="starts_at"),
        Column("capacity", label="Capacity"),
        Column("places_taken", label="Places taken"),
        DateColumn("booking_closes_on", label="Booking closes", sort_key="booking_closes_on"),
        BooleanColumn("is_cancelled", label="Cancelled"),
    ]
    filterset_class = TrainingSessionFilterSet
    search_fields = ["course__title", "venue"]
    search_backend_name = None
    ordering = ["-starts_at"]
    list_export = [
        "course.title",
        "starts_at",
        "ends_at",
        "venue",
        "capacity",
        "places_taken",
        "places_left",
        "booking_closes_on",
        "is_cancelled",
    ]
    export_headings = {
        "course.title": "Course",
        "starts_at": "Starts",
        "ends_at": "Ends",
        "venue": "Venue",
        "capacity": "Capacity",
        "places_taken": "Places taken",
        "places_left": "Places left",
        "booking_closes_on": "Booking closes",
        "is_cancelled": "Cancelled",
    }
    export_filename = "training-sessions"
    inspect_view_fields = [
        "course",
        "starts_at",
        "ends_at",
        "venue",
        "joining_details",
        "capacity",
        "places_taken",
        "booking_closes_on",
        "is_cancelled",
    ]

    @property
    def edit_handler(self):
        return ObjectList(TrainingSession.panels, base_form_class=TrainingSessionForm)

    def get_index_view_kwargs(self, **kwargs):
        # The course title for every row in the same query: constant queries per page.
        return super().get_index_view_kwargs(queryset=TrainingSession.objects.select_related("course"), **kwargs)


# Bookings --------------------------------------------------------------------------------


class BookingViewSet(ModelViewSet):
    model = Booking
    name = BOOKING_URLS
    url_prefix = "hub/bookings"
    icon = "list-ul"
    menu_label = "Bookings"
    copy_view_enabled = False
    inspect_view_enabled = True
    list_display = [
        "attendee_name",
        "organisation",
        Column("session", label="Session", accessor="session"),
        Column("status", label="Status", accessor="get_status_display"),
        BooleanColumn("attended", label="Attended"),
    ]
    filterset_class = BookingFilterSet
    search_fields = ["attendee_name", "attendee_email", "organisation", "session__course__title"]
    search_backend_name = None
    ordering = ["-session__starts_at", "created_at"]
    list_export = [
        "attendee_name",
        "attendee_email",
        "organisation",
        "session.course.title",
        "session.starts_at",
        "get_status_display",
        "booked_by.email",
        "created_at",
        "promoted_at",
        "cancelled_at",
        "attended",
    ]
    export_headings = {
        "attendee_name": "Attendee",
        "attendee_email": "Email",
        "organisation": "Organisation",
        "session.course.title": "Course",
        "session.starts_at": "Session starts",
        "get_status_display": "Status",
        "booked_by.email": "Booked by",
        "created_at": "Booked at",
        "promoted_at": "Moved from waiting list at",
        "cancelled_at": "Cancelled at",
        "attended": "Attended",
    }
    export_filename = "training-bookings"
    inspect_view_fields = [
        "session",
        "attendee_name",
        "attendee_email",
        "organisation",
        "status",
        "booked_by",
        "created_at",
        "promoted_at",
        "cancelled_at",
        "attended",
        "attendance_marked_by",
        "confirmation_sent_at",
        "reminder_sent_at",
    ]
    # Never edited here; Wagtail still wants a form definition for the (refused) edit view.
    panels = [FieldPanel("attendee_name")]

    def get_index_view_kwargs(self, **kwargs):
        queryset = Booking.objects.select_related("session__course", "booked_by")
        return super().get_index_view_kwargs(queryset=queryset, **kwargs)


class TrainingViewSetGroup(ViewSetGroup):
    items = (TrainingSessionViewSet, BookingViewSet)
    menu_label = "Training"
    menu_icon = "date"
    menu_name = "hub-training"
