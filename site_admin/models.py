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
