from django.apps import AppConfig


class BookingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "bookings"

    def ready(self):
        # The other apps never import bookings: we hand them our hooks.
        from expert_marketplace.selectors import register_busy_provider

        from . import fragment_invalidation
        from .selectors import busy_provider
        from .services import fulfilment

        fulfilment.register()  # payments: purpose "booking"
        register_busy_provider(busy_provider)  # marketplace: booked time is not free
        fragment_invalidation.connect()  # cached page fragments follow booking writes
