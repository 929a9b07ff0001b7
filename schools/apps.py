from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    """Settings register, the audit engine and action plans (issues 3 and 4)."""

    name = "schools"
    verbose_name = "Schools and settings"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registered here rather than in wagtail_hooks.py so the admin module stays about the admin.
        import schools.dashboard_panels_learning  # noqa: F401
        from schools import dashboard_panels, demo, log_actions, receivers, receivers_casework  # noqa: F401
