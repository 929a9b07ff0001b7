"""QPAG's entries in Wagtail's audit log."""

from wagtail import hooks

ACTIONS = [
    ("qpag.extract.upload", "Upload case extract", "Case-management extract uploaded"),
    ("qpag.sample.draw", "Draw case sample", "Case-file audit sample drawn"),
    ("qpag.audit.create", "Record case-file audit", "Case-file audit recorded"),
    ("qpag.audit.grade", "Record audit grades", "Auditor's grades recorded"),
    ("qpag.audit.moderate", "Moderate audit", "Audit moderated"),
    ("qpag.audit.close", "Close audit", "Case-file audit closed"),
    ("qpag.audit.panel", "Moderation panel", "Grade difference discussed at the moderation panel"),
    ("qpag.audit.import", "Import audits", "Completed case-file audits imported"),
    ("qpag.action.add", "Add audit action", "Action added to a case-file audit"),
    ("qpag.action.complete", "Complete audit action", "Case-file audit action completed"),
    ("qpag.review.open", "Open triple-lock review", "Triple-lock review opened"),
    ("qpag.review.complete", "Complete triple-lock review", "Triple-lock review completed"),
    ("qpag.pack.draft", "Draft QPAG pack", "QPAG pack drafted"),
    ("qpag.pack.narrative", "Edit QPAG narrative", "QPAG pack narrative saved"),
    ("qpag.pack.issue", "Issue QPAG pack", "QPAG pack issued"),
    ("qpag.pack.download", "Download QPAG pack", "QPAG pack downloaded"),
]


@hooks.register("register_log_actions")
def register_qpag_log_actions(actions) -> None:
    for action, label, message in ACTIONS:
        actions.register_action(action, label, message)
