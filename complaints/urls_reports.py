"""URLs for the complaints reports pages."""

from django.urls import path

from . import views_reports

urlpatterns: list = [
    path("reports/", views_reports.report, name="report"),
    path("reports/request/", views_reports.report_request, name="report_request"),
    path("reports/snapshots/", views_reports.report_list, name="report_list"),
    path("reports/<int:pk>/", views_reports.report_snapshot, name="report_snapshot"),
    path("reports/<int:pk>/status/", views_reports.report_status, name="report_status"),
    path("reports/<int:pk>/download/<str:fmt>/", views_reports.report_download, name="report_download"),
]
