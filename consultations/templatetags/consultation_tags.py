from django import template

from .. import selectors

register = template.Library()

EARNING_TONES = {
    "pending": "bg-amber-50 text-amber-800 ring-amber-200",
    "available": "bg-brand-50 text-brand-800 ring-brand-200",
    "paid": "bg-emerald-50 text-emerald-800 ring-emerald-200",
    "reversed": "bg-slate-100 text-slate-700 ring-slate-200",
}
DISPUTE_TONES = {
    "open": "bg-amber-50 text-amber-800 ring-amber-200",
    "responded": "bg-brand-50 text-brand-800 ring-brand-200",
}


@register.simple_tag(takes_context=True)
def client_booking_actions(context, booking):
    """What the client's booking page offers (review, report a problem, shared notes)."""
    request = context.get("request")
    return selectors.client_actions(booking=booking, user=getattr(request, "user", None))


@register.filter
def earning_tone(status):
    return EARNING_TONES.get(status, "bg-slate-100 text-slate-700 ring-slate-200")


@register.filter
def dispute_tone(status):
    return DISPUTE_TONES.get(status, "bg-slate-100 text-slate-700 ring-slate-200")


@register.filter
def stars(rating):
    rating = int(rating or 0)
    return "★" * rating + "☆" * (5 - rating)


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key)


@register.simple_tag
def expert_public_reviews(expert):
    """The latest visible reviews for the expert's public profile (the marketplace page shows ours)."""
    return selectors.expert_public_reviews(expert=expert)


@register.simple_tag
def expert_earning_totals(expert):
    """{pending, available, paid, reversed} net pence for the expert dashboard card (one query)."""
    return selectors.expert_earning_totals(expert=expert)
