"""The one way an email leaves: `send_email(template="bookings/email/booking_confirmed", to=..., context=...)`.

A template is three files: `<name>.subject.txt`, `<name>.txt` and `<name>.html`. The subject and
the text part are plain text, rendered with autoescaping off (a client called "O'Brien & Sons"
reads as such, not as "O&#x27;Brien &amp; Sons"); the HTML part is escaped as any page. Every
subject gets the site prefix ("[TalentVisa] "), every email a reply-to of the support inbox, and
every context SITE_NAME, SITE_URL and SUPPORT_EMAIL. Links must be absolute (`absolute_url`) and
point at the page of the person who receives the email (an expert's link is to the expert's page).
Buttons in the HTML part: `{% include "components/email_button.html" with url=... label=... %}`.

Re-delivery: a Celery task passes `idempotency_key` (core.idempotency.delivery_key + the
recipient); the key is claimed in the transaction that sends, so a re-delivered message sends
nothing. Suppression: addresses a suppression check (registered by the app that owns them from its
AppConfig.ready, e.g. hard bounces) declares undeliverable are dropped; the kernel names no app.

Staff may replace a declared kind's subject and opening paragraph (core.email_templates): the
override is looked up here, once per send, and applied to the subject and to the
`{% opening %}…{% endopening %}` block of both parts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import Context
from django.template.loader import get_template, render_to_string

from . import email_templates
from .idempotency import claim

logger = logging.getLogger("core.mailer")

# Callables taking a list of addresses and returning the subset that must not be mailed.
_suppression_checks: list[Callable[[list[str]], set[str]]] = []


def register_suppression_check(check: Callable[[list[str]], set[str]]) -> None:
    """Register (from AppConfig.ready) a check returning which of the given addresses are undeliverable."""
    if check not in _suppression_checks:
        _suppression_checks.append(check)


def suppressed(addresses: list[str]) -> set[str]:
    # ".invalid" can never be delivered (RFC 2606); erased accounts are given such an address, and the
    # cancellation mails their deletion triggers must not go out to it.
    found: set[str] = {a for a in addresses if a.lower().rstrip(".").endswith(".invalid")}
    for check in _suppression_checks:
        found |= set(check(addresses))
    return found


_STORED = object()  # render_email's default: whatever override staff stored for the kind


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: str | bytes
    mimetype: str


def subject_prefix() -> str:
    return f"[{settings.SITE_NAME}] "


def absolute_url(path: str) -> str:
    """An absolute link for an email, from a path such as reverse("bookings:detail", args=[1])."""
    return settings.SITE_URL.rstrip("/") + path


def _plain(name: str, context: dict) -> str:
    # The backend's Template wraps the engine's; render that one with autoescape off.
    return get_template(name).template.render(Context(context, autoescape=False))


def render_email(template: str, context: dict, *, override=_STORED) -> tuple[str, str, str]:
    """(subject, text, html) of `template` for `context`.

    `override` (an email_templates.Override, or None for the templates' own text) is for previews;
    by default the one stored for the kind applies."""
    context = {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "SUPPORT_EMAIL": settings.SUPPORT_EMAIL,
        **context,
    }
    kind = email_templates.kind_for(template, context)
    if override is _STORED:
        override = email_templates.overrides().get(kind.key) if kind else None
    if kind is None or override is None:
        override = email_templates.Override()
    if override.opening:
        context[email_templates.OPENING_CONTEXT_KEY] = (kind, override.opening)
    if override.subject:
        subject = email_templates.render_subject(kind, override.subject, context)
    else:
        subject = _plain(f"{template}.subject.txt", context)
    subject = " ".join(subject.split())
    if not subject.startswith(subject_prefix()):
        subject = subject_prefix() + subject
    return subject, _plain(f"{template}.txt", context), render_to_string(f"{template}.html", context)


def send_email(
    *,
    template: str,
    to: str | Sequence[str],
    context: dict,
    attachments: Iterable[Attachment] = (),
    reply_to: str | None = None,
    idempotency_key: str | None = None,
) -> bool:
    """Render `template` and send it (HTML with a plain-text part) to `to`. False when nothing was sent
    (every address suppressed, or `idempotency_key` already used)."""
    recipients = [to] if isinstance(to, str) else list(to)
    blocked = suppressed(recipients)
    if blocked:
        logger.info("email %s not sent to %d suppressed address(es)", template, len(blocked))
        recipients = [address for address in recipients if address not in blocked]
        if not recipients:
            return False
    subject, text, html = render_email(template, context)
    message = EmailMultiAlternatives(
        subject,
        text,
        settings.DEFAULT_FROM_EMAIL,
        recipients,
        reply_to=[reply_to or settings.SUPPORT_EMAIL],
    )
    message.attach_alternative(html, "text/html")
    for attachment in attachments:
        message.attach(attachment.filename, attachment.content, attachment.mimetype)
    if idempotency_key is None:
        message.send()
        return True
    with transaction.atomic():
        if not claim(idempotency_key):
            logger.info("email %s already sent for %s", template, idempotency_key)
            return False
        message.send()  # raises -> the key rolls back and a retry sends
    return True
