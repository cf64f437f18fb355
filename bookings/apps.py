from django.apps import AppConfig


class BookingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "bookings"

    def ready(self):
        # The other apps never import bookings: we hand them our hooks.
        from ai_tools.selectors import register_shared_documents
        from expert_marketplace.selectors import register_busy_provider

        from .selectors import busy_provider, document_ids_shared_with_expert_user, message_attachment_ids_for_user
        from .services import fulfilment

        fulfilment.register()  # payments: purpose "booking"
        register_busy_provider(busy_provider)  # marketplace: booked time is not free
        register_shared_documents(document_ids_shared_with_expert_user)  # experts read what clients shared
        register_shared_documents(message_attachment_ids_for_user)  # both sides read a thread's attachments
