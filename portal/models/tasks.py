from django.db import models


class TaskFailure(models.Model):
    """A background task that failed for good (after its retries): kept so a QA manager can see
    it in the admin and act, rather than it living only in a log nobody reads."""

    task_name = models.CharField(max_length=200, db_index=True)
    task_id = models.CharField(max_length=255, unique=True)
    arguments = models.TextField(blank=True, help_text="Record ids and options only; tasks never take personal data.")
    exception_type = models.CharField(max_length=200)
    message = models.TextField(blank=True)
    traceback = models.TextField(blank=True)
    retries = models.PositiveSmallIntegerField(default=0)
    failed_at = models.DateTimeField(auto_now_add=True, db_index=True)
    resolved = models.BooleanField(default=False, db_index=True, help_text="Tick once the cause is dealt with.")
    resolution_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-failed_at"]

    def __str__(self) -> str:
        return f"{self.task_name} failed: {self.exception_type}"
