"""Registration only: permission policies, admin viewsets and log actions. Logic lives elsewhere."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from schools.imports import IMPORT_LOG_ACTION
from schools.models import Membership, OfstedInspection, Question, Questionnaire, Setting, TrustMembership
from schools.services_questionnaires import COPY_LOG_ACTION, PUBLISH_LOG_ACTION
from schools.viewsets import (
    QuestionnairePermissionPolicy,
    QuestionnaireViewSetGroup,
    RolePermissionPolicy,
    SettingsRegisterViewSetGroup,
)

# Policies first: Wagtail makes a fallback policy for a model the first time anything asks,
# and refuses a registration after that.
# https://docs.wagtail.org/en/stable/extending/custom_permissions.html
for model in (Setting, OfstedInspection, Membership, TrustMembership):
    register_permission_policy(model, RolePermissionPolicy(model))
for model in (Questionnaire, Question):
    register_permission_policy(model, QuestionnairePermissionPolicy(model))

register_snippet(QuestionnaireViewSetGroup)


@hooks.register("register_admin_viewset")
def register_settings_register_viewsets():
    # https://docs.wagtail.org/en/stable/extending/generic_views.html#viewset-groups
    return SettingsRegisterViewSetGroup()


@hooks.register("register_log_actions")
def register_schools_log_actions(actions):
    # https://docs.wagtail.org/en/stable/extending/audit_log.html
    actions.register_action(IMPORT_LOG_ACTION, "Import from GIAS", "Updated from a GIAS import")
    actions.register_action(PUBLISH_LOG_ACTION, "Publish questionnaire", "Questionnaire published")
    actions.register_action(COPY_LOG_ACTION, "Copy to next year", "Copied from last year's questionnaire")
