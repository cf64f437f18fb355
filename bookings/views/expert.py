"""The expert's consultations: upcoming and past bookings, what clients shared, cancelling."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from core.money import format_pence
from core.timezones import zone_or_default
from expert_marketplace.decorators import expert_only

from .. import policy, selectors, services
from ..forms import ExpertCancelForm
from ..models import Booking
from .common import now

PAGE_SIZE = 20
WHEN = {"upcoming": "Upcoming", "past": "Past"}


@expert_only
@require_GET
def expert_list(request, expert):
    when = request.GET.get("when") if request.GET.get("when") in WHEN else "upcoming"
    current = now()
    page = Paginator(selectors.bookings_for_expert(expert=expert, when=when, now=current), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "bookings/expert_list.html",
        {
            "expert": expert,
            "page": page,
            "bookings": page.object_list,
            "when": when,
            "tabs": WHEN,
            "expert_tz": zone_or_default(expert.timezone),
            "now": current,
        },
    )


@expert_only
@require_http_methods(["GET", "POST"])
def expert_cancel(request, expert, pk: int):
    booking = selectors.booking_for_expert(expert=expert, pk=pk)
    current = now()
    outcome = policy.cancellation_outcome(booking=booking, by=policy.EXPERT, now=current)
    form = ExpertCancelForm(request.POST or None)
    if request.method == "POST" and outcome.allowed and form.is_valid():
        try:
            services.booking_cancel(
                booking=booking, actor=request.user, reason=form.cleaned_data["reason"], now=current
            )
        except services.BookingError as exc:
            messages.error(request, exc.message)
            return redirect("bookings:expert_cancel", pk=booking.pk)
        messages.success(
            request,
            f"Booking {booking.reference} is cancelled. {booking.client.full_name or 'The client'} is refunded.",
        )
        return redirect("bookings:expert_list")
    return render(
        request,
        "bookings/expert_cancel.html",
        {
            "expert": expert,
            "booking": booking,
            "outcome": outcome,
            "refund": format_pence(outcome.refund_pence, booking.currency),
            "form": form,
            "expert_tz": zone_or_default(expert.timezone),
            "is_confirmed": booking.status == Booking.Status.CONFIRMED,
        },
        status=400 if form.errors else 200,
    )
