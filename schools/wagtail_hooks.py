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


# Casework: the allegation categories QA managers keep (schools.models.casework). --------------

from wagtail.admin.panels import FieldPanel  # noqa: E402
from wagtail.admin.ui.tables import BooleanColumn  # noqa: E402
from wagtail.snippets.views.snippets import SnippetViewSet  # noqa: E402

from portal.roles import Role  # noqa: E402
from schools.models import AllegationCategory  # noqa: E402


class AllegationCategoryPermissionPolicy(RolePermissionPolicy):
    """Advisers read the list; QA managers keep it. A category a meeting uses cannot be
    deleted (the meetings PROTECT it): retire it by making it inactive."""

    def user_has_permission_for_instance(self, user, action: str, instance) -> bool:
        if action == "delete" and instance.meetings.exists():
            return False
        return super().user_has_permission_for_instance(user, action, instance)


register_permission_policy(
    AllegationCategory,
    AllegationCategoryPermissionPolicy(
        AllegationCategory, readers=frozenset({Role.ADVISER}), keepers=frozenset({Role.QA_MANAGER})
    ),
)


class AllegationCategoryViewSet(SnippetViewSet):
    model = AllegationCategory
    icon = "tag"
    menu_label = "Allegation categories"
    list_display = ["name", BooleanColumn("active", label="In use for new meetings"), "sort_order"]
    ordering = ["sort_order", "name"]
    search_fields = ["name"]
    search_backend_name = None
    copy_view_enabled = False
    panels = [FieldPanel("name"), FieldPanel("active"), FieldPanel("sort_order")]


register_snippet(AllegationCategoryViewSet)
