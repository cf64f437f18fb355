"""The message thread of a booking, shared by the client's booking page and the expert's page.

The form posts with htmx: the answer swaps only the list of messages (the form and its focus stay),
announces the outcome in base.html's live region, and tells site.js to clear the form.
"""

from __future__ import annotations

from django.contrib import messages as flash
from django.shortcuts import redirect, render

from .. import selectors, services
from ..forms import MessageForm
from ..models import Booking
from .common import now, viewer_timezone, wants_partial

THREAD_TEMPLATE = "bookings/_thread.html"


def thread_context(*, booking: Booking, user, post_url: str, form: MessageForm | None = None, current=None) -> dict:
    """What the thread partial needs; marks the other side's messages read for ``user``."""
    current = current or now()
    role = services.message_role(booking=booking, user=user)
    thread = selectors.booking_thread(booking=booking)
    if role and any(m.sender_role != role and m.read_at is None for m in thread):
        services.messages_mark_read(booking=booking, reader=user, now=current)
    return {
        "booking": booking,
        "thread": thread,
        "thread_role": role,
        "thread_open": services.messaging_open(booking=booking, now=current),
        "thread_form": form or MessageForm(),
        "thread_post_url": post_url,
        "viewer_tz": viewer_timezone(user=user),
    }


def thread_post(request, *, booking: Booking, post_url: str, page_url: str, current):
    """POST a message: the list partial for htmx (status 200, even for a refusal, so it is shown), a redirect otherwise."""
    form = MessageForm(request.POST, request.FILES)
    error = ""
    if form.is_valid():
        try:
            services.message_send(
                booking=booking,
                sender=request.user,
                body=form.cleaned_data["body"],
                upload=form.cleaned_data["attachment"],
                now=current,
            )
        except services.BookingError as exc:
            error = exc.message
    else:
        error = " ".join(e for errors in form.errors.values() for e in errors)
    if not wants_partial(request):
        if error:
            flash.error(request, error)
        else:
            flash.success(request, "Message sent.")
        return redirect(page_url + "#messages")
    context = thread_context(booking=booking, user=request.user, post_url=post_url, current=current)
    context.update({"thread_error": error, "thread_status": "" if error else "Message sent."})
    response = render(request, THREAD_TEMPLATE + "#thread-list", context)
    if not error:
        response["HX-Trigger"] = "thread:sent"
    return response
