"""Placeholder: filled in by the sampling work."""

urlpatterns: list = []
