"""Local development: `make run`. SQLite and eager Celery unless the environment says otherwise."""

from portal.env import env_bool, env_str

from .base import *  # noqa: F403

DEBUG = True
PORTAL_ENVIRONMENT = "dev"
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Serve static files straight from static/ and the apps, no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Nobody is made to set up two-factor authentication here unless PORTAL_TWO_FACTOR_ENFORCED=true.
PORTAL_TWO_FACTOR_ENFORCED = env_bool("PORTAL_TWO_FACTOR_ENFORCED", False)
