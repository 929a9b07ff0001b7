"""Production. Everything secret or machine-specific must come from the environment;
the checks below refuse to start rather than run insecurely."""

from django.core.exceptions import ImproperlyConfigured

from portal.env import env_bool, env_int, env_str

from .base import *  # noqa: F403
from .base import INSECURE_DEV_SECRET_KEY, SECRET_KEY

DEBUG = False
PORTAL_ENVIRONMENT = "production"

if not SECRET_KEY or SECRET_KEY == INSECURE_DEV_SECRET_KEY or SECRET_KEY.startswith("django-insecure"):
    raise ImproperlyConfigured("Set SECRET_KEY to a long random value: production refuses the development key.")
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters with at least 5 different characters.")

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    # Only behind a proxy that sets this header itself.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"  # Wagtail's preview views opt back in to SAMEORIGIN themselves

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")

LOGGING["root"]["level"] = env_str("LOG_LEVEL", "WARNING")  # noqa: F405
# One JSON object per line, with the request id, for the log collector.
LOGGING["handlers"]["console"]["formatter"] = env_str("LOG_FORMAT", "json")  # noqa: F405

# The anonymous page cache is purged by bumping a number in the cache: with several web
# processes that number must live in a shared cache, so without CACHE_URL (Redis) it is off.
if not env_str("CACHE_URL"):
    PORTAL_PAGE_CACHE_SECONDS = 0
