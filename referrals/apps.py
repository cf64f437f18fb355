from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "referrals"

    def ready(self):
        # Referrals listen to payments (not the other way round): payments knows no referrals.
        from payments import fulfilment

        from .services import on_payment_refunded, on_payment_succeeded

        fulfilment.observe_succeeded(on_payment_succeeded)
        fulfilment.observe_refunded(on_payment_refunded)
