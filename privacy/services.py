"""Delete my account: the person is erased, the money records the law requires are kept pseudonymised.

The User row itself stays (five PROTECT foreign keys point to it: the points ledger, payments — and
through them refunds —, AI runs with their charges, bookings and reviews; expert earnings point to the
expert profile). It keeps no name, email, password or login; everything the person wrote or uploaded is
deleted or blanked. Future bookings are cancelled first through bookings' own cancel service, so refunds
follow the normal policy (an expert's own cancellation refunds clients in full).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.admin.models import LogEntry
from django.db import transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from accounts.models import EmailSuppression, User
from ai_tools.models import AIRun, Document
from ai_tools.services import documents_delete_locked, private_files_delete
from applications.models import Application, EvidenceDocument, RefusalCase
from bookings.models import Booking, BookingMessage
from bookings.services import BookingError, booking_cancel
from consultations.models import Consultation, Dispute, Review
from core import fragments
from core.models import StaffAction, StatusEvent
from expert_marketplace.models import AvailabilityOverride, ExpertProfile
from payments.models import WebhookEvent
from referrals.models import ReferralCode
from site_admin.models import Inquiry

logger = logging.getLogger("privacy")

DELETED_NAME = "Deleted user"
DELETED_EXPERT = "Former expert"


def pseudonym_email(user_id: int) -> str:
    return f"deleted-{user_id}@deleted.invalid"


def _future_bookings_cancel(*, user: User, now: dt.datetime) -> list[str]:
    """Cancel the user's upcoming bookings as a client (policy refund), then as an expert (full refund)."""
    problems = []
    upcoming = Booking.objects.filter(status__in=Booking.ACTIVE_STATUSES, end_at__gt=now)
    expert = ExpertProfile.objects.filter(user=user).first()
    targets = list(upcoming.filter(client=user))
    if expert is not None:
        targets += list(upcoming.filter(expert=expert))
    for booking in targets:
        try:
            booking_cancel(booking=booking, actor=user, reason="Account deleted", now=now)
        except BookingError as exc:  # e.g. a session already under way: it stays, with the client pseudonymised
            problems.append(f"{booking.reference}: {exc}")
            logger.warning("account deletion of %s: booking %s not cancelled: %s", user.pk, booking.pk, exc)
    return problems


def _event_notes_blank(*, user: User) -> None:
    """Notes the person wrote on any status event (cancel reasons, dispute notes): blanked."""
    for model in _concrete_subclasses(StatusEvent):
        if {"actor", "note"} <= {f.name for f in model._meta.fields}:
            model.objects.filter(actor=user).update(note="")


def _concrete_subclasses(cls):
    for sub in cls.__subclasses__():
        if not sub._meta.abstract:
            yield sub
        yield from _concrete_subclasses(sub)


def _webhook_payloads_scrub(*, email: str, pseudonym: str) -> None:
    """Stripe events stored as received carry the customer's e-mail (Checkout sessions, charges): replaced."""
    pattern = re.compile(re.escape(email), re.IGNORECASE)
    stored = WebhookEvent.objects.annotate(_text=Cast("payload", TextField())).filter(_text__icontains=email)
    for event in stored.only("pk", "payload"):
        event.payload = json.loads(pattern.sub(pseudonym, json.dumps(event.payload)))
        event.save(update_fields=["payload"])


def account_delete(*, user: User, now: dt.datetime | None = None) -> list[str]:
    """Erase ``user`` and keep their money records pseudonymised. Returns bookings that could not be
    cancelled (already under way). Idempotent: running it again on a deleted account changes nothing."""
    now = now or timezone.now()
    email = user.email
    problems = _future_bookings_cancel(user=user, now=now)
    files: list[str] = []
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        # --- uploads and what was derived from them
        # Attachments they sent, and those sent to them in their bookings' threads (about them).
        threads = BookingMessage.objects.filter(Q(booking__client=user) | Q(sender=user))
        attached = threads.exclude(attachment=None).values("attachment_id")
        documents_delete_locked(
            documents=list(Document.objects.select_for_update().filter(Q(owner=user) | Q(pk__in=attached)))
        )
        files += list(EvidenceDocument.objects.filter(application__owner=user).values_list("storage_name", flat=True))
        files += [n for n in RefusalCase.objects.filter(owner=user).values_list("storage_name", flat=True) if n]
        RefusalCase.objects.filter(owner=user).delete()
        Application.objects.filter(owner=user).delete()  # evidence, letters, shares
        AIRun.objects.filter(user=user).update(input={}, result=None, headline="", edit_choices={})
        # --- free text they wrote
        client_bookings = Booking.objects.filter(client=user)
        client_bookings.update(questions="", target_route="", cancel_reason="")
        Booking.shared_analyses.through.objects.filter(booking__client=user).delete()
        Consultation.objects.filter(booking__client=user).update(expert_notes="", shared_notes="")
        # What they wrote in any thread; the other side's messages in their threads when they name them.
        BookingMessage.objects.filter(sender=user).update(body="")
        named = Q(body__icontains=email)
        for name in {user.full_name.strip(), user.full_name.strip().split(" ")[0]}:
            if len(name) >= 3:
                named |= Q(body__icontains=name)
        threads.filter(named).update(body="")
        Review.objects.filter(client=user).update(text="", anonymous=True)
        Dispute.objects.filter(opened_by=user).update(description="")
        _event_notes_blank(user=user)
        Inquiry.objects.filter(user=user).delete()
        Inquiry.objects.filter(email__iexact=email).delete()
        ReferralCode.objects.filter(user=user).delete()
        # --- an expert's public face
        expert = ExpertProfile.objects.filter(user=user).first()
        if expert is not None:
            if expert.photo:
                expert.photo.delete(save=False)
            ExpertProfile.objects.filter(pk=expert.pk).update(
                display_name=DELETED_EXPERT,
                slug=f"deleted-{expert.pk}",
                headline="",
                bio="",
                photo="",
                adviser_number="",
                rejection_reason="",
                is_active=False,
            )
            Consultation.objects.filter(booking__expert=expert).update(expert_notes="", shared_notes="")
            Review.objects.filter(expert=expert).update(reply="")
            AvailabilityOverride.objects.filter(expert=expert).update(note="")
            Booking.objects.filter(expert=expert).update(meeting_url="")
            fragments.bump(fragments.expert_scope(expert), fragments.DIRECTORY, fragments.NAMES)
        # --- the account itself: no way in, no name, no address
        EmailAddress.objects.filter(user=user).delete()
        EmailSuppression.objects.filter(email__iexact=email).delete()  # the address is gone with the account
        Authenticator.objects.filter(user=user).delete()
        _webhook_payloads_scrub(email=email, pseudonym=pseudonym_email(user.pk))
        StaffAction.objects.filter(target_repr__icontains=email).update(target_repr=f"user {user.pk} (deleted)")
        LogEntry.objects.filter(object_repr__icontains=email).update(object_repr=f"user {user.pk} (deleted)")
        user.email = pseudonym_email(user.pk)
        user.full_name = ""
        user.timezone = "Europe/London"
        user.is_active = False
        user.last_login = None
        user.set_unusable_password()  # also ends every session (the session hash changes)
        user.save(update_fields=["email", "full_name", "timezone", "is_active", "last_login", "password"])
        fragments.bump(fragments.user_scope(user), fragments.NAMES)
        transaction.on_commit(lambda: private_files_delete(files))
    return problems
