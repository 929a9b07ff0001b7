"""URLs for the learning hub booking pages (under /hub/, namespace "learning_hub")."""

from django.urls import path

from learning_hub import views_booking as views

urlpatterns = [
    path("sessions/<int:pk>/book/", views.session_book, name="session_book"),
    path("sessions/<int:pk>/attendance/", views.session_attendance, name="session_attendance"),
    path("sessions/<int:pk>/attendance.xlsx", views.session_attendance_export, name="session_attendance_export"),
    path("bookings/", views.my_bookings, name="my_bookings"),
    path("bookings/<int:pk>/cancel/", views.booking_cancel, name="booking_cancel"),
    path("bookings/<int:pk>/evaluation/", views.booking_evaluation, name="booking_evaluation"),
    path("bookings/<int:pk>/certificate/", views.booking_certificate, name="booking_certificate"),
]
