from django.apps import AppConfig


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"

    def ready(self):
        from anymail.signals import tracking

        from core import mailer

        from . import selectors
        from .email_tracking import tracking_received

        # Suppressed addresses (hard bounces, complaints) get no email from core.mailer.
        mailer.register_suppression_check(selectors.emails_suppressed)
        tracking.connect(tracking_received, dispatch_uid="accounts.email_tracking")
