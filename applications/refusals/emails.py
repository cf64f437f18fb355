"""The refusal review's two e-mails (deadline reminder, findings shared with an expert), sent by the one mailer."""

from core.mailer import send_email


def send(template: str, *, to: str, context: dict) -> None:
    """Send applications/email/<template>.{subject.txt,txt,html}; raises if the backend fails (the caller retries)."""
    send_email(template=f"applications/email/{template}", to=to, context=context)
