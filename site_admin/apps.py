from django.apps import AppConfig


class SiteAdminConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "site_admin"

    def ready(self):
        from . import email_kinds

        email_kinds.declare()
