from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "applications"
    verbose_name = "Application pack"

    def ready(self):
        from . import letters_tool

        letters_tool.register()  # the letters check runs as an ai_tools run (charge, task, refund)
