from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("profile/", views.profile, name="profile"),
    path("points/", views.ledger, name="ledger"),
    path("staff-mfa/verify/", views.staff_mfa_verify, name="staff_mfa_verify"),
]
