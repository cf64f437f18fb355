from django.urls import path

from . import views

# Included from applications.urls under "refusal/" (names in the "applications" namespace).
urlpatterns = [
    path("", views.refusals, name="refusals"),
    path("<int:pk>/", views.refusal_detail, name="refusal_detail"),
    path("<int:pk>/review/", views.refusal_start, name="refusal_start"),
    path("<int:pk>/delete/", views.refusal_delete, name="refusal_delete"),
    path("<int:pk>/experts/", views.refusal_experts, name="refusal_experts"),
    path("<int:pk>/handoff/", views.refusal_handoff, name="refusal_handoff"),
    path("<int:pk>/shares/<int:share_id>/delete/", views.refusal_unshare, name="refusal_unshare"),
    path("shared/<int:booking_id>/", views.refusal_shared, name="refusal_shared"),
]
