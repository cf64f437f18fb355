from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "applications"
    verbose_name = "Application pack"

    def ready(self):
        from bookings.selectors import register_expert_shares

        from . import letters_tool, shares
        from .refusals import receivers as refusal_receivers
        from .refusals import tool as refusal_tool

        letters_tool.register()  # the letters check runs as an ai_tools run (charge, task, refund)
        refusal_tool.register()  # so does the refusal review
        refusal_receivers.connect()  # a paid booking after the hand-off receives the findings
        register_expert_shares(shares.expert_shares)  # the expert's booking page lists the plan and the refusal
