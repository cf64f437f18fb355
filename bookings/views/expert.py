"""The expert's consultations: upcoming and past bookings, what clients shared, cancelling."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponsePermanentRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from core.money import format_pence
from core.timezones import zone_or_default
from expert_marketplace.decorators import expert_only

from .. import policy, selectors, services
from ..forms import ExpertCancelForm
from ..models import Booking
from .common import now

# The old list's ?when= -> the consultations list's tab.
TABS = {"upcoming": "upcoming", "past": "past"}


@expert_only
@require_GET
def expert_list(request, expert):
    """The old list of the expert's bookings: every booking now has one expert page, listed under
    /consultations/expert/ (upcoming, to complete, past, cancelled)."""
    tab = TABS.get(request.GET.get("when"), "upcoming")
    return HttpResponsePermanentRedirect(f"{reverse('consultations:expert_list')}?tab={tab}")


@expert_only
@require_GET
def expert_detail(request, expert, pk: int):
    """An old address of the expert's booking page: 301 to the one page (404 for another expert's booking)."""
    booking = selectors.booking_for_expert(expert=expert, pk=pk)
    return HttpResponsePermanentRedirect(reverse("consultations:expert_detail", args=[booking.pk]))


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
        return redirect("consultations:expert_detail", booking_id=booking.pk)
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
