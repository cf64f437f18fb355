"""Public marketplace pages under /experts/."""

from django.urls import path

from . import views

app_name = "experts"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("apply/", views.apply, name="apply"),
    path("timezone/", views.viewer_timezone_set, name="timezone"),
    path("<slug:slug>/", views.expert_detail, name="detail"),
    # Reserved for the bookings issue: ?session=<session type id>&start=<slot start, ISO 8601 UTC>.
    path("<slug:slug>/book/", views.expert_book, name="book"),
]
