from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel

from .base import TimeStampedModel


class BankHoliday(TimeStampedModel):
    """A day on which working-day clocks (support offers, complaint targets) stand still.
    Seeded with the England and Wales list; QA managers add later years and one-offs."""

    date = models.DateField(unique=True)
    name = models.CharField(max_length=120)

    panels = [FieldPanel("date"), FieldPanel("name")]

    class Meta:
        ordering = ["date"]
        verbose_name = "bank holiday"

    def __str__(self) -> str:
        return f"{self.name} ({self.date:%-d %B %Y})"

    def clean(self) -> None:
        if self.date and self.date.weekday() >= 5:
            raise ValidationError({"date": "A bank holiday falls on a weekday; weekends are never working days"})
