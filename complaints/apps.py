from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    """The central safeguarding complaints tracker (issue 5)."""

    name = "complaints"
    verbose_name = "Complaints"
    default_auto_field = "django.db.models.BigAutoField"
