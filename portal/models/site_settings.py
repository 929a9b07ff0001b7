from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField

from portal.blocks import NavigationBlock


@register_setting(icon="cog")
class SiteSettings(BaseSiteSetting):
    """Names and contact details shown on every page, editable in the admin."""

    organisation_name = models.CharField(max_length=120, default="Example County Council")
    service_name = models.CharField(max_length=80, default="Schools safeguarding portal")
    contact_email = models.EmailField(default="safeguarding.schools@example.org")
    phase_tag = models.CharField(max_length=20, default="Beta", blank=True, help_text="Leave blank to hide the banner.")
    phase_banner_text = models.CharField(
        max_length=250,
        default="This is a new service. Your feedback will help us to improve it.",
        blank=True,
    )

    panels = [
        FieldPanel("organisation_name"),
        FieldPanel("service_name"),
        FieldPanel("contact_email"),
        FieldPanel("phase_tag"),
        FieldPanel("phase_banner_text"),
    ]

    class Meta:
        verbose_name = "site settings"


@register_setting(icon="list-ul")
class NavigationSettings(BaseSiteSetting):
    """The main navigation and footer links, managed by editors."""

    main_navigation = StreamField(NavigationBlock(), blank=True, use_json_field=True)
    footer_links = StreamField(NavigationBlock(), blank=True, use_json_field=True)

    panels = [FieldPanel("main_navigation"), FieldPanel("footer_links")]

    class Meta:
        verbose_name = "navigation"
