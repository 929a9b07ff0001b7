"""Who may see QPAG material, decided here and nowhere else. Case-file audits are about
children known to social care, so only the QA team (QA managers, who record them and run the
pack) and senior managers (read-only scrutiny, DESIGN.md) may see them. Everyone else signed in
gets 404, so a page does not even confirm that a record exists; anonymous people sign in."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404

from portal.permissions import user_has_role
from portal.roles import Role

VIEW_ROLES = (Role.QA_MANAGER, Role.SENIOR_MANAGER)
MANAGE_ROLES = (Role.QA_MANAGER,)


def can_view_qpag(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user_has_role(user, *VIEW_ROLES))


def can_manage_qpag(user) -> bool:
    """Record and moderate audits, draw samples, import, and draft and issue packs."""
    return bool(user and user.is_authenticated and user.is_active and user_has_role(user, *MANAGE_ROLES))


def qpag_view_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_view_qpag(request.user):
            raise Http404("No such page")
        return view(request, *args, **kwargs)

    return wrapped


def qpag_manage_required(view):
    """For pages that change something: senior managers (read-only) get 403."""

    @wraps(view)
    @qpag_view_required
    def wrapped(request, *args, **kwargs):
        if not can_manage_qpag(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped
