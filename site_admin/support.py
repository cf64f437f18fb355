"""Support inbox: threads from the contact form, staff replies (emailed), user follow-ups."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.mailer import absolute_url, send_email

from .models import Inquiry, InquiryMessage

_REF_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


class SupportError(Exception):
    """Shown to the user or staff member as is."""


def _reference() -> str:
    return "SUP-" + "".join(secrets.choice(_REF_ALPHABET) for _ in range(6))


def inquiry_create(*, user, name: str, email: str, topic: str, subject: str, body: str) -> Inquiry:
    with transaction.atomic():
        inquiry = Inquiry.objects.create(
            reference=_reference(),
            user=user if user is not None and user.is_authenticated else None,
            name=name.strip()[:150],
            email=(user.email if user is not None and user.is_authenticated else email).strip().lower(),
            topic=topic,
            subject=subject.strip()[:150],
        )
        InquiryMessage.objects.create(inquiry=inquiry, author=inquiry.user, body=body.strip())
        transaction.on_commit(lambda: _send(inquiry, "support_received", to=inquiry.email))
    return inquiry


def inquiry_follow_up(*, inquiry: Inquiry, user, body: str) -> InquiryMessage:
    """The user writes again in their thread; a closed or answered thread reopens."""
    if inquiry.user_id != user.pk:
        raise SupportError("This conversation belongs to someone else.")
    with transaction.atomic():
        inquiry = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
        message = InquiryMessage.objects.create(inquiry=inquiry, author=user, body=body.strip())
        inquiry.status = Inquiry.Status.OPEN
        inquiry.updated_at = timezone.now()
        inquiry.save(update_fields=["status", "updated_at"])
    return message


def inquiry_reply(*, inquiry: Inquiry, staff, body: str, close: bool = False) -> InquiryMessage:
    """A staff reply: stored in the thread, emailed to the user, thread marked answered (or closed)."""
    if not body.strip():
        raise SupportError("A reply needs some text.")
    with transaction.atomic():
        inquiry = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
        message = InquiryMessage.objects.create(inquiry=inquiry, author=staff, from_staff=True, body=body.strip())
        inquiry.status = Inquiry.Status.CLOSED if close else Inquiry.Status.ANSWERED
        if inquiry.assignee_id is None:
            inquiry.assignee = staff
        inquiry.updated_at = timezone.now()
        inquiry.save(update_fields=["status", "assignee", "updated_at"])

        def email_it():
            _send(inquiry, "support_reply", to=inquiry.email, extra={"reply": message})
            InquiryMessage.objects.filter(pk=message.pk).update(emailed_at=timezone.now())

        transaction.on_commit(email_it)
    return message


def inquiry_set_status(*, inquiry: Inquiry, status: str, assignee=None) -> Inquiry:
    with transaction.atomic():
        inquiry = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
        inquiry.status = status
        fields = ["status", "updated_at"]
        if assignee is not None:
            inquiry.assignee = assignee
            fields.append("assignee")
        inquiry.updated_at = timezone.now()
        inquiry.save(update_fields=fields)
    return inquiry


def _send(inquiry: Inquiry, template: str, *, to: str, extra: dict | None = None) -> None:
    thread_url = absolute_url(reverse("site_admin:inquiry", args=[inquiry.pk])) if inquiry.user_id else ""
    context = {"inquiry": inquiry, "thread_url": thread_url, **(extra or {})}
    send_email(template=f"site_admin/email/{template}", to=to, context=context)
