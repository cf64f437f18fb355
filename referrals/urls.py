from django.urls import path

from . import views

app_name = "referrals"
urlpatterns = [
    path("r/<str:code>/", views.share_link, name="share"),
    path("me/referrals/", views.my_referrals, name="mine"),
]
