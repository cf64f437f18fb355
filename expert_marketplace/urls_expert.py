"""The expert's own pages under /expert/."""

from django.urls import path

from . import views

app_name = "expert_area"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("profile/", views.profile_edit, name="profile"),
    path("availability/", views.availability, name="availability"),
    path("availability/dates/", views.override_add, name="override_add"),
    path("availability/dates/<int:override_id>/delete/", views.override_delete, name="override_delete"),
    path("availability/calendar-feed/", views.calendar_feed_regenerate, name="calendar_feed"),
    path("availability/calendar-import/", views.calendar_import, name="calendar_import"),
    path("sessions/", views.sessions, name="sessions"),
    path("sessions/<int:session_type_id>/", views.session_edit, name="session_edit"),
    path("sessions/<int:session_type_id>/delete/", views.session_delete, name="session_delete"),
    path("payouts/start/", views.payouts_start, name="payouts_start"),
    path("payouts/refresh/", views.payouts_refresh, name="payouts_refresh"),
    path("payouts/return/", views.payouts_return, name="payouts_return"),
    path("payouts/test-onboarding/", views.payouts_test_onboarding, name="payouts_test_onboarding"),
]
