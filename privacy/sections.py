"""The built-in sections of the data export (privacy.export.register_section). Each returns plain,
JSON-able data about one user; another app adds its own section the same way from its AppConfig.ready()."""

from __future__ import annotations

from django.db.models import Q

from accounts.models import LedgerEntry
from ai_tools.models import AIConsent, AIRun, Document
from applications.models import EvidenceDocument, RecommendationLetter, RefusalCase
from bookings.models import Booking, BookingMessage
from consultations.models import Review
from payments.models import Payment, Refund
from referrals.models import Referral
from site_admin.models import Inquiry, InquiryMessage

from .export import register_section


def account(user) -> dict:
    data = {
        "email": user.email,
        "full_name": user.full_name,
        "timezone": user.timezone,
        "role": user.role,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "openai_consent_at": AIConsent.objects.filter(user=user).values_list("given_at", flat=True).first(),
    }
    wallet = getattr(user, "wallet", None)
    if wallet is not None:
        data["points_balance"], data["free_ai_uses"] = wallet.points_balance, wallet.free_ai_uses
    profile = getattr(user, "expert_profile", None)
    if profile is not None:
        data["expert_profile"] = {
            "display_name": profile.display_name,
            "headline": profile.headline,
            "bio": profile.bio,
            "years_experience": profile.years_experience,
            "status": profile.status,
            "timezone": profile.timezone,
        }
    return data


def ledger(user) -> list:
    fields = ("created_at", "asset", "amount", "balance_after", "reason", "description")
    return list(LedgerEntry.objects.filter(user=user).order_by("created_at", "id").values(*fields))


def payments(user) -> list:
    rows = list(
        Payment.objects.filter(user=user)
        .order_by("created_at", "id")
        .values("id", "created_at", "description", "amount_pence", "currency", "status", "purpose")
    )
    refunds: dict[int, list] = {}
    for refund in Refund.objects.filter(payment__user=user).values(
        "payment_id", "created_at", "amount_pence", "status", "reason"
    ):
        refunds.setdefault(refund.pop("payment_id"), []).append(refund)
    for row in rows:
        row["refunds"] = refunds.get(row.pop("id"), [])
    return rows


def bookings(user) -> list:
    fields = (
        "reference", "status", "start_at", "end_at", "price_pence", "currency", "expert__display_name",
        "session_type__name", "questions", "target_route", "target_category", "cancel_reason", "cancelled_at",
        "cancel_refund_pence", "created_at",
    )  # fmt: skip
    return list(Booking.objects.filter(client=user).order_by("start_at", "id").values(*fields))


def reviews(user) -> list:
    fields = ("booking__reference", "rating", "text", "anonymous", "status", "reply", "created_at")
    return list(Review.objects.filter(client=user).order_by("created_at").values(*fields))


def messages(user) -> dict:
    inquiries = list(
        Inquiry.objects.filter(user=user).order_by("created_at").values("id", "reference", "subject", "created_at")
    )
    bodies: dict[int, list] = {}
    for message in (
        InquiryMessage.objects.filter(inquiry__user=user)
        .order_by("created_at", "id")
        .values("inquiry_id", "from_staff", "body", "created_at")
    ):
        bodies.setdefault(message.pop("inquiry_id"), []).append(message)
    for inquiry in inquiries:
        inquiry["messages"] = bodies.get(inquiry.pop("id"), [])
    # The bookings' message threads the user is a side of (as the client or as the expert).
    threads = (
        BookingMessage.objects.filter(Q(booking__client=user) | Q(booking__expert__user=user))
        .select_related("booking", "attachment")
        .order_by("booking_id", "created_at", "id")
    )
    return {
        "support": inquiries,
        "bookings": [
            {
                "booking": m.booking.reference,
                "from_me": m.sender_id == user.pk,
                "sender_role": m.sender_role,
                "body": m.body,
                "attachment": m.attachment.original_filename if m.attachment else None,
                "at": m.created_at,
            }
            for m in threads
        ],
    }


def ai_runs(user) -> list:
    fields = ("id", "tool", "status", "created_at", "finished_at", "headline", "input", "result", "edit_choices")
    return list(
        AIRun.objects.filter(user=user).order_by("created_at", "id").values(*fields, "document__original_filename")
    )


def documents(user) -> list:
    return list(
        Document.objects.filter(owner=user)
        .order_by("created_at", "id")
        .values("id", "original_filename", "kind", "created_at", "word_count", "text")
    )


def document_files(user):
    for doc in Document.objects.filter(owner=user).only("pk", "original_filename", "storage_name"):
        yield f"{doc.pk}-{_safe(doc.original_filename)}", doc.storage_name


def application_pack(user) -> dict:
    evidence = EvidenceDocument.objects.filter(application__owner=user).order_by("position", "id")
    letters = RecommendationLetter.objects.filter(application__owner=user).order_by("position")
    return {
        "evidence": list(
            evidence.values("position", "title", "proves", "evidence_date", "source", "criterion", "original_filename")
        ),
        "letters": list(
            letters.values("position", "name", "role", "organisation", "relationship", "months_known", "text")
        ),
        "refusals": list(RefusalCase.objects.filter(owner=user).values("decision_date", "letter_text", "created_at")),
    }


def application_files(user):
    for item in EvidenceDocument.objects.filter(application__owner=user).only(
        "pk", "original_filename", "storage_name"
    ):
        yield f"evidence-{item.pk}-{_safe(item.original_filename)}", item.storage_name
    for case in RefusalCase.objects.filter(owner=user).exclude(storage_name="").only("pk", "storage_name"):
        yield f"refusal-{case.pk}-{_safe(case.original_filename)}", case.storage_name


def referrals(user) -> dict:
    code = getattr(getattr(user, "referral_code", None), "code", "")
    made = Referral.objects.filter(referrer=user).values("status", "created_at")
    return {"code": code, "referrals_made": list(made)}


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "._-" else "_" for c in name)[-120:] or "file"


register_section("account", account)
register_section("points_ledger", ledger)
register_section("payments", payments)
register_section("bookings", bookings)
register_section("reviews", reviews)
register_section("messages", messages)
register_section("ai_runs", ai_runs)
register_section("documents", documents, files=document_files)
register_section("application_pack", application_pack, files=application_files)
register_section("referrals", referrals)
