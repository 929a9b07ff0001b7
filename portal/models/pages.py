from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from portal.blocks import BodyBlock


class ContentPage(Page):
    """A page with an introduction and a StreamField body; the site's pages build on it."""

    intro = models.TextField(blank=True, help_text="One or two sentences under the page title.")
    body = StreamField(BodyBlock(), blank=True, use_json_field=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    class Meta:
        abstract = True


class HomePage(ContentPage):
    """The front door of the portal: what it is, who it is for, and where to start."""

    template = "portal/home_page.html"
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["portal.StandardPage"]
    max_count = 1

    class Meta:
        verbose_name = "home page"


class StandardPage(ContentPage):
    """A plain content page: about the service, accessibility, privacy, guidance."""

    template = "portal/standard_page.html"
    parent_page_types = ["portal.HomePage", "portal.StandardPage"]
    subpage_types = ["portal.StandardPage"]

    class Meta:
        verbose_name = "standard page"
