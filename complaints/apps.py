from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    """The central safeguarding complaints tracker."""

    name = "complaints"
    verbose_name = "Complaints"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from complaints import dashboard_panels, demo, log_actions, receivers, risk, training_needs  # noqa: F401  (hooks)
