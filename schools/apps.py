from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    """Settings register, the audit engine and action plans (issues 3 and 4)."""

    name = "schools"
    verbose_name = "Schools and settings"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from schools import log_actions  # noqa: F401  registers the audit log actions
