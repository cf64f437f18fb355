from django.apps import AppConfig


class ExpertMarketplaceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "expert_marketplace"
    verbose_name = "Expert marketplace"

    def ready(self):
        # payments never imports us: we hand it our Connect handler (account.updated arrives on
        # the Connect webhook endpoint, verified with its own secret).
        from payments.webhooks.registry import register_event_handler

        from .services import handle_account_updated

        register_event_handler("account.updated", handle_account_updated)
