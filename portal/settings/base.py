"""Settings shared by every environment. Machine-specific values come from the
environment through `portal.env`; dev, test and production only adjust these."""

from pathlib import Path

import dj_database_url

from portal.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# Production refuses this key (see production.py); it exists so `make run` needs no set-up.
INSECURE_DEV_SECRET_KEY = "django-insecure-development-only-never-use-in-production"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", INSECURE_DEV_SECRET_KEY)
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
PORTAL_ENVIRONMENT = "base"

INSTALLED_APPS = [
    # Our apps first so their templates win over third-party defaults.
    "portal",
    "portal.accounts",
    "schools",
    "learning_hub",
    "complaints",
    "qpag",
    "wagtail.contrib.settings",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "formtools",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.forms",  # lets our form renderer find Django's own widget templates
]

MIDDLEWARE = [
    "portal.request_id.RequestIdMiddleware",  # first, so every later log line carries the id
    "django.middleware.security.SecurityMiddleware",
    "portal.security_headers.PortalCSPMiddleware",
    "portal.security_headers.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After the security headers (so a cached page gets them too), before sessions and auth
    # (so a hit skips them): see portal/page_cache.py.
    "portal.page_cache.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # marks request.user verified once a code is entered
    "portal.two_factor.middleware.TwoFactorMiddleware",  # staff and opted-in users must enter a code
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "portal.middleware.AdminAccessMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Axes last, as its docs ask, so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"

# Caches. Production sets CACHE_URL to Redis, so every web node shares the page cache and its
# purges; without it each process keeps its own memory cache (fine for one process).
_CACHE_URL = env_str("CACHE_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _CACHE_URL, "KEY_PREFIX": "portal"}
        if _CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "portal"}
    )
}
# Seconds an anonymous visitor's page is kept (0 switches the page cache off).
PORTAL_PAGE_CACHE_SECONDS = env_int("PORTAL_PAGE_CACHE_SECONDS", 300)

# Content-Security-Policy (django-csp): see portal/security_headers.py for why /admin/ differs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],  # never 'unsafe-inline': no inline script anywhere
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "frame-ancestors": ["'self'"],  # Wagtail's preview frames our own pages; nobody else may
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Accounts -------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes must come first: it refuses locked-out sign-ins before any password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "portal:sign_in"
LOGIN_REDIRECT_URL = "portal:dashboard"
LOGOUT_REDIRECT_URL = "portal:signed_out"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # a reset link works for one day
INVITATION_VALID_DAYS = 7

# Sessions expire after a period of inactivity; every request renews the clock and
# the page warns two minutes before (WCAG 2.2.1, templates/includes/session_timeout.html).
SESSION_TIMEOUT_MINUTES = env_int("SESSION_TIMEOUT_MINUTES", 30)
SESSION_COOKIE_AGE = SESSION_TIMEOUT_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_TIMEOUT_WARNING_SECONDS = 120

# django-axes: lock an account after repeated failed sign-ins.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 30) / 60  # hours
# Either limit locks: five wrong passwords for one account, or five from one address
# (password spraying across many accounts).
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429

# Two-factor authentication (django-otp; portal/two_factor/). Staff must use an authenticator
# app; school and AP users may opt in. Only dev and the test suite switch enforcement off.
PORTAL_TWO_FACTOR_ENFORCED = env_bool("PORTAL_TWO_FACTOR_ENFORCED", True)
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Schools safeguarding portal")

# Internationalisation -------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# Static files and private uploads ----------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# MEDIA_ROOT holds private uploads (evidence, documents): never expose the folder
# directly; documents are streamed through Wagtail's permission-checking view.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"
# Evidence uploads live outside MEDIA_ROOT and have no URL at all (schools/storage.py).
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private-media")))
EVIDENCE_SCANNER = env_str("EVIDENCE_SCANNER")  # dotted path to a virus-scanning callable
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_PERMISSIONS = 0o640
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

# Email ----------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Schools safeguarding portal <no-reply@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery ---------------------------------------------------------------------
# With no broker configured, tasks run eagerly in-process (the zero-set-up default).
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", CELERY_BROKER_URL)
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL is None
CELERY_TASK_EAGER_PROPAGATES = True
if CELERY_BROKER_URL is None:
    CELERY_BROKER_URL = "memory://localhost/"
CELERY_TASK_ACKS_LATE = True  # a task lost with its worker is redelivered
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_RESULT_EXPIRES = 60 * 60 * 24
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict = {
    "audit-return-reminders": {
        "task": "schools.send_return_reminders",
        "schedule": 60 * 60 * 24,  # daily; each reminder is recorded, so a rerun sends nothing twice
    },
    "action-reminders": {"task": "schools.send_action_reminders", "schedule": 60 * 60 * 24},
    "adviser-digests": {"task": "schools.send_adviser_digests", "schedule": 60 * 60 * 24},  # once per ISO week
    "complaints-retention": {"task": "complaints.redact_expired", "schedule": 60 * 60 * 24},
    "hub-session-reminders": {"task": "learning_hub.send_session_reminders", "schedule": 60 * 60 * 24},
    "hub-resource-review-reminders": {"task": "learning_hub.send_resource_review_reminders", "schedule": 60 * 60 * 24},
    # Daily; drafts last month's QPAG pack on the first working day only, and never twice.
    "qpag-monthly-pack": {"task": "qpag.draft_monthly_pack", "schedule": 60 * 60 * 24},
}

# Wagtail --------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Schools safeguarding portal"
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILADMIN_LOGIN_URL = "/sign-in/"
WAGTAIL_FRONTEND_LOGIN_URL = "/sign-in/"  # members-only hub pages send visitors to the portal's sign-in
WAGTAIL_PASSWORD_RESET_ENABLED = False  # one reset flow, the portal's own
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = True
WAGTAILDOCS_SERVE_METHOD = "serve_view"  # permission-checked, never a public URL
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "odt", "ods", "csv", "txt"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILEMBEDS_RESPONSIVE_HTML = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "portal.request_id.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s %(message)s"},
        "json": {"()": "portal.request_id.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": env_str("LOG_FORMAT", "plain"),
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},  # Wagtail's search and reference-index tasks
    },
}
CSRF_FAILURE_VIEW = "portal.views.csrf_failure"
