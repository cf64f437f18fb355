from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone as dj_timezone


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True, role=User.Role.STAFF)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their email address (there is no username)."""

    class Role(models.TextChoices):
        CLIENT = "client", "Client"
        """An applicant: runs AI tools, buys points, books experts. The default."""
        EXPERT = "expert", "Expert"
        """Gives paid consultations; has an expert profile."""
        STAFF = "staff", "Staff"
        """Runs the platform from the back office."""

    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150, blank=True)
    timezone = models.CharField(max_length=64, default="Europe/London")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.CLIENT, db_index=True)
    is_staff = models.BooleanField(default=False, help_text="Can log into the admin site.")
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=dj_timezone.now)
    undeliverable_email = models.BooleanField(
        default=False,
        help_text="Mail to this address hard-bounced or was reported as spam: nothing is sent to it until "
        "the user changes or re-verifies it.",
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["-date_joined"]

    def __str__(self):
        return self.email

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return (self.full_name.split(" ")[0] if self.full_name else "") or self.email.split("@")[0]

    @property
    def is_client(self):
        return self.role == self.Role.CLIENT

    @property
    def is_expert(self):
        return self.role == self.Role.EXPERT


class Wallet(models.Model):
    """Cached balances of a user's points and free AI uses.

    Kept out of the User row on purpose: a form saving a stale User instance must never be
    able to overwrite a balance. Only accounts.services changes these numbers, always
    together with a LedgerEntry in the same transaction.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, primary_key=True, related_name="wallet")
    points_balance = models.IntegerField(default=0)
    free_ai_uses = models.IntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(points_balance__gte=0), name="wallet_points_balance_not_negative"),
            models.CheckConstraint(condition=Q(free_ai_uses__gte=0), name="wallet_free_ai_uses_not_negative"),
        ]

    def __str__(self):
        return f"{self.user}: {self.points_balance} points, {self.free_ai_uses} free uses"


class LedgerEntry(models.Model):
    """One append-only change to a wallet balance. Never updated or deleted."""

    class Asset(models.TextChoices):
        POINTS = "points", "Points"
        FREE_AI_USES = "free_ai_uses", "Free AI uses"

    class Reason(models.TextChoices):
        SIGNUP_BONUS = "signup_bonus", "Signup bonus"
        PURCHASE = "purchase", "Purchase"
        SPEND = "spend", "Spent"
        REFUND = "refund", "Refund"
        REFERRAL = "referral", "Referral reward"
        ADJUSTMENT = "adjustment", "Staff adjustment"
        REVERSAL = "reversal", "Reversal"

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="ledger_entries")
    asset = models.CharField(max_length=16, choices=Asset.choices)
    amount = models.IntegerField(help_text="Positive adds to the balance, negative takes from it.")
    balance_after = models.IntegerField()
    reason = models.CharField(max_length=16, choices=Reason.choices)
    description = models.CharField(max_length=255, blank=True)
    # Set when the change comes from outside (a Stripe session, a refund, a bonus): a second
    # attempt with the same key finds the first row instead of changing the balance again.
    idempotency_key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    actor = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Staff member or user who caused it.",
    )
    source_type = models.CharField(max_length=50, blank=True, help_text="What caused it, e.g. payment, ai_run.")
    source_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=dj_timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "ledger entries"
        indexes = [models.Index(fields=["user", "asset", "-created_at"])]
        constraints = [models.CheckConstraint(condition=~Q(amount=0), name="ledger_amount_not_zero")]

    def __str__(self):
        return f"{self.amount:+d} {self.asset} for {self.user_id} ({self.reason})"


class EmailSuppression(models.Model):
    """An address we no longer mail (core.mailer skips it): it hard-bounced or its owner complained.

    Written by the email provider's tracking webhook (anymail); removed when the user verifies the
    address again (they fixed it)."""

    class Reason(models.TextChoices):
        BOUNCED = "bounced", "Hard bounce"
        """The receiving server said the mailbox does not exist (permanent)."""
        COMPLAINED = "complained", "Spam complaint"
        """The recipient marked our email as spam."""

    email = models.EmailField(unique=True, help_text="Stored lower-case.")
    reason = models.CharField(max_length=16, choices=Reason.choices)
    detail = models.CharField(max_length=500, blank=True, help_text="What the provider said.")
    provider_event_id = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=dj_timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} ({self.reason})"
