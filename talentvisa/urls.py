from django.contrib import admin
from django.urls import include, path

from accounts.views import home

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("allauth.urls")),
    path("me/", include("accounts.urls")),
    # payments URLs go here
    # ai_tools URLs go here
    path("admin/", admin.site.urls),
]
