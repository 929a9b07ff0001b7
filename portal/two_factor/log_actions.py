"""Two-factor authentication's entries in Wagtail's audit log, all logged on the user."""

from wagtail import hooks
from wagtail.log_actions import registry

ACTIONS = [
    ("portal.two_factor.set_up", "Set up two-factor authentication", "Two-factor authentication set up"),
    ("portal.two_factor.replace", "Replace authenticator app", "Authenticator app replaced"),
    ("portal.two_factor.verify", "Enter security code", "Security code accepted at sign-in"),
    ("portal.two_factor.recovery_code_used", "Use recovery code", "Recovery code used at sign-in"),
    ("portal.two_factor.code_wrong", "Wrong security code", "Wrong security or recovery code entered"),
    ("portal.two_factor.codes_locked", "Codes locked", "Codes refused for a while after too many wrong ones"),
    (
        "portal.two_factor.recovery_codes_regenerate",
        "New recovery codes",
        "New recovery codes created; the old ones no longer work",
    ),
    ("portal.two_factor.disable", "Turn off two-factor authentication", "Two-factor authentication turned off"),
    ("portal.two_factor.reauthenticate", "Confirm identity", "Password (and code) confirmed again"),
    ("portal.two_factor.reauthenticate_failed", "Identity not confirmed", "Wrong password or code when confirming"),
]


def register_two_factor_log_actions(actions) -> None:
    for action, label, message in ACTIONS:
        actions.register_action(action, label, message)


hooks.register("register_log_actions", register_two_factor_log_actions)
# This module is imported with the middleware, which is usually before Wagtail first reads
# the hook; if the registry was already filled, add ours to it directly.
if registry.has_scanned_for_actions:
    register_two_factor_log_actions(registry)
