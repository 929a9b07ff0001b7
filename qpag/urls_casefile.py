"""The case-file audit pages (qpag.views_casefile). The URL names are an interface: the
dashboard, sampling and pack pages link to them."""

from django.urls import path

from . import views_casefile as views

urlpatterns = [
    path("case-file-audits/", views.case_file_audit_list, name="case_file_audit_list"),
    path("case-file-audits/new/", views.case_file_audit_new, name="case_file_audit_new"),
    path("case-file-audits/<int:pk>/", views.case_file_audit_detail, name="case_file_audit_detail"),
    path("case-file-audits/<int:pk>/grades/", views.case_file_audit_grade, name="case_file_audit_grade"),
    path("case-file-audits/<int:pk>/moderation/", views.case_file_audit_moderate, name="case_file_audit_moderate"),
    path("case-file-audits/<int:pk>/close/", views.case_file_audit_close, name="case_file_audit_close"),
    path("case-file-audits/<int:pk>/actions/new/", views.case_file_audit_action_add, name="case_file_audit_action_add"),
    path(
        "case-file-audits/<int:pk>/actions/<int:action_pk>/complete/",
        views.case_file_audit_action_complete,
        name="case_file_audit_action_complete",
    ),
    path(
        "case-file-audits/<int:pk>/triple-lock-review/",
        views.triple_lock_review_complete,
        name="triple_lock_review_complete",
    ),
    path("case-file-audits/<int:pk>/moderation-panel/", views.moderation_panel_record, name="moderation_panel_record"),
    path("triple-lock-reviews/", views.triple_lock_review_list, name="triple_lock_review_list"),
    path("moderation-panel/", views.moderation_panel, name="moderation_panel"),
]
