"""The client's bookings: list, detail, confirmation after payment, invite, cancel, reschedule."""

from __future__ import annotations

from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from core import fragments
from core.money import format_pence
from payments import selectors as payment_selectors
from payments import services as payment_services
from payments.gateways import GatewayError
from payments.models import Payment

from .. import ics, policy, selectors, services, wizard
from ..forms import ClientCancelForm, SlotForm
from ..models import Booking
from .common import client_tz, now, wants_partial
from .thread import thread_context, thread_post

PAGE_SIZE = 20
WHEN = {"upcoming": "Upcoming", "past": "Past"}
# Statuses where the consultation is (or was) on: the invite and meeting link make sense.
CALENDAR_STATUSES = (Booking.Status.CONFIRMED, Booking.Status.COMPLETED)


@login_required
@require_GET
def booking_list(request):
    when = request.GET.get("when") if request.GET.get("when") in WHEN else "upcoming"
    number = fragments.page_number(request.GET.get("page"))
    client, current = request.user, now()
    # Lazy: the rows are fetched only when the cached fragment (keyed by the user's generation) is missing.
    page = SimpleLazyObject(
        lambda: selectors.client_booking_page(client=client, when=when, number=number, per_page=PAGE_SIZE, now=current)
    )
    return render(
        request,
        "bookings/list.html",
        {
            "page": page,
            "bookings": SimpleLazyObject(lambda: page.object_list),
            "page_number": number,
            "when": when,
            "tabs": WHEN,
            "viewer_tz": client_tz(request),
            **fragments.fragment_context(
                fragments.user_scope(client), fragments.NAMES
            ),  # rows print expert and session names
        },
    )


def _detail_context(request, booking: Booking) -> dict:
    current = now()
    context = {
        "booking": booking,
        "viewer_tz": client_tz(request),
        "shared_docs": list(booking.shared_documents.all()),
        "shared_runs": list(booking.shared_analyses.all()),
        "hold_live": booking.hold_is_live(current),
        "can_cancel": False,
        "can_reschedule": False,
    }
    if booking.status in CALENDAR_STATUSES:
        context["google_url"] = ics.google_calendar_url(booking=booking)
        context["outlook_url"] = ics.outlook_calendar_url(booking=booking)
    if booking.status == Booking.Status.CONFIRMED and booking.start_at > current:
        context["can_cancel"] = policy.cancellation_outcome(booking=booking, by=policy.CLIENT, now=current).allowed
        context["reschedule"] = policy.reschedule_outcome(booking=booking, now=current)
        context["can_reschedule"] = context["reschedule"].allowed
    # A failed attempt (card declined, test-mode Fail) while the slot is still ours to pay for.
    context["payment_failed"] = (
        booking.status == Booking.Status.PENDING_PAYMENT
        and booking.payment_id is not None
        and booking.payment.status == Payment.Status.FAILED
    )
    if booking.payment_id and booking.payment.amount_refunded_pence:
        context["refunded"] = format_pence(booking.payment.amount_refunded_pence, booking.payment.currency)
    # Messages only once paid: before that the client and the expert exchange nothing.
    if booking.status in selectors.SHARED_WITH_EXPERT_STATUSES:
        context["show_thread"] = True
        context.update(
            thread_context(
                booking=booking,
                user=request.user,
                post_url=reverse("bookings:messages", args=[booking.pk]),
                current=current,
            )
        )
    # Book again: a session that is over (or off) with an expert who still offers it -> the time step.
    context["book_again"] = booking.status not in (Booking.Status.PENDING_PAYMENT, Booking.Status.EXPIRED) and (
        booking.status != Booking.Status.CONFIRMED or booking.end_at <= current
    )
    return context


@login_required
@require_GET
def detail(request, pk: int):
    booking = selectors.booking_for_client(client=request.user, pk=pk)
    return render(request, "bookings/detail.html", _detail_context(request, booking))


@login_required
@require_POST
def messages_post(request, pk: int):
    booking = selectors.booking_for_client(client=request.user, pk=pk)
    return thread_post(
        request,
        booking=booking,
        post_url=reverse("bookings:messages", args=[booking.pk]),
        page_url=reverse("bookings:detail", args=[booking.pk]),
        current=now(),
    )


@login_required
@require_GET
def confirmed(request, pk: int):
    """Where checkout sends the client back (?session_id=...): settle now if the webhook is not in yet."""
    booking = selectors.booking_for_client(client=request.user, pk=pk)
    session_id = request.GET.get("session_id", "")
    if session_id and booking.status in (Booking.Status.PENDING_PAYMENT, Booking.Status.EXPIRED):
        payment = payment_selectors.payment_by_session_for_user_or_404(user=request.user, session_id=session_id)
        if booking.payment_id not in (None, payment.pk):
            raise Http404("That payment is for another booking.")
        if payment_selectors.payment_is_open(payment=payment):
            try:
                payment_services.checkout_fulfil(session_id=session_id, source="success page", actor=request.user)
            except GatewayError:
                pass  # the webhook settles it; the page says payment is being confirmed
            booking = selectors.booking_for_client(client=request.user, pk=pk)
    if wants_partial(request) and booking.status != Booking.Status.PENDING_PAYMENT:
        return HttpResponseClientRefresh()  # settled while polling: show the whole page
    context = _detail_context(request, booking)
    if wants_partial(request) and not context["payment_failed"]:
        # Still confirming: nothing to swap, so the banner is not replaced (nor re-announced) every 3 s.
        return HttpResponse(status=HTTPStatus.NO_CONTENT)
    context["confirmation"] = True
    template = "bookings/detail.html"
    if wants_partial(request):
        template += "#status-panel"
    return render(request, template, context)


@login_required
@require_GET
def invite_ics(request, pk: int):
    booking = selectors.booking_for_client(client=request.user, pk=pk)
    if booking.status in CALENDAR_STATUSES:
        method = "REQUEST"
    elif booking.status in Booking.CANCELLED_STATUSES:
        method = "CANCEL"
    else:
        raise Http404("This booking has no calendar invitation yet.")
    response = HttpResponse(
        ics.booking_ics(booking=booking, method=method), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="talentvisa-{booking.reference}.ics"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def cancel(request, pk: int):
    booking = selectors.booking_for_client(client=request.user, pk=pk)
    current = now()
    outcome = policy.cancellation_outcome(booking=booking, by=policy.CLIENT, now=current)
    form = ClientCancelForm(request.POST or None)
    if request.method == "POST" and outcome.allowed and form.is_valid():
        try:
            services.booking_cancel(
                booking=booking, actor=request.user, reason=form.cleaned_data["reason"], now=current
            )
        except services.BookingError as exc:
            messages.error(request, exc.message)
        else:
            if outcome.refund_pence:
                messages.success(
                    request,
                    f"Booking {booking.reference} is cancelled. We are refunding "
                    f"{format_pence(outcome.refund_pence, booking.currency)} to your card.",
                )
            else:
                messages.success(request, f"Booking {booking.reference} is cancelled.")
        return redirect("bookings:detail", pk=booking.pk)
    return render(
        request,
        "bookings/cancel.html",
        {
            "booking": booking,
            "outcome": outcome,
            "refund": format_pence(outcome.refund_pence, booking.currency),
            "form": form,
            "viewer_tz": client_tz(request),
            "policy_windows": policy.windows(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def reschedule(request, pk: int):
    booking = selectors.booking_for_client(client=request.user, pk=pk)
    current = now()
    outcome = policy.reschedule_outcome(booking=booking, now=current)
    tz = client_tz(request)
    error, alternatives, status = "", [], 200
    if request.method == "POST" and outcome.allowed:
        form = SlotForm(request.POST)
        if not form.is_valid():
            error, status = form.errors["start"][0], 400
        else:
            try:
                services.booking_reschedule(
                    booking=booking, client=request.user, new_start=form.cleaned_data["start"], now=current
                )
            except services.SlotUnavailable as exc:
                error, alternatives, status = exc.message, list(exc.alternatives), 409
            except services.BookingError as exc:
                error, status = exc.message, 409
            else:
                messages.success(request, "Your booking has been moved. We've emailed you and the expert the new time.")
                return redirect("bookings:detail", pk=booking.pk)
    picker, _ = wizard.time_picker(
        options=wizard.session_type_options(session_type=booking.session_type, now=current) if outcome.allowed else [],
        tz=tz,
        now=current,
        requested_month=request.GET.get("month"),
        requested_date=request.GET.get("date"),
        exclude=[booking.start_at],
    )
    context = {
        "booking": booking,
        "outcome": outcome,
        "picker": picker,
        "viewer_tz": tz,
        "error": error,
        "alternatives": [(a.astimezone(tz), wizard.iso_utc(a)) for a in alternatives],
        "post_url": reverse("bookings:reschedule", args=[booking.pk]),
        "date_url": reverse("bookings:reschedule", args=[booking.pk]),
        "policy_windows": policy.windows(),
    }
    template = "bookings/reschedule.html"
    if request.method == "GET" and wants_partial(request):
        template += "#picker"
    return render(request, template, context, status=status)
