from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """People and invitations. A separate app (inside portal/) so the custom user
    model's first migration depends on nothing of Wagtail's: Wagtail's own
    migrations depend on the user model, and the portal's pages depend on Wagtail."""

    name = "portal.accounts"
    label = "accounts"
    verbose_name = "Accounts"
    default_auto_field = "django.db.models.BigAutoField"
