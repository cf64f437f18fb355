"""
WSGI config for talentvisa project.

It exposes the WSGI callable as a module-level variable named ``application``.

For more information on this file, see
https://docs.djangoproject.com/en/5.2/howto/deployment/wsgi/
"""

import os

from django.core.wsgi import get_wsgi_application

from talentvisa.config import exit_on_config_error

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talentvisa.settings")

with exit_on_config_error():
    application = get_wsgi_application()
