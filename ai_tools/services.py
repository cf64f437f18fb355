"""Writes for the AI tools: store uploads, start (and charge for) runs, execute them, fail and refund.

Every function is keyword-only and atomic. The charge is taken in the same transaction that creates the
queued run; the Celery task is enqueued on commit; a failed run is refunded exactly once (a flag on the
run under a row lock, plus a ledger idempotency key).
"""

from __future__ import annotations

import datetime as dt
import inspect
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import LedgerEntry
from accounts.selectors import wallet_for
from accounts.services import InsufficientBalance, Source, free_use_spend, free_uses_grant, points_refund, points_spend
from core import fragments
from core.transitions import StateMachine

from . import rules
from .documents import (
    DocumentRejected,
    ExtractedDocument,
    UploadLimits,
    extract_document,
    new_storage_name,
    read_upload,
)
from .models import AIConsent, AIRun, AIRunEvent, CVCorrection, Document
from .pricing import tool_price
from .private_storage import private_storage
from .providers import ProviderError, get_provider
from .results import CVAnalysis, ParsedRole, StatementDraft, StatementFacts, StatementReview
from .selectors import cv_is_unreadable, parsed_cv_for

logger = logging.getLogger(__name__)

GENERIC_FAILURE = "Something went wrong while preparing your result. Please try again in a few minutes."
UNREADABLE_CV = (
    "We could not read the text of this CV reliably, so we did not score it. Upload it as a Word document "
    "(.docx), or export the PDF again from the program you wrote it in."
)
WORKER_LOST = "This run stopped unexpectedly and was refunded. Please try again."
# A queued run no worker picked up for this long is failed and refunded by the sweeper (the broker
# lost it, or the queue is so far behind that the user has given up waiting).
QUEUED_TOO_LONG = dt.timedelta(minutes=15)
# Slack past the hard time limit before a "running" run counts as abandoned (clock skew, commit).
RUNNING_GRACE = dt.timedelta(seconds=30)


class InvalidTransition(Exception):
    """A run was asked to move between statuses the transitions map does not allow."""


class NotEnoughCredit(InsufficientBalance):
    """The user has neither a free use nor enough points; nothing was created or charged."""

    def __init__(self, *, tool: str, price: int, points: int):
        self.tool, self.price, self.points = tool, price, points
        self.asset, self.needed, self.available = LedgerEntry.Asset.POINTS, price, points
        Exception.__init__(
            self,
            f"{AIRun.Tool(tool).label} costs {price} points or 1 free AI use. "
            f"You have {points} points and no free AI uses.",
        )


class RunRejected(Exception):
    """The request cannot become a run (bad route, someone else's document...). ``message`` is user-safe."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ConsentRequired(RunRejected):
    """The AI engine is OpenAI and the user has not yet agreed that their text goes there."""

    def __init__(self):
        super().__init__("Before your first analysis, please read how your text is sent to OpenAI and agree.")


def ai_consent_needed(*, user) -> bool:
    """True while the engine sends text out of TalentVisa (OpenAI) and ``user`` has not agreed to it yet."""
    return bool(getattr(settings, "OPENAI_API_KEY", "")) and not AIConsent.objects.filter(user_id=user.pk).exists()


def ai_consent_give(*, user) -> AIConsent:
    """Record, once, that ``user`` agreed their text goes to OpenAI (the first agreement's time is kept)."""
    with transaction.atomic():
        consent, _ = AIConsent.objects.get_or_create(user=user, defaults={"provider": "openai"})
    return consent


# --- documents ---------------------------------------------------------------------------------


@contextmanager
def _delete_files_on_error(storage) -> Iterator[list[str]]:
    """Yields a list; names appended to it are deleted from ``storage`` if the block raises."""
    saved: list[str] = []
    try:
        yield saved
    except BaseException:
        for name in saved:
            try:
                storage.delete(name)
            except Exception:  # never hide the original error behind a cleanup error
                logger.exception("could not delete private file %s after a failed write", name)
        raise


def document_validate(*, upload: UploadedFile | bytes) -> tuple[ExtractedDocument, bytes]:
    """Check the upload by its content and extract its text; raises DocumentRejected. Writes nothing."""
    limits = UploadLimits.from_settings()
    size = len(upload) if isinstance(upload, bytes | bytearray) else getattr(upload, "size", None)
    if size is not None and size > limits.max_bytes:
        # Refuse before reading a byte of it.
        raise DocumentRejected(
            f"The file is larger than {limits.max_bytes // (1024 * 1024)} MB. A CV should be at most 3 pages: "
            "remove images or export it again as a text-based PDF."
        )
    data = read_upload(upload, max_bytes=limits.max_bytes)
    return extract_document(data, limits=limits), data


def _document_store(*, owner, filename: str, extracted: ExtractedDocument, data: bytes, saved: list[str]) -> Document:
    storage = private_storage()
    name = storage.save(new_storage_name(extracted.kind), ContentFile(data))
    saved.append(name)
    return Document.objects.create(
        owner=owner,
        kind=extracted.kind.value,
        original_filename=(filename or f"cv.{extracted.kind.value}")[-255:],
        storage_name=name,
        size_bytes=extracted.size_bytes,
        sha256=extracted.sha256,
        page_count=extracted.page_count,
        pages_estimated=extracted.pages_estimated,
        word_count=extracted.word_count,
        text=extracted.text,
        # Set by the extraction's quality check when present (see ai_tools.documents.extraction).
        extraction_quality=getattr(extracted, "quality", "good") or "good",
        extraction_warnings=list(getattr(extracted, "warnings", ()) or ()),
    )


def document_create(*, owner, upload: UploadedFile) -> Document:
    """Validate, store the file privately and create the row; if the row cannot be written the file goes too."""
    extracted, data = document_validate(upload=upload)
    with _delete_files_on_error(private_storage()) as saved, transaction.atomic():
        fragments.bump(fragments.user_scope(owner))  # the history's file list
        return _document_store(
            owner=owner, filename=getattr(upload, "name", ""), extracted=extracted, data=data, saved=saved
        )


# --- "What we read": corrections to the parse, kept with the document ----------------------------

_ROLE_FIELDS = ("title", "organisation", "start", "end", "is_current", "is_tech", "org_kind")


def cv_correction_save(*, user, document: Document, roles: list[dict[str, Any]]) -> CVCorrection:
    """Store the applicant's role list for ``document`` (replacing earlier corrections). Each role is
    checked as a ParsedRole; a role that differs from what we read, or was added, is marked corrected."""
    if document.owner_id != user.pk:
        raise RunRejected("That document is not yours.")
    as_read = {r.line_no: r for r in parsed_cv_for(document=document, corrected=False).roles}
    checked = []
    for raw in roles:
        role = ParsedRole.model_validate({**raw, "corrected": False})
        original = as_read.get(role.line_no) if role.line_no is not None else None
        if original is None:
            role.line_no = None  # an added role (or a line number we did not produce): no CV lines behind it
            role.source = ""
        else:
            role.source = original.source
        role.corrected = original is None or any(getattr(role, f) != getattr(original, f) for f in _ROLE_FIELDS)
        checked.append(role.model_dump(mode="json"))
    with transaction.atomic():
        correction, _ = CVCorrection.objects.update_or_create(
            document=document, defaults={"roles": checked, "updated_at": timezone.now()}
        )
    return correction


def cv_correction_reset(*, user, document: Document) -> None:
    """Forget the corrections: the next analysis reads the CV as parsed."""
    if document.owner_id != user.pk:
        raise RunRejected("That document is not yours.")
    with transaction.atomic():
        CVCorrection.objects.filter(document=document).delete()


def private_files_delete(names: list[str]) -> None:
    """Remove stored files after the rows are gone (a missing file is already gone)."""
    storage = private_storage()
    for name in names:
        try:
            storage.delete(name)
        except FileNotFoundError:
            pass
        except Exception:  # the row is gone; a file left behind is logged for staff to remove by hand
            logger.exception("could not delete private file %s", name)


def document_delete(*, user, document_id: int) -> None:
    """Delete one of ``user``'s documents and every copy derived from it: the stored file, the extracted
    text and corrections (rows), the shares with bookings, and what the AI runs on it kept of the text
    (their input and result; the run row stays for its charge). Http404-safe: raises Document.DoesNotExist
    for anyone else's document."""
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document_id, owner=user)
        documents_delete_locked(documents=[document])


def documents_delete_locked(*, documents: list[Document]) -> int:
    """Delete these (locked) documents and their derived copies; the files go after commit. Returns the count."""
    if not documents:
        return 0
    ids = [d.pk for d in documents]
    names = [d.storage_name for d in documents]
    runs = AIRun.objects.filter(document_id__in=ids)
    # A finished run's result quotes the document; a queued/running one would re-read it: both lose it.
    runs.update(input={}, result=None, edit_choices={}, document=None)
    Document.objects.filter(pk__in=ids).delete()  # cascades: CVCorrection, BookingDocument
    transaction.on_commit(lambda: private_files_delete(names))
    for owner_id in {d.owner_id for d in documents}:
        fragments.bump(fragments.user_scope(owner_id))
    return len(ids)


# --- runs: start and charge ----------------------------------------------------------------------


AI_RUN = StateMachine(
    allowed=AIRun.TRANSITIONS,
    events=AIRunEvent,
    refuse=lambda run, current, target: InvalidTransition(f"AI run {run.pk}: {current} -> {target} is not allowed"),
    scopes=lambda run: [fragments.user_scope(run.user_id)],  # the history row and the dashboard card
)


def ai_run_transition(*, run: AIRun, to: str, note: str = "", fields: tuple[str, ...] = ()) -> AIRun:
    """Move a locked run to ``to`` if the transitions map allows it, and record the event."""
    now = timezone.now()
    changed = {name: getattr(run, name) for name in fields}
    if to == AIRun.Status.RUNNING:
        changed["started_at"] = now
    elif to in (AIRun.Status.SUCCEEDED, AIRun.Status.FAILED):
        changed["finished_at"] = now
    AI_RUN.move(run, to, note=note[:255], fields=changed, event={"created_at": now})
    return run


def _charge(*, run: AIRun) -> None:
    """One free use if the user has any, else the tool's price in points. Raises NotEnoughCredit."""
    price = tool_price(run.tool)
    key = f"ai-run-{run.pk}-charge"
    source = Source("ai_run", str(run.pk))
    description = f"{run.get_tool_display()} (run #{run.pk})"
    entry = None
    if wallet_for(user=run.user).free_ai_uses > 0:
        try:
            entry = free_use_spend(user=run.user, description=description, idempotency_key=key, source=source)
            run.paid_with, run.points_charged = AIRun.PaidWith.FREE_USE, 0
        except InsufficientBalance:
            entry = None  # spent concurrently since we looked: pay with points instead
    if entry is None:
        try:
            entry = points_spend(
                user=run.user, amount=price, description=description, idempotency_key=key, source=source
            )
        except InsufficientBalance as exc:
            raise NotEnoughCredit(tool=run.tool, price=price, points=exc.available) from exc
        run.paid_with, run.points_charged = AIRun.PaidWith.POINTS, price
    run.charge_entry = entry
    run.save(update_fields=["paid_with", "points_charged", "charge_entry"])


def ai_run_create(
    *,
    user,
    tool: str,
    input: dict[str, Any],
    document: Document | None = None,
    based_on: AIRun | None = None,
) -> AIRun:
    """Create a queued run and charge for it in one transaction; enqueue the task once it commits."""
    if ai_consent_needed(user=user):
        raise ConsentRequired()
    if document is not None and document.owner_id != user.pk:
        raise RunRejected("That document is not yours.")
    if based_on is not None and (
        based_on.user_id != user.pk
        or based_on.tool != AIRun.Tool.CV_ANALYSIS
        or based_on.status != AIRun.Status.SUCCEEDED
    ):
        raise RunRejected("Choose one of your finished CV analyses.")
    with transaction.atomic():
        run = AIRun.objects.create(
            user=user,
            tool=tool,
            input=input,
            document=document,
            based_on=based_on,
            paid_with=AIRun.PaidWith.FREE_USE,  # provisional until _charge decides
        )
        AIRunEvent.record(run, to_status=run.status, note="created", created_at=run.created_at)
        fragments.bump(fragments.user_scope(user))
        _charge(run=run)
        transaction.on_commit(lambda: _enqueue(run_id=run.pk))
    return run


def _enqueue(*, run_id: int) -> None:
    """Hand the run to Celery (after commit). If the broker refuses it, fail the run now so it is refunded."""
    from .tasks import run_ai_job

    try:
        run_ai_job.delay(run_id)
    except Exception:  # noqa: BLE001 - broker down or misconfigured: the user must not pay for nothing
        logger.exception("could not enqueue AI run %s", run_id)
        ai_run_fail(run_id=run_id, message="We could not start this run. Please try again in a few minutes.")


def cv_analysis_start(
    *,
    user,
    route: str,
    category_hint: str | None = None,
    upload: UploadedFile | None = None,
    document: Document | None = None,
) -> AIRun:
    """Start a CV analysis on a new upload or an existing document.

    A rejected upload raises DocumentRejected before anything is written or charged. A new upload is stored
    in the same transaction as the run and its charge: if the charge fails, the row and the file go too.
    """
    route_info = rules.ROUTES.get(route)
    if route_info is None or not route_info.available:
        raise RunRejected("CV analysis for this route is coming later. Choose Digital technology.")
    if category_hint not in (None, "", *rules.CATEGORIES):
        raise RunRejected("Choose Exceptional Talent, Exceptional Promise or Not sure.")
    if (upload is None) == (document is None):
        raise RunRejected("Upload a CV or choose one you uploaded before.")
    extracted = data = None
    if upload is not None:
        extracted, data = document_validate(upload=upload)
    with _delete_files_on_error(private_storage()) as saved, transaction.atomic():
        if extracted is not None:
            document = _document_store(
                owner=user, filename=getattr(upload, "name", ""), extracted=extracted, data=data, saved=saved
            )
        return ai_run_create(
            user=user,
            tool=AIRun.Tool.CV_ANALYSIS,
            input={"route": route, "category_hint": category_hint or None},
            document=document,
        )


def statement_generate_start(*, user, facts: dict[str, Any], based_on: AIRun | None = None) -> AIRun:
    """Start a Personal Statement draft from the applicant's own facts (validated as StatementFacts)."""
    checked = StatementFacts.model_validate(facts)
    return ai_run_create(
        user=user,
        tool=AIRun.Tool.STATEMENT_GENERATE,
        input={"facts": checked.model_dump(mode="json", exclude={"cv_analysis"})},
        based_on=based_on,
    )


def statement_enhance_start(*, user, draft: str, based_on: AIRun | None = None) -> AIRun:
    draft = draft.strip()
    if not draft:
        raise RunRejected("Paste your draft statement.")
    return ai_run_create(user=user, tool=AIRun.Tool.STATEMENT_ENHANCE, input={"draft": draft}, based_on=based_on)


# --- tools other apps run through this machinery (charge, task, refund) --------------------------


@dataclass(frozen=True)
class ExternalTool:
    """A tool another app owns (e.g. applications' letters check) that is charged, run and refunded as a run."""

    result_model: type
    execute: Callable[[AIRun], Any]  # the result model; raise ProviderError with a user-safe message
    headline: Callable[[Any], str]
    detail_url: Callable[[AIRun], str]


_EXTERNAL_TOOLS: dict[str, ExternalTool] = {}


def register_tool(*, tool: str, result_model: type, execute, headline, detail_url) -> None:
    """Called from the owning app's AppConfig.ready()."""
    _EXTERNAL_TOOLS[tool] = ExternalTool(result_model, execute, headline, detail_url)


def external_detail_url(run: AIRun) -> str | None:
    tool = _EXTERNAL_TOOLS.get(run.tool)
    return tool.detail_url(run) if tool else None


# --- runs: execute, fail, refund -----------------------------------------------------------------


def _cv_analysis_of(run: AIRun | None) -> CVAnalysis | None:
    if run is None or run.result is None:
        return None
    return CVAnalysis.model_validate(run.result)


def _call_provider(run: AIRun, provider) -> CVAnalysis | StatementDraft | StatementReview:
    if run.tool in _EXTERNAL_TOOLS:
        return _EXTERNAL_TOOLS[run.tool].execute(run)
    if run.tool == AIRun.Tool.CV_ANALYSIS:
        doc = run.document
        if doc is None:
            raise ProviderError("The CV for this analysis was deleted before it could be read.")
        if cv_is_unreadable(doc):
            # Scoring garbage would be worse than no result: fail, and the failure path refunds.
            raise ProviderError(UNREADABLE_CV)
        extra = {}
        if "parsed" in inspect.signature(provider.analyse_cv).parameters:
            # The roles as the applicant checked (and maybe corrected) them in "What we read".
            extra["parsed"] = parsed_cv_for(document=doc)
        return provider.analyse_cv(
            doc.text,
            run.input["route"],
            run.input.get("category_hint") or None,
            doc.page_count,
            doc.pages_estimated,
            **extra,
        )
    if run.tool == AIRun.Tool.STATEMENT_GENERATE:
        facts = StatementFacts.model_validate({**run.input["facts"], "cv_analysis": None})
        facts.cv_analysis = _cv_analysis_of(run.based_on)
        return provider.generate_statement(facts)
    if run.tool == AIRun.Tool.STATEMENT_ENHANCE:
        return provider.enhance_statement(run.input["draft"], _cv_analysis_of(run.based_on))
    raise ProviderError("This tool is not available.")


def _headline(result) -> str:
    for tool in _EXTERNAL_TOOLS.values():
        if isinstance(result, tool.result_model):
            return tool.headline(result)
    if isinstance(result, CVAnalysis):
        if not result.route_available:
            return "Route coming later"
        return f"Readiness {result.overall_score}/100"
    if isinstance(result, StatementDraft):
        return f"Draft, {result.word_count} words, {len(result.placeholders)} placeholders"
    if isinstance(result, StatementReview):
        missing = len(result.missing_elements)
        return f"{result.word_count}/{result.word_limit} words, {missing} element{'s' if missing != 1 else ''} missing"
    return ""


def ai_run_execute(*, run_id: int, provider=None) -> AIRun:
    """The task body. Claims a queued run under a row lock; any other status means someone else has it: no-op."""
    with transaction.atomic():
        run = AI_RUN.lock(AIRun, pk=run_id)
        if run.status == AIRun.Status.RUNNING:
            # Delivered again while "running": the worker that claimed it died (the task is
            # acks_late + reject_on_worker_lost, and the broker's visibility timeout is longer than
            # the hard time limit, so a live attempt is never re-delivered). Running it again could
            # kill the next worker too (a hostile file): fail and refund instead.
            return ai_run_fail(run_id=run_id, message=WORKER_LOST)
        if run.status != AIRun.Status.QUEUED:
            return run
        ai_run_transition(run=run, to=AIRun.Status.RUNNING, note="claimed by worker")
    try:
        provider = provider or get_provider()
        run = AIRun.objects.select_related("document", "based_on").get(pk=run_id)
        result = _call_provider(run, provider)
    except ProviderError as exc:
        logger.info("AI run %s failed: %s", run_id, exc.user_message)
        return ai_run_fail(run_id=run_id, message=exc.user_message)
    except Exception:  # noqa: BLE001 - anything unexpected fails the run (and refunds) with a safe message
        logger.exception("AI run %s crashed", run_id)
        return ai_run_fail(run_id=run_id, message=GENERIC_FAILURE)
    with transaction.atomic():
        run = AI_RUN.lock(AIRun, pk=run_id)
        if run.status != AIRun.Status.RUNNING:
            return run
        run.result = result.model_dump(mode="json")
        run.engine = result.engine[:80]
        run.headline = _headline(result)[:120]
        return ai_run_transition(
            run=run, to=AIRun.Status.SUCCEEDED, note="result stored", fields=("result", "engine", "headline")
        )


def ai_run_fail(*, run_id: int, message: str) -> AIRun:
    """Mark an active run failed with a user-safe message and refund it. A finished run is left alone."""
    with transaction.atomic():
        run = AI_RUN.lock(AIRun, pk=run_id)
        if run.status in AIRun.ACTIVE:
            run.error_message = (message or GENERIC_FAILURE)[:500]
            ai_run_transition(run=run, to=AIRun.Status.FAILED, note="failed", fields=("error_message",))
        if run.status == AIRun.Status.FAILED:
            _refund(run=run)
        return run


def ai_runs_fail_stuck(*, now: dt.datetime | None = None) -> int:
    """The sweeper (beat, every minute): fail and refund runs no worker will ever finish.

    A "running" run older than the task's hard time limit has no live worker (Celery kills the
    task at that limit; a killed worker never reports). A "queued" run older than QUEUED_TOO_LONG
    was lost by the broker. Each is failed under its row lock (ai_run_fail), so a worker finishing
    at the same moment wins or loses cleanly and the refund happens once. Returns how many runs.
    """
    now = now or timezone.now()
    running_cutoff = now - dt.timedelta(seconds=settings.AI_TASK_TIME_LIMIT) - RUNNING_GRACE
    stuck = AIRun.objects.filter(
        Q(status=AIRun.Status.RUNNING, started_at__lt=running_cutoff)
        | Q(status=AIRun.Status.QUEUED, created_at__lt=now - QUEUED_TOO_LONG)
    ).values_list("pk", flat=True)
    failed = 0
    for run_id in list(stuck[:500]):
        run = ai_run_fail(run_id=run_id, message=WORKER_LOST)
        failed += run.status == AIRun.Status.FAILED
    if failed:
        logger.warning("sweeper failed and refunded %s stuck AI run(s)", failed)
    return failed


def _refund(*, run: AIRun) -> None:
    """Give back what the run was paid with, once (caller holds the row lock)."""
    if run.refunded or run.charge_entry_id is None:
        return
    key = f"ai-run-{run.pk}-refund"
    source = Source("ai_run", str(run.pk))
    description = f"Refund: {run.get_tool_display()} (run #{run.pk}) failed"
    if run.paid_with == AIRun.PaidWith.POINTS:
        entry = points_refund(
            user=run.user, amount=run.points_charged, idempotency_key=key, description=description, source=source
        )
    else:
        entry = free_uses_grant(
            user=run.user,
            amount=1,
            reason=LedgerEntry.Reason.REFUND,
            description=description,
            idempotency_key=key,
            source=source,
        )
    run.refunded = True
    run.refund_entry = entry
    run.save(update_fields=["refunded", "refund_entry"])  # the refund's ledger line bumped the user's pages


# --- Personal Statement review: the applicant's choice per suggested edit ---------------------------

EDIT_CHOICES = ("accepted", "ignored")


def statement_edit_choose(*, user, run_id: int, index: int, choice: str | None) -> AIRun:
    """Accept or ignore one suggested edit of the user's finished review (``None`` undoes the choice).

    Raises ``AIRun.DoesNotExist`` for another user's run, an unfinished one or an edit that does not exist.
    """
    if choice is not None and choice not in EDIT_CHOICES:
        raise ValueError(f"unknown choice {choice!r}")
    with transaction.atomic():
        run = AIRun.objects.select_for_update().get(
            pk=run_id, user=user, tool=AIRun.Tool.STATEMENT_ENHANCE, status=AIRun.Status.SUCCEEDED
        )
        if not 0 <= index < len((run.result or {}).get("suggested_edits", [])):
            raise AIRun.DoesNotExist("No such edit.")
        choices = dict(run.edit_choices or {})
        if choice is None:
            choices.pop(str(index), None)
        else:
            choices[str(index)] = choice
        run.edit_choices = choices
        run.save(update_fields=["edit_choices"])
    return run
