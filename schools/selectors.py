"""Reads for the settings register and audits, scoped to what the asking user may see.
Every view gets its querysets from here, so access is decided in one place."""

from django.db.models import Q, QuerySet

from portal.permissions import is_setting_user, is_staff_user, user_has_role, user_roles
from portal.roles import Role
from schools.models import AuditReturn, Membership, QuestionnaireKind, Setting, SettingKind

# Staff who see every setting and every return of the kinds they look after.
_SCHOOL_AUDIT_STAFF = (Role.ADVISER, Role.QA_MANAGER, Role.SENIOR_MANAGER)
_AP_AUDIT_STAFF = (Role.ADVISER, Role.QA_MANAGER, Role.SENIOR_MANAGER, Role.COMMISSIONING_OFFICER)


def _trust_names(user) -> list[str]:
    """The user's trusts, read once per user object: a request asks several times (the
    return, its sections, the permission checks) and request.user lives only as long as it."""
    names = getattr(user, "_portal_trust_names", None)
    if names is None:
        names = user._portal_trust_names = list(user.trust_memberships.values_list("trust_name", flat=True))
    return names


def _own_setting_filter(user) -> Q:
    trusts = _trust_names(user)
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
    return AuditReturn.objects.filter(cycle__kind__in=own_kinds, setting__in=settings_visible_to(user).values("pk"))


def members_of(setting: Setting) -> QuerySet[Membership]:
    return Membership.objects.filter(setting=setting, user__is_active=True).select_related("user")


# Questions per wizard page: short enough to finish in a few minutes, few enough pages to navigate.
QUESTIONS_PER_PAGE = 4


def sections_for_return(audit_return: AuditReturn) -> list:
    """The questionnaire's sections for this return, each with `.applicable` (the questions
    that apply to this kind of setting) and `.pages` (those questions in wizard pages).
    Two queries whatever the questionnaire's size."""
    from django.db.models import Prefetch

    from schools.models import Question, Section

    kind = audit_return.setting.kind
    sections = list(
        Section.objects.filter(questionnaire_id=audit_return.cycle.questionnaire_id)
        .select_related("theme")
        .prefetch_related(Prefetch("questions", queryset=Question.objects.order_by("sort_order", "pk")))
        .order_by("sort_order", "pk")
    )
    visible = []
    for section in sections:
        section.applicable = [q for q in section.questions.all() if q.applies_to(kind)]
        if not section.applicable:
            continue
        section.pages = [
            section.applicable[i : i + QUESTIONS_PER_PAGE]
            for i in range(0, len(section.applicable), QUESTIONS_PER_PAGE)
        ]
        visible.append(section)
    return visible


def review_queue(user) -> QuerySet[AuditReturn]:
    """Returns waiting for review that this user may review, oldest submission first."""
    return (
        returns_visible_to(user)
        .filter(status__in=[AuditReturn.Status.SUBMITTED, AuditReturn.Status.IN_REVIEW])
        .select_related("setting", "cycle", "reviewer")
        .order_by("submitted_at", "pk")
    )


def plans_visible_to(user) -> QuerySet:
    """Staff see school plans (advisers, QA, senior managers) and AP plans (with commissioning);
    people at a setting see their settings' plans once shared with them, never drafts."""
    from schools.models import ActionPlan

    if not getattr(user, "is_authenticated", False):
        return ActionPlan.objects.none()
    school_staff = user.is_superuser or user_has_role(user, *_SCHOOL_AUDIT_STAFF)
    ap_staff = user.is_superuser or user_has_role(user, *_AP_AUDIT_STAFF)
    if school_staff and ap_staff:
        return ActionPlan.objects.all()
    if ap_staff:
        return ActionPlan.objects.filter(setting__kind=SettingKind.AP_PROVIDER)
    if not is_setting_user(user):
        # Other staff (editors) look after the hub, not settings: settings_visible_to gives every
        # staff member the whole register, which must not open every setting's plans to them.
        return ActionPlan.objects.none()
    own = settings_visible_to(user)
    return ActionPlan.objects.filter(setting__in=own.values("pk")).exclude(
        status=ActionPlan.Status.DRAFT, shared_at__isnull=True
    )


def actions_visible_to(user) -> QuerySet:
    from schools.models import Action

    return Action.objects.filter(plan__in=plans_visible_to(user).values("pk"))
