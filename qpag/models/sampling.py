"""Monthly sampling of case files from an extract of the case-management system (Mosaic).
The extract and every draw are kept, so a draw can be repeated from its seed and checked."""

from django.conf import settings
from django.db import models

from portal.models import TimeStampedModel
from qpag.constants import ChadCategory, Service


class CaseExtract(TimeStampedModel):
    """An uploaded CSV extract: case number, team, service, open date, allocated worker (and, for
    ChAD contacts, the contact's outcome). Only valid files are kept: a file with any bad row is
    rejected whole."""

    original_name = models.CharField(max_length=255)
    extracted_on = models.DateField(help_text="The day the extract was taken from the case-management system.")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    row_count = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, help_text="Of the file as uploaded, to show which file a draw used.")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Extract of {self.extracted_on:%d %B %Y} ({self.row_count} cases)"


class ExtractCase(models.Model):
    extract = models.ForeignKey(CaseExtract, on_delete=models.CASCADE, related_name="cases")
    case_number = models.CharField(max_length=20)
    team = models.CharField(max_length=120)
    service = models.CharField(max_length=20, choices=Service.choices)
    # For SEND rows this is the date the EHCP was finalised; for ChAD the date of the contact.
    opened_on = models.DateField()
    allocated_worker = models.CharField(max_length=200, blank=True)
    locality = models.CharField(max_length=80, blank=True)
    chad_category = models.CharField(max_length=20, choices=ChadCategory.choices, blank=True)

    class Meta:
        ordering = ["extract", "service", "team", "case_number"]
        constraints = [
            models.UniqueConstraint(fields=["extract", "case_number"], name="qpag_extract_case_once"),
        ]
        indexes = [models.Index(fields=["extract", "service", "team"])]

    def __str__(self) -> str:
        return self.case_number


class SampleDraw(TimeStampedModel):
    """One recorded random draw: which extract, which rules, which seed, what was chosen.
    Re-running the draw with the same seed over the same extract gives the same cases."""

    extract = models.ForeignKey(CaseExtract, on_delete=models.PROTECT, related_name="draws")
    service = models.CharField(max_length=20, choices=Service.choices)
    period_start = models.DateField(help_text="The first day of the month (or, for ChAD, the Monday of the week).")
    per_team = models.PositiveSmallIntegerField(default=1, help_text="Cases drawn for each team (not for ChAD).")
    seed = models.BigIntegerField()
    notified_on = models.DateField(help_text="The day auditors are notified; the 2-week clock starts here.")
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # What the rules saw: eligible and chosen counts per team (or ChAD category), and any shortfall.
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-period_start", "service"]
        constraints = [
            # One draw per service per period: a second draw would let a sample be chosen twice.
            models.UniqueConstraint(fields=["service", "period_start"], name="qpag_one_draw_per_period"),
        ]

    def __str__(self) -> str:
        return f"{self.get_service_display()} sample for {self.period_start:%B %Y}"
