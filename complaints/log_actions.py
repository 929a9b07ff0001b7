"""The complaints tracker's entries in Wagtail's audit log."""

from wagtail import hooks

ACTIONS = [
    ("complaints.complaint.create", "Log complaint", "Complaint logged"),
    ("complaints.complaint.edit", "Edit complaint", "Complaint details changed"),
    ("complaints.complaint.status", "Change complaint status", "Complaint status changed"),
    ("complaints.complaint.setting_notified", "Record setting notified", "Setting notified of complaint"),
    ("complaints.complaint.note", "Add complaint note", "Note added to complaint"),
    ("complaints.complaint.scrutiny", "Add scrutiny comment", "Scrutiny comment added"),
    ("complaints.complaint.legal_hold", "Legal hold", "Legal hold changed"),
    ("complaints.complaint.view", "View complaint", "Complaint viewed"),
    ("complaints.complaint.redact", "Redact complaint", "Complaint personal details redacted"),
    ("complaints.response.save", "Save response", "Response draft saved"),
    ("complaints.response.submit", "Submit response", "Response sent for sign-off"),
    ("complaints.response.sign_off", "Sign off response", "Response signed off"),
    ("complaints.response.return", "Return response", "Response returned for changes"),
    ("complaints.tracker.export", "Export complaints", "Complaints exported"),
    ("complaints.report.request", "Request complaints report", "Quarterly complaints report requested"),
    ("complaints.report.download", "Download complaints report", "Quarterly complaints report downloaded"),
]


@hooks.register("register_log_actions")
def register_complaints_log_actions(actions) -> None:
    # https://docs.wagtail.org/en/stable/extending/audit_log.html
    for action, label, message in ACTIONS:
        actions.register_action(action, label, message)
