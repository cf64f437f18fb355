from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "consultations"

    def ready(self):
        # payments never imports us: we hand it our hooks.
        from bookings.services import observe_late_cancel
        from payments import fulfilment
        from payments.webhooks.registry import register_event_handler

        from .services import earning_create_for_late_cancel, earnings_on_payment_refunded, transfer_reversed_webhook

        fulfilment.observe_refunded(earnings_on_payment_refunded)  # a refund reverses the earning
        register_event_handler("transfer.reversed", transfer_reversed_webhook)
        observe_late_cancel(earning_create_for_late_cancel)  # the expert's share of a forfeited fee
