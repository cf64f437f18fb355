from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "consultations"

    def ready(self):
        # payments never imports us: we hand it our hooks.
        from payments import fulfilment
        from payments.webhooks.registry import register_event_handler

        from .services import earnings_on_payment_refunded, transfer_reversed_webhook

        fulfilment.observe_refunded(earnings_on_payment_refunded)  # a refund reverses the earning
        register_event_handler("transfer.reversed", transfer_reversed_webhook)
