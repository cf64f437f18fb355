"""A refusal the applicant brought to the review assistant, its reminders and its shares with experts.

Imported by applications.models (Django finds the app's models there). Writes go through refusals.services.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class RefusalCase(models.Model):
    """One refusal: the letter's text (pasted, or extracted from an upload) and the decision date."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="refusal_cases")
    decision_date = models.DateField(help_text="The date of the refusal decision (the e-mail's date).")
    letter_text = models.TextField(max_length=30000)
    original_filename = models.CharField(max_length=255, blank=True)
    storage_name = models.CharField(max_length=200, blank=True, help_text="The uploaded letter, if any (private).")
    run = models.ForeignKey(
        "ai_tools.AIRun", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", help_text="Latest review."
    )
    handoff_at = models.DateTimeField(
        null=True, blank=True, help_text="When the applicant asked to share the findings with the expert they book."
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["decision_date"], name="refusal_decision_date")]

    def __str__(self):
        return f"Refusal of {self.decision_date} ({self.owner_id})"


class RefusalReminder(models.Model):
    """One deadline reminder e-mail; the unique row makes each go out once."""

    case = models.ForeignKey(RefusalCase, on_delete=models.CASCADE, related_name="reminders")
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "days_before"], name="refusal_reminder_once")]

    def __str__(self):
        return f"{self.case_id}: {self.days_before} days before"


class RefusalShare(models.Model):
    """The findings shared read-only with the expert of a paid booking made after the hand-off."""

    case = models.ForeignKey(RefusalCase, on_delete=models.CASCADE, related_name="shares")
    booking = models.ForeignKey("bookings.Booking", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "booking"], name="refusal_shared_once_per_booking")]

    def __str__(self):
        return f"Refusal {self.case_id} -> booking {self.booking_id}"
