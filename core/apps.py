from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The kernel: plumbing every app may use. It imports Django and nothing of ours."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    verbose_name = "Platform"
