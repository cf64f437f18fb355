from django.apps import AppConfig


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"

    def ready(self):
        from . import fragment_invalidation

        fragment_invalidation.connect()  # cached page fragments follow this app's writes
