"""Reviews: the booking client's one review after completion, the expert's one reply, staff
moderation, and the expert's denormalised rating (recomputed in the same transaction)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.db.models import Count, Sum

from bookings.models import Booking
from core import fragments
from core.transitions import StateMachine
from expert_marketplace.models import ExpertProfile

from ..models import REVIEW_MAX_CHARS, Review, ReviewEvent
from .common import booking_lock, email_on_commit, is_client_of, now_or, require_staff
from .errors import ConsultationError, InvalidTransition

RS = Review.Status
REVIEW = StateMachine(
    allowed=Review.TRANSITIONS,
    events=ReviewEvent,
    refuse=lambda review, current, target: InvalidTransition(
        what="Review", pk=review.pk, current=current, target=target
    ),
    scopes=lambda review: _review_scopes(review),
)


def _review_scopes(review: Review) -> list[str]:
    """A review shows on its client's booking list and on the expert's public profile."""
    return [fragments.user_scope(review.client_id), fragments.expert_scope(review.expert_id)]


def expert_rating_refresh(*, expert_id: int) -> ExpertProfile:
    """Recompute rating_avg / rating_count from the expert's visible reviews, under the expert lock."""
    expert = ExpertProfile.objects.select_for_update(of=("self",)).get(pk=expert_id)
    agg = Review.objects.filter(expert_id=expert_id, status=RS.VISIBLE).aggregate(total=Sum("rating"), n=Count("id"))
    count = agg["n"] or 0
    avg = (Decimal(agg["total"]) / count).quantize(Decimal("0.01"), ROUND_HALF_UP) if count else Decimal("0")
    expert.rating_avg, expert.rating_count = avg, count
    expert.save(update_fields=["rating_avg", "rating_count"])
    fragments.bump(*fragments.expert_pages(expert_id))  # the stars on the directory card and the profile
    return expert


def _clean_text(text: str, *, what: str) -> str:
    text = (text or "").strip()
    if len(text) > REVIEW_MAX_CHARS:
        raise ConsultationError(f"{what} can be at most {REVIEW_MAX_CHARS:,} characters.")
    return text


def review_create(
    *, booking: Booking, client, rating: int, text: str = "", anonymous: bool = False, now: dt.datetime | None = None
) -> Review:
    """The booking's client reviews a completed consultation, once."""
    now = now_or(now)
    text = _clean_text(text, what="A review")
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ConsultationError("Choose a rating from 1 to 5 stars.")
    try:
        with transaction.atomic():
            locked = booking_lock(booking_id=booking.pk)
            if not is_client_of(locked, client):
                raise ConsultationError("Only the client of this consultation can review it.")
            if locked.status != Booking.Status.COMPLETED:
                raise ConsultationError("You can review a consultation once it is completed.")
            if Review.objects.filter(booking_id=locked.pk).exists():
                raise ConsultationError("You have already reviewed this consultation.")
            review = Review.objects.create(
                booking=locked,
                expert_id=locked.expert_id,
                client=client,
                rating=rating,
                text=text,
                anonymous=anonymous,
                created_at=now,
            )
            ReviewEvent.record(review, action="created", to_status=RS.VISIBLE, actor=client, note=f"{rating} stars")
            fragments.bump(*_review_scopes(review))
            expert_rating_refresh(expert_id=locked.expert_id)
            email_on_commit(
                booking_id=locked.pk, template="review_received", recipients=["expert"], extra={"rating": rating}
            )
    except IntegrityError as exc:  # a concurrent second review hit the one-per-booking constraint
        raise ConsultationError("You have already reviewed this consultation.") from exc
    return review


def review_reply(*, review: Review, actor, text: str, now: dt.datetime | None = None) -> Review:
    """The reviewed expert replies, once."""
    now = now_or(now)
    text = _clean_text(text, what="A reply")
    if not text:
        raise ConsultationError("Write a reply.")
    with transaction.atomic():
        locked = REVIEW.lock(Review.objects.select_related("expert"), pk=review.pk)
        if actor is None or locked.expert.user_id != actor.pk:
            raise ConsultationError("Only the reviewed expert can reply.")
        if locked.reply:
            raise ConsultationError("You have already replied to this review.")
        locked.reply, locked.replied_at = text, now
        locked.save(update_fields=["reply", "replied_at"])
        fragments.bump(fragments.expert_scope(locked.expert_id))
        ReviewEvent.record(locked, action="replied", actor=actor)
    return locked


def review_moderate(*, review: Review, to_status: str, actor, reason: str, now: dt.datetime | None = None) -> Review:
    """Staff hide a review (reason required) or show it again; the rating follows at once."""
    require_staff(actor)
    now = now_or(now)
    reason = (reason or "").strip()
    if to_status == RS.HIDDEN and not reason:
        raise ConsultationError("Give a reason for hiding the review.")
    with transaction.atomic():
        locked = REVIEW.lock(Review, pk=review.pk)
        REVIEW.move(
            locked,
            to_status,
            actor=actor,
            note=reason,
            fields={"moderation_reason": reason, "moderated_by": actor, "moderated_at": now},
            event={"action": "hidden" if to_status == RS.HIDDEN else "shown"},
        )
        expert_rating_refresh(expert_id=locked.expert_id)
    return locked
