"""Security headers beyond Django's own: the Content-Security-Policy (django-csp, policy in
settings.CONTENT_SECURITY_POLICY) and a Permissions-Policy.

The public site and every portal page run under a strict policy: scripts, styles, fonts and
images only from this origin, no inline script or style, no plugins, no framing by other sites.
The Wagtail admin's editor widgets set inline styles, so /admin/ alone also allows inline
*styles*; inline *scripts* are refused everywhere."""

from csp.middleware import CSPMiddleware, PolicyParts

ADMIN_PREFIX = "/admin/"

# Features the portal never uses; denying them means injected content cannot use them either.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "xr-spatial-tracking",
    )
)


class PortalCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(ADMIN_PREFIX) and parts.update is None:
            parts.update = {"style-src": ["'unsafe-inline'"], "img-src": ["blob:"]}
        return parts


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
