"""Wagtail admin screens for portal records (Wagtail's own viewsets; see STYLE.md), and the
permission policy every app's admin screens use: access comes from the portal's roles."""

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from wagtail.admin.panels import FieldPanel
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from portal.models import BankHoliday, TaskFailure, Theme
from portal.permissions import user_has_role
from portal.roles import Role

# Staff who look after settings read the register and the questionnaires; QA managers
# keep them (DESIGN.md, "Who uses it"). Editors publish hub content and see neither.
READERS = frozenset({Role.ADVISER, Role.COMMISSIONING_OFFICER, Role.SENIOR_MANAGER, Role.QA_MANAGER})
KEEPERS = frozenset({Role.QA_MANAGER})
_WRITE_ACTIONS = frozenset({"add", "change", "delete"})


class RolePermissionPolicy(ModelPermissionPolicy):
    """Grants by portal role, on top of any Django model permission a group is given."""

    def __init__(self, model, *, readers: frozenset[Role] = READERS, keepers: frozenset[Role] = KEEPERS) -> None:
        super().__init__(model)
        self.readers = readers | keepers
        self.keepers = keepers

    def _roles_for(self, action: str) -> frozenset[Role]:
        if action == "view":
            return self.readers
        return self.keepers if action in _WRITE_ACTIONS else frozenset()

    def user_has_permission(self, user, action: str) -> bool:
        return user_has_role(user, *self._roles_for(action)) or super().user_has_permission(user, action)

    def users_with_any_permission(self, actions) -> QuerySet:
        group_names = {role.group_name for action in actions for role in self._roles_for(action)}
        by_permission = self._get_users_with_any_permission_codenames_filter(self._get_permission_codenames(actions))
        by_role = Q(groups__name__in=group_names, is_active=True)
        return get_user_model().objects.filter(by_permission | by_role).distinct()


class ThemeViewSet(SnippetViewSet):
    model = Theme
    icon = "tag"
    menu_label = "Themes"
    list_display = ["name", "slug", "sort_order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "description"]
    list_export = ["name", "slug", "description", "sort_order", "is_active"]
    export_filename = "themes"
    ordering = ["sort_order", "name"]


class BankHolidayViewSet(SnippetViewSet):
    """QA managers add next year's dates (or a one-off holiday); every working-day clock reads them."""

    model = BankHoliday
    icon = "date"
    menu_label = "Bank holidays"
    list_display = ["date", "name"]
    search_fields = ["name"]
    list_export = ["date", "name"]
    export_filename = "bank-holidays"
    ordering = ["-date"]


class TaxonomyViewSetGroup(SnippetViewSetGroup):
    """The shared taxonomy that audits, actions, complaints and the hub all use, and the
    calendar their clocks run on."""

    items = (ThemeViewSet, BankHolidayViewSet)
    menu_icon = "tag"
    menu_label = "Taxonomy"
    menu_name = "taxonomy"


class TaskFailureViewSet(ModelViewSet):
    """Background jobs that failed for good, for QA managers to follow up (portal.celery). A
    ModelViewSet, not a snippet: snippets get a chooser that every admin user can open, and a
    failure's message is for QA managers only."""

    model = TaskFailure
    name = "portal_taskfailure"
    url_prefix = "failed-jobs"
    icon = "warning"
    menu_label = "Failed background jobs"
    menu_order = 900
    add_to_admin_menu = True
    list_display = ["task_name", "exception_type", "failed_at", "retries", "resolved"]
    list_filter = ["resolved", "task_name"]
    search_fields = ["task_name", "exception_type", "message"]
    search_backend_name = None
    ordering = ["resolved", "-failed_at"]
    copy_view_enabled = False
    inspect_view_enabled = True
    panels = [FieldPanel("resolved"), FieldPanel("resolution_note")]


class TaskFailurePermissionPolicy(RolePermissionPolicy):
    """QA managers read failures and mark them resolved; nobody adds or deletes one by hand."""

    def _roles_for(self, action: str) -> frozenset[Role]:
        return frozenset() if action in {"add", "delete"} else super()._roles_for(action)


def task_failure_permission_policy() -> TaskFailurePermissionPolicy:
    return TaskFailurePermissionPolicy(TaskFailure, readers=frozenset(), keepers=KEEPERS)
