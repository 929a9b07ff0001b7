"""The audit engine's entries in Wagtail's audit log. Imported from SchoolsConfig.ready()
so it is registered however the admin hooks module is arranged."""

from wagtail import hooks

ACTIONS = [
    ("schools.cycle.open", "Open audit cycle", "Audit cycle opened"),
    ("schools.cycle.close", "Close audit cycle", "Audit cycle closed"),
    ("schools.return.start", "Start return", "Return started"),
    ("schools.return.assign_section", "Assign section", "Section assigned"),
    ("schools.return.sign_off", "Sign off return", "Return signed off"),
    ("schools.return.submit", "Submit return", "Return submitted"),
    ("schools.return.start_review", "Start review", "Review started"),
    ("schools.return.return_for_changes", "Return for changes", "Returned for changes"),
    ("schools.return.send_feedback", "Send feedback", "Feedback sent"),
    ("schools.return.close", "Close return", "Return closed"),
    ("schools.return.add_evidence", "Add evidence", "Evidence added"),
    ("schools.return.remove_evidence", "Remove evidence", "Evidence removed"),
]


@hooks.register("register_log_actions")
def register_audit_log_actions(actions) -> None:
    # https://docs.wagtail.org/en/stable/extending/audit_log.html
    for action, label, message in ACTIONS:
        actions.register_action(action, label, message)
