from django.conf import settings
from django.db import models
from django.utils import timezone


class Inquiry(models.Model):
    """A support thread started from the contact form, by a visitor or a signed-in user."""

    class Status(models.TextChoices):
        NEW = "new", "New"
        """Nobody on the team has looked at it yet."""
        OPEN = "open", "Open"
        """Someone is on it, or the user wrote again after a reply."""
        ANSWERED = "answered", "Answered"
        """Staff replied; waiting for the user."""
        CLOSED = "closed", "Closed"
        """Done. A new message from the user reopens it."""

    class Topic(models.TextChoices):
        ACCOUNT = "account", "My account"
        PAYMENTS = "payments", "Payments and points"
        AI_TOOLS = "ai_tools", "AI tools"
        BOOKINGS = "bookings", "Consultations and bookings"
        EXPERTS = "experts", "Becoming an expert"
        OTHER = "other", "Something else"

    reference = models.CharField(max_length=12, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="inquiries"
    )
    name = models.CharField(max_length=150)
    email = models.EmailField()
    topic = models.CharField(max_length=20, choices=Topic.choices, default=Topic.OTHER)
    subject = models.CharField(max_length=150)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW, db_index=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_inquiries",
        limit_choices_to={"is_staff": True},
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name_plural = "inquiries"

    def __str__(self):
        return f"{self.reference}: {self.subject}"


class InquiryMessage(models.Model):
    """One message in a thread: the user's or a staff reply (replies are emailed)."""

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_staff = models.BooleanField(default=False)
    body = models.TextField(max_length=5000)
    emailed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{'Staff' if self.from_staff else 'User'} message on {self.inquiry_id}"


class SiteSettings(models.Model):
    """Product settings staff change without a deploy. One row (pk=1); read through site_admin.conf.

    Each field starts from the Django setting of the same name (env), so a fresh install behaves
    exactly as configured; after that, staff edits here win.
    """

    signup_bonus_points = models.PositiveIntegerField(default=20)
    price_cv_analysis = models.PositiveIntegerField("CV analysis price (points)", default=10)
    price_statement_generate = models.PositiveIntegerField("Statement draft price (points)", default=20)
    price_statement_enhance = models.PositiveIntegerField("Statement review price (points)", default=10)
    referral_reward_referrer = models.PositiveSmallIntegerField("Referrer reward (free AI uses)", default=1)
    referral_reward_referred = models.PositiveSmallIntegerField("Referred user reward (free AI uses)", default=1)
    referral_monthly_reward_cap = models.PositiveSmallIntegerField(
        "Rewarded referrals per referrer per month", default=10, help_text="0 means no cap."
    )
    referral_require_purchase = models.BooleanField(
        default=False, help_text="Qualify referrals on the first purchase instead of email verification."
    )
    booking_full_refund_hours = models.PositiveSmallIntegerField(default=48)
    booking_partial_refund_hours = models.PositiveSmallIntegerField(default=24)
    booking_partial_refund_percent = models.PositiveSmallIntegerField(default=50)
    booking_reschedule_min_hours = models.PositiveSmallIntegerField(default=24)
    booking_max_reschedules = models.PositiveSmallIntegerField(default=2)
    booking_hold_minutes = models.PositiveSmallIntegerField(default=15)
    dispute_window_hours = models.PositiveSmallIntegerField(default=48)
    platform_default_commission_bps = models.PositiveIntegerField(
        "Default platform commission (basis points)", default=2000, help_text="2000 = 20 %."
    )
    support_email = models.EmailField(default="support@talentvisa.local")
    maintenance_banner = models.CharField(
        max_length=300, blank=True, help_text="Shown at the top of every page while not empty."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "site settings"
        # Global staff permissions live here (one place): see site_admin/permissions.py.
        permissions = [("manage_money", "Can refund, adjust balances and earnings, and change commission")]
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="site_settings_single_row"),
            models.CheckConstraint(
                condition=models.Q(booking_partial_refund_percent__lte=100), name="site_settings_percent_le_100"
            ),
        ]

    def __str__(self):
        return "Site settings"


class SiteSettingsChange(models.Model):
    """Who changed which site setting, from what to what."""

    field = models.CharField(max_length=60)
    old_value = models.CharField(max_length=300, blank=True)
    new_value = models.CharField(max_length=300, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.field}: {self.old_value} → {self.new_value}"


class StaffAction(models.Model):
    """One row per staff action taken in the back office (money, moderation, exports, support).

    Written by site_admin.audit.record next to whatever event row the owning app keeps, so there is
    one place to see everything staff did. Append-only: the admin shows it read-only.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="staff_actions"
    )
    action = models.CharField(max_length=60, db_index=True)
    target_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    target_id = models.CharField(max_length=64, blank=True)
    target_repr = models.CharField(max_length=200, blank=True)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="staffaction_target_idx")]

    def __str__(self):
        return f"{self.action} · {self.target_repr}"
