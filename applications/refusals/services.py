"""Writes of the refusal review. Keyword-only, each in one transaction; e-mails after commit or under a claim."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from ai_tools.documents import DocumentRejected
from ai_tools.models import AIRun
from ai_tools.private_storage import private_storage
from ai_tools.services import ai_run_create
from bookings.selectors import SHARED_WITH_EXPERT_STATUSES
from core.timezones import zone_or_default

from ..uploads import evidence_file_validate
from . import emails, rules
from .deadline import review_deadline
from .models import RefusalCase, RefusalReminder, RefusalShare

logger = logging.getLogger(__name__)

MAX_LETTER_CHARS = 30000


class RefusalError(Exception):
    """A write the rules refuse; ``message`` is safe to show."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def refusal_case_create(*, user, decision_date: dt.date, letter_text: str = "", upload=None) -> RefusalCase:
    """Store the refusal (pasted text, or an upload validated like every other document: PDF or Word)."""
    today = timezone.now().astimezone(zone_or_default(user.timezone)).date()
    if decision_date > today:
        raise RefusalError("The decision date cannot be in the future.")
    original_filename = storage_name = ""
    data = None
    if upload is not None:
        checked, data = evidence_file_validate(upload=upload)
        if not checked.text:
            raise DocumentRejected("We need the letter's text: upload it as a PDF or Word document, or paste it.")
        letter_text, storage_name = checked.text, checked.storage_name
        original_filename = (getattr(upload, "name", "") or f"refusal.{checked.kind}")[-255:]
    letter_text = letter_text.strip()
    if not letter_text:
        raise RefusalError("Paste the refusal letter or upload it.")
    if len(letter_text) > MAX_LETTER_CHARS:
        raise RefusalError("This is longer than a refusal letter: paste the decision and the assessor's comments only.")
    if data is not None:
        storage_name = private_storage().save(storage_name, ContentFile(data))
    try:
        with transaction.atomic():
            return RefusalCase.objects.create(
                owner=user,
                decision_date=decision_date,
                letter_text=letter_text,
                original_filename=original_filename,
                storage_name=storage_name,
            )
    except BaseException:
        if storage_name:
            private_storage().delete(storage_name)
        raise


def refusal_case_delete(*, case: RefusalCase) -> None:
    name = case.storage_name
    with transaction.atomic():
        case.delete()
        if name:
            transaction.on_commit(lambda: private_storage().delete(name))


def refusal_review_start(*, user, case: RefusalCase) -> AIRun:
    """Charge for (a free use first, else points) and queue the review of this refusal."""
    with transaction.atomic():
        run = ai_run_create(user=user, tool=AIRun.Tool.REFUSAL_REVIEW, input={"case_id": case.pk})
        RefusalCase.objects.filter(pk=case.pk).update(run=run)
    case.run = run
    return run


def refusal_handoff(*, case: RefusalCase) -> RefusalCase:
    """The applicant's one click: share the findings with the expert of the next paid booking they make."""
    with transaction.atomic():
        if case.handoff_at is None:
            case.handoff_at = timezone.now()
            case.save(update_fields=["handoff_at"])
    return case


def refusal_share_for_booking(*, booking_id: int) -> list[RefusalShare]:
    """A booking became paid: share every case its client handed off before booking it, and tell the expert."""
    from bookings.models import Booking

    booking = Booking.objects.filter(pk=booking_id, status__in=SHARED_WITH_EXPERT_STATUSES).first()
    if booking is None:
        return []
    cases = RefusalCase.objects.filter(
        owner_id=booking.client_id, handoff_at__isnull=False, handoff_at__lte=booking.created_at
    ).exclude(shares__booking=booking)
    created = []
    with transaction.atomic():
        for case in cases:
            share, made = RefusalShare.objects.get_or_create(case=case, booking=booking)
            if made:
                created.append(share)
                transaction.on_commit(lambda share_id=share.pk: _email_expert(share_id=share_id))
    return created


def refusal_unshare(*, case: RefusalCase, share_id: int) -> bool:
    """Stop sharing with one expert, and with experts booked later; False when ``share_id`` is not this case's."""
    with transaction.atomic():
        deleted, _ = RefusalShare.objects.filter(case=case, pk=share_id).delete()
        if deleted:
            RefusalCase.objects.filter(pk=case.pk).update(handoff_at=None)
            case.handoff_at = None
    return bool(deleted)


def _email_expert(*, share_id: int) -> None:
    from bookings.emails import local_when

    share = RefusalShare.objects.select_related("case__owner", "booking__expert__user", "booking__session_type").get(
        pk=share_id
    )
    booking, expert = share.booking, share.booking.expert
    deadline = review_deadline(share.case.decision_date, zone=zone_or_default(expert.timezone), now=timezone.now())
    try:
        emails.send(
            "refusal_shared",
            to=expert.user.email,
            context={
                "expert_name": expert.display_name,
                "client_name": share.case.owner.get_full_name() or "Your client",
                "session_name": booking.session_type.name,
                "when": local_when(booking.start_at, booking.end_at, expert.timezone),
                "reference": booking.reference,
                "deadline": deadline,
                "url": reverse("applications:refusal_shared", args=[booking.pk]),
            },
        )
    except Exception:  # noqa: BLE001 - the share stands; the client sees it on their page
        logger.exception("could not email the expert about refusal share %s", share_id)


def refusal_reminders_send(*, now: dt.datetime | None = None) -> int:
    """Send the 7- and 2-day deadline reminders that are due. Each (case, days) goes out once: the row is claimed
    in the same transaction that sends; a failed send rolls the claim back so the next beat retries it."""
    now = now or timezone.now()
    # Any zone is within a day of UTC; only cases whose window is open somewhere are read.
    earliest = now.date() - dt.timedelta(days=rules.REVIEW_WINDOW_DAYS + 1)
    cases = (
        RefusalCase.objects.filter(decision_date__gte=earliest)
        .select_related("owner", "run")
        .prefetch_related("reminders")
        .order_by("pk")
    )
    sent = 0
    for case in cases:
        deadline = review_deadline(case.decision_date, zone=zone_or_default(case.owner.timezone), now=now)
        due = reminder_due(
            days_left=deadline.days_left,
            created_days_left=(deadline.last_day - case.created_at.astimezone(deadline.closes_at.tzinfo).date()).days,
            already={r.days_before for r in case.reminders.all()},
        )
        if due is None:
            continue
        try:
            with transaction.atomic():
                RefusalReminder.objects.create(case=case, days_before=due, sent_at=now)
                _email_reminder(case=case, deadline=deadline, final=due == min(rules.REMINDER_DAYS_BEFORE))
        except IntegrityError:
            continue  # another worker claimed it
        except Exception:  # noqa: BLE001 - the claim rolled back; the next beat tries again
            logger.exception("could not send the %s-day reminder for refusal case %s", due, case.pk)
            continue
        sent += 1
    return sent


def reminder_due(*, days_left: int, created_days_left: int, already: set[int]) -> int | None:
    """Which reminder (7 or 2) is due now, if any. A reminder is due from its day until the next one's day
    (a late beat still sends it), never for a case created after its day, and never after the deadline."""
    if days_left < 0:
        return None
    marks = sorted(rules.REMINDER_DAYS_BEFORE)  # (2, 7)
    for index, days in enumerate(marks):
        lower = -1 if index == 0 else marks[index - 1]
        if lower < days_left <= days and created_days_left >= days and days not in already:
            return days
    return None


def _email_reminder(*, case: RefusalCase, deadline, final: bool) -> None:
    latest = case.run if case.run_id else None
    emails.send(
        "refusal_reminder",
        to=case.owner.email,
        context={
            "name": case.owner.get_full_name() or "there",
            "deadline": deadline,
            "decision_date": case.decision_date,
            "has_review": latest is not None and latest.status == AIRun.Status.SUCCEEDED,
            "url": reverse("applications:refusal_detail", args=[case.pk]),
            "rule": rules.REVIEW_RULE_SUMMARY,
            "final": final,
        },
    )
