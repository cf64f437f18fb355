"""Celery application. Tasks run inline (eager) when no broker is configured."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talentvisa.settings")

app = Celery("talentvisa")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
