"""URLs for the complaints tracker pages."""

urlpatterns: list = []
