"""Background tasks for QPAG: thin wrappers that call a service."""

from celery import shared_task


@shared_task(name="qpag.build_pack_files")
def build_pack_files_task(*, pack_id: int) -> str:
    from .pack_files import pack_files_build

    return pack_files_build(pack_id=pack_id)


@shared_task(name="qpag.draft_monthly_pack")
def draft_monthly_pack_task() -> dict:
    from .services_packs import pack_draft_monthly

    return pack_draft_monthly()
