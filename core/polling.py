"""Answers to an htmx status poll of a long job (an AI run) on a page that shows its progress.

While the job runs there is nothing to swap (204: the page, its focus and its live region stay as they
are). At the end the poll gets HTTP 286, so htmx stops polling, with components/poll_done.html: the
page's running card (#poll-status) becomes a link to the finished page and the end is announced in
base.html's live region — rather than a silent reload.
"""

from http import HTTPStatus

from django.http import HttpResponse
from django.shortcuts import render
from django_htmx.http import HTMX_STOP_POLLING


def poll_answer(request, *, run, url: str, label: str) -> HttpResponse:
    """`run` is any job with `is_active`, `status` and `status_announcement` (an ai_tools AIRun);
    `label` names the link to a successful result (a failed one links as "See what happened")."""
    if run.is_active:
        return HttpResponse(status=HTTPStatus.NO_CONTENT)
    context = {
        "text": run.status_announcement,
        "url": url,
        "label": label if run.status == "succeeded" else "See what happened",
    }
    return render(request, "components/poll_done.html", context, status=HTMX_STOP_POLLING)
