"""Reads for the AI tools. Every list is one query (select_related, no per-row lookups)."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .models import AIRun, Document
from .pricing import tool_prices  # noqa: F401 - re-exported for views

# Columns lists need; the big JSON and text columns stay in the database.
_RUN_LIST_FIELDS = (
    "id",
    "tool",
    "status",
    "headline",
    "paid_with",
    "points_charged",
    "refunded",
    "created_at",
    "finished_at",
    "document_id",
    "document__original_filename",
)


def documents_downloadable_by(*, user) -> QuerySet[Document]:
    """Documents ``user`` may download: their own, plus those clients shared with a booking of theirs
    when ``user`` is an expert (bookings.BookingDocument; paid bookings only).

    Every download view goes through here, so that is the one place to change.
    """
    from django.db.models import Q

    from bookings.selectors import document_ids_shared_with_expert_user

    if not user.is_authenticated:
        return Document.objects.none()
    return Document.objects.filter(Q(owner=user) | Q(pk__in=document_ids_shared_with_expert_user(user=user)))


def document_for_download(*, user, pk: int) -> Document:
    """The document if ``user`` may download it; Http404 otherwise (never 403: ids are not confirmed)."""
    return get_object_or_404(documents_downloadable_by(user=user).defer("text"), pk=pk)


def documents_for_user(*, user) -> QuerySet[Document]:
    return Document.objects.filter(owner=user).defer("text").order_by("-created_at", "-id")


def document_for_owner(*, user, pk: int) -> Document:
    return get_object_or_404(Document.objects.filter(owner=user).defer("text"), pk=pk)


def run_for_user(*, user, pk: int) -> AIRun:
    """One of the user's runs with its document (Http404 for anyone else's)."""
    return get_object_or_404(AIRun.objects.filter(user=user).select_related("document").defer("document__text"), pk=pk)


def run_status_for_user(*, user, pk: int) -> AIRun:
    """Just enough of a run to answer the status poll (no result JSON)."""
    return get_object_or_404(
        AIRun.objects.filter(user=user).only("id", "user_id", "tool", "status", "created_at", "started_at"), pk=pk
    )


def runs_for_user(*, user, limit: int | None = None) -> list[AIRun]:
    runs = AIRun.objects.filter(user=user).select_related("document").only(*_RUN_LIST_FIELDS)
    runs = runs.order_by("-created_at", "-id")
    return list(runs[:limit] if limit else runs)


def cv_analyses_for_user(*, user) -> QuerySet[AIRun]:
    """Finished CV analyses the statement tools can draw on (for a choice field)."""
    return (
        AIRun.objects.filter(user=user, tool=AIRun.Tool.CV_ANALYSIS, status=AIRun.Status.SUCCEEDED)
        .select_related("document")
        .only(*_RUN_LIST_FIELDS)
        .order_by("-created_at", "-id")
    )


def latest_run_per_tool(*, user, scan: int = 30) -> dict[str, AIRun]:
    """The newest run of each tool among the user's last ``scan`` runs (one query, for dashboard cards)."""
    latest: dict[str, AIRun] = {}
    for run in runs_for_user(user=user, limit=scan):
        latest.setdefault(run.tool, run)
    return latest
