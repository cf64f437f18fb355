"""One log of what staff did: `record(actor=, action=, target=, reason=)` from every admin action.

Apps keep their own event rows (BookingEvent, ExpertEvent, …) for their state machines; this is
the cross-app view for whoever audits the back office (admin › Staff actions, and the admin index).
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import StaffAction


def record(*, actor, action: str, target: models.Model | None = None, reason: str = "") -> StaffAction:
    """Store one staff action. `target` may be any model instance (or None for bulk actions)."""
    return StaffAction.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action[:60],
        target_type=ContentType.objects.get_for_model(target, for_concrete_model=False) if target else None,
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:200] if target is not None else "",
        reason=reason or "",
    )


def latest(*, limit: int = 8):
    """The most recent staff actions, for the admin index."""
    return StaffAction.objects.select_related("actor", "target_type").order_by("-created_at", "-id")[:limit]
