"""The one way an email leaves: `send_email(template="bookings/email/booking_confirmed", to=..., context=...)`.

A template is three files: `<name>.subject.txt`, `<name>.txt` and `<name>.html`. The subject and
the text part are plain text, rendered with autoescaping off (a client called "O'Brien & Sons"
reads as such, not as "O&#x27;Brien &amp; Sons"); the HTML part is escaped as any page. Every
subject gets the site prefix ("[TalentVisa] "), every email a reply-to of the support inbox, and
every context SITE_NAME, SITE_URL and SUPPORT_EMAIL. Links must be absolute (`absolute_url`) and
point at the page of the person who receives the email (an expert's link is to the expert's page).
Buttons in the HTML part: `{% include "components/email_button.html" with url=... label=... %}`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context
from django.template.loader import get_template, render_to_string


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


def render_email(template: str, context: dict) -> tuple[str, str, str]:
    """(subject, text, html) of `template` for `context`."""
    context = {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "SUPPORT_EMAIL": settings.SUPPORT_EMAIL,
        **context,
    }
    subject = " ".join(_plain(f"{template}.subject.txt", context).split())
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
) -> None:
    """Render `template` and send it (HTML with a plain-text part) to `to`."""
    subject, text, html = render_email(template, context)
    message = EmailMultiAlternatives(
        subject,
        text,
        settings.DEFAULT_FROM_EMAIL,
        [to] if isinstance(to, str) else list(to),
        reply_to=[reply_to or settings.SUPPORT_EMAIL],
    )
    message.attach_alternative(html, "text/html")
    for attachment in attachments:
        message.attach(attachment.filename, attachment.content, attachment.mimetype)
    message.send()
