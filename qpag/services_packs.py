"""Every change to a QPAG pack goes through one function here (DESIGN.md): drafting, saving the
narrative, issuing (which freezes the figures) and producing the files. Each checks the user's
role and the pack's state and writes Wagtail's audit log."""

import logging
from datetime import date, timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import log

from portal.roles import Role
from portal.services import email_queue
from portal.working_days import is_working_day

from .access import can_manage_qpag
from .constants import PACK_SECTIONS
from .dates import month_end, month_start, previous_month
from .models import QpagPack
from .pack import pack_figures
from .services import InvalidTransition

logger = logging.getLogger(__name__)

SECTION_KEYS = tuple(key for key, _title in PACK_SECTIONS)
MAX_NARRATIVE_CHARS = 10_000


class PackConflict(Exception):
    """Someone else saved the narrative since this form was opened. `pack` holds their version."""

    def __init__(self, pack: QpagPack):
        super().__init__(
            "Someone else saved this pack's narrative while you were editing it. "
            "Their text is shown below beside yours: merge the two and save again."
        )
        self.pack = pack


def _require_manager(user) -> None:
    if not can_manage_qpag(user):
        raise PermissionDenied("Only QA managers can draft, edit and issue QPAG packs.")


def _draft(*, month: date, user=None, today: date | None = None) -> tuple[QpagPack, bool]:
    if user is not None:
        _require_manager(user)
    month = month_start(month)
    today = today or timezone.localdate()
    if month > month_start(today):
        raise ValidationError({"month": "Choose a month that has started"})
    existing = QpagPack.objects.filter(month=month).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            pack = QpagPack.objects.create(month=month, drafted_by=user)
    except IntegrityError:
        # Drafted at the same moment by someone else (or the beat task): theirs stands.
        return QpagPack.objects.get(month=month), False
    log(pack, "qpag.pack.draft", user=user, data={"month": month.isoformat()})
    return pack, True


def pack_draft(*, month: date, user=None, today: date | None = None) -> QpagPack:
    """The pack for `month` (its first day), drafted if there is none. A QA manager, or the
    system (user None, the beat task). An existing pack, draft or issued, is returned unchanged."""
    pack, _created = _draft(month=month, user=user, today=today)
    return pack


@transaction.atomic
def pack_narrative_save(*, pack: QpagPack, user, narrative: dict[str, str], version: int) -> QpagPack:
    """Save the QA manager's narrative. `version` is the one the editor started from: if someone
    has saved since, nothing is written and PackConflict carries their text."""
    _require_manager(user)
    unknown = sorted(set(narrative) - set(SECTION_KEYS))
    if unknown:
        raise ValidationError(f"Unknown pack sections: {', '.join(unknown)}")
    errors = {}
    cleaned = {}
    for key in SECTION_KEYS:
        text = (narrative.get(key) or "").replace("\r\n", "\n").strip()
        if len(text) > MAX_NARRATIVE_CHARS:
            title = dict(PACK_SECTIONS)[key]
            errors[key] = f"{title} must be {MAX_NARRATIVE_CHARS:,} characters or fewer"
        if text:
            cleaned[key] = text
    if errors:
        raise ValidationError(errors)
    locked = QpagPack.objects.select_for_update().get(pk=pack.pk)
    if locked.is_issued:
        raise InvalidTransition("This pack has been issued; its narrative can no longer change.")
    if locked.version != version:
        raise PackConflict(locked)
    locked.narrative = cleaned
    locked.version += 1
    locked.save(update_fields=["narrative", "version", "updated_at"])
    log(locked, "qpag.pack.narrative", user=user, data={"version": locked.version, "sections": sorted(cleaned)})
    return locked


@transaction.atomic
def pack_issue(*, pack: QpagPack, user, today: date | None = None) -> QpagPack:
    """draft -> issued: the figures are frozen as they are now, and the PDF and XLSX are produced
    in the background once this commits."""
    _require_manager(user)
    today = today or timezone.localdate()
    locked = QpagPack.objects.select_for_update().get(pk=pack.pk)
    if locked.is_issued:
        raise InvalidTransition("This pack has already been issued.")
    if month_end(locked.month) >= today:
        raise InvalidTransition(
            f"{locked.month:%B %Y} is not over yet: a pack can be issued from the first day of the next month."
        )
    locked.figures = pack_figures(month=locked.month, today=today)
    locked.status = QpagPack.Status.ISSUED
    locked.issued_at = timezone.now()
    locked.issued_by = user
    locked.files_status = QpagPack.FilesStatus.PENDING
    locked.files_error = ""
    locked.save()
    log(locked, "qpag.pack.issue", user=user, data={"month": locked.month.isoformat(), "version": locked.version})
    transaction.on_commit(partial(_queue_files, locked.pk))
    return locked


def _queue_files(pack_id: int) -> None:
    from .tasks import build_pack_files_task

    try:
        build_pack_files_task.delay(pack_id=pack_id)
    except Exception:
        # The broker is down: say so on the pack rather than leave it waiting for ever.
        logger.exception("Could not queue the files of QPAG pack %s", pack_id)
        QpagPack.objects.filter(pk=pack_id, files_status=QpagPack.FilesStatus.PENDING).update(
            files_status=QpagPack.FilesStatus.FAILED, files_error="The files could not be queued."
        )


def pack_record_download(*, pack: QpagPack, user, fmt: str) -> None:
    log(pack, "qpag.pack.download", user=user, data={"format": fmt, "month": pack.month.isoformat()})


def first_working_day(month: date) -> date:
    day = month_start(month)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def pack_draft_monthly(*, today: date | None = None) -> dict:
    """The beat task's work (daily): on the first working day of a month, draft the pack for the
    month before and tell every active QA manager, once: the draft's existence makes a rerun
    (or a later day) do nothing."""
    today = today or timezone.localdate()
    if today != first_working_day(today):
        return {"drafted": False, "reason": "not the first working day of the month", "emailed": 0}
    pack, created = _draft(month=previous_month(today), user=None, today=today)
    if not created:
        return {"drafted": False, "reason": "the pack already exists", "pack_id": pack.pk, "emailed": 0}
    managers = sorted(
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.QA_MANAGER.group_name)
        .values_list("email", flat=True)
        .distinct()
    )
    url = settings.SITE_URL + reverse("qpag:pack_detail", args=[pack.pk])
    for email in managers:
        email_queue(
            to=[email],
            subject_template="emails/qpag_pack_drafted_subject.txt",
            body_template="emails/qpag_pack_drafted.txt",
            context={"month_label": f"{pack.month:%B %Y}", "pack_url": url},
        )
    return {"drafted": True, "pack_id": pack.pk, "month": pack.month.isoformat(), "emailed": len(managers)}
