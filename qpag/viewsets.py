"""Wagtail admin screens for QPAG records (Wagtail's own viewsets; see STYLE.md). Registration
happens in `wagtail_hooks.py`. The auditor register is kept by QA managers only: it names the
people who audit and moderate case files, which nobody else needs (qpag.access)."""

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from portal.viewsets import RolePermissionPolicy

from .access import MANAGE_ROLES
from .models import Auditor


def auditor_permission_policy() -> RolePermissionPolicy:
    """QA managers read and keep the register; no other role sees it."""
    return RolePermissionPolicy(Auditor, readers=frozenset(), keepers=frozenset(MANAGE_ROLES))


class AuditorViewSet(ModelViewSet):
    model = Auditor
    name = "qpag_auditor"
    url_prefix = "qpag/auditors"
    icon = "group"
    menu_label = "Auditors and moderators"
    copy_view_enabled = False
    inspect_view_enabled = True
    list_display = [
        "name",
        "service",
        "team",
        BooleanColumn("can_audit", label="Audits"),
        BooleanColumn("can_moderate", label="Moderates"),
        BooleanColumn("is_active", label="Active"),
    ]
    list_filter = ["service", "team", "is_active", "can_moderate"]
    # The database, not Wagtail search: a part of a name or team should match as typed.
    search_fields = ["name", "team", "email"]
    search_backend_name = None
    ordering = ["name"]
    list_per_page = 50
    list_export = ["name", "email", "get_service_display", "team", "can_audit", "can_moderate", "is_active"]
    export_headings = {"get_service_display": "Service"}
    export_filename = "qpag-auditors"
    inspect_view_fields = ["name", "email", "service", "team", "can_audit", "can_moderate", "is_active"]
    panels = [
        FieldPanel("name"),
        FieldPanel("email"),
        FieldRowPanel([FieldPanel("service"), FieldPanel("team")]),
        MultiFieldPanel(
            [FieldPanel("can_audit"), FieldPanel("can_moderate"), FieldPanel("is_active")], heading="What they do"
        ),
    ]


class QpagViewSetGroup(ViewSetGroup):
    """The QPAG menu in the admin: the records behind the case-file audit pages."""

    items = (AuditorViewSet,)
    menu_label = "QPAG"
    menu_icon = "clipboard-list"
    menu_name = "qpag"
