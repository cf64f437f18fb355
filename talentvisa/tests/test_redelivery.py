"""Re-delivery (issue 19): with acks_late, a lost worker's message runs again, possibly while the
first delivery is still running. Every task that sends mail or moves money does its side effect
once per message: emails (core.idempotency keys per message and recipient), reminders
(ReminderSent under the booking lock), payouts (claim + the transfer's idempotency key), refunds
(the refund's idempotency key). Real concurrent transactions on PostgreSQL."""

import datetime as dt
import time
from unittest import mock

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from bookings.emails import booking_email_send
from bookings.models import ReminderSent
from bookings.tasks import booking_email_task, booking_late_refund_task, reminders_send_task
from bookings.tests.factories import WEDNESDAY_10, BookingFactory
from consultations.tasks import consultation_email_task, earnings_payout_task
from consultations.tests.conftest import paid_booking, stripe_fake  # noqa: F401 (fixture)
from consultations.tests.test_payouts import LATER, _completed_and_released
from core import idempotency
from core.models import IdempotencyKey
from payments.models import Refund
from talentvisa.testing import needs_postgres, run_concurrently

H = dt.timedelta(hours=1)


@pytest.fixture
def slow_mail(monkeypatch):
    """Sending takes 0.3 s, so concurrent deliveries really overlap while the first one sends."""
    send = EmailBackend.send_messages

    def slow(self, messages):
        time.sleep(0.3)
        return send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", slow)


def _deliveries(task, kwargs, *, times=4, task_id="message-1"):
    """The same Celery message (one id) delivered `times` times at once."""
    return run_concurrently(
        [lambda: task.apply(kwargs=kwargs, task_id=task_id).get(disable_sync_subtasks=False) for _ in range(times)]
    )


@pytest.mark.django_db(transaction=True)
def test_four_deliveries_of_one_booking_email_reach_each_recipient_once(slow_mail):
    needs_postgres()
    booking = BookingFactory()
    kwargs = {"booking_id": booking.pk, "template": "booking_confirmed", "recipients": ["client", "expert"]}

    outcomes = _deliveries(booking_email_task, kwargs)

    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert sum(outcomes) == 2  # one delivery may send the client, another the expert
    assert sorted(m.to[0] for m in mail.outbox) == sorted([booking.client.email, booking.expert.user.email])
    assert IdempotencyKey.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_four_deliveries_of_one_consultation_email_reach_each_recipient_once(slow_mail):
    needs_postgres()
    booking = BookingFactory()
    kwargs = {"booking_id": booking.pk, "template": "consultation_completed", "recipients": ["client"]}

    outcomes = _deliveries(consultation_email_task, kwargs)

    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert [m.to[0] for m in mail.outbox] == [booking.client.email]


@pytest.mark.django_db
def test_a_different_message_sends_again_and_a_failed_send_is_retried_for_the_missing_recipient(monkeypatch):
    booking = BookingFactory()
    kwargs = {"booking_id": booking.pk, "template": "booking_confirmed", "recipients": ["client", "expert"]}
    assert booking_email_task.apply(kwargs=kwargs, task_id="a").get() == 2
    assert booking_email_task.apply(kwargs=kwargs, task_id="a").get() == 0
    assert booking_email_task.apply(kwargs=kwargs, task_id="b").get() == 2  # a new message is a new email
    assert len(mail.outbox) == 4
    mail.outbox.clear()

    send = EmailBackend.send_messages
    expert_email = booking.expert.user.email

    def expert_unreachable(self, messages):
        if messages[0].to == [expert_email]:
            raise ConnectionError("SMTP went away")
        return send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", expert_unreachable)
    with pytest.raises(ConnectionError):
        booking_email_send(**kwargs, idempotency_key="c")
    monkeypatch.setattr(EmailBackend, "send_messages", send)
    assert booking_email_send(**kwargs, idempotency_key="c") == 1  # the retry: only the expert's is left
    assert [m.to[0] for m in mail.outbox] == [booking.client.email, expert_email]


@pytest.mark.django_db(transaction=True)
def test_four_concurrent_reminder_runs_send_one_reminder_each(monkeypatch, slow_mail):
    needs_postgres()
    m = dt.timedelta(minutes=10)
    bookings = [BookingFactory(start_at=WEDNESDAY_10 + i * m, end_at=WEDNESDAY_10 + i * m + H) for i in range(3)]
    monkeypatch.setattr("django.utils.timezone.now", lambda: WEDNESDAY_10 - 23 * H)

    outcomes = run_concurrently([lambda: reminders_send_task.apply().get() for _ in range(4)])

    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert sum(outcomes) == 6 == len(mail.outbox)
    expected = sorted(email for b in bookings for email in (b.client.email, b.expert.user.email))
    assert sorted(m.to[0] for m in mail.outbox) == expected
    assert ReminderSent.objects.count() == 6


@pytest.mark.django_db(transaction=True)
def test_four_deliveries_of_the_payout_run_make_one_transfer(stripe_fake):  # noqa: F811
    needs_postgres()
    booking = paid_booking(fake=stripe_fake)
    earning = _completed_and_released(booking)

    with mock.patch("consultations.services.payouts.now_or", lambda now: now or LATER):
        outcomes = run_concurrently([lambda: earnings_payout_task.apply(task_id="payout-1").get() for _ in range(4)])

    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert len(stripe_fake.posts_to("/v1/transfers")) == 1 and len(stripe_fake.state.transfers) == 1
    earning.refresh_from_db()
    assert earning.status == earning.Status.PAID and earning.payout_attempts == 1


@pytest.mark.django_db(transaction=True)
def test_four_deliveries_of_a_late_refund_refund_once_and_email_once(stripe_fake):  # noqa: F811
    needs_postgres()
    booking = paid_booking(fake=stripe_fake)
    kwargs = {"booking_id": booking.pk, "payment_id": booking.payment_id}
    mail.outbox.clear()

    outcomes = _deliveries(booking_late_refund_task, kwargs)

    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert Refund.objects.count() == 1
    assert len(stripe_fake.state.refunds) == 1
    booking.payment.refresh_from_db()
    assert booking.payment.amount_refunded_pence == booking.payment.amount_pence
    late = [m for m in mail.outbox if "refund" in m.subject.lower() and m.to == [booking.client.email]]
    assert len(late) == 1, [m.subject for m in mail.outbox]


@pytest.mark.django_db
def test_a_key_is_claimed_once_and_old_keys_are_purged(settings):
    from django.db import transaction
    from django.utils import timezone

    with transaction.atomic():
        assert idempotency.claim("k") is True
        assert idempotency.claim("k") is False
    IdempotencyKey.objects.create(key="old", created_at=timezone.now() - dt.timedelta(days=15))
    settings.IDEMPOTENCY_KEY_DAYS = 14
    assert idempotency.keys_purge() == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["k"]


@pytest.mark.django_db(transaction=True)
def test_four_deliveries_of_a_transfer_reversal_reverse_once(stripe_fake):  # noqa: F811
    needs_postgres()
    from accounts.tests.factories import UserFactory
    from bookings.services import booking_refund
    from consultations.services import earnings_payout_run
    from consultations.tasks import earning_reverse_task

    booking = paid_booking(fake=stripe_fake)
    earning = _completed_and_released(booking)
    earnings_payout_run(now=LATER)
    with mock.patch.object(earning_reverse_task, "delay"):  # the message is delivered below, 4 times
        booking_refund(booking=booking, actor=UserFactory(is_staff=True), reason="Goodwill")
    earning.refresh_from_db()
    assert earning.status == earning.Status.PAID and earning.reverse_requested_at is not None

    outcomes = _deliveries(earning_reverse_task, {"earning_id": earning.pk})

    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    earning.refresh_from_db()
    assert earning.status == earning.Status.REVERSED
    assert stripe_fake.state.transfers[earning.transfer_id]["amount_reversed"] == earning.net_pence
    assert earning.events.filter(to_status=earning.Status.REVERSED).count() == 1
    posts = stripe_fake.posts_to(f"/v1/transfers/{earning.transfer_id}/reversals")
    assert {p.idempotency_key for p in posts} == {f"reversal-earning-{earning.pk}"}  # Stripe reverses once per key
