"""The monthly sample (extracts and draws) and the bulk import of completed case-file audits."""

from django.urls import path

from qpag import views_sampling as views

urlpatterns = [
    path("sampling/", views.extract_list, name="extract_list"),
    path("sampling/extracts/new/", views.extract_upload_view, name="extract_upload"),
    path("sampling/extracts/<int:pk>/", views.extract_detail, name="extract_detail"),
    path("sampling/extracts/<int:pk>/draw/", views.sample_draw, name="sample_draw"),
    path("sampling/draws/<int:pk>/", views.sample_draw_detail, name="sample_draw_detail"),
    path("case-file-audits/import/", views.case_file_audit_import, name="case_file_audit_import"),
    path(
        "case-file-audits/import/template.csv",
        views.case_file_audit_import_template,
        name="case_file_audit_import_template",
    ),
]
