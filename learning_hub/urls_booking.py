"""URLs for the learning hub booking pages."""

urlpatterns: list = []
