from django.core.exceptions import PermissionDenied

from portal.permissions import is_staff_user


class AdminAccessMiddleware:
    """Signed-in people without a staff role get the 403 page at /admin/, not
    Wagtail's redirect to its sign-in form: they are signed in, just not allowed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/admin/") and request.user.is_authenticated and not is_staff_user(request.user):
            raise PermissionDenied
        return self.get_response(request)
