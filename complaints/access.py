"""The gate on every complaints page. Anonymous people are sent to sign in; anyone signed in
without a complaints role (school and AP users, editors, commissioning officers) gets 404, so
the page does not even confirm that the complaint exists."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404

from .services import can_view_complaints, can_work_on_complaints


def complaints_view_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_view_complaints(request.user):
            raise Http404("No such page")
        return view(request, *args, **kwargs)

    return wrapped


def complaints_work_required(view):
    """For pages that change a complaint: senior managers (read-only) get 403."""

    @wraps(view)
    @complaints_view_required
    def wrapped(request, *args, **kwargs):
        if not can_work_on_complaints(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped
