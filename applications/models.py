"""The applicant's pack: one application per user, its evidence documents, its three letters, its shares.

Writes go through applications.services only.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Criterion(models.TextChoices):
    MC = "MC", "MC: recognition"
    OC1 = "OC1", "OC1: innovation"
    OC2 = "OC2", "OC2: recognition beyond occupation"
    OC3 = "OC3", "OC3: significant contributions"
    OC4 = "OC4", "OC4: academic contributions"


OPTIONAL = [(c.value, c.label) for c in Criterion if c != Criterion.MC]


class Application(models.Model):
    """The user's one active application (created on first visit)."""

    class Category(models.TextChoices):
        TALENT = "talent", "Exceptional Talent"
        PROMISE = "promise", "Exceptional Promise"

    owner = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="application")
    category = models.CharField(max_length=10, choices=Category.choices, blank=True)
    first_optional = models.CharField("first optional criterion", max_length=3, choices=OPTIONAL, blank=True)
    second_optional = models.CharField("second optional criterion", max_length=3, choices=OPTIONAL, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(first_optional="") | ~Q(first_optional=models.F("second_optional")),
                name="application_two_different_optional_criteria",
            )
        ]

    def __str__(self):
        return f"Application of {self.owner_id}"

    @property
    def optional_criteria(self) -> list[str]:
        return [c for c in (self.first_optional, self.second_optional) if c]


class EvidenceDocument(models.Model):
    """One piece of evidence: a validated file in private storage, on exactly one criterion."""

    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "Word document"
        PNG = "png", "PNG image"
        JPEG = "jpg", "JPEG image"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    position = models.PositiveSmallIntegerField(help_text="Order in the pack (1 is first).")
    title = models.CharField(max_length=150)
    proves = models.TextField("what it proves", max_length=600)
    evidence_date = models.DateField(help_text="When the recognition or work happened.")
    source = models.CharField(max_length=300, help_text="The URL of the page, or the issuer.")
    is_web_printout = models.BooleanField(default=False)
    criterion = models.CharField(
        max_length=3, choices=Criterion.choices, blank=True, help_text="Blank until the applicant decides."
    )
    suggestion = models.JSONField(null=True, blank=True, help_text="The engine's CriterionSuggestion.")
    # --- the file ---
    kind = models.CharField(max_length=4, choices=Kind.choices)
    original_filename = models.CharField(max_length=255, help_text="As uploaded; for display only, never a path.")
    storage_name = models.CharField(max_length=200, unique=True, help_text="Server-generated, non-guessable.")
    size_bytes = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    page_count = models.PositiveSmallIntegerField()
    pages_estimated = models.BooleanField(help_text="True for DOCX: only a PDF (or an image: 1) has real pages.")
    text = models.TextField(blank=True, help_text="Extracted text (empty for images).")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            # One file is one document on one criterion: the same file cannot come back for another one.
            models.UniqueConstraint(fields=["application", "sha256"], name="evidence_file_once_per_application"),
        ]

    def __str__(self):
        return f"{self.position}. {self.title}"

    @property
    def content_type(self) -> str:
        return {
            "pdf": "application/pdf",
            "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "png": "image/png",
            "jpg": "image/jpeg",
        }[self.kind]


class RecommendationLetter(models.Model):
    """One of the three letters, pasted or uploaded, with who wrote it."""

    class Relationship(models.TextChoices):
        LINE_MANAGER = "line_manager", "Line manager"
        PEER = "peer", "Peer"
        CLIENT = "client", "Client"
        INVESTOR = "investor", "Investor"
        ACADEMIC = "academic", "Academic"
        COMMUNITY = "community", "Community"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="letters")
    position = models.PositiveSmallIntegerField()
    name = models.CharField("recommender's name", max_length=150)
    role = models.CharField(max_length=150)
    organisation = models.CharField(max_length=150)
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    months_known = models.PositiveSmallIntegerField(help_text="How long they have known your work.")
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    text = models.TextField(max_length=20000)
    original_filename = models.CharField(max_length=255, blank=True, help_text="The upload its text came from, if any.")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["application", "position"], name="letter_position_once"),
            models.CheckConstraint(condition=Q(position__gte=1, position__lte=3), name="letter_position_1_to_3"),
        ]

    def __str__(self):
        return f"Letter {self.position}: {self.name}"


class PlanShare(models.Model):
    """The plan shared read-only with the expert of one of the applicant's paid bookings."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="shares")
    booking = models.ForeignKey("bookings.Booking", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "booking"], name="plan_shared_once_per_booking")]

    def __str__(self):
        return f"Plan {self.application_id} -> booking {self.booking_id}"


from .refusals.models import RefusalCase, RefusalReminder, RefusalShare  # noqa: E402 - the refusal review's models

__all__ = [
    "OPTIONAL",
    "Application",
    "Criterion",
    "EvidenceDocument",
    "PlanShare",
    "RecommendationLetter",
    "RefusalCase",
    "RefusalReminder",
    "RefusalShare",
]
