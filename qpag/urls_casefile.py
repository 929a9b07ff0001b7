"""Placeholder: filled in by the casefile work."""

urlpatterns: list = []
