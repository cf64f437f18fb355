"""Reads for the AI tools. Every list is one query, a paginated one a count and a page (select_related,
no per-row lookups)."""

from django.core.paginator import Page, Paginator
from django.db.models import F, QuerySet, Window
from django.db.models.functions import RowNumber
from django.shortcuts import get_object_or_404

from .models import AIRun, CVCorrection, Document
from .pricing import tool_prices  # noqa: F401 - re-exported for views
from .results import ParsedCV, ParsedRole

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


_shared_document_sources: list = []


def register_shared_documents(source) -> None:
    """An app above this one lets users download documents others shared with them:
    `source(user=...)` returns a subquery of those document ids (bookings registers the documents
    clients shared with an expert's paid bookings, from BookingsConfig.ready())."""
    if source not in _shared_document_sources:
        _shared_document_sources.append(source)


def documents_downloadable_by(*, user) -> QuerySet[Document]:
    """Documents ``user`` may download: their own, plus those shared with them (register_shared_documents).

    Every download view goes through here, so that is the one place to change.
    """
    from django.db.models import Q

    if not user.is_authenticated:
        return Document.objects.none()
    allowed = Q(owner=user)
    for source in _shared_document_sources:
        allowed |= Q(pk__in=source(user=user))
    return Document.objects.filter(allowed)


def document_for_download(*, user, pk: int) -> Document:
    """The document if ``user`` may download it; Http404 otherwise (never 403: ids are not confirmed)."""
    return get_object_or_404(documents_downloadable_by(user=user).defer("text"), pk=pk)


def documents_for_user(*, user) -> QuerySet[Document]:
    return Document.objects.filter(owner=user).defer("text").order_by("-created_at", "-id")


def document_for_owner(*, user, pk: int) -> Document:
    return get_object_or_404(Document.objects.filter(owner=user).defer("text"), pk=pk)


def document_for_reading(*, user, pk: int) -> Document:
    """One of the user's documents with its text and corrections (one query; Http404 for anyone else's)."""
    return get_object_or_404(Document.objects.filter(owner=user).select_related("correction"), pk=pk)


def cv_is_unreadable(document: Document) -> bool:
    return document.extraction_quality == "unreadable" or not document.text.strip()


def parsed_cv_for(*, document: Document, corrected: bool = True, today=None) -> ParsedCV:
    """What we read from the document: the structured parse, with the applicant's corrections applied
    (their role list replaces the parsed one) unless ``corrected`` is False. No query when the document
    came from document_for_reading (its correction is joined)."""
    from .providers.base import utc_today
    from .providers.local.parsing import parse_cv

    parsed = parse_cv(document.text, today or utc_today(), warnings=document.extraction_warnings or [])
    if corrected:
        try:
            correction = document.correction
        except CVCorrection.DoesNotExist:
            correction = None
        if correction is not None:
            parsed.roles = [ParsedRole.model_validate(r) for r in correction.roles]
    return parsed


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


def latest_run_per_tool(*, user) -> dict[str, AIRun]:
    """The newest run of each tool the user has run (one query, a row per tool, for dashboard cards)."""
    newest_first = [F("created_at").desc(), F("id").desc()]
    runs = (
        AIRun.objects.filter(user=user)
        .only("id", "tool", "status", "headline", "created_at")
        .annotate(rank=Window(RowNumber(), partition_by=[F("tool")], order_by=newest_first))
        .filter(rank=1)
    )
    return {run.tool: run for run in runs}


def runs_page(*, user, number: int, per_page: int) -> Page:
    """One page of the user's runs, newest first (a count and a row query, list columns only)."""
    runs = AIRun.objects.filter(user=user).select_related("document").only(*_RUN_LIST_FIELDS)
    return Paginator(runs.order_by("-created_at", "-id"), per_page).get_page(number)


_DOC_LIST_FIELDS = (
    "id",
    "owner_id",
    "kind",
    "original_filename",
    "size_bytes",
    "page_count",
    "pages_estimated",
    "created_at",
)


def recent_documents(*, user, limit: int) -> tuple[list[Document], bool]:
    """The user's ``limit`` newest documents and whether there are more (one query)."""
    docs = list(Document.objects.filter(owner=user).only(*_DOC_LIST_FIELDS).order_by("-created_at", "-id")[: limit + 1])
    return docs[:limit], len(docs) > limit
