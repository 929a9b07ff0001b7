"""Training sessions and bookings. Sessions are rows, not page content, so bookings always
point at something stable; editors and advisers manage them in the admin. Bookings change
only through `learning_hub.booking` (capacity is checked under a row lock on the session)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from wagtail.admin.panels import FieldPanel, MultiFieldPanel

from portal.models import TimeStampedModel

from .pages import TrainingCoursePage


class TrainingSession(TimeStampedModel):
    course = models.ForeignKey(TrainingCoursePage, on_delete=models.PROTECT, related_name="sessions")
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()
    venue = models.CharField(
        max_length=300, blank=True, help_text="For face-to-face sessions: the place and address. Shown to everyone."
    )
    joining_details = models.TextField(
        blank=True, help_text="Joining link, room or instructions. Shown only to people with a place."
    )
    capacity = models.PositiveIntegerField(help_text="Places available.")
    booking_closes_on = models.DateField(help_text="The last day people can book or cancel.")
    is_cancelled = models.BooleanField("session cancelled", default=False)
    # Places taken, kept in step with bookings by the booking service (under the session lock),
    # so listings show places left without counting bookings for every session.
    places_taken = models.PositiveIntegerField(default=0, editable=False)

    panels = [
        FieldPanel("course"),
        MultiFieldPanel([FieldPanel("starts_at"), FieldPanel("ends_at")], heading="When"),
        FieldPanel("venue"),
        FieldPanel("joining_details"),
        MultiFieldPanel([FieldPanel("capacity"), FieldPanel("booking_closes_on")], heading="Booking"),
        FieldPanel("is_cancelled"),
    ]

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.course.title}, {self.starts_at:%-d %B %Y %H:%M}"

    @property
    def places_left(self) -> int:
        return max(self.capacity - self.places_taken, 0)


class Booking(TimeStampedModel):
    class Status(models.TextChoices):
        BOOKED = "booked", "Booked"
        WAITING = "waiting", "On the waiting list"
        CANCELLED = "cancelled", "Cancelled"

    session = models.ForeignKey(TrainingSession, on_delete=models.PROTECT, related_name="bookings")
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="hub_bookings")
    attendee_name = models.CharField(max_length=200)
    attendee_email = models.EmailField()
    organisation = models.CharField(max_length=200, blank=True, help_text="The setting the attendee works at.")
    status = models.CharField(max_length=10, choices=Status.choices, db_index=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    promoted_at = models.DateTimeField(null=True, blank=True, help_text="When it moved from the waiting list.")
    attended = models.BooleanField(null=True, blank=True)
    attendance_marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            # One live booking per person per session; cancelled ones may repeat.
            models.UniqueConstraint(
                fields=["session", "attendee_email"],
                condition=Q(status__in=["booked", "waiting"]),
                name="one_live_booking_per_attendee",
            )
        ]
        indexes = [models.Index(fields=["session", "status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.attendee_name} – {self.session}"


class Evaluation(TimeStampedModel):
    """The short form an attendee completes after a session; it unlocks the certificate."""

    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="evaluation")
    rating = models.PositiveSmallIntegerField(help_text="1 (poor) to 5 (excellent).")
    most_useful = models.TextField()
    will_change = models.TextField("what you will do differently")
    comments = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Evaluation of {self.booking}"
