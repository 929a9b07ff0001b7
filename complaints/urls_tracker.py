"""URLs for the complaints tracker pages."""

from django.urls import path

from complaints import views_tracker

urlpatterns: list = [
    path("", views_tracker.tracker_list, name="tracker"),
    path("export/", views_tracker.tracker_export, name="tracker_export"),
]
