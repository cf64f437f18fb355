from django.apps import AppConfig


class ExpertMarketplaceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "expert_marketplace"
