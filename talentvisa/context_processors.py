from django.conf import settings
from django.utils.functional import SimpleLazyObject

from core.conf import site_settings


def site(request):
    """Values every template may use; kept tiny because it runs on every page."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        # Lazy: evaluated only by templates that show them; one cache read, no query.
        "SITE_SETTINGS": SimpleLazyObject(site_settings),
        "SUPPORT_EMAIL": SimpleLazyObject(lambda: site_settings().support_email),
        "SIGNUP_BONUS_POINTS": SimpleLazyObject(lambda: site_settings().signup_bonus_points),
    }
