"""The learning hub's entries in Wagtail's audit log (booking, attendance, evaluation)."""

from wagtail import hooks

BOOKING_CREATE = "learning_hub.booking.create"
BOOKING_WAIT = "learning_hub.booking.wait"
BOOKING_CANCEL = "learning_hub.booking.cancel"
BOOKING_PROMOTE = "learning_hub.booking.promote"
ATTENDANCE_MARK = "learning_hub.booking.attendance"
EVALUATION_SUBMIT = "learning_hub.booking.evaluation"
ATTENDANCE_EXPORT = "learning_hub.session.attendance_export"

ACTIONS = [
    (BOOKING_CREATE, "Book a training place", "Training place booked"),
    (BOOKING_WAIT, "Join a waiting list", "Added to the session's waiting list"),
    (BOOKING_CANCEL, "Cancel a booking", "Training booking cancelled"),
    (BOOKING_PROMOTE, "Offer a place from the waiting list", "Moved from the waiting list to a place"),
    (ATTENDANCE_MARK, "Mark attendance", "Attendance marked"),
    (EVALUATION_SUBMIT, "Evaluate a session", "Session evaluation submitted"),
    (ATTENDANCE_EXPORT, "Export attendance", "Attendance list exported"),
]


@hooks.register("register_log_actions")
def register_learning_hub_log_actions(actions) -> None:
    # https://docs.wagtail.org/en/stable/extending/audit_log.html
    for action, label, message in ACTIONS:
        actions.register_action(action, label, message)
