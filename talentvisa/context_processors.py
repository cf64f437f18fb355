from django.conf import settings


def site(request):
    """Values every template may use; kept tiny because it runs on every page."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SUPPORT_EMAIL": settings.SUPPORT_EMAIL,
        "SIGNUP_BONUS_POINTS": settings.SIGNUP_BONUS_POINTS,
    }
