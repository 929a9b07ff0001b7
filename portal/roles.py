"""The portal's roles. Each is a Django group of the same name, created by the data
migration `portal/migrations/0002_roles.py`; access decisions live in
`portal.permissions`, never in views."""

from django.db import models


class Role(models.TextChoices):
    SCHOOL_USER = "school_user", "School user"
    AP_PROVIDER_USER = "ap_provider_user", "AP provider user"
    ADVISER = "adviser", "Adviser"
    COMMISSIONING_OFFICER = "commissioning_officer", "Commissioning officer"
    QA_MANAGER = "qa_manager", "QA manager"
    SENIOR_MANAGER = "senior_manager", "Senior manager"
    EDITOR = "editor", "Editor"

    @property
    def group_name(self) -> str:
        return self.label

    @classmethod
    def from_group_name(cls, name: str) -> "Role | None":
        return _BY_GROUP_NAME.get(name)


_BY_GROUP_NAME = {role.label: role for role in Role}

# Roles held by people at an education setting: they never reach the Wagtail admin.
SETTING_ROLES = frozenset({Role.SCHOOL_USER, Role.AP_PROVIDER_USER})
# Council staff: they reach the Wagtail admin.
STAFF_ROLES = frozenset(set(Role) - SETTING_ROLES)

# When a person holds several roles, their dashboard is that of the first here.
ROLE_PRECEDENCE = (
    Role.QA_MANAGER,
    Role.ADVISER,
    Role.COMMISSIONING_OFFICER,
    Role.SENIOR_MANAGER,
    Role.EDITOR,
    Role.SCHOOL_USER,
    Role.AP_PROVIDER_USER,
)

# Who may invite whom. QA managers run the service; advisers and commissioning
# officers bring in the people at the settings they look after.
INVITABLE_BY = {
    Role.QA_MANAGER: frozenset(Role),
    Role.ADVISER: frozenset({Role.SCHOOL_USER}),
    Role.COMMISSIONING_OFFICER: frozenset({Role.AP_PROVIDER_USER}),
}
