"""Staff MFA enrolment needs a second factor proven out of band first (issue 19).

Staff must set up an authenticator before the admin (talentvisa.security). Without this step,
whoever first signed in with a staff password — a leaked or guessed one — would register their
own authenticator and own the account. So a staff account with no authenticator yet must first
enter a one-time code emailed to its verified address; only then may it register one.

The code (6 digits, 10 minutes, 5 tries) lives hashed in the session: it proves this browser
reads that mailbox, and nothing needs storing once the authenticator exists.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

SESSION_KEY = "staff_mfa_email_code"
PROVEN_KEY = "staff_mfa_email_proven_at"
CODE_SECONDS = 10 * 60
MAX_TRIES = 5
# Enrolment pages a staff account without an authenticator may reach only after the email step.
ENROLMENT_URL_NAMES = ("mfa_activate_totp", "mfa_generate_recovery_codes")


def _digest(code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), code.encode(), hashlib.sha256).hexdigest()


def email_proven(request) -> bool:
    proven = request.session.get(PROVEN_KEY)
    return bool(proven) and time.time() - proven < CODE_SECONDS


def code_send(*, request) -> None:
    """Email a fresh code to the user's (verified) address; any earlier code stops working."""
    code = f"{secrets.randbelow(10**6):06d}"
    request.session[SESSION_KEY] = {"digest": _digest(code), "expires": time.time() + CODE_SECONDS, "tries": 0}
    context = {"code": code, "minutes": CODE_SECONDS // 60, "SITE_NAME": settings.SITE_NAME}
    send_mail(
        render_to_string("account/email/staff_mfa_code_subject.txt", context).strip(),
        render_to_string("account/email/staff_mfa_code_message.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        [request.user.email],
    )


def code_check(*, request, code: str) -> str:
    """ "" when the code is right (the session is then marked proven), else a message for the form."""
    stored = request.session.get(SESSION_KEY)
    if not stored or stored["expires"] < time.time():
        return "That code has expired. We've sent you a new one."
    if stored["tries"] >= MAX_TRIES:
        return "Too many wrong codes. We've sent you a new one."
    stored["tries"] += 1
    request.session[SESSION_KEY] = stored
    if not hmac.compare_digest(stored["digest"], _digest("".join(code.split()))):
        return "That code is not right. Check the latest email from us and try again."
    del request.session[SESSION_KEY]
    request.session[PROVEN_KEY] = time.time()
    return ""
