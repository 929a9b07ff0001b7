from django.apps import AppConfig


class LearningHubConfig(AppConfig):
    """Training, resources and good practice (issue 6)."""

    name = "learning_hub"
    verbose_name = "Learning hub"
    default_auto_field = "django.db.models.BigAutoField"
