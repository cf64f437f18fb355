from django.conf import settings
from django.db import models
from django.utils import timezone

from core.models import StatusEvent


class ReferralCode(models.Model):
    """A user's own short code; shared as /r/<code>/ or typed in at signup."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="referral_code")
    code = models.CharField(max_length=12, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.code


class Referral(models.Model):
    """One referred user and who referred them. A user can be referred at most once."""

    class Status(models.TextChoices):
        SIGNED_UP = "signed_up", "Signed up"
        """The referred user has created an account and not yet qualified."""
        QUALIFIED = "qualified", "Qualified"
        """They met the condition (verified email, and a purchase if required); rewards pending."""
        REWARDED = "rewarded", "Rewarded"
        """Both sides got their reward. Final unless the qualifying purchase is refunded."""
        REJECTED = "rejected", "Rejected"
        """No reward: the monthly cap was reached, staff rejected it, or the purchase was refunded."""

    TRANSITIONS = {
        Status.SIGNED_UP: {Status.QUALIFIED, Status.REJECTED},
        Status.QUALIFIED: {Status.REWARDED, Status.REJECTED},
        Status.REWARDED: {Status.REJECTED},
        Status.REJECTED: {Status.REWARDED},  # staff may overturn a rejection by hand
    }

    referrer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="referrals_made")
    referred = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="referral")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SIGNED_UP, db_index=True)
    via = models.CharField(max_length=10, choices=[("link", "Share link"), ("code", "Typed code")], default="link")
    rejection_reason = models.CharField(max_length=200, blank=True)
    qualifying_payment_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    qualified_at = models.DateTimeField(null=True, blank=True)
    rewarded_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(referrer=models.F("referred")), name="referral_not_self"),
        ]

    def __str__(self):
        return f"{self.referrer_id} → {self.referred_id} ({self.status})"


class ReferralEvent(StatusEvent):
    """Every status change, by whom and why (staff actions included)."""

    subject_field = "referral"
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10)
    note = models.CharField(max_length=255, blank=True)

    def __str__(self):
        return f"{self.from_status or 'new'} → {self.to_status}"
