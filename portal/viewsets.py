"""Wagtail admin screens for portal records (Wagtail's own viewsets; see STYLE.md)."""

from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from portal.models import Theme


class ThemeViewSet(SnippetViewSet):
    model = Theme
    icon = "tag"
    menu_label = "Themes"
    list_display = ["name", "slug", "sort_order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "description"]
    list_export = ["name", "slug", "description", "sort_order", "is_active"]
    export_filename = "themes"
    ordering = ["sort_order", "name"]


class TaxonomyViewSetGroup(SnippetViewSetGroup):
    """The shared taxonomy that audits, actions, complaints and the hub all use."""

    items = (ThemeViewSet,)
    menu_icon = "tag"
    menu_label = "Taxonomy"
    menu_name = "taxonomy"
