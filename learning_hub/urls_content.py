"""URLs for the learning hub content pages."""

urlpatterns: list = []
