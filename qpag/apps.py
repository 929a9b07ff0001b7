from django.apps import AppConfig


class QpagConfig(AppConfig):
    """Reporting for the monthly Quality of Practice and Action Group: the authority's internal
    case-file audits, the audit dashboard and the QPAG pack. It is its own package, the lowest
    in DESIGN.md's order, because it reads every app above it (schools, complaints, the hub)
    and nothing reads it: putting it in `portal/` would make portal import downwards."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "qpag"
    verbose_name = "QPAG and case-file audits"

    def ready(self) -> None:
        from . import dashboard_panels, demo, log_actions  # noqa: F401  (registers hooks and audit-log actions)
