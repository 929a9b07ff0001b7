"""The pytest suite. DATABASE_URL and CELERY_BROKER_URL still come from the
environment, so CI runs the same tests against PostgreSQL and Redis."""

import os

from .base import *  # noqa: F403

PORTAL_ENVIRONMENT = "test"
DEBUG = False
SECRET_KEY = "test-only-secret-key-that-is-long-enough-to-look-real-0123456789"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
PRIVATE_MEDIA_ROOT = BASE_DIR / ".test-media" / "private"  # noqa: F405

# Tests run tasks in-process; the one test that needs a real worker
# (tests/portal/test_celery_worker.py) switches eagerness off for itself.
CELERY_TASK_ALWAYS_EAGER = True

# Playwright's sync API runs an event loop in the test thread; Django must still
# let that thread use the ORM (tests only; see shared TESTING-NOTES).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Serve static files straight from static/ and the apps, no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Nobody is made to set up two-factor authentication here (the tests that check it switch it on).
PORTAL_TWO_FACTOR_ENFORCED = False

# Each test starts from an empty cache (tests/conftest.py clears it); the page cache is off
# except in the tests of it (tests/learning_hub/test_page_cache.py), so other tests see fresh pages.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "portal-tests"}}
PORTAL_PAGE_CACHE_SECONDS = 0
