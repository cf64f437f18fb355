"""The benchmark's ceiling: a tiny template and one query, through the full middleware stack.

Mounted only when BENCH=1 (see talentvisa/urls.py); every page's throughput is reported as a
share of this view's, measured in the same run.
"""

from django.http import HttpResponse
from django.template import engines

from accounts.models import User

_TEMPLATE = engines["django"].from_string("<!doctype html><title>ceiling</title><p>{{ n }}</p>")


def ceiling(request):
    n = User.objects.filter(pk=1).values_list("pk", flat=True).first()
    return HttpResponse(_TEMPLATE.render({"n": n}, request))
