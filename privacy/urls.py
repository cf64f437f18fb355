from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("privacy/", views.notice, name="notice"),
    path("terms/", views.terms, name="terms"),
    path("cookies/", views.cookies, name="cookies"),
    path("cookies/choice/", views.cookie_choice, name="cookie_choice"),
    path("me/data/", views.data, name="data"),
    path("me/data/download/", views.data_download, name="data_download"),
    path("me/delete/", views.account_delete, name="account_delete"),
]
