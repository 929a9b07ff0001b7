from django.conf import settings
from wagtail.models import Site

from portal.models import NavigationSettings, SiteSettings
from portal.permissions import is_staff_user, primary_role


def portal(request) -> dict:
    """What the base template needs on every page: names, navigation, phase banner,
    the signed-in person's role and the session-timeout figures."""
    site = Site.find_for_request(request)
    site_settings = SiteSettings.for_site(site) if site else SiteSettings()
    navigation = NavigationSettings.for_site(site) if site else None
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    return {
        "site_settings": site_settings,
        "main_navigation": navigation.main_navigation if navigation else [],
        "footer_links": navigation.footer_links if navigation else [],
        "current_role": primary_role(user) if signed_in else None,
        "can_reach_admin": signed_in and is_staff_user(user),
        "session_timeout_seconds": settings.SESSION_COOKIE_AGE,
        "session_warning_seconds": settings.SESSION_TIMEOUT_WARNING_SECONDS,
    }
