"""URLs for learning driven by audit findings, appended to the `schools` namespace (under /audits/)."""

from django.urls import path

from schools import views_learning

urlpatterns: list = [
    path("training-needs/", views_learning.training_needs_view, name="training_needs"),
    path("training-needs/download/", views_learning.training_needs_csv, name="training_needs_csv"),
]
