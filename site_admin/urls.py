from django.urls import path

from . import dashboard_views, views

app_name = "site_admin"
urlpatterns = [
    path("contact/", views.contact, name="contact"),
    path("contact/sent/", views.contact_sent, name="contact_sent"),
    path("me/support/", views.my_inquiries, name="inquiries"),
    path("me/support/<int:pk>/", views.inquiry_detail, name="inquiry"),
    path("staff/dashboard/", dashboard_views.dashboard, name="dashboard"),
]
