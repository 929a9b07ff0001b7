"""URLs for the complaints detail pages."""

urlpatterns: list = []
