from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """Data rights (download my data, delete my account), retention, notices and consent. The top floor:
    it may import every app (see docs/architecture.md)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "privacy"

    def ready(self):
        from . import sections  # noqa: F401 - registers the built-in export sections
