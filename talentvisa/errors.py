"""The 500 handler: a database that cannot be reached is a 503 "back in a moment", not a 500.

Django calls handler500 inside the `except` block of the failed request, so the exception is
still in sys.exc_info(). Connection failures (the database down, restarting, or out of
connections) get templates/503.html with Retry-After — Stripe and other senders retry a 503 —
and everything else keeps templates/500.html. Neither page queries the database.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

RETRY_AFTER_SECONDS = 30


@requires_csrf_token
def server_error(request, template_name="500.html"):
    exc = sys.exc_info()[1]
    if isinstance(exc, OperationalError | InterfaceError) and "locked" not in str(exc):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponseServerError(loader.get_template(template_name).render())
