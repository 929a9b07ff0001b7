from django.urls import path

from portal.two_factor import views

app_name = "two_factor"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("set-up/", views.setup, name="setup"),
    path("recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("recovery-codes/new/", views.regenerate, name="regenerate"),
    path("verify/", views.verify, name="verify"),
    path("verify/recovery-code/", views.verify_recovery, name="verify_recovery"),
    path("confirm-identity/", views.reauthenticate, name="reauthenticate"),
    path("turn-off/", views.disable, name="disable"),
]
