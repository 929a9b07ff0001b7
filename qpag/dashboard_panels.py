"""The QPAG panel on the QA manager's and the senior manager's home (portal.dashboards' hook):
case-file audits due this month and overdue, audits waiting for moderation, triple-lock reviews
due or overdue, grade differences waiting for the moderation panel, and the latest QPAG pack.
Three queries however many audits there are."""

from datetime import date

from django.db.models import Count, F, Q
from django.utils import timezone
from wagtail import hooks

from portal.dashboards import HOOK_NAME, DashboardPanel
from portal.roles import Role

from .dates import month_end, month_start
from .models import CaseFileAudit, QpagPack, TripleLockReview

Status = CaseFileAudit.Status
ReviewStatus = TripleLockReview.Status

# The moderation panel's list (qpag.services.grade_differences), as a filter to count in SQL.
GRADE_DIFFERENCE = (
    Q(status__in=[Status.MODERATED, Status.CLOSED], panel_discussed_on__isnull=True)
    & ~Q(auditor_grade="")
    & ~Q(moderator_grade="")
    & ~Q(auditor_grade=F("moderator_grade"))
)


def qpag_panel_counts(*, today: date) -> dict[str, int]:
    """The panel's counts: two aggregate queries."""
    audits = CaseFileAudit.objects.aggregate(
        overdue=Count("pk", filter=Q(status=Status.NOTIFIED, due_on__lt=today)),
        due_this_month=Count("pk", filter=Q(status=Status.NOTIFIED, due_on__gte=today, due_on__lte=month_end(today))),
        notified_this_month=Count("pk", filter=Q(notified_on__gte=month_start(today), notified_on__lte=today)),
        awaiting_moderation=Count("pk", filter=Q(status=Status.AUDITED)),
        grade_differences=Count("pk", filter=GRADE_DIFFERENCE),
    )
    reviews = TripleLockReview.objects.filter(status=ReviewStatus.OPEN).aggregate(
        reviews_overdue=Count("pk", filter=Q(due_on__lt=today)),
        reviews_due=Count("pk", filter=Q(due_on__gte=today)),
    )
    return {**audits, **reviews}


class QpagPanel(DashboardPanel):
    """What needs doing before the next QPAG meeting, and the pack it will read."""

    name = "qpag_overview"
    roles = frozenset({Role.QA_MANAGER, Role.SENIOR_MANAGER})
    order = 40
    template_name = "qpag/panels/overview.html"

    def get_context(self, request, role):
        today = timezone.localdate()
        counts = qpag_panel_counts(today=today)
        pack = QpagPack.objects.only("pk", "month", "status", "issued_at").order_by("-month").first()
        return {
            "counts": counts,
            "today": today,
            "this_month": f"{today:%Y-%m}",
            "pack": pack,
            "can_manage": role == Role.QA_MANAGER,
        }


@hooks.register(HOOK_NAME)
def register_qpag_panels(register) -> None:
    register(QpagPanel())
