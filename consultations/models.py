"""Consultations: what happens once a booking's time comes — completion, no-shows, reviews,
disputes, and the expert's earnings ledger and payouts.

Only consultations.services changes these rows. Every status field has one TRANSITIONS map and
an event table (DisputeEvent, EarningEvent, ReviewEvent); booking status moves go through
bookings.services.booking_transition and are recorded as BookingEvents.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from core.models import StatusEvent

REVIEW_MAX_CHARS = 2000


class Consultation(models.Model):
    """The session of one confirmed booking (created lazily by services.consultation_ensure)."""

    booking = models.OneToOneField("bookings.Booking", on_delete=models.PROTECT, related_name="consultation")
    meeting_url = models.URLField(max_length=300, blank=True)
    expert_notes = models.TextField("private notes", blank=True, help_text="Only the expert sees these.")
    shared_notes = models.TextField("follow-up notes for the client", blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    auto_completed = models.BooleanField(default=False)
    no_show_reported_at = models.DateTimeField(null=True, blank=True)
    no_show_reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Consultation for booking {self.booking_id}"


class Review(models.Model):
    """The booking client's one review of a completed consultation; the expert may reply once."""

    class Status(models.TextChoices):
        VISIBLE = "visible", "Visible"
        """Shown publicly and counted in the expert's rating."""
        HIDDEN = "hidden", "Hidden"
        """Hidden by staff (with a reason); not shown, not counted."""

    TRANSITIONS: dict[str, frozenset[str]] = {
        Status.VISIBLE: frozenset({Status.HIDDEN}),
        Status.HIDDEN: frozenset({Status.VISIBLE}),
    }

    booking = models.OneToOneField("bookings.Booking", on_delete=models.PROTECT, related_name="review")
    expert = models.ForeignKey("expert_marketplace.ExpertProfile", on_delete=models.PROTECT, related_name="reviews")
    client = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews_written")
    rating = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    text = models.TextField(blank=True, validators=[MaxLengthValidator(REVIEW_MAX_CHARS)])
    anonymous = models.BooleanField(default=False, help_text='Shown publicly as "Anonymous client".')
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.VISIBLE, db_index=True)
    moderation_reason = models.TextField(blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    reply = models.TextField(blank=True, validators=[MaxLengthValidator(REVIEW_MAX_CHARS)])
    replied_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["expert", "status", "-created_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(rating__gte=1) & Q(rating__lte=5), name="review_rating_1_to_5"),
        ]

    def __str__(self):
        return f"Review {self.pk}: {self.rating}★ for {self.expert_id}"

    @property
    def public_name(self) -> str:
        if self.anonymous:
            return "Anonymous client"
        name = (self.client.full_name or "").strip()
        if not name:
            return "Client"
        parts = name.split()
        return parts[0] if len(parts) == 1 else f"{parts[0]} {parts[-1][0]}."


class ReviewEvent(StatusEvent):
    """Append-only: a review written, replied to, hidden or shown again — who, when, why."""

    subject_field = "review"
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20)
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10, blank=True)

    def __str__(self):
        return f"review {self.review_id}: {self.action}"


class Dispute(models.Model):
    """A client's complaint about a consultation, raised within the dispute window after it ended."""

    class Kind(models.TextChoices):
        CONTEST_NO_SHOW = "contest_no_show", "I did attend (the expert says I did not)"
        EXPERT_NO_SHOW = "expert_no_show", "The expert did not attend"
        OTHER = "other", "Something else went wrong"

    class Status(models.TextChoices):
        OPEN = "open", "Awaiting the expert's response"
        """Raised by the client; the expert is asked to respond. The payout waits."""
        RESPONDED = "responded", "Awaiting a decision"
        """The expert responded; staff decide. The payout waits."""
        REFUNDED_FULL = "refunded_full", "Resolved: full refund"
        """Staff refunded the whole booking; the earning is reversed."""
        REFUNDED_PARTIAL = "refunded_partial", "Resolved: partial refund"
        """Staff refunded part of the booking; the expert's share of it is held back."""
        REJECTED = "rejected", "Resolved: no refund"
        """Staff found for the expert; the payout goes ahead."""

    S = Status
    TRANSITIONS: dict[str, frozenset[str]] = {
        S.OPEN: frozenset({S.RESPONDED, S.REFUNDED_FULL, S.REFUNDED_PARTIAL, S.REJECTED}),
        S.RESPONDED: frozenset({S.REFUNDED_FULL, S.REFUNDED_PARTIAL, S.REJECTED}),
        S.REFUNDED_FULL: frozenset(),
        S.REFUNDED_PARTIAL: frozenset(),
        S.REJECTED: frozenset(),
    }
    OPEN_STATUSES = (S.OPEN, S.RESPONDED)
    del S

    booking = models.ForeignKey("bookings.Booking", on_delete=models.PROTECT, related_name="disputes")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True)
    description = models.TextField()
    response = models.TextField(blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    resolution_note = models.TextField(blank=True)
    refund_pence = models.PositiveIntegerField(default=0)
    refund = models.ForeignKey("payments.Refund", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # One open dispute per booking at a time.
            models.UniqueConstraint(
                fields=["booking"], condition=Q(status__in=["open", "responded"]), name="dispute_one_open_per_booking"
            )
        ]

    def __str__(self):
        return f"Dispute {self.pk} on booking {self.booking_id} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class DisputeEvent(StatusEvent):
    """Append-only: every step of a dispute (opened, responded, resolved) — who, when, from, to."""

    subject_field = "dispute"
    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="events")


class Earning(models.Model):
    """One row of an expert's earnings ledger: a consultation's net pay, or a staff bonus/adjustment.

    Money is integer pence and fixed when the row is written: gross = commission + net always
    (a CheckConstraint). See consultations.money for the rounding rule.
    """

    class Kind(models.TextChoices):
        CONSULTATION = "consultation", "Consultation"
        BONUS = "bonus", "Bonus"
        ADJUSTMENT = "adjustment", "Adjustment"
        LATE_CANCEL = "late_cancel", "Late-cancellation share"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        """Inside the dispute window (or a dispute is open): not payable yet."""
        AVAILABLE = "available", "Available"
        """Payable: the next payout run transfers it to the expert's connected account."""
        PAID = "paid", "Paid"
        """Transferred (transfer_id is set)."""
        REVERSED = "reversed", "Reversed"
        """Refunded to the client: never paid, or its transfer was reversed."""

    S = Status
    TRANSITIONS: dict[str, frozenset[str]] = {
        S.PENDING: frozenset({S.AVAILABLE, S.REVERSED}),
        S.AVAILABLE: frozenset({S.PAID, S.REVERSED}),
        S.PAID: frozenset({S.REVERSED}),
        S.REVERSED: frozenset(),
    }
    del S

    expert = models.ForeignKey("expert_marketplace.ExpertProfile", on_delete=models.PROTECT, related_name="earnings")
    booking = models.ForeignKey(
        "bookings.Booking", on_delete=models.PROTECT, null=True, blank=True, related_name="earnings"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.CONSULTATION)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    gross_pence = models.IntegerField()
    commission_bps = models.PositiveIntegerField(default=0)
    commission_pence = models.IntegerField(default=0)
    net_pence = models.IntegerField()
    clawback_pence = models.PositiveIntegerField(
        default=0, help_text="The expert's share of partial refunds, held back from the payout."
    )
    currency = models.CharField(max_length=3, default="gbp")
    reason = models.TextField(blank=True, help_text="Why staff added this row (bonus/adjustment).")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    available_at = models.DateTimeField(help_text="When the dispute window closes (UTC).")
    # --- payout ---
    transfer_id = models.CharField(max_length=255, blank=True, db_index=True)
    payout_started_at = models.DateTimeField(null=True, blank=True, help_text="A transfer call is in flight.")
    payout_attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    # --- reversal ---
    reverse_requested_at = models.DateTimeField(null=True, blank=True)
    reversal_id = models.CharField(max_length=255, blank=True)
    reversed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["expert", "-created_at"]), models.Index(fields=["status", "available_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(gross_pence=F("commission_pence") + F("net_pence")),
                name="earning_gross_is_commission_plus_net",
            ),
            models.UniqueConstraint(
                fields=["booking"], condition=Q(kind="consultation"), name="earning_one_per_consultation"
            ),
            models.CheckConstraint(
                condition=~Q(kind="consultation") | Q(booking__isnull=False), name="earning_consultation_has_booking"
            ),
        ]

    def __str__(self):
        return f"Earning {self.pk} ({self.kind}, {self.net_pence}p, {self.status})"

    @property
    def payout_pence(self) -> int:
        """What the transfer pays: net less any clawback."""
        return self.net_pence - self.clawback_pence


class EarningEvent(StatusEvent):
    """Append-only: an earning's status moves and staff actions — who, when, from, to, why."""

    subject_field = "earning"
    earning = models.ForeignKey(Earning, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10, blank=True)
