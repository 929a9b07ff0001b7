"""URLs for visits, Ofsted support offers, allegations meetings and CSPR learning, appended
to the `schools` namespace (reverse as `schools:<name>`)."""

from django.urls import path

from schools import views_casework as views

urlpatterns: list = [
    path("casework/visits/", views.visit_list, name="visit_list"),
    path("casework/visits/plan/", views.visit_plan, name="visit_plan"),
    path("casework/visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("casework/visits/<int:pk>/record/", views.visit_record, name="visit_record"),
    path("casework/visits/<int:pk>/cancel/", views.visit_cancel, name="visit_cancel"),
    path("casework/our-visits/", views.my_visits, name="my_visits"),
    path("casework/support-offers/", views.support_offer_list, name="support_offer_list"),
    path("casework/support-offers/<int:pk>/", views.support_offer_detail, name="support_offer_detail"),
    path("casework/allegations/", views.allegations_list, name="allegations_list"),
    path("casework/allegations/record/", views.allegations_record, name="allegations_record"),
    path("casework/allegations/repeat-issues/", views.allegations_repeat_issues, name="allegations_repeat_issues"),
    path("casework/allegations/<int:pk>/", views.allegations_detail, name="allegations_detail"),
    path("casework/practice-reviews/", views.practice_review_list, name="practice_review_list"),
    path("casework/practice-reviews/add/", views.practice_review_add, name="practice_review_add"),
    path("casework/practice-reviews/<int:pk>/", views.practice_review_detail, name="practice_review_detail"),
    path("casework/practice-reviews/<int:pk>/edit/", views.practice_review_edit, name="practice_review_edit"),
    path("casework/practice-reviews/<int:pk>/export.xlsx", views.practice_review_export, name="practice_review_export"),
]
