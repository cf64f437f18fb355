"""Celery application. Tasks run inline (eager) when no broker is configured."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talentvisa.settings")

from talentvisa.config import exit_on_config_error  # noqa: E402

app = Celery("talentvisa")
with exit_on_config_error():
    # Reading the settings here (not lazily) makes a bad value stop the worker at start, in one line.
    from django.conf import settings

    settings.INSTALLED_APPS  # noqa: B018
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

import talentvisa.metrics  # noqa: E402, F401  (task outcomes counted for /metrics)
