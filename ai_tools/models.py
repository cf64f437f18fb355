"""Uploaded documents and AI runs (jobs). Writes go through ai_tools.services only."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.models import StatusEvent


class Document(models.Model):
    """A validated upload (CV). The file is in the private storage under ``storage_name``."""

    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "Word document"
        TXT = "txt", "Plain text"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ai_documents")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    original_filename = models.CharField(max_length=255, help_text="As uploaded; for display only, never a path.")
    storage_name = models.CharField(max_length=200, unique=True, help_text="Server-generated, non-guessable.")
    size_bytes = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    page_count = models.PositiveSmallIntegerField()
    pages_estimated = models.BooleanField(help_text="True for DOCX and TXT: only a PDF has real pages.")
    word_count = models.PositiveIntegerField(default=0)
    text = models.TextField(help_text="Extracted, normalised text the analysis reads.")
    extraction_quality = models.CharField(
        max_length=12,
        default="good",
        help_text="good, repaired or unreadable (from text extraction); an unreadable CV is never analysed.",
    )
    extraction_warnings = models.JSONField(
        default=list, blank=True, help_text="User-facing sentences about the extraction, shown in 'What we read'."
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "-created_at"])]

    def __str__(self):
        return f"{self.original_filename} ({self.owner_id})"

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.kind]


class CVCorrection(models.Model):
    """The applicant's corrections to what we read from a CV ("What we read"), kept with the document and
    reused by every later analysis of it. ``roles`` is the whole corrected role list (ParsedRole dicts)."""

    document = models.OneToOneField(Document, on_delete=models.CASCADE, related_name="correction")
    roles = models.JSONField(default=list, help_text="ai_tools.results.ParsedRole dicts, in CV order.")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "CV correction"

    def __str__(self):
        return f"corrections to document {self.document_id}"


CONTENT_TYPES = {
    Document.Kind.PDF: "application/pdf",
    Document.Kind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    Document.Kind.TXT: "text/plain; charset=utf-8",
}


class AIRun(models.Model):
    """One use of an AI tool: charged when queued, run by a Celery task, refunded if it fails."""

    class Tool(models.TextChoices):
        CV_ANALYSIS = "cv_analysis", "CV analysis"
        STATEMENT_GENERATE = "statement_generate", "Personal Statement draft"
        STATEMENT_ENHANCE = "statement_enhance", "Personal Statement review"
        LETTERS_CHECK = "letters_check", "Recommendation letters check"
        """Run by the applications app (registered with services.register_tool)."""
        REFUSAL_REVIEW = "refusal_review", "Refusal review"
        """Run by the applications app (applications.refusals.tool)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        """Charged and waiting for a worker."""
        RUNNING = "running", "Running"
        """Claimed by a worker; the provider is working on it."""
        SUCCEEDED = "succeeded", "Finished"
        """The result is stored. Final."""
        FAILED = "failed", "Failed"
        """No result; the charge was refunded. Final."""

    # The only moves a run can make (services.ai_run_transition checks them).
    TRANSITIONS: dict[str, frozenset[str]] = {
        Status.QUEUED: frozenset({Status.RUNNING, Status.FAILED}),
        Status.RUNNING: frozenset({Status.SUCCEEDED, Status.FAILED}),
        Status.SUCCEEDED: frozenset(),
        Status.FAILED: frozenset(),
    }
    ACTIVE = (Status.QUEUED, Status.RUNNING)

    class PaidWith(models.TextChoices):
        FREE_USE = "free_use", "Free AI use"
        POINTS = "points", "Points"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ai_runs")
    tool = models.CharField(max_length=24, choices=Tool.choices, db_index=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED, db_index=True)
    document = models.ForeignKey(Document, on_delete=models.SET_NULL, null=True, blank=True, related_name="runs")
    based_on = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The CV analysis a statement run draws on, if any.",
    )
    input = models.JSONField(default=dict, blank=True, help_text="Route, category hint, facts or draft text.")
    result = models.JSONField(null=True, blank=True, help_text="The provider's result (ai_tools.results model).")
    headline = models.CharField(max_length=120, blank=True, help_text="One-line summary for lists.")
    error_message = models.CharField(max_length=500, blank=True, help_text="Safe to show to the user.")
    engine = models.CharField(max_length=80, blank=True)
    edit_choices = models.JSONField(
        default=dict,
        blank=True,
        help_text="Personal Statement review: the applicant's choice per suggested edit, {index: accepted|ignored}.",
    )
    # --- charge ---
    paid_with = models.CharField(max_length=10, choices=PaidWith.choices)
    points_charged = models.PositiveIntegerField(default=0)
    charge_entry = models.ForeignKey(
        "accounts.LedgerEntry", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    refund_entry = models.ForeignKey(
        "accounts.LedgerEntry", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    refunded = models.BooleanField(default=False)
    # --- timing ---
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "AI run"
        indexes = [models.Index(fields=["user", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(paid_with="free_use", points_charged=0) | Q(paid_with="points", points_charged__gt=0),
                name="airun_charge_matches_asset",
            ),
            models.CheckConstraint(
                condition=Q(refunded=False) | Q(status="failed"), name="airun_only_failed_runs_refunded"
            ),
        ]

    def __str__(self):
        return f"{self.get_tool_display()} #{self.pk} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def status_announcement(self) -> str:
        """One sentence for the page's live region when the status poll sees a change."""
        tool = self.get_tool_display()
        return {
            self.Status.QUEUED: f"{tool}: waiting for a free worker.",
            self.Status.RUNNING: f"{tool}: working on it.",
            self.Status.SUCCEEDED: f"{tool}: your result is ready.",
        }.get(self.status, f"{tool}: this run did not finish.")

    @property
    def cost_label(self) -> str:
        if self.paid_with == self.PaidWith.FREE_USE:
            return "1 free use"
        return f"{self.points_charged} points"


class AIRunEvent(StatusEvent):
    """One status change of a run (append-only): what moved it, when, from, to (runs have no actor)."""

    subject_field = "run"
    run = models.ForeignKey(AIRun, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    actor = None
    note = models.CharField(max_length=255, blank=True)


class AIConsent(models.Model):
    """The user agreed, once, that their text goes to an outside AI provider (OpenAI) before their first run
    with it. Recorded with the time and the provider named in the notice they read."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ai_consent")
    provider = models.CharField(max_length=20, default="openai")
    given_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "AI provider consent"

    def __str__(self):
        return f"{self.user_id} agreed to {self.provider} at {self.given_at:%Y-%m-%d %H:%M}"
