from django.urls import path

from . import dashboard_views, email_views, views

app_name = "site_admin"
urlpatterns = [
    path("contact/", views.contact, name="contact"),
    path("contact/sent/", views.contact_sent, name="contact_sent"),
    path("me/support/", views.my_inquiries, name="inquiries"),
    path("me/support/<int:pk>/", views.inquiry_detail, name="inquiry"),
    path("staff/dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("staff/emails/", email_views.email_list, name="emails"),
    path("staff/emails/<str:kind>/", email_views.email_edit, name="email_edit"),
    path("staff/emails/<str:kind>/preview/", email_views.email_preview, name="email_preview"),
    path("staff/emails/<str:kind>/reset/", email_views.email_reset, name="email_reset"),
]
