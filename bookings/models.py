"""Bookings: a client's paid 1:1 consultation with an expert, from slot hold to completion.

Only bookings.services changes these rows. Every status move goes through
services.booking_transition (row lock, the TRANSITIONS map, a BookingEvent row).

Double booking is impossible in the database on PostgreSQL: migration 0002 adds an exclusion
constraint (btree_gist) over (expert, [start_at, end_at)) for the ACTIVE statuses. The expert's
buffer between bookings is enforced by the services, under a row lock on the expert.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from core.models import StatusEvent

# No 0/O, 1/I/L: a reference is read aloud and typed from emails.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_PREFIX = "TV-"
REFERENCE_LENGTH = 6
# Name of the PostgreSQL exclusion constraint (migration 0002); IntegrityErrors naming it are clashes.
NO_OVERLAP_CONSTRAINT = "booking_expert_no_overlap"


def new_reference() -> str:
    return REFERENCE_PREFIX + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


class Booking(models.Model):
    """One consultation slot: held while the client pays, then confirmed, then done (or not)."""

    class Status(models.TextChoices):
        PENDING_PAYMENT = "pending_payment", "Awaiting payment"
        """Slot held for the client until hold_expires_at while they fill in the intake and pay."""
        CONFIRMED = "confirmed", "Confirmed"
        """Paid; the slot is the client's and both sides have the invitation."""
        COMPLETED = "completed", "Completed"
        """The consultation took place (set by the consultations app)."""
        CANCELLED_BY_CLIENT = "cancelled_by_client", "Cancelled by client"
        """The client cancelled; refunded according to the cancellation policy."""
        CANCELLED_BY_EXPERT = "cancelled_by_expert", "Cancelled by expert"
        """The expert (or staff on the platform's behalf) cancelled; refunded in full."""
        NO_SHOW_CLIENT = "no_show_client", "Client did not attend"
        """The client did not turn up; no refund by default."""
        NO_SHOW_EXPERT = "no_show_expert", "Expert did not attend"
        """The expert did not turn up; the client is refunded (consultations app)."""
        REFUNDED = "refunded", "Refunded"
        """The whole amount went back to the client outside a cancellation (staff, dispute)."""
        EXPIRED = "expired", "Expired"
        """The hold ran out before payment; the slot was released."""

    S = Status
    # The one map of allowed moves (services.booking_transition checks it).
    TRANSITIONS: dict[str, frozenset[str]] = {
        S.PENDING_PAYMENT: frozenset({S.CONFIRMED, S.EXPIRED, S.CANCELLED_BY_CLIENT, S.CANCELLED_BY_EXPERT}),
        # A payment that lands after the hold expired re-takes the slot if it is still free.
        S.EXPIRED: frozenset({S.CONFIRMED}),
        S.CONFIRMED: frozenset(
            {S.COMPLETED, S.CANCELLED_BY_CLIENT, S.CANCELLED_BY_EXPERT, S.NO_SHOW_CLIENT, S.NO_SHOW_EXPERT, S.REFUNDED}
        ),
        S.COMPLETED: frozenset({S.REFUNDED}),
        S.NO_SHOW_CLIENT: frozenset({S.REFUNDED}),
        # Staff rejecting a client's "the expert did not attend" dispute: the session happened.
        S.NO_SHOW_EXPERT: frozenset({S.REFUNDED, S.COMPLETED}),
        S.CANCELLED_BY_CLIENT: frozenset(),
        S.CANCELLED_BY_EXPERT: frozenset(),
        S.REFUNDED: frozenset(),
    }
    # Statuses that occupy the expert's time (a pending one only while its hold is live).
    ACTIVE_STATUSES = (S.PENDING_PAYMENT, S.CONFIRMED)
    CANCELLED_STATUSES = (S.CANCELLED_BY_CLIENT, S.CANCELLED_BY_EXPERT)
    del S

    class TargetCategory(models.TextChoices):
        TALENT = "talent", "Exceptional Talent"
        PROMISE = "promise", "Exceptional Promise"
        UNSURE = "unsure", "Not sure yet"

    reference = models.CharField(max_length=12, unique=True, default=new_reference, editable=False)
    client = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bookings")
    expert = models.ForeignKey("expert_marketplace.ExpertProfile", on_delete=models.PROTECT, related_name="bookings")
    session_type = models.ForeignKey(
        "expert_marketplace.SessionType", on_delete=models.PROTECT, related_name="bookings"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING_PAYMENT, db_index=True)

    start_at = models.DateTimeField(help_text="UTC.")
    end_at = models.DateTimeField(help_text="UTC.")
    hold_expires_at = models.DateTimeField(null=True, blank=True)

    # Terms copied at booking time: later price or commission changes never alter a booking.
    price_pence = models.PositiveIntegerField()
    currency = models.CharField(max_length=3, default="gbp")
    commission_bps = models.PositiveIntegerField("commission (basis points)")

    payment = models.ForeignKey(
        "payments.Payment", on_delete=models.PROTECT, null=True, blank=True, related_name="bookings"
    )
    meeting_url = models.URLField(max_length=300, blank=True)
    reschedule_count = models.PositiveSmallIntegerField(default=0)
    # The .ics SEQUENCE: bumped on every change attendees' calendars must pick up (reschedule, reassign).
    calendar_sequence = models.PositiveSmallIntegerField(default=0)

    # --- intake -------------------------------------------------------------------------------
    questions = models.TextField(blank=True)
    target_route = models.CharField(max_length=40, blank=True)
    target_category = models.CharField(max_length=10, choices=TargetCategory.choices, blank=True)
    policy_agreed_at = models.DateTimeField(null=True, blank=True)
    shared_documents = models.ManyToManyField(
        "ai_tools.Document", through="BookingDocument", blank=True, related_name="shared_in_bookings"
    )
    shared_analyses = models.ManyToManyField("ai_tools.AIRun", blank=True, related_name="shared_in_bookings")

    # --- cancellation -------------------------------------------------------------------------
    cancel_reason = models.TextField(blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_refund_pence = models.PositiveIntegerField(
        default=0, help_text="What the cancellation policy gave back (refunded through payments)."
    )

    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["start_at", "id"]
        indexes = [
            models.Index(fields=["expert", "start_at"]),
            models.Index(fields=["client", "start_at"]),
            models.Index(fields=["status", "hold_expires_at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end_at__gt=F("start_at")), name="booking_ends_after_start"),
            models.CheckConstraint(
                condition=~Q(status="pending_payment") | Q(hold_expires_at__isnull=False),
                name="booking_pending_has_hold",
            ),
        ]

    def __str__(self):
        return f"{self.reference} ({self.get_status_display()})"

    @property
    def duration_minutes(self) -> int:
        return int((self.end_at - self.start_at).total_seconds() // 60)

    @property
    def is_upcoming(self) -> bool:
        return self.status in self.ACTIVE_STATUSES and self.end_at > timezone.now()

    def hold_is_live(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.status == self.Status.PENDING_PAYMENT
            and self.hold_expires_at is not None
            and self.hold_expires_at > now
        )


class BookingDocument(models.Model):
    """A document the client shared with the expert for one booking (lets the expert download it)."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="document_links")
    document = models.ForeignKey("ai_tools.Document", on_delete=models.CASCADE, related_name="booking_links")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["booking", "document"], name="booking_document_once")]

    def __str__(self):
        return f"{self.booking_id}: document {self.document_id}"


class BookingEvent(StatusEvent):
    """Append-only: one status move (or staff action) of a booking — who, when, from, to, why."""

    subject_field = "booking"
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="events")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)


class ReminderSent(models.Model):
    """One reminder email sent (or being sent) — the unique row makes each one go out once."""

    class Kind(models.TextChoices):
        DAY = "24h", "24 hours before"
        HOUR = "1h", "1 hour before"

    class Recipient(models.TextChoices):
        CLIENT = "client", "Client"
        EXPERT = "expert", "Expert"

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=3, choices=Kind.choices)
    recipient = models.CharField(max_length=6, choices=Recipient.choices)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["sent_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["booking", "kind", "recipient"], name="reminder_once_per_kind_recipient")
        ]

    def __str__(self):
        return f"{self.booking_id} {self.kind} -> {self.recipient}"


class BookingMessage(models.Model):
    """One message in the thread between a booking's client and expert (plain text, an optional attachment).

    Open from the booking's payment until MESSAGE_WINDOW after the session (bookings.messages).
    The recipient is the other side: `sender_role` says which side wrote it.
    """

    class Role(models.TextChoices):
        CLIENT = "client", "Client"
        EXPERT = "expert", "Expert"

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sender_role = models.CharField(max_length=6, choices=Role.choices)
    body = models.TextField(blank=True)
    # Validated and stored like every uploaded document (content sniffing, size and page limits).
    attachment = models.ForeignKey(
        "ai_tools.Document", on_delete=models.SET_NULL, null=True, blank=True, related_name="booking_messages"
    )
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True, help_text="When the recipient first saw it.")
    notified_at = models.DateTimeField(
        null=True, blank=True, help_text="When the recipient was emailed about it (one email per burst)."
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["booking", "created_at"])]

    def __str__(self):
        return f"{self.booking_id}: {self.sender_role} at {self.created_at:%Y-%m-%d %H:%M}"
