"""URLs for the complaints detail pages: logging a complaint, its page, its actions and its response."""

from django.urls import path

from complaints import views_detail

urlpatterns: list = [
    path("new/", views_detail.complaint_new, name="complaint_new"),
    path("<int:pk>/", views_detail.complaint_detail, name="complaint_detail"),
    path("<int:pk>/edit/", views_detail.complaint_edit, name="complaint_edit"),
    path("<int:pk>/response/", views_detail.complaint_response, name="complaint_response"),
    path(
        "<int:pk>/response/document/",
        views_detail.complaint_response_document,
        name="complaint_response_document",
    ),
    path("<int:pk>/<slug:action>/", views_detail.complaint_action, name="complaint_action"),
]
