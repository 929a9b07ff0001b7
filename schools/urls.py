from django.urls import path

from schools import views, views_plans
from schools.urls_casework import urlpatterns as casework_urlpatterns
from schools.urls_learning import urlpatterns as learning_urlpatterns

app_name = "schools"

urlpatterns = [
    path("", views.my_returns, name="my_returns"),
    path("review/", views.review_queue_view, name="review_queue"),
    path("cycles/", views.cycle_list, name="cycle_list"),
    path("cycles/open/", views.cycle_open_view, name="cycle_open"),
    path("cycles/<int:pk>/", views.cycle_detail, name="cycle_detail"),
    path("cycles/<int:pk>/add-settings/", views.cycle_add_settings_view, name="cycle_add_settings"),
    path("cycles/<int:pk>/close/", views.cycle_close_view, name="cycle_close"),
    path("returns/<int:pk>/", views.return_task_list, name="return_task_list"),
    path("returns/<int:pk>/sections/<int:section_pk>/", views.return_section_start, name="return_section_start"),
    path(
        "returns/<int:pk>/sections/<int:section_pk>/pages/<int:page_number>/",
        views.return_section_page,
        name="return_section_page",
    ),
    path("returns/<int:pk>/sections/<int:section_pk>/check/", views.return_section_check, name="return_section_check"),
    path(
        "returns/<int:pk>/sections/<int:section_pk>/assign/", views.return_section_assign, name="return_section_assign"
    ),
    path("returns/<int:pk>/sign-off/", views.return_sign_off, name="return_sign_off"),
    path("returns/<int:pk>/submit/", views.return_submit, name="return_submit"),
    path("returns/<int:pk>/print/", views.return_print, name="return_print"),
    path("returns/<int:pk>/feedback/", views.return_feedback, name="return_feedback"),
    path("returns/<int:pk>/review/", views.return_review, name="return_review"),
    path("settings/<int:pk>/", views.setting_members, name="setting_members"),
    path("settings/<int:pk>/invite/", views.setting_member_invite, name="setting_member_invite"),
    path("plans/", views_plans.plan_list, name="plan_list"),
    path("risk/", views_plans.risk_list_view, name="risk_list"),
    path("plans/<int:pk>/", views_plans.plan_detail, name="plan_detail"),
    path("plans/<int:plan_pk>/actions/new/", views_plans.action_edit, name="action_add"),
    path("plans/<int:plan_pk>/actions/<int:pk>/edit/", views_plans.action_edit, name="action_edit"),
    path("returns/<int:pk>/plan/", views_plans.plan_create_from_return_view, name="plan_from_return"),
    path("actions/<int:pk>/", views_plans.action_detail, name="action_detail"),
    path("action-evidence/<int:pk>/", views_plans.action_evidence_download, name="action_evidence_download"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("evidence/<int:pk>/delete/", views.evidence_delete, name="evidence_delete"),
]
urlpatterns += casework_urlpatterns
urlpatterns += learning_urlpatterns
