from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from portal import dashboard_panels, receivers  # noqa: F401  (hooks and signal receivers)
        from portal.models import BankHoliday, NavigationSettings, SiteSettings, Theme
        from portal.page_cache import connect_page_signals, purge_on_save

        # Anything anonymous visitors see on a cached page purges the page cache when it changes.
        connect_page_signals()
        purge_on_save(NavigationSettings, SiteSettings, Theme, BankHoliday)
