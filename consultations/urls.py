"""Consultation pages under /consultations/: the expert's area and the client's review/dispute forms."""

from django.urls import path

from . import views

app_name = "consultations"
urlpatterns = [
    # The expert's pages.
    path("expert/", views.expert_list, name="expert_list"),
    path("expert/<int:booking_id>/", views.expert_detail, name="expert_detail"),
    path("expert/<int:booking_id>/complete/", views.expert_complete, name="expert_complete"),
    path("expert/<int:booking_id>/no-show/", views.expert_no_show, name="expert_no_show"),
    path("expert/<int:booking_id>/notes/", views.expert_notes, name="expert_notes"),
    path("expert/<int:booking_id>/messages/", views.expert_messages, name="expert_messages"),
    path("expert/<int:booking_id>/analyses/<int:run_id>/", views.expert_analysis, name="expert_analysis"),
    path(
        "expert/<int:booking_id>/analyses/<int:run_id>/report.pdf",
        views.expert_analysis_pdf,
        name="expert_analysis_pdf",
    ),
    path("expert/earnings/", views.expert_earnings, name="expert_earnings"),
    path("expert/earnings.csv", views.expert_earnings_csv, name="expert_earnings_csv"),
    path("expert/reviews/", views.expert_reviews, name="expert_reviews"),
    path("expert/reviews/<int:review_id>/reply/", views.expert_review_reply, name="expert_review_reply"),
    path("expert/disputes/", views.expert_disputes, name="expert_disputes"),
    path("expert/disputes/<int:dispute_id>/respond/", views.expert_dispute_respond, name="expert_dispute_respond"),
    # The client's side of a booking.
    path("bookings/<int:booking_id>/review/", views.client_review, name="client_review"),
    path("bookings/<int:booking_id>/problem/", views.client_problem, name="client_problem"),
]
