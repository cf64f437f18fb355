"""Booking pages under /bookings/."""

from django.urls import path

from .views import client, expert, feed, new

app_name = "bookings"
urlpatterns = [
    path("", client.booking_list, name="list"),
    # The wizard: steps 1-3 keep their choices in the session, 4-5 work on the held booking.
    path("new/", new.new_length, name="new"),
    path("new/expert/", new.new_expert, name="new_expert"),
    path("new/time/", new.new_time, name="new_time"),
    path("new/start/", new.new_start, name="new_start"),
    path("<int:pk>/intake/", new.intake, name="intake"),
    path("<int:pk>/review/", new.review, name="review"),
    path("<int:pk>/release/", new.release, name="release"),
    # The client's booking.
    path("<int:pk>/", client.detail, name="detail"),
    path("<int:pk>/confirmed/", client.confirmed, name="confirmed"),
    path("<int:pk>/messages/", client.messages_post, name="messages"),
    path("<int:pk>/invite.ics", client.invite_ics, name="ics"),
    path("<int:pk>/cancel/", client.cancel, name="cancel"),
    path("<int:pk>/reschedule/", client.reschedule, name="reschedule"),
    # The expert's consultations: one page per booking under /consultations/expert/ (these 301 there).
    path("expert/", expert.expert_list, name="expert_list"),
    path("expert/<int:pk>/", expert.expert_detail, name="expert_detail"),
    path("expert/<int:pk>/cancel/", expert.expert_cancel, name="expert_cancel"),
    # The expert's calendar feed: keyed by a secret token (regenerable on the availability page).
    path("expert/feed/<slug:token>.ics", feed.expert_feed, name="expert_feed"),
]
