"""The monthly QPAG pack. A draft shows live figures; issuing freezes the figures and the
narrative into the record, and an issued pack never changes again."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from portal.models import TimeStampedModel
from schools.storage import private_storage


def pack_upload_path(instance: "QpagPack", filename: str) -> str:
    return f"qpag-packs/{instance.month:%Y-%m}/{filename}"


class QpagPack(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ISSUED = "issued", "Issued"

    class FilesStatus(models.TextChoices):
        NONE = "", "Not yet produced"
        PENDING = "pending", "Being produced"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    month = models.DateField(unique=True, help_text="The first day of the month the pack reports on.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    # Section key -> the QA manager's narrative. Rises with each save to catch a second editor.
    narrative = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(default=0)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Only set on issue: the figures as presented to the meeting.
    figures = models.JSONField(default=dict, blank=True)
    files_status = models.CharField(max_length=10, choices=FilesStatus.choices, default="", blank=True)
    files_error = models.TextField(blank=True)
    pdf = models.FileField(storage=private_storage, upload_to=pack_upload_path, blank=True)
    xlsx = models.FileField(storage=private_storage, upload_to=pack_upload_path, blank=True)

    # Fields that may still change once the pack is issued: the files produced from the frozen figures.
    MUTABLE_WHEN_ISSUED = frozenset({"files_status", "files_error", "pdf", "xlsx", "updated_at"})

    class Meta:
        ordering = ["-month"]

    def __str__(self) -> str:
        return f"QPAG pack for {self.month:%B %Y}"

    @property
    def is_issued(self) -> bool:
        return self.status == self.Status.ISSUED

    def save(self, *args, **kwargs):
        # An issued pack is a record of what the meeting saw: refuse any change to its content.
        if self.pk and not self._state.adding:
            stored = type(self).objects.filter(pk=self.pk).values("status", "figures", "narrative", "month").first()
            if stored and stored["status"] == self.Status.ISSUED:
                changed = [
                    name for name in ("status", "figures", "narrative", "month") if getattr(self, name) != stored[name]
                ]
                update_fields = kwargs.get("update_fields")
                if changed or (update_fields is not None and set(update_fields) - self.MUTABLE_WHEN_ISSUED):
                    raise ValidationError("An issued QPAG pack cannot be changed.")
        super().save(*args, **kwargs)
