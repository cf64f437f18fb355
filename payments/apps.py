from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "payments"

    def ready(self):
        # Registries are filled here, once, so handlers exist before the first request.
        from .purposes import points
        from .webhooks import handlers

        points.register()
        handlers.register()
