import os

from django.conf import settings
from django.contrib import admin
from django.http import Http404
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from django.views.static import serve

from accounts.views import home
from referrals.views import SignupView
from talentvisa.health import healthz
from talentvisa.metrics import metrics_view

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics_view, name="metrics"),  # bearer METRICS_TOKEN; 404 when unset
    # The email provider's tracking webhook (bounces, complaints); 404 without ANYMAIL_WEBHOOK_SECRET.
    path("anymail/", include("accounts.email_tracking")),
    # Our signup view pre-fills the remembered referral code; it must shadow allauth's.
    path("accounts/signup/", SignupView.as_view(), name="account_signup"),
    path("accounts/", include("allauth.urls")),
    path("", include("privacy.urls")),
    path("me/", include("accounts.urls")),
    path("", include("referrals.urls")),
    path("payments/", include("payments.urls")),
    path("tools/", include("ai_tools.urls")),
    path("pack/", include("applications.urls")),
    path("experts/", include("expert_marketplace.urls")),
    path("expert/", include("expert_marketplace.urls_expert")),
    path("", include("site_admin.urls")),
    path("bookings/", include("bookings.urls")),
    path("consultations/", include("consultations.urls")),
    # Staff log in through allauth like everyone else: the same rate limits, and MFA.
    path("admin/login/", RedirectView.as_view(pattern_name="account_login", query_string=True)),
    path("admin/", admin.site.urls),
]


def media(request, path):
    """Public uploads on local disk when no web server does it (SERVE_MEDIA: development and
    `make serve-prod`); nginx serves /media/ in the compose stack, Cloudinary URLs point elsewhere."""
    if not settings.SERVE_MEDIA:
        raise Http404("Media is served by the web server.")
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns += [re_path(r"^media/(?P<path>.+)$", media, name="media")]

handler500 = "talentvisa.errors.server_error"  # database unreachable -> 503 with Retry-After

if os.environ.get("BENCH") == "1":  # the load benchmark's ceiling view (bench/run.py), never in production
    from bench.ceiling import ceiling

    urlpatterns += [path("bench/ceiling/", ceiling)]
