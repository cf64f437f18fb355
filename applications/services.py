"""Writes for the application pack. Keyword-only, each in one transaction; files are deleted if the row is not."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max, Q

from ai_tools.documents import DocumentRejected
from ai_tools.models import AIRun
from ai_tools.private_storage import private_storage
from ai_tools.providers.base import ProviderError
from ai_tools.services import RunRejected, ai_consent_needed, ai_run_create
from bookings.selectors import bookings_shareable_by_client

from . import rules
from .ai import get_pack_provider
from .ai.local import suggest_criterion_local
from .models import Application, Criterion, EvidenceDocument, PlanShare, RecommendationLetter
from .uploads import evidence_file_validate

logger = logging.getLogger(__name__)


class PackError(Exception):
    """A write the rules refuse; ``message`` is safe to show."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def application_ensure(*, user) -> Application:
    application, _ = Application.objects.get_or_create(owner=user)
    return application


def application_update(*, application: Application, category: str, first_optional: str, second_optional: str):
    if first_optional and first_optional == second_optional:
        raise PackError("Choose two different optional criteria.")
    with transaction.atomic():
        application.category = category
        application.first_optional = first_optional
        application.second_optional = second_optional
        application.save(update_fields=["category", "first_optional", "second_optional", "updated_at"])
    return application


# --- evidence -----------------------------------------------------------------------------------------


def _suggest(*, title: str, proves: str, text: str, local_only: bool = False) -> dict:
    """The engine's criterion suggestion; the local engine answers when the AI service cannot, and when the
    applicant has not agreed yet that their text goes to OpenAI (ai_tools.services.ai_consent_needed)."""
    if local_only:
        return suggest_criterion_local(title=title, proves=proves, text=text).model_dump(mode="json")
    try:
        suggestion = get_pack_provider().suggest_criterion(title=title, proves=proves, text=text)
    except ProviderError as exc:
        logger.info("criterion suggestion fell back to the local engine: %s", exc.user_message)
        suggestion = suggest_criterion_local(title=title, proves=proves, text=text)
    return suggestion.model_dump(mode="json")


def _delete_file_after_rollback(name: str) -> None:
    try:
        private_storage().delete(name)
    except Exception:  # never hide the original error behind a cleanup error
        logger.exception("could not delete private file %s after a failed write", name)


def _refuse_when_full(count: int) -> None:
    if count >= rules.EVIDENCE_MAX_DOCUMENTS:
        raise PackError(
            f"You already have {count} documents, the most the guidance allows. Remove one before adding another."
        )


def evidence_add(
    *,
    application: Application,
    upload,
    title: str,
    proves: str,
    evidence_date: date,
    source: str,
    is_web_printout: bool,
    criterion: str = "",
) -> EvidenceDocument:
    """Validate and store one evidence file. Refuses an 11th document and a file already in the portfolio."""
    if criterion and criterion not in Criterion.values:
        raise PackError("Choose one of MC, OC1, OC2, OC3 or OC4.")
    _refuse_when_full(application.documents.count())  # before reading the file or asking the engine
    checked, data = evidence_file_validate(upload=upload)
    same = Q(sha256=checked.sha256) | (Q(text=checked.text) if checked.text else Q(pk__in=[]))
    existing = application.documents.filter(same).only("position", "criterion").first()
    if existing is not None:
        raise PackError(
            f"This file is already document #{existing.position}"
            + (f" ({existing.criterion})" if existing.criterion else "")
            + ": one document may support only one criterion. Change its criterion instead of adding it twice."
        )
    suggestion = _suggest(
        title=title, proves=proves, text=checked.text, local_only=ai_consent_needed(user=application.owner)
    )
    name = private_storage().save(checked.storage_name, ContentFile(data))
    try:
        with transaction.atomic():
            locked = Application.objects.select_for_update().get(pk=application.pk)
            _refuse_when_full(locked.documents.count())  # again, under the lock: two uploads at once
            position = (locked.documents.aggregate(m=Max("position"))["m"] or 0) + 1
            return EvidenceDocument.objects.create(
                application=locked,
                position=position,
                title=title.strip()[:150],
                proves=proves.strip(),
                evidence_date=evidence_date,
                source=source.strip()[:300],
                is_web_printout=is_web_printout,
                criterion=criterion,
                suggestion=suggestion,
                kind=checked.kind,
                original_filename=(getattr(upload, "name", "") or f"evidence.{checked.kind}")[-255:],
                storage_name=name,
                size_bytes=checked.size_bytes,
                sha256=checked.sha256,
                page_count=checked.page_count,
                pages_estimated=checked.pages_estimated,
                text=checked.text,
            )
    except IntegrityError as exc:  # the same file added concurrently
        _delete_file_after_rollback(name)
        raise PackError("This file is already in your portfolio: one document may support only one criterion.") from exc
    except BaseException:
        _delete_file_after_rollback(name)
        raise


def evidence_update(*, document: EvidenceDocument, **fields: Any) -> EvidenceDocument:
    allowed = {"title", "proves", "evidence_date", "source", "is_web_printout", "criterion"}
    if unknown := set(fields) - allowed:
        raise TypeError(f"cannot update {sorted(unknown)}")
    if fields.get("criterion") and fields["criterion"] not in Criterion.values:
        raise PackError("Choose one of MC, OC1, OC2, OC3 or OC4.")
    with transaction.atomic():
        for field, value in fields.items():
            setattr(document, field, value)
        document.save(update_fields=sorted(fields))
    return document


def evidence_delete(*, document: EvidenceDocument) -> None:
    """Remove the document, close the gap in the numbering, and delete the file once the rows are gone."""
    name = document.storage_name
    with transaction.atomic():
        Application.objects.select_for_update().filter(pk=document.application_id).first()
        document.delete()
        remaining = list(EvidenceDocument.objects.filter(application_id=document.application_id).order_by("position"))
        for number, doc in enumerate(remaining, start=1):
            doc.position = number
        EvidenceDocument.objects.bulk_update(remaining, ["position"])
        transaction.on_commit(lambda: _delete_file_after_rollback(name))


def evidence_move(*, document: EvidenceDocument, offset: int) -> None:
    """Swap the document with its neighbour (offset -1: up, +1: down)."""
    with transaction.atomic():
        Application.objects.select_for_update().filter(pk=document.application_id).first()
        docs = list(EvidenceDocument.objects.filter(application_id=document.application_id).order_by("position"))
        index = next(i for i, d in enumerate(docs) if d.pk == document.pk)
        other = index + offset
        if not 0 <= other < len(docs):
            return
        docs[index].position, docs[other].position = docs[other].position, docs[index].position
        EvidenceDocument.objects.bulk_update([docs[index], docs[other]], ["position"])


# --- letters --------------------------------------------------------------------------------------


def letter_save(*, application: Application, position: int, text: str, **fields: Any) -> RecommendationLetter:
    """Create or replace the letter in slot ``position`` (1-3). ``text`` is pasted or extracted from an upload."""
    if not 1 <= position <= rules.RECOMMENDATION_LETTERS_REQUIRED:
        raise PackError("There are three letter slots.")
    if not text.strip():
        raise PackError("Paste the letter's text or upload it.")
    with transaction.atomic():
        letter, _ = RecommendationLetter.objects.update_or_create(
            application=application, position=position, defaults={"text": text.strip(), **fields}
        )
    return letter


def letter_text_from_upload(*, upload) -> tuple[str, str]:
    """The text of an uploaded letter (PDF or DOCX, validated like a CV) and its file name."""
    checked, _data = evidence_file_validate(upload=upload)
    if not checked.text:
        raise DocumentRejected("We need the letter's text: upload it as a PDF or Word document, or paste it.")
    return checked.text, getattr(upload, "name", "")[-255:]


def letter_delete(*, letter: RecommendationLetter) -> None:
    with transaction.atomic():
        letter.delete()


def letters_check_start(*, user, application: Application) -> AIRun:
    """Charge for and queue the letters check on a snapshot of the letters as they are now."""
    letters = list(application.letters.order_by("position"))
    if not letters:
        raise RunRejected("Add your recommendation letters first.")
    snapshot = [
        {
            "position": letter.position,
            "name": letter.name,
            "role": letter.role,
            "organisation": letter.organisation,
            "relationship": letter.relationship,
            "months_known": letter.months_known,
            "email": letter.email,
            "phone": letter.phone,
            "text": letter.text,
        }
        for letter in letters
    ]
    return ai_run_create(
        user=user,
        tool=AIRun.Tool.LETTERS_CHECK,
        input={"letters": snapshot, "applicant": user.full_name, "application_id": application.pk},
    )


# --- sharing ------------------------------------------------------------------------------------------


def plan_share(*, application: Application, booking_id: int) -> PlanShare:
    """Share the plan with the expert of one of the owner's paid bookings (read-only for them)."""
    booking = bookings_shareable_by_client(client=application.owner).filter(pk=booking_id).first()
    if booking is None:
        raise PackError("Choose one of your paid consultations.")
    with transaction.atomic():
        share, created = PlanShare.objects.get_or_create(application=application, booking=booking)
        if created:
            transaction.on_commit(lambda: _email_expert(share_id=share.pk))
    return share


def _email_expert(*, share_id: int) -> None:
    """Tell the expert where the plan is (after commit; a mail failure never undoes the share)."""
    from django.urls import reverse

    from bookings.emails import local_when
    from core.mailer import absolute_url, send_email

    share = PlanShare.objects.select_related(
        "application__owner", "booking__expert__user", "booking__session_type"
    ).get(pk=share_id)
    booking, expert = share.booking, share.booking.expert
    try:
        send_email(
            template="applications/email/plan_shared",
            to=expert.user.email,
            context={
                "expert_name": expert.display_name,
                "client_name": share.application.owner.get_full_name(),
                "session_name": booking.session_type.name,
                "when": local_when(booking.start_at, booking.end_at, expert.timezone),
                "reference": booking.reference,
                "plan_url": absolute_url(reverse("applications:shared_plan", args=[booking.pk])),
            },
        )
    except Exception:  # noqa: BLE001 - the share stands; the expert can still open the plan
        logger.exception("could not email the expert about plan share %s", share_id)


def plan_unshare(*, application: Application, share_id: int) -> bool:
    """Stop sharing; False when ``share_id`` is not a share of this application."""
    with transaction.atomic():
        deleted, _ = PlanShare.objects.filter(application=application, pk=share_id).delete()
    return bool(deleted)
