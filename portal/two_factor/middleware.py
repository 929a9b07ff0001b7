"""Until a person who must use two-factor authentication has entered a code, every page
but a few sends them to enter one (or, for staff with no authenticator yet, to set one up).

It runs after django-otp's OTPMiddleware, which marks `request.user.is_verified()`, and
before everything else that answers a request, so the Wagtail admin, downloads and the
hub's members-only pages are covered alike. People who are not signed in pass straight
through: the public site stays public and each view still decides who may see it."""

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import reverse

from portal.permissions import is_staff_user
from portal.two_factor import services


def _exempt_prefixes() -> tuple[str, ...]:
    """Pages a signed-in person may reach before entering a code: signing in and out,
    password reset, the health checks, the session clock, and the code pages themselves."""
    return (
        reverse("portal:sign_in"),
        reverse("portal:sign_out"),
        reverse("portal:signed_out"),
        reverse("portal:session_extend"),
        reverse("portal:password_reset"),  # and the reset pages below it
        reverse("portal:healthz"),
        reverse("portal:readyz"),
        reverse("two_factor:verify"),  # and the recovery-code page below it
        reverse("two_factor:setup"),
        settings.STATIC_URL,
        "/favicon.ico",
    )


def needs_code_redirect(request) -> str | None:
    """Where this signed-in request must go first, or None if it may carry on."""
    user = request.user
    if user.is_verified():
        return None
    enrolled = services.session_enrolment(request)
    if enrolled is None:
        if not settings.PORTAL_TWO_FACTOR_ENFORCED:
            # Dev and the test suite: no query on every request. People who set up a code
            # and sign in through the sign-in page are still asked for it (SignInView records it).
            return None
        enrolled = services.session_record_enrolment(request=request, user=user)
    if enrolled:
        return "two_factor:verify"
    if settings.PORTAL_TWO_FACTOR_ENFORCED and is_staff_user(user):
        return "two_factor:setup"
    return None


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._exempt: tuple[str, ...] | None = None

    def __call__(self, request):
        if request.user.is_authenticated and not self._is_exempt(request.path):
            target = needs_code_redirect(request)
            if target:
                query = urlencode({"next": request.get_full_path()})
                return HttpResponseRedirect(f"{reverse(target)}?{query}")
        return self.get_response(request)

    def _is_exempt(self, path: str) -> bool:
        if self._exempt is None:
            self._exempt = _exempt_prefixes()
        return path.startswith(self._exempt)
