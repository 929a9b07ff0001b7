from django.db import models
from wagtail.admin.panels import FieldPanel

from portal.models import TimeStampedModel


class Audience(TimeStampedModel):
    """Who a hub item is for (DSLs, all staff, governors, early years, AP providers). Data, so
    editors can add one without a developer; seeded by migration."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    sort_order = models.PositiveIntegerField(default=0)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("sort_order")]

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name
