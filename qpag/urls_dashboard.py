"""The audit dashboard at /qpag/, with its full lists."""

from django.urls import path

from qpag import views_dashboard

urlpatterns = [
    path("", views_dashboard.dashboard_view, name="dashboard"),
    path("audits-of-concern/", views_dashboard.audits_of_concern_view, name="audits_of_concern"),
    path("actions/", views_dashboard.action_oversight_view, name="action_oversight"),
]
