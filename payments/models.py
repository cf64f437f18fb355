"""Payments: what was charged, why, and every step it went through.

Only payments.services changes these rows (status moves go through the transition map in
payments.states), so the books can be rebuilt from Payment, PaymentEvent and Refund alone.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from core.models import StatusEvent


class Payment(models.Model):
    """One attempt to take money from a user for one purpose (a points package, a booking)."""

    class Status(models.TextChoices):
        CREATED = "created", "Created"
        """Row written, nothing sent to the gateway yet."""
        PENDING = "pending", "Awaiting payment"
        """A checkout session exists; the user has not paid (or a delayed payment is clearing)."""
        SUCCEEDED = "succeeded", "Paid"
        """Money received and the purpose fulfilled (e.g. points credited)."""
        FAILED = "failed", "Failed"
        """The payment was declined or a delayed payment failed. Nothing was taken."""
        CANCELLED = "cancelled", "Cancelled"
        """The user abandoned checkout or the session expired. Nothing was taken."""
        PARTIALLY_REFUNDED = "partially_refunded", "Partly refunded"
        """Some, not all, of the amount has been given back."""
        REFUNDED = "refunded", "Refunded"
        """The whole amount has been given back."""

    class Gateway(models.TextChoices):
        STRIPE = "stripe", "Stripe"
        TEST_MODE = "test_mode", "Test mode (no card charged)"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payments")
    purpose = models.CharField(max_length=40, db_index=True, help_text="Fulfilment handler key, e.g. points_purchase.")
    description = models.CharField(max_length=200, help_text="What the user bought, as shown in their history.")
    amount_pence = models.PositiveIntegerField()
    currency = models.CharField(max_length=3, default="gbp")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.CREATED, db_index=True)
    gateway = models.CharField(max_length=16, choices=Gateway.choices)
    checkout_session_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    payment_intent_id = models.CharField(max_length=255, blank=True, db_index=True)
    charge_id = models.CharField(max_length=255, blank=True)
    receipt_url = models.CharField(max_length=500, blank=True)
    amount_refunded_pence = models.PositiveIntegerField(default=0)
    metadata = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    succeeded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount_pence__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=Q(amount_refunded_pence__lte=F("amount_pence")), name="payment_refund_not_above_amount"
            ),
        ]

    def __str__(self):
        return f"Payment {self.pk} ({self.purpose}, {self.amount_pence}p, {self.status})"

    @property
    def refundable_pence(self) -> int:
        return self.amount_pence - self.amount_refunded_pence


class PaymentEvent(StatusEvent):
    """One status move of a Payment: from, to, who, why, when. Append-only."""

    subject_field = "payment"
    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, choices=Payment.Status.choices)
    to_status = models.CharField(max_length=20, choices=Payment.Status.choices)
    source = models.CharField(max_length=120, help_text="What caused it, e.g. 'webhook evt_123' or 'success page'.")
    note = models.CharField(max_length=255, blank=True)

    def __str__(self):
        return f"{self.from_status} → {self.to_status} ({self.source})"


class Refund(models.Model):
    """Money given back on a Payment, by us (refund_create) or found on Stripe (dashboard refunds)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        """Reserved against the payment; the gateway call is in flight (or crashed and can be retried)."""
        SUCCEEDED = "succeeded", "Succeeded"
        """The gateway accepted it and the payment and purpose have been updated."""
        FAILED = "failed", "Failed"
        """The gateway refused it; the amount is available to refund again."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    amount_pence = models.PositiveIntegerField()
    reason = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    gateway_refund_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A second request with the same key returns the first Refund instead of refunding twice.
    idempotency_key = models.CharField(max_length=200, unique=True)
    error = models.TextField(blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount_pence__gt=0), name="refund_amount_positive")]

    def __str__(self):
        return f"Refund {self.pk} of {self.amount_pence}p on payment {self.payment_id} ({self.status})"


class WebhookEvent(models.Model):
    """A Stripe event as received, stored by id before it is acted on (dedupe, audit, retry)."""

    class Endpoint(models.TextChoices):
        ACCOUNT = "account", "Account"
        CONNECT = "connect", "Connect"

    event_id = models.CharField(max_length=255, unique=True)
    endpoint = models.CharField(max_length=10, choices=Endpoint.choices, default=Endpoint.ACCOUNT)
    type = models.CharField(max_length=100, db_index=True)
    payload = models.JSONField()
    livemode = models.BooleanField(default=False)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    note = models.CharField(max_length=255, blank=True, help_text="E.g. 'no handler for this type'.")
    # Answered 2xx without effect because no retry could ever succeed (a session whose amount does
    # not match, one Stripe does not know, a livemode mismatch): a person has to look at it.
    needs_attention = models.BooleanField(default=False, db_index=True)
    attention_reason = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]

    def __str__(self):
        return f"{self.type} {self.event_id}"


class PointsPackage(models.Model):
    """A bundle of points on sale. Staff edit these; past payments keep their own copy of the terms."""

    name = models.CharField(max_length=80)
    points = models.PositiveIntegerField()
    price_pence = models.PositiveIntegerField()
    active = models.BooleanField(default=True, db_index=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "price_pence", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(points__gt=0), name="points_package_points_positive"),
            models.CheckConstraint(condition=Q(price_pence__gt=0), name="points_package_price_positive"),
        ]

    def __str__(self):
        return f"{self.name} ({self.points} points, {self.price_pence}p)"


class TestModeCheckoutSession(models.Model):
    """The local stand-in for a Stripe Checkout Session, used only by the test-mode gateway.

    The test-mode Pay/Cancel/Fail buttons change this row, then call the same settlement
    service as the Stripe webhook, which reads it back through the gateway's retrieve.
    """

    class SessionStatus(models.TextChoices):
        OPEN = "open", "Open"
        COMPLETE = "complete", "Complete"
        EXPIRED = "expired", "Expired"

    session_id = models.CharField(max_length=64, unique=True)
    payment = models.OneToOneField(Payment, on_delete=models.CASCADE, related_name="test_mode_session")
    amount_total = models.PositiveIntegerField()
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=10, choices=SessionStatus.choices, default=SessionStatus.OPEN)
    payment_status = models.CharField(max_length=20, default="unpaid")
    success_url = models.CharField(max_length=500)
    cancel_url = models.CharField(max_length=500)
    metadata = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "test-mode checkout session"

    def __str__(self):
        return self.session_id
