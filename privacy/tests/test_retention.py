"""Retention: a notice a month before, once; then the uploads and their text go; run twice, same result."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import User
from ai_tools.models import AIRun, Document
from ai_tools.tests.factories import AIRunFactory, DocumentFactory
from core.conf import site_settings
from core.models import SiteSettings
from privacy.models import RetentionNotice
from privacy.retention import add_months, retention_run

from .conftest import store
from .helpers import files_mentioning, rows_mentioning

pytestmark = pytest.mark.django_db

ENTITY = "&#"
SECRET = "Retained-Kumquat-5512"


def idle_user(months_ago: int, now):
    then = add_months(now, -months_ago)
    document = DocumentFactory(
        storage_name=store("cv/idle.txt", SECRET.encode()),
        text=SECRET,
        created_at=then,
        original_filename="O'Neil & Co.txt",
    )
    User.objects.filter(pk=document.owner_id).update(date_joined=then, last_login=then)
    AIRunFactory(user=document.owner, document=document, input={"draft": SECRET}, created_at=then)
    return document.owner


def test_notice_once_then_purge_after_the_month(private_root, django_capture_on_commit_callbacks):
    now = timezone.now()
    user = idle_user(11, now)  # 11 months idle: the notice is due (12-month default)
    active = idle_user(3, now)
    assert retention_run(now=now) == {"notified": 1, "purged": 0}
    assert retention_run(now=now) == {"notified": 0, "purged": 0}  # idempotent: one email
    assert [m.to for m in mail.outbox] == [[user.email]]
    message = mail.outbox[0]
    assert "O'Neil & Co.txt" in message.body and ENTITY not in message.body + message.subject
    notice = RetentionNotice.objects.get(user=user)
    assert notice.purge_after >= now + dt.timedelta(days=30)
    # Not before the date it announced.
    assert retention_run(now=notice.purge_after - dt.timedelta(hours=1)) == {"notified": 0, "purged": 0}
    later = notice.purge_after + dt.timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert retention_run(now=later) == {"notified": 0, "purged": 1}
    with django_capture_on_commit_callbacks(execute=True):
        assert retention_run(now=later) == {"notified": 0, "purged": 0}
    assert not Document.objects.filter(owner=user).exists() and Document.objects.filter(owner=active).exists()
    assert AIRun.objects.filter(user=user).count() == 1  # the charge record stays
    assert len(mail.outbox) == 1
    # Only the active user's copies of the text are left: no row or file of the idle user holds it.
    active_doc, active_run = Document.objects.get(owner=active), AIRun.objects.get(user=active)
    assert sorted(rows_mentioning(SECRET)) == sorted(
        [f"ai_tools.Document.text {active_doc.pk}", f"ai_tools.AIRun.input {active_run.pk}"]
    )
    assert len(files_mentioning(private_root, SECRET.encode())) == 1


def test_coming_back_cancels_the_purge(private_root):
    now = timezone.now()
    user = idle_user(11, now)
    retention_run(now=now)
    User.objects.filter(pk=user.pk).update(last_login=now + dt.timedelta(days=1))
    assert retention_run(now=now + dt.timedelta(days=40)) == {"notified": 0, "purged": 0}
    assert Document.objects.filter(owner=user).exists()


def test_already_long_idle_users_are_warned_a_month_ahead_first(private_root):
    now = timezone.now()
    user = idle_user(30, now)
    assert retention_run(now=now) == {"notified": 1, "purged": 0}
    assert Document.objects.filter(owner=user).exists()


def test_retention_setting_is_validated():
    row = site_settings()
    row.document_retention_months = 1
    with pytest.raises(ValidationError):
        row.full_clean()
    assert SiteSettings._meta.get_field("document_retention_months").default == 12
