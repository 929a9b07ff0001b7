"""URLs for the complaints reports pages."""

urlpatterns: list = []
