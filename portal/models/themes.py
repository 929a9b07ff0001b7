from django.db import models
from django.utils.text import slugify
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from .base import TimeStampedModel


class Theme(index.Indexed, TimeStampedModel):
    """A practice area from the shared taxonomy (safer recruitment, online safety …).
    Audit sections, actions, complaints and hub content are all tagged with these,
    so weakness in one place can be matched with learning in another."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True, blank=True)
    description = models.TextField(blank=True, help_text="What this practice area covers, in a sentence or two.")
    sort_order = models.PositiveIntegerField(default=0, help_text="Lower numbers are listed first.")
    is_active = models.BooleanField(
        "in use", default=True, help_text="Themes no longer in use stay on old records but cannot be chosen."
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("sort_order"),
        FieldPanel("is_active"),
    ]
    search_fields = [index.SearchField("name"), index.SearchField("description"), index.FilterField("is_active")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = "theme"

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = slugify(self.name)[:120]
        super().save(*args, **kwargs)
