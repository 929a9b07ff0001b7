"""URLs for the learning hub content pages: sending in good practice and following it."""

from django.urls import path

from learning_hub import views_content

urlpatterns: list = [
    path("good-practice/submit/", views_content.good_practice_submit_view, name="good_practice_submit"),
    path("good-practice/submitted/<int:pk>/", views_content.good_practice_submitted, name="good_practice_submitted"),
    path("good-practice/mine/", views_content.my_submissions, name="my_submissions"),
]
