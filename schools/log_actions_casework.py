"""Casework's entries in Wagtail's audit log: visits, support offers, allegations meetings
and practice reviews. Imported from schools.receivers_casework, which SchoolsConfig.ready()
loads, so they are registered however the admin hooks module is arranged."""

from wagtail import hooks

ACTIONS = [
    ("schools.visit.plan", "Plan visit", "Visit planned"),
    ("schools.visit.record", "Record visit", "Visit recorded as held"),
    ("schools.visit.cancel", "Cancel visit", "Visit cancelled"),
    ("schools.support_offer.open", "Open support offer", "Support offer opened from an Ofsted inspection"),
    ("schools.support_offer.make", "Make support offer", "Support offered to the setting"),
    ("schools.support_offer.respond", "Record support offer response", "Setting's response recorded"),
    ("schools.support_offer.create_plan", "Plan from inspection", "Action plan created from the inspection"),
    ("schools.allegations_meeting.record", "Record allegations meeting", "Allegations meeting recorded"),
    ("schools.allegations_meeting.create_plan", "Plan from meeting", "Action plan created from the meeting"),
    ("schools.practice_review.create", "Add practice review", "Practice review added"),
    ("schools.practice_review.edit", "Edit practice review", "Practice review edited"),
    ("schools.practice_review.create_plans", "Plans from practice review", "Action plans created for named settings"),
]


@hooks.register("register_log_actions")
def register_casework_log_actions(actions) -> None:
    # https://docs.wagtail.org/en/stable/extending/audit_log.html
    for action, label, message in ACTIONS:
        actions.register_action(action, label, message)
