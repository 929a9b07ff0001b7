"""Who may do what: the one module every view and service asks.

Later issues add object-level selectors (a setting's own returns, complaints never
visible to schools) in each app's `selectors.py`; role questions are answered here.
"""

from collections.abc import Callable, Iterable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from portal.roles import INVITABLE_BY, ROLE_PRECEDENCE, SETTING_ROLES, STAFF_ROLES, Role

_CACHE_ATTR = "_portal_roles"


def user_roles(user) -> frozenset[Role]:
    """The roles a user holds, read once per request and cached on the user object."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        names = user.groups.values_list("name", flat=True)
        cached = frozenset(role for role in map(Role.from_group_name, names) if role is not None)
        setattr(user, _CACHE_ATTR, cached)
    return cached


def user_has_role(user, *roles: Role) -> bool:
    return bool(user_roles(user) & set(roles))


def primary_role(user) -> Role | None:
    held = user_roles(user)
    for role in ROLE_PRECEDENCE:
        if role in held:
            return role
    if user is not None and user.is_authenticated and user.is_superuser:
        return Role.QA_MANAGER
    return None


def is_staff_user(user) -> bool:
    """Council staff: may reach the Wagtail admin."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or bool(user_roles(user) & STAFF_ROLES)


def is_setting_user(user) -> bool:
    return bool(user_roles(user) & SETTING_ROLES)


def invitable_roles(user) -> frozenset[Role]:
    """The roles this user may invite people into."""
    if user is not None and user.is_authenticated and user.is_superuser:
        return frozenset(Role)
    allowed: set[Role] = set()
    for role in user_roles(user):
        allowed |= INVITABLE_BY.get(role, frozenset())
    return frozenset(allowed)


def can_invite(user, role: Role | None = None) -> bool:
    roles = invitable_roles(user)
    return bool(roles) if role is None else role in roles


def role_required(*roles: Role) -> Callable:
    """View decorator: anonymous people are sent to sign in; signed-in people
    without one of `roles` get the 403 page. With no roles, any signed-in user passes."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if roles and not (request.user.is_superuser or user_has_role(request.user, *roles)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def staff_required(view: Callable) -> Callable:
    return role_required(*STAFF_ROLES)(view)


def roles_for_display(roles: Iterable[Role]) -> list[str]:
    return [role.label for role in ROLE_PRECEDENCE if role in set(roles)]
