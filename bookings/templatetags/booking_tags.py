"""Small rendering helpers for booking pages, and the dashboard card."""

from django import template
from django.utils import timezone

from bookings import selectors
from bookings.models import Booking

register = template.Library()

S = Booking.Status
_TONES = {
    S.PENDING_PAYMENT: "bg-amber-50 text-amber-800 ring-amber-200",
    S.CONFIRMED: "bg-emerald-50 text-emerald-800 ring-emerald-200",
    S.COMPLETED: "bg-brand-50 text-brand-800 ring-brand-200",
    S.CANCELLED_BY_CLIENT: "bg-slate-100 text-slate-700 ring-slate-200",
    S.CANCELLED_BY_EXPERT: "bg-red-50 text-red-800 ring-red-200",
    S.NO_SHOW_CLIENT: "bg-amber-50 text-amber-800 ring-amber-200",
    S.NO_SHOW_EXPERT: "bg-red-50 text-red-800 ring-red-200",
    S.REFUNDED: "bg-slate-100 text-slate-700 ring-slate-200",
    S.EXPIRED: "bg-slate-100 text-slate-600 ring-slate-200",
}


@register.filter
def status_tone(status) -> str:
    return _TONES.get(str(status), _TONES[S.EXPIRED])


@register.filter
def category_label(value) -> str:
    return dict(Booking.TargetCategory.choices).get(value, "")


@register.filter
def route_label(value) -> str:
    from ai_tools.rules import ROUTES

    route = ROUTES.get(value)
    return route.name if route else ""


@register.simple_tag
def expert_upcoming_bookings(expert, limit=3):
    """The expert dashboard's next consultations (one query): the marketplace page shows bookings' card."""
    return list(selectors.bookings_for_expert(expert=expert, when="upcoming")[:limit])


@register.inclusion_tag("bookings/_dashboard_card.html", takes_context=True)
def client_bookings_card(context):
    """The client dashboard's consultations card: the next booking and how many are coming up (one query)."""
    next_booking, count = selectors.client_next_booking(client=context["request"].user, now=timezone.now())
    return {"next": next_booking, "count": count}
