"""Re-authentication before security-sensitive changes (GitHub calls it "sudo mode")."""

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseRedirect
from django.urls import reverse

from portal.two_factor.services import reauthenticated_within

REAUTHENTICATION_MINUTES = 10


def recent_authentication_required(minutes: int = REAUTHENTICATION_MINUTES) -> Callable:
    """View decorator: unless this person confirmed their password (and code, if they use
    two-factor authentication) in the last `minutes`, ask them to, then come back here.
    A POST that arrives too late is not carried out; the person starts again from the page."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not reauthenticated_within(request, minutes=minutes):
                query = urlencode({"next": request.get_full_path()})
                return HttpResponseRedirect(f"{reverse('two_factor:reauthenticate')}?{query}")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
