"""Email kinds and the staff's overrides of their subject and opening paragraph.

Every email the platform sends is a *kind*: a template of core.mailer (`bookings/email/booking_confirmed`),
optionally narrowed to one recipient of it (the client's confirmation reads differently from the
expert's), with a label, sample data for a preview, and the placeholders staff may use. The kernel
imports no app, so the apps' kinds are declared by the back office (`site_admin/email_kinds.py`,
registered from its AppConfig.ready); a new email is declared there, and its `.txt` and `.html`
parts wrap their opening paragraph in `{% opening %}…{% endopening %}` (`{% load email_opening %}`).

Staff may replace a kind's subject and/or opening paragraph (EmailTemplateOverride). The text they
write is not a template: only `{{ name }}` of the kind's own placeholders is allowed (checked on
save, so a typo is a form error and can never break a send), and it is filled in by plain
substitution — escaped in the HTML part, verbatim in the subject and text part.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template import Context, Variable, VariableDoesNotExist
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe

from . import audit
from .models import EmailTemplateOverride

CACHE_KEY = "email-overrides:v1"
CACHE_SECONDS = 300  # every write through the services below clears it at once
OPENING_CONTEXT_KEY = "EMAIL_OPENING_OVERRIDE"  # what core.mailer hands the {% opening %} tag

SUBJECT_MAX = EmailTemplateOverride._meta.get_field("subject").max_length
OPENING_MAX = 2000

_PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}", re.S)
_NAME = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*$")


@dataclass(frozen=True)
class Placeholder:
    path: str  # where the value lives in the send's context ("booking.reference")
    help: str
    format: Callable[[object], str] | None = None  # e.g. a date as "5 January 2027"


@dataclass(frozen=True)
class EmailKind:
    key: str  # "bookings.booking_confirmed.client"
    label: str  # "Booking confirmed — to the client"
    template: str  # core.mailer template name, "bookings/email/booking_confirmed"
    sample: Callable[[], dict]  # a context like a real send's, from unsaved objects (no queries)
    placeholders: Mapping[str, Placeholder] = field(default_factory=dict)
    recipient: str | None = None  # the context's "recipient" this kind is for (None: every send)
    group: str = ""  # heading in the staff list ("Bookings")
    opening: bool = True  # False: no fixed opening paragraph (only the subject is editable)


_registry: dict[str, EmailKind] = {}


def register(*kinds: EmailKind) -> None:
    for kind in kinds:
        if kind.key in _registry and _registry[kind.key] != kind:
            raise ValueError(f"email kind {kind.key!r} is declared twice")
        _registry[kind.key] = kind


def kinds() -> list[EmailKind]:
    return list(_registry.values())


def get(key: str) -> EmailKind | None:
    return _registry.get(key)


def kind_for(template: str, context: Mapping) -> EmailKind | None:
    """The kind a send of `template` with `context` belongs to (None for an undeclared email)."""
    recipient = context.get("recipient")
    fallback = None
    for kind in _registry.values():
        if kind.template != template:
            continue
        if kind.recipient is None:
            fallback = kind
        elif kind.recipient == recipient:
            return kind
    return fallback


# --- placeholders -------------------------------------------------------------


def check(kind: EmailKind, text: str) -> list[str]:
    """The problems of `text` as an override of `kind` (empty: it is safe to save and send)."""
    problems = []
    if re.search(r"\{%|%\}|\{#|#\}", text):
        problems.append("Template tags ({% … %}) and comments ({# … #}) are not allowed; use {{ placeholder }} only.")
    allowed = sorted(kind.placeholders)
    for match in _PLACEHOLDER.finditer(text):
        name = _NAME.match(match.group(1))
        if not name:
            problems.append(
                f"“{match.group(0)}” is not a placeholder: write {{{{ name }}}} with one of: {_list(allowed)}."
            )
        elif name.group(1) not in kind.placeholders:
            close = difflib.get_close_matches(name.group(1), allowed, n=1)
            hint = f" Did you mean {{{{ {close[0]} }}}}?" if close else ""
            problems.append(f"Unknown placeholder {{{{ {name.group(1)} }}}}.{hint} Allowed: {_list(allowed)}.")
    rest = _PLACEHOLDER.sub("", text)
    if "{{" in rest or "}}" in rest:
        problems.append("Unbalanced braces: every {{ needs its }}.")
    return problems


def _list(names: list[str]) -> str:
    return ", ".join(f"{{{{ {n} }}}}" for n in names) or "none"


def _value(kind: EmailKind, name: str, context) -> str:
    placeholder = kind.placeholders.get(name)
    try:
        value = Variable(placeholder.path).resolve(context) if placeholder else None
    except VariableDoesNotExist:
        value = None
    if value is None or value == "":
        return ""
    return placeholder.format(value) if placeholder.format else value


def fill(kind: EmailKind, text: str, context, *, html: bool) -> str:
    """`text` with its placeholders replaced from `context`; in HTML both are escaped."""
    if not html:
        return _PLACEHOLDER.sub(lambda m: str(_value(kind, m.group(1).strip(), context)), text)
    out, last = [], 0
    for match in _PLACEHOLDER.finditer(text):
        out.append(escape(text[last : match.start()]))
        out.append(conditional_escape(_value(kind, match.group(1).strip(), context)))
        last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece escaped above


def render_opening(kind: EmailKind, text: str, context, *, html: bool) -> str:
    """The override of an opening paragraph: plain text, or <p>s (a blank line starts a new one)."""
    text = text.replace("\r\n", "\n").strip()
    if not html:
        return fill(kind, text, context, html=False)
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    return SafeString(
        "\n".join(f"<p>{fill(kind, p.strip(), context, html=True).replace(chr(10), '<br>')}</p>" for p in paragraphs)
    )


def render_subject(kind: EmailKind, text: str, context: Mapping) -> str:
    return fill(kind, text, Context(dict(context), autoescape=False), html=False)


# --- overrides ----------------------------------------------------------------


@dataclass(frozen=True)
class Override:
    subject: str = ""
    opening: str = ""


def overrides() -> dict[str, Override]:
    """Every stored override by kind key: one query, then the shared cache."""
    try:
        cached = cache.get(CACHE_KEY)
    except Exception:  # noqa: BLE001 - a cache outage must not stop email
        cached = None
    if cached is not None:
        return cached
    found = {
        row.kind: Override(subject=row.subject, opening=row.opening)
        for row in EmailTemplateOverride.objects.only("kind", "subject", "opening")
    }
    try:
        cache.set(CACHE_KEY, found, CACHE_SECONDS)
    except Exception:  # noqa: BLE001
        pass
    return found


def _forget() -> None:
    try:
        cache.delete(CACHE_KEY)
    except Exception:  # noqa: BLE001
        pass


def validate(kind: EmailKind, *, subject: str, opening: str) -> dict[str, list[str]]:
    """Problems by field ("subject", "opening"); empty when both may be saved."""
    errors: dict[str, list[str]] = {}
    subject_problems = check(kind, subject)
    if "\n" in subject or "\r" in subject:
        subject_problems.append("A subject is one line.")
    if len(subject) > SUBJECT_MAX:
        subject_problems.append(f"At most {SUBJECT_MAX} characters.")
    opening_problems = check(kind, opening)
    if len(opening) > OPENING_MAX:
        opening_problems.append(f"At most {OPENING_MAX} characters.")
    if subject_problems:
        errors["subject"] = subject_problems
    if opening_problems:
        errors["opening"] = opening_problems
    return errors


def override_save(*, actor, kind: EmailKind, subject: str, opening: str) -> EmailTemplateOverride | None:
    """Store staff's subject/opening for `kind` (both empty: back to the default). Audited."""
    subject, opening = subject.strip(), opening.replace("\r\n", "\n").strip()
    errors = validate(kind, subject=subject, opening=opening)
    if errors:
        raise ValidationError(errors)
    if not subject and not opening:
        override_reset(actor=actor, kind=kind)
        return None
    with transaction.atomic():
        row, created = EmailTemplateOverride.objects.select_for_update().get_or_create(
            kind=kind.key, defaults={"subject": subject, "opening": opening, "updated_by": _user(actor)}
        )
        if not created:
            if (row.subject, row.opening) == (subject, opening):
                return row
            row.subject, row.opening, row.updated_by = subject, opening, _user(actor)
            row.save(update_fields=["subject", "opening", "updated_by", "updated_at"])
        audit.record(
            actor=actor,
            action="email_template_edit",
            target=row,
            reason=f"Subject: {subject or '(default)'}\nOpening: {opening or '(default)'}",
        )
        transaction.on_commit(_forget)
    return row


def override_reset(*, actor, kind: EmailKind) -> bool:
    """Drop the override of `kind` (the templates' own text again); False when there was none."""
    with transaction.atomic():
        row = EmailTemplateOverride.objects.select_for_update().filter(kind=kind.key).first()
        if row is None:
            return False
        audit.record(
            actor=actor,
            action="email_template_reset",
            target=row,
            reason=f"Was — subject: {row.subject or '(default)'}\nopening: {row.opening or '(default)'}",
        )
        row.delete()
        transaction.on_commit(_forget)
    return True


def _user(actor):
    return actor if getattr(actor, "pk", None) else None
