"""Document retention: uploads and their extracted text are deleted after DOCUMENT_RETENTION_MONTHS
(a site setting, default 12) without activity; the owner is e-mailed a month before (RetentionNotice,
once per period of inactivity). Run by the beat task privacy.retention_run; idempotent.

Activity is the latest of: signing in, joining, uploading a document or evidence, starting an AI run.
What is purged: the user's CV documents with every derived copy (ai_tools.documents_delete_locked), the
application pack's evidence files (applications.evidence_delete), and the text the user pasted into AI
runs (their ``input``). AI results the user keeps are the statement drafts and reviews (with the edits they
accepted) and every run's headline; results of analyses of a purged document go with it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.db.models import DateTimeField, Max, Q
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from ai_tools.models import AIRun, Document
from ai_tools.services import documents_delete_locked
from applications.models import EvidenceDocument
from applications.services import evidence_delete
from core.conf import setting
from core.mailer import absolute_url, send_email

from .models import RetentionNotice

logger = logging.getLogger("privacy")

NOTICE_TEMPLATE = "privacy/email/retention_notice"
MIN_NOTICE = dt.timedelta(days=30)


def add_months(moment: dt.datetime, months: int) -> dt.datetime:
    month = moment.month - 1 + months
    year, month = moment.year + month // 12, month % 12 + 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


def users_with_uploads_and_activity():
    """Users holding documents or evidence files, with ``last_activity`` (one query)."""
    joined = "date_joined"
    return (
        User.objects.filter(Q(ai_documents__isnull=False) | Q(application__documents__isnull=False))
        .annotate(
            last_activity=Greatest(
                Coalesce("last_login", joined, output_field=DateTimeField()),
                Coalesce(Max("ai_documents__created_at"), joined, output_field=DateTimeField()),
                Coalesce(Max("ai_runs__created_at"), joined, output_field=DateTimeField()),
                Coalesce(Max("application__documents__created_at"), joined, output_field=DateTimeField()),
            )
        )
        .order_by("pk")
    )


def retention_run(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Warn users idle for (months - 1) once; purge the uploads of users whose notice's date has passed."""
    now = now or timezone.now()
    months = setting("DOCUMENT_RETENTION_MONTHS")
    warn_from = add_months(now, -(months - 1))
    notified = purged = 0
    for user in users_with_uploads_and_activity().filter(last_activity__lte=warn_from):
        notice = RetentionNotice.objects.filter(user=user, last_activity_at=user.last_activity).first()
        if notice is None:
            purge_after = max(add_months(user.last_activity, months), now + MIN_NOTICE)
            try:
                with transaction.atomic():
                    notice = RetentionNotice.objects.create(
                        user=user, last_activity_at=user.last_activity, purge_after=purge_after, sent_at=now
                    )
                    _notice_send(user=user, notice=notice)
            except IntegrityError:
                continue  # another worker claimed it
            except Exception:  # noqa: BLE001 - the claim rolled back; the next beat tries again
                logger.exception("could not send the retention notice to user %s", user.pk)
                continue
            notified += 1
        elif notice.purged_at is None and notice.purge_after <= now:
            uploads_purge(user=user, notice=notice, now=now)
            purged += 1
    return {"notified": notified, "purged": purged}


def uploads_purge(*, user: User, notice: RetentionNotice, now: dt.datetime) -> None:
    """Delete the user's uploads and extracted text, and the text they pasted into AI runs."""
    with transaction.atomic():
        locked = RetentionNotice.objects.select_for_update().get(pk=notice.pk)
        if locked.purged_at is not None:
            return
        documents_delete_locked(documents=list(Document.objects.select_for_update().filter(owner=user)))
        for evidence in EvidenceDocument.objects.filter(application__owner=user):
            evidence_delete(document=evidence)
        AIRun.objects.filter(user=user).exclude(input={}).update(input={})
        locked.purged_at = now
        locked.save(update_fields=["purged_at"])


def _notice_send(*, user: User, notice: RetentionNotice) -> None:
    documents = list(Document.objects.filter(owner=user).values_list("original_filename", flat=True))
    documents += list(
        EvidenceDocument.objects.filter(application__owner=user).values_list("original_filename", flat=True)
    )
    send_email(
        template=NOTICE_TEMPLATE,
        to=user.email,
        context={
            "name": user.get_short_name(),
            "purge_after": notice.purge_after,
            "documents": documents,
            "url": absolute_url(reverse("ai_tools:history")),
            "data_url": absolute_url(reverse("privacy:data")),
        },
    )
