"""The audit engine's entries in Wagtail's audit log. Imported from SchoolsConfig.ready()
so it is registered however the admin hooks module is arranged."""

from wagtail import hooks

ACTIONS = [
    ("schools.plan.create", "Create action plan", "Action plan created"),
    ("schools.plan.edit_action", "Edit action", "Action edited"),
    ("schools.plan.share", "Share action plan", "Action plan shared for agreement"),
    ("schools.plan.agree", "Agree action plan", "Action plan agreed"),
    ("schools.plan.complete", "Complete action plan", "Action plan complete"),
    ("schools.plan.close", "Close action plan", "Action plan closed"),
    ("schools.action.progress", "Record progress", "Progress recorded"),
    ("schools.action.add_evidence", "Add action evidence", "Evidence added to an action"),
    ("schools.action.verify", "Verify action", "Action verified"),
    ("schools.action.send_back", "Send action back", "Action sent back"),
    ("schools.action.cancel", "Cancel action", "Action cancelled"),
    ("schools.action.request_extension", "Request extension", "Extension requested"),
    ("schools.action.decide_extension", "Decide extension", "Extension decided"),
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
