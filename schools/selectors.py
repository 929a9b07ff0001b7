"""Reads for the settings register and audits, scoped to what the asking user may see.
Every view gets its querysets from here, so access is decided in one place."""

from django.db.models import Q, QuerySet

from portal.permissions import is_staff_user, user_has_role, user_roles
from portal.roles import Role
from schools.models import AuditReturn, Membership, QuestionnaireKind, Setting, SettingKind

# Staff who see every setting and every return of the kinds they look after.
_SCHOOL_AUDIT_STAFF = (Role.ADVISER, Role.QA_MANAGER, Role.SENIOR_MANAGER)
_AP_AUDIT_STAFF = (Role.ADVISER, Role.QA_MANAGER, Role.SENIOR_MANAGER, Role.COMMISSIONING_OFFICER)


def _own_setting_filter(user) -> Q:
    trusts = list(user.trust_memberships.values_list("trust_name", flat=True))
    own = Q(memberships__user=user)
    if trusts:
        own |= Q(trust_name__in=trusts) & ~Q(trust_name="")
    return own


def settings_visible_to(user) -> QuerySet[Setting]:
    """Staff see the whole register; people at settings see their own settings (and, for
    trust staff, their trust's schools). AP provider users see only AP providers."""
    if not getattr(user, "is_authenticated", False):
        return Setting.objects.none()
    if is_staff_user(user):
        return Setting.objects.all()
    roles = user_roles(user)
    allowed_kinds: set[str] = set()
    if Role.SCHOOL_USER in roles:
        allowed_kinds |= set(SettingKind.values) - {SettingKind.AP_PROVIDER}
    if Role.AP_PROVIDER_USER in roles:
        allowed_kinds.add(SettingKind.AP_PROVIDER)
    if not allowed_kinds:
        return Setting.objects.none()
    return Setting.objects.filter(_own_setting_filter(user), kind__in=allowed_kinds).distinct()


def returns_visible_to(user) -> QuerySet[AuditReturn]:
    """175/157 returns for school users at their settings and school-audit staff; AP returns
    for AP provider users at their provision and AP-audit staff (with commissioning)."""
    if not getattr(user, "is_authenticated", False):
        return AuditReturn.objects.none()
    kinds: list[str] = []
    if user.is_superuser or user_has_role(user, *_SCHOOL_AUDIT_STAFF):
        kinds.append(QuestionnaireKind.SCHOOLS_175_157)
    if user.is_superuser or user_has_role(user, *_AP_AUDIT_STAFF):
        kinds.append(QuestionnaireKind.AP_PROVIDER)
    staff_returns = AuditReturn.objects.filter(cycle__kind__in=kinds)
    if kinds:
        return staff_returns
    roles = user_roles(user)
    own_kinds = []
    if Role.SCHOOL_USER in roles:
        own_kinds.append(QuestionnaireKind.SCHOOLS_175_157)
    if Role.AP_PROVIDER_USER in roles:
        own_kinds.append(QuestionnaireKind.AP_PROVIDER)
    if not own_kinds:
        return AuditReturn.objects.none()
    return AuditReturn.objects.filter(
        cycle__kind__in=own_kinds, setting__in=settings_visible_to(user).values("pk")
    )


def members_of(setting: Setting) -> QuerySet[Membership]:
    return Membership.objects.filter(setting=setting, user__is_active=True).select_related("user")
