"""Expert marketplace: profiles, expertise areas, tiers, session types, availability, Connect state.

Writes go through expert_marketplace.services, reads through expert_marketplace.selectors.
Availability rules themselves (weekly schedule -> free slots) live in the pure engine in
expert_marketplace.availability; these models only store its inputs.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone as dj_timezone

from core.models import StatusEvent

DAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = dict(
    zip(DAY_KEYS, ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"), strict=True)
)

SESSION_MIN_MINUTES = 15
SESSION_MAX_MINUTES = 180
SESSION_MIN_PRICE_PENCE = 1000  # £10
BASIS_POINTS = 10_000  # 100 %
DEFAULT_COMMISSION_BPS = 2000  # 20 %, used only when an expert has neither an override nor a tier


def empty_week() -> dict[str, list]:
    return {day: [] for day in DAY_KEYS}


class ExpertiseArea(models.Model):
    """A field an expert advises on. Staff-managed; seeded by a data migration."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.CharField(max_length=255, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class Language(models.Model):
    """A language a consultation can be held in (ISO 639-1 code). A small table keeps the
    language filter an indexed join instead of a scan over a JSON list."""

    code = models.CharField(max_length=8, primary_key=True)
    name = models.CharField(max_length=60, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ExpertTier(models.Model):
    """A seniority level with its default platform commission. Staff-managed."""

    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    commission_bps = models.PositiveIntegerField(
        "commission (basis points)",
        validators=[MaxValueValidator(BASIS_POINTS)],
        help_text="Platform commission in basis points: 2000 = 20%.",
    )
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(commission_bps__lte=BASIS_POINTS), name="tier_commission_at_most_100pc")
        ]

    def __str__(self):
        return f"{self.name} ({self.commission_bps / 100:g}%)"


class ExpertProfile(models.Model):
    """The public face and settings of one expert (one per user)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting review"
        """Applied (or created by staff); not visible in the directory yet."""
        APPROVED = "approved", "Approved"
        """Vetted by staff; listed publicly while is_active is also on."""
        REJECTED = "rejected", "Rejected"
        """Turned down by staff, with a reason; may be approved later after changes."""

    TRANSITIONS: dict[str, set[str]] = {
        Status.PENDING: {Status.APPROVED, Status.REJECTED},
        Status.APPROVED: {Status.REJECTED},
        Status.REJECTED: {Status.APPROVED},
    }
    # The one definition of "listed" (public, bookable): approved, switched on by the expert, and
    # the person's account not deactivated. Queries use LISTED, objects use is_listed.
    LISTED = Q(status=Status.APPROVED, is_active=True, user__is_active=True)

    class AdviserStatus(models.TextChoices):
        NONE = "none", "Not a regulated adviser"
        OISC = "oisc", "OISC registered"
        SRA = "sra", "SRA regulated"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expert_profile")
    display_name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140, unique=True)
    headline = models.CharField(max_length=160, blank=True)
    bio = models.TextField(blank=True)
    photo = models.ImageField(upload_to="experts/", blank=True)
    expertise_areas = models.ManyToManyField(ExpertiseArea, blank=True, related_name="experts")
    languages = models.ManyToManyField(Language, blank=True, related_name="experts")
    years_experience = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(70)])

    adviser_status = models.CharField(max_length=8, choices=AdviserStatus.choices, default=AdviserStatus.NONE)
    adviser_number = models.CharField(max_length=40, blank=True)
    adviser_verified = models.BooleanField(default=False, help_text="Set by staff only, after checking the register.")
    adviser_verified_at = models.DateTimeField(null=True, blank=True)

    tier = models.ForeignKey(ExpertTier, on_delete=models.PROTECT, null=True, blank=True, related_name="experts")
    commission_override_bps = models.PositiveIntegerField(
        "commission override (basis points)",
        null=True,
        blank=True,
        validators=[MaxValueValidator(BASIS_POINTS)],
        help_text="Leave empty to use the tier's commission.",
    )

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(blank=True)
    is_active = models.BooleanField(default=True, help_text="Off hides an approved expert (e.g. on holiday).")

    # --- availability (inputs of the slot engine) --------------------------------------
    weekly_schedule = models.JSONField(default=empty_week, blank=True)
    timezone = models.CharField(max_length=64, default="Europe/London")
    buffer_minutes = models.PositiveSmallIntegerField(default=15, validators=[MaxValueValidator(120)])
    min_notice_hours = models.PositiveSmallIntegerField(default=24, validators=[MaxValueValidator(24 * 14)])
    horizon_days = models.PositiveSmallIntegerField(
        default=60, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    availability_updated_at = models.DateTimeField(null=True, blank=True)
    # Cache for "sort by next available". Refreshed by services.expert_next_slot_refresh:
    # on every availability/override/session-type change, by the periodic task
    # expert_marketplace.tasks.expert_next_slots_refresh, and (later) by bookings.
    next_slot_at = models.DateTimeField(null=True, blank=True, db_index=True)

    # --- calendar feeds (issue 20) ------------------------------------------------------------
    # The secret of the expert's own iCal feed of their bookings (/bookings/feed/<token>.ics);
    # empty until they ask for one; a new one replaces it (the old address stops working).
    calendar_feed_token = models.CharField(max_length=64, blank=True, default="")
    # The secret iCal address of the expert's own calendar: its busy times block slots.
    calendar_import_url = models.CharField(max_length=2000, blank=True, default="")
    # What the last successful sync found: [["<start ISO UTC>", "<end ISO UTC>"], ...], merged, sorted.
    calendar_import_busy = models.JSONField(default=list, blank=True)
    calendar_import_status = models.CharField(
        max_length=8, choices=[("", "Not synced yet"), ("ok", "Synced"), ("error", "Failed")], blank=True, default=""
    )
    calendar_import_error = models.CharField(max_length=300, blank=True, default="")
    calendar_import_checked_at = models.DateTimeField(null=True, blank=True)  # last attempt
    calendar_import_synced_at = models.DateTimeField(null=True, blank=True)  # last success

    # --- Stripe Connect (Express) ---------------------------------------------------------
    stripe_account_id = models.CharField(max_length=64, blank=True, db_index=True)
    charges_enabled = models.BooleanField(default=False)
    payouts_enabled = models.BooleanField(default=False)
    details_submitted = models.BooleanField(default=False)
    requirements_due = models.JSONField(default=list, blank=True)
    connect_updated_at = models.DateTimeField(
        null=True, blank=True, help_text="When Stripe produced the state shown (the account.updated event time)."
    )

    # --- reviews (denormalised; the reviews issue keeps them current) ---------------------
    rating_avg = models.DecimalField(max_digits=3, decimal_places=2, default=0)
    rating_count = models.PositiveIntegerField(default=0)

    created_at = models.DateTimeField(default=dj_timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["display_name"]
        indexes = [models.Index(fields=["status", "is_active"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(commission_override_bps__isnull=True) | Q(commission_override_bps__lte=BASIS_POINTS),
                name="expert_commission_override_at_most_100pc",
            ),
            models.CheckConstraint(
                condition=Q(rating_avg__gte=0) & Q(rating_avg__lte=5), name="expert_rating_avg_0_to_5"
            ),
            models.UniqueConstraint(
                fields=["calendar_feed_token"],
                condition=~Q(calendar_feed_token=""),
                name="expert_calendar_feed_token_unique",
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def is_listed(self) -> bool:
        """The object form of LISTED (reads the user row unless it was selected with the profile)."""
        return self.is_approved and self.is_active and self.user.is_active

    @property
    def commission_bps(self) -> int:
        """Override, else the tier's, else the platform default (in basis points)."""
        if self.commission_override_bps is not None:
            return self.commission_override_bps
        if self.tier_id is not None:
            return self.tier.commission_bps
        # The staff-editable platform default (site settings); DEFAULT_COMMISSION_BPS seeds it.
        from core.conf import setting

        return setting("PLATFORM_DEFAULT_COMMISSION_BPS")

    @property
    def initials(self) -> str:
        parts = [p for p in self.display_name.split() if p[:1].isalpha()]
        return "".join(p[0] for p in (parts[:1] + parts[1:][-1:])).upper() or "?"

    @property
    def show_adviser_badge(self) -> bool:
        return self.adviser_verified and self.adviser_status != self.AdviserStatus.NONE


class SessionType(models.Model):
    """A kind of consultation an expert offers, with its length and price."""

    expert = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="session_types")
    name = models.CharField(max_length=80)
    description = models.CharField(max_length=255, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(SESSION_MIN_MINUTES), MaxValueValidator(SESSION_MAX_MINUTES)]
    )
    price_pence = models.PositiveIntegerField(validators=[MinValueValidator(SESSION_MIN_PRICE_PENCE)])
    currency = models.CharField(max_length=3, default="gbp")
    is_active = models.BooleanField("active", default=True)
    created_at = models.DateTimeField(default=dj_timezone.now)

    class Meta:
        ordering = ["duration_minutes", "price_pence", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=SESSION_MIN_MINUTES) & Q(duration_minutes__lte=SESSION_MAX_MINUTES),
                name="session_type_duration_15_to_180",
            ),
            models.CheckConstraint(
                condition=Q(price_pence__gte=SESSION_MIN_PRICE_PENCE), name="session_type_price_at_least_10"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.duration_minutes} min)"


class AvailabilityOverride(models.Model):
    """One date that differs from the weekly schedule: a day off, or extra hours."""

    class Kind(models.TextChoices):
        OFF = "off", "Day off"
        """No slots at all on this date."""
        EXTRA = "extra", "Extra hours"
        """These intervals (expert's local time) are available on top of the weekly hours."""

    expert = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="overrides")
    day = models.DateField()
    kind = models.CharField(max_length=5, choices=Kind.choices)
    intervals = models.JSONField(default=list, blank=True, help_text='[["HH:MM","HH:MM"], ...] in the expert\'s zone.')
    note = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(default=dj_timezone.now)

    class Meta:
        ordering = ["day", "id"]
        constraints = [models.UniqueConstraint(fields=["expert", "day"], name="one_override_per_expert_day")]

    def __str__(self):
        return f"{self.expert} {self.day} {self.kind}"


class ExpertEvent(StatusEvent):
    """Append-only record of what happened to a profile and who did it (staff actions included)."""

    class Action(models.TextChoices):
        APPLIED = "applied", "Applied"
        CREATED = "created", "Created by staff"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        ADVISER_VERIFIED = "adviser_verified", "Adviser number verified"
        ADVISER_UNVERIFIED = "adviser_unverified", "Adviser verification removed"
        TIER_SET = "tier_set", "Tier set"
        STAFF_EDIT = "staff_edit", "Edited by staff"
        CONNECT_CREATED = "connect_created", "Payout account created"
        CONNECT_UPDATED = "connect_updated", "Payout account updated"

    subject_field = "expert"
    expert = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=24, choices=Action.choices)
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10, blank=True)
    created_at = models.DateTimeField(default=dj_timezone.now, db_index=True)

    class Meta(StatusEvent.Meta):
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.expert_id} {self.action} at {self.created_at:%Y-%m-%d %H:%M}"
