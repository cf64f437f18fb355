"""What a client shared from the application pack with an expert's booking, listed on the expert's
page of that booking (registered with bookings.selectors.register_expert_shares)."""

from __future__ import annotations

from django.urls import reverse

from .models import PlanShare
from .refusals.models import RefusalShare


def expert_shares(*, booking_id: int) -> list[tuple[str, str]]:
    """The readiness plan and the refusal review shared through ``booking_id`` (two small queries)."""
    items = []
    if PlanShare.objects.filter(booking_id=booking_id).exists():
        items.append(("Readiness plan", reverse("applications:shared_plan", args=[booking_id])))
    if RefusalShare.objects.filter(booking_id=booking_id).exists():
        items.append(("Refusal review", reverse("applications:refusal_shared", args=[booking_id])))
    return items
