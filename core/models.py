"""The kernel's own rows: the live product settings, their change log, and the staff audit log.

They were born in site_admin (tables keep their names: db_table) and moved here so that every app
can read settings and record staff actions without importing the back office.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone


class SiteSettings(models.Model):
    """Product settings staff change without a deploy. One row (pk=1); read through core.conf.

    Each field starts from the Django setting of the same name (env), so a fresh install behaves
    exactly as configured; after that, staff edits here win.
    """

    signup_bonus_points = models.PositiveIntegerField(default=20)
    price_cv_analysis = models.PositiveIntegerField("CV analysis price (points)", default=10)
    price_statement_generate = models.PositiveIntegerField("Statement draft price (points)", default=20)
    price_statement_enhance = models.PositiveIntegerField("Statement review price (points)", default=10)
    price_letters_check = models.PositiveIntegerField("Recommendation letters check price (points)", default=10)
    price_refusal_review = models.PositiveIntegerField("Refusal review price (points)", default=15)
    referral_reward_referrer = models.PositiveSmallIntegerField("Referrer reward (free AI uses)", default=1)
    referral_reward_referred = models.PositiveSmallIntegerField("Referred user reward (free AI uses)", default=1)
    referral_monthly_reward_cap = models.PositiveSmallIntegerField(
        "Rewarded referrals per referrer per month", default=10, help_text="0 means no cap."
    )
    referral_require_purchase = models.BooleanField(
        default=False, help_text="Qualify referrals on the first purchase instead of email verification."
    )
    booking_full_refund_hours = models.PositiveSmallIntegerField(
        default=48, validators=[MaxValueValidator(24 * 30)], help_text="At least the partial-refund window."
    )
    booking_partial_refund_hours = models.PositiveSmallIntegerField(default=24, validators=[MaxValueValidator(24 * 30)])
    booking_partial_refund_percent = models.PositiveSmallIntegerField(default=50, validators=[MaxValueValidator(100)])
    booking_reschedule_min_hours = models.PositiveSmallIntegerField(default=24, validators=[MaxValueValidator(24 * 30)])
    booking_max_reschedules = models.PositiveSmallIntegerField(default=2, validators=[MaxValueValidator(10)])
    booking_hold_minutes = models.PositiveSmallIntegerField(
        default=15,
        validators=[MinValueValidator(5), MaxValueValidator(120)],
        help_text="5 to 120 minutes: long enough to pay, short enough not to block the slot for others.",
    )
    booking_late_cancel_expert_percent = models.PositiveSmallIntegerField(
        "Expert's share of a forfeited fee (%)",
        default=50,
        validators=[MaxValueValidator(100)],
        help_text="When a client cancels late, this share of what the client forfeits goes to the expert "
        "(less the platform commission); the platform keeps the rest.",
    )
    dispute_window_hours = models.PositiveSmallIntegerField(
        default=48, validators=[MinValueValidator(1), MaxValueValidator(24 * 30)]
    )
    platform_default_commission_bps = models.PositiveIntegerField(
        "Default platform commission (basis points)",
        default=2000,
        validators=[MaxValueValidator(10_000)],
        help_text="2000 = 20 % (at most 10000).",
    )
    document_retention_months = models.PositiveSmallIntegerField(
        "Document retention (months of inactivity)",
        default=12,
        validators=[MinValueValidator(2), MaxValueValidator(120)],
        help_text="Uploaded documents and their extracted text are deleted after this many months without "
        "activity (2 to 120); the owner is emailed a month before.",
    )
    support_email = models.EmailField(default="support@talentvisa.local")
    maintenance_banner = models.CharField(
        max_length=300, blank=True, help_text="Shown at the top of every page while not empty."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "site_admin_sitesettings"  # moved from site_admin; the table stays
        verbose_name = verbose_name_plural = "site settings"
        # Global staff permissions live here (one place): see core/permissions.py.
        permissions = [("manage_money", "Can refund, adjust balances and earnings, and change commission")]
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="site_settings_single_row"),
            models.CheckConstraint(
                condition=models.Q(booking_partial_refund_percent__lte=100), name="site_settings_percent_le_100"
            ),
        ]

    def __str__(self):
        return "Site settings"

    def clean(self):
        """Rules between fields (each field's own range is in its validators)."""
        if (
            self.booking_full_refund_hours is not None
            and self.booking_partial_refund_hours is not None
            and self.booking_full_refund_hours < self.booking_partial_refund_hours
        ):
            raise ValidationError(
                {
                    "booking_full_refund_hours": (
                        f"The full-refund window ({self.booking_full_refund_hours} h) can't be shorter than the "
                        f"partial-refund window ({self.booking_partial_refund_hours} h)."
                    )
                }
            )


class SiteSettingsChange(models.Model):
    """Who changed which site setting, from what to what."""

    field = models.CharField(max_length=60)
    old_value = models.CharField(max_length=300, blank=True)
    new_value = models.CharField(max_length=300, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        db_table = "site_admin_sitesettingschange"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.field}: {self.old_value} → {self.new_value}"


class StaffAction(models.Model):
    """One row per staff action taken in the back office (money, moderation, exports, support).

    Written by core.audit.record next to whatever event row the owning app keeps, so there is
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
        db_table = "site_admin_staffaction"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="staffaction_target_idx")]

    def __str__(self):
        return f"{self.action} · {self.target_repr}"


class StatusEvent(models.Model):
    """Append-only: one status move (or note) of a row — who, when, from, to, why.

    Each state machine's event model subclasses this and names the row it records with
    `subject_field` (a ForeignKey it declares). Written by core.transitions.StateMachine.move or
    `record()`; never edited. Some tables predate this base and keep their column widths by
    redeclaring a field (no data moved when they adopted it).
    """

    subject_field = ""

    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]

    def __str__(self):
        subject_id = getattr(self, f"{self.subject_field}_id", "")
        return f"{self.subject_field} {subject_id}: {self.from_status or '-'} -> {self.to_status or '-'}"

    @classmethod
    def record(cls, subject: models.Model, *, actor=None, **values) -> StatusEvent:
        """One event row about `subject` (`actor` is dropped for tables that keep none)."""
        if cls._has_actor():
            values["actor"] = actor
        return cls.objects.create(**{cls.subject_field: subject}, **values)

    @classmethod
    def _has_actor(cls) -> bool:
        return any(field.name == "actor" for field in cls._meta.concrete_fields)


class IdempotencyKey(models.Model):
    """One side effect that happened (an email to one recipient, a money call), by a unique key.

    Written in the same transaction as the side effect (core.idempotency.claim): a re-delivered or
    concurrent Celery message finds the key and does nothing; a failed attempt rolls the key back
    so the retry goes ahead. Purged after IDEMPOTENCY_KEY_DAYS by a beat task.
    """

    key = models.CharField(max_length=255, unique=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "idempotency key"

    def __str__(self) -> str:
        return self.key


class EmailTemplateOverride(models.Model):
    """Staff's own subject and/or opening paragraph for one email kind (core.email_templates).

    Empty fields keep the template's text. Written only through email_templates.override_save /
    override_reset, which validate the placeholders and record a StaffAction.
    """

    kind = models.CharField(max_length=100, unique=True)
    subject = models.CharField(max_length=200, blank=True)
    opening = models.TextField("opening paragraph", blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind"]
        verbose_name = "email template override"

    def __str__(self):
        return f"Email {self.kind}"
