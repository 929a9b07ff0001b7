"""Placeholder: filled in by the packs work."""

urlpatterns: list = []
