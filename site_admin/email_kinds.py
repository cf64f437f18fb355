"""Every email the platform sends, declared for the staff's template editor (core.email_templates).

A kind is a core.mailer template, per recipient where one template speaks to several people (the
client's and the expert's confirmation differ). Each has sample data shaped like the real send's
context (unsaved objects, so a preview writes nothing) and the `{{ placeholders }}` staff may use in
its subject and opening paragraph, each mapped to where the value lives in that context.

A new email: add it here (core/tests/test_email_kinds.py fails until every template that the code
sends is declared and wraps its opening paragraph in `{% opening %}…{% endopening %}`).
Registered from SiteAdminConfig.ready().
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from accounts.models import User
from applications.refusals import rules
from applications.refusals.deadline import review_deadline
from bookings import policy
from bookings.emails import local_moment, local_when
from bookings.models import Booking
from consultations.models import Dispute
from core.email_templates import EmailKind, Placeholder, register
from core.mailer import absolute_url
from core.money import format_pence
from core.timezones import zone_or_default
from expert_marketplace.models import ExpertProfile, SessionType
from site_admin.models import Inquiry, InquiryMessage

P = Placeholder
NAME = P("name", "the recipient's name")
CLIENT = P("client_name", "the client's name")
EXPERT = P("expert_name", "the expert's name")
WHEN = P("when", "date and time of the session, in the recipient's time zone")
SESSION = P("booking.session_type.name", "the session type, e.g. “CV review”")
REFERENCE = P("booking.reference", "the booking reference")

BOOKING = {"name": NAME, "client_name": CLIENT, "expert_name": EXPERT, "when": WHEN}
BOOKING |= {"session": SESSION, "reference": REFERENCE, "link": P("manage_url", "the recipient's page of the booking")}
CONSULTATION = {**BOOKING, "link": P("action_url", "the recipient's page (booking, reviews or the admin)")}
TO_WHOM = {"client": "to the client", "expert": "to the expert", "staff": "to the support team"}
TO_WHOM["old_expert"] = "to the previous expert"


def _people():
    client = User(email="sean@example.com", full_name="Seán O'Connor", timezone="Europe/London")
    expert_user = User(email="amara@example.com", full_name="Amara Okafor", timezone="Europe/London")
    expert = ExpertProfile(
        user=expert_user,
        display_name="Dr Amara Okafor",
        slug="amara-okafor",
        timezone="Europe/London",
        status=ExpertProfile.Status.APPROVED,
        rejection_reason="Please add the OISC number shown on the register.",
    )
    return client, expert


def _booking() -> Booking:
    client, expert = _people()
    session = SessionType(expert=expert, name="CV & evidence review", duration_minutes=60, price_pence=9000)
    start = timezone.now().replace(minute=0, second=0, microsecond=0) + dt.timedelta(days=3)
    return Booking(
        reference="TV-7Q2K9P",
        client=client,
        expert=expert,
        session_type=session,
        status=Booking.Status.CONFIRMED,
        start_at=start,
        end_at=start + dt.timedelta(hours=1),
        price_pence=9000,
        currency="gbp",
        commission_bps=2000,
        meeting_url="https://meet.example.com/tv-7q2k9p",
        questions="I'd like a review of my evidence & CV.",
        cancel_reason="A clash with a work trip.",
    )


def booking_sample(recipient: str):
    def build() -> dict:
        booking = _booking()
        is_expert = recipient in ("expert", "old_expert")
        zone = "Europe/London"
        page = "/consultations/expert/1/" if is_expert else "/bookings/1/"
        return {
            "booking": booking,
            "recipient": recipient,
            "is_expert": is_expert,
            "name": booking.expert.display_name if is_expert else booking.client.get_full_name(),
            "client_name": booking.client.get_full_name(),
            "expert_name": booking.expert.display_name,
            "when": local_when(booking.start_at, booking.end_at, zone),
            "old_when": local_when(
                booking.start_at - dt.timedelta(days=1), booking.end_at - dt.timedelta(days=1), zone
            ),
            "zone_name": zone,
            "price": format_pence(booking.price_pence, booking.currency),
            "refund": format_pence(4500, booking.currency),
            "refund_pence": 4500,
            "forfeit": format_pence(4500, booking.currency),
            "forfeit_pence": 4500,
            "expert_share": format_pence(2250, booking.currency),
            "expert_share_pence": 2250,
            "role": "client",
            "kind": "24h",
            "message_count": 2,
            "manage_url": absolute_url(page),
            "google_url": "https://calendar.google.com/calendar/render?action=TEMPLATE",
            "outlook_url": "https://outlook.live.com/calendar/0/deeplink/compose",
            "policy_summary": policy.policy_summary(),
            "session_name": booking.session_type.name,
        }

    return build


def consultation_sample(recipient: str):
    def build() -> dict:
        context = booking_sample("expert" if recipient == "expert" else "client")()
        booking = context["booking"]
        dispute = Dispute(
            booking=booking,
            kind=Dispute.Kind.choices[0][0],
            status=Dispute.Status.choices[-1][0],
            description="The expert joined 20 minutes late.",
            response="I was there on time & waited.",
            resolution_note="Half refunded.",
            refund_pence=4500,
        )
        if recipient == "staff":
            context["name"] = "TalentVisa team"
        context.update(
            recipient=recipient,
            dispute=dispute,
            action_url=context["manage_url"],
            rating=5,
            note="I waited 15 minutes.",
            deadline=local_moment(booking.end_at + dt.timedelta(hours=48), context["zone_name"]),
        )
        return context

    return build


def expert_sample() -> dict:
    _, expert = _people()
    return {"expert": expert, "name": expert.user.get_full_name(), "dashboard_url": absolute_url("/expert/")}


def _share_sample(**extra) -> dict:
    booking = _booking()
    return {
        "expert_name": booking.expert.display_name,
        "client_name": booking.client.get_full_name(),
        "session_name": booking.session_type.name,
        "when": local_when(booking.start_at, booking.end_at, "Europe/London"),
        "reference": booking.reference,
        **extra,
    }


def _deadline():
    decided = timezone.localdate() - dt.timedelta(days=20)
    return decided, review_deadline(decided, zone=zone_or_default("Europe/London"), now=timezone.now())


def refusal_shared_sample() -> dict:
    return _share_sample(deadline=_deadline()[1], url=reverse("applications:refusal_shared", args=[1]))


def refusal_reminder_sample() -> dict:
    decided, deadline = _deadline()
    return {
        "name": "Seán O'Connor",
        "deadline": deadline,
        "decision_date": decided,
        "has_review": True,
        "url": reverse("applications:refusal_detail", args=[1]),
        "rule": rules.REVIEW_RULE_SUMMARY,
    }


def support_sample() -> dict:
    inquiry = Inquiry(reference="SUP-4KD81", name="Seán O'Connor", email="sean@example.com", subject="Refund & fees")
    reply = InquiryMessage(inquiry=inquiry, body="Thanks for asking: the refund is on its way.", from_staff=True)
    return {"inquiry": inquiry, "reply": reply, "thread_url": absolute_url("/me/support/1/")}


def retention_sample() -> dict:
    return {
        "name": "Seán",
        "purge_after": timezone.localdate() + dt.timedelta(days=30),
        "documents": ["CV 2026.pdf", "Letter from Acme & Co.pdf"],
        "url": absolute_url("/tools/history/"),
        "data_url": absolute_url(reverse("privacy:data")),
    }


def _booking_kinds(name: str, label: str, recipients: list[str], placeholders=None) -> list[EmailKind]:
    return [
        EmailKind(
            key=f"bookings.{name}.{recipient}",
            label=f"{label} — {TO_WHOM[recipient]}",
            template=f"bookings/email/{name}",
            recipient=recipient,
            sample=booking_sample(recipient),
            placeholders={**BOOKING, **(placeholders or {})},
            group="Bookings",
        )
        for recipient in recipients
    ]


def _consultation_kinds(name: str, label: str, recipients: list[str], placeholders=None) -> list[EmailKind]:
    return [
        EmailKind(
            key=f"consultations.{name}.{recipient}",
            label=f"{label} — {TO_WHOM[recipient]}",
            template=f"consultations/email/{name}",
            recipient=recipient,
            sample=consultation_sample(recipient),
            placeholders={**CONSULTATION, **(placeholders or {})},
            group="Consultations",
        )
        for recipient in recipients
    ]


REFUND = {"refund": P("refund", "the amount refunded, e.g. £45")}
SHARE = {
    "expert_name": EXPERT,
    "client_name": CLIENT,
    "session": P("session_name", "the session type"),
    "when": WHEN,
    "reference": P("reference", "the booking reference"),
}
SUPPORT = {
    "name": P("inquiry.name", "the sender's name"),
    "subject": P("inquiry.subject", "the subject of their message"),
    "reference": P("inquiry.reference", "the inquiry reference"),
    "link": P("thread_url", "their conversation page (empty for visitors without an account)"),
}

KINDS = [
    *_booking_kinds(
        "booking_confirmed", "Booking confirmed", ["client", "expert"], {"price": P("price", "price paid")}
    ),
    *_booking_kinds("booking_rescheduled", "Booking moved", ["client", "expert"]),
    *_booking_kinds("booking_cancelled", "Booking cancelled", ["client", "expert"], REFUND),
    *_booking_kinds("booking_reminder", "Session reminder", ["client", "expert"]),
    *_booking_kinds(
        "booking_message",
        "New messages about a booking",
        ["client", "expert"],
        {"count": P("message_count", "how many new messages")},
    ),
    *_booking_kinds("booking_refunded", "Booking refunded by staff", ["client", "expert"], REFUND),
    *_booking_kinds("booking_late_refund", "Payment too late, refunded", ["client"], REFUND),
    *_booking_kinds("booking_reassigned", "Booking given to another expert", ["client"]),
    *_booking_kinds(
        "booking_reassigned_away",
        "Booking taken from the expert",
        ["old_expert"],
        {"session": P("session_name", "the session type as it was")},
    ),
    *_consultation_kinds("consultation_completed", "Consultation complete", ["client"]),
    *_consultation_kinds("no_show_reported", "No-show reported", ["client"], {"deadline": P("deadline", "contest by")}),
    *_consultation_kinds("notes_shared", "Follow-up notes shared", ["client"]),
    *_consultation_kinds("review_received", "New review", ["expert"], {"rating": P("rating", "stars, 1–5")}),
    *_consultation_kinds("dispute_opened", "Problem reported", ["expert", "staff"]),
    *_consultation_kinds("dispute_received", "Problem report received", ["client"]),
    *_consultation_kinds("dispute_responded", "Expert responded to a dispute", ["client", "staff"]),
    *_consultation_kinds("dispute_resolved", "Dispute decided", ["client", "expert"], REFUND),
    EmailKind(
        key="expert_marketplace.expert_approved",
        label="Expert application approved",
        template="expert_marketplace/email/expert_approved",
        sample=expert_sample,
        placeholders={
            "name": NAME,
            "display_name": P("expert.display_name", "the expert's public name"),
            "link": P("dashboard_url", "the expert area"),
        },
        group="Experts",
    ),
    EmailKind(
        key="expert_marketplace.expert_rejected",
        label="Expert application rejected",
        template="expert_marketplace/email/expert_rejected",
        sample=expert_sample,
        placeholders={
            "name": NAME,
            "display_name": P("expert.display_name", "the expert's public name"),
            "reason": P("expert.rejection_reason", "the reason staff gave"),
            "link": P("dashboard_url", "the expert area"),
        },
        group="Experts",
    ),
    EmailKind(
        key="applications.plan_shared",
        label="Readiness plan shared with the expert",
        template="applications/email/plan_shared",
        sample=lambda: _share_sample(plan_url=absolute_url(reverse("applications:shared_plan", args=[1]))),
        placeholders={**SHARE, "link": P("plan_url", "the shared plan")},
        group="Applications",
    ),
    EmailKind(
        key="applications.refusal_shared",
        label="Refusal findings shared with the expert",
        template="applications/email/refusal_shared",
        sample=refusal_shared_sample,
        placeholders={**SHARE, "days_left": P("deadline.days_left", "days left to ask for a review")},
        group="Applications",
    ),
    EmailKind(
        key="applications.refusal_reminder",
        label="Refusal review deadline reminder",
        template="applications/email/refusal_reminder",
        sample=refusal_reminder_sample,
        placeholders={"name": NAME, "days_left": P("deadline.days_left", "days left to ask for a review")},
        group="Applications",
    ),
    EmailKind(  # privacy sits above site_admin: declared here by name, its sample built without importing it
        key="privacy.retention_notice",
        label="Documents to be deleted after inactivity",
        template="privacy/email/retention_notice",
        sample=retention_sample,
        placeholders={
            "name": P("name", "the user's first name"),
            "date": P("purge_after", "the day the documents are deleted", format=lambda d: date_format(d, "j F Y")),
            "link": P("url", "sign in and keep the documents"),
            "data_link": P("data_url", "download all their data"),
        },
        group="Privacy",
    ),
    EmailKind(
        key="site_admin.support_received",
        label="Support message received",
        template="site_admin/email/support_received",
        sample=support_sample,
        placeholders=SUPPORT,
        group="Support",
    ),
    EmailKind(
        key="site_admin.support_reply",
        label="Support reply",
        template="site_admin/email/support_reply",
        sample=support_sample,
        placeholders=SUPPORT,
        group="Support",
        opening=False,  # the staff's reply itself follows the greeting: only the subject is editable
    ),
]


def declare() -> None:
    register(*KINDS)
