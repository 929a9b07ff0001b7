from django.db import models
from wagtail.search import index

from portal.models import TimeStampedModel
from qpag.constants import Service


class Auditor(index.Indexed, TimeStampedModel):
    """A manager or practitioner who audits or moderates case files (team managers, advanced
    practitioners, operational managers). They work in Mosaic, not here: the QA team records
    their findings, so this is a register of people, not of portal accounts."""

    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    service = models.CharField(max_length=20, choices=Service.choices, db_index=True)
    team = models.CharField(
        max_length=120, db_index=True, help_text="As it is spelt in the case-management extract's team column."
    )
    can_audit = models.BooleanField(default=True)
    can_moderate = models.BooleanField(
        default=False, help_text="Operational and senior managers who finalise audits (the moderator)."
    )
    is_active = models.BooleanField("active", default=True, db_index=True)

    search_fields = [index.SearchField("name"), index.SearchField("team"), index.FilterField("service")]

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.team})"
