"""24 h and 1 h reminders: due ones go out once to each side, never for non-confirmed bookings."""

import datetime as dt

import pytest
from django.core import mail

from bookings.models import Booking, ReminderSent
from bookings.services import reminders_send
from bookings.tasks import reminders_send_task

from .factories import WEDNESDAY_10, BookingFactory

H = dt.timedelta(hours=1)


@pytest.fixture
def booking(db):
    return BookingFactory(confirmed_at=WEDNESDAY_10 - 10 * 24 * H)


def test_day_before_reminder_goes_to_both_sides_once(booking):
    now = WEDNESDAY_10 - 23 * H
    assert reminders_send(now=now) == 2
    assert reminders_send(now=now) == 0
    assert reminders_send(now=now + 10 * H) == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted([booking.client.email, booking.expert.user.email])
    assert all("tomorrow" in m.subject for m in mail.outbox)
    assert set(ReminderSent.objects.values_list("kind", "recipient")) == {("24h", "client"), ("24h", "expert")}


def test_hour_before_reminder_once_even_if_the_task_runs_twice(booking, settings):
    reminders_send(now=WEDNESDAY_10 - 23 * H)
    mail.outbox.clear()
    now = WEDNESDAY_10 - 50 * dt.timedelta(minutes=1)
    assert reminders_send(now=now) == 2
    assert reminders_send(now=now + dt.timedelta(minutes=5)) == 0
    assert len(mail.outbox) == 2 and all("in one hour" in m.subject for m in mail.outbox)
    assert ReminderSent.objects.count() == 4


def test_task_runs_the_service(booking, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: WEDNESDAY_10 - 30 * dt.timedelta(minutes=1))
    assert reminders_send_task.delay().get() == 2
    assert reminders_send_task.delay().get() == 0


@pytest.mark.parametrize(
    "status",
    [
        Booking.Status.CANCELLED_BY_CLIENT,
        Booking.Status.CANCELLED_BY_EXPERT,
        Booking.Status.PENDING_PAYMENT,
        Booking.Status.EXPIRED,
    ],
)
def test_no_reminders_for_bookings_that_are_not_confirmed(db, status):
    BookingFactory(status=status)
    assert reminders_send(now=WEDNESDAY_10 - 23 * H) == 0
    assert reminders_send(now=WEDNESDAY_10 - H / 2) == 0
    assert mail.outbox == []


def test_no_day_before_reminder_for_a_booking_made_within_the_day(db):
    BookingFactory(confirmed_at=WEDNESDAY_10 - 20 * H)
    assert reminders_send(now=WEDNESDAY_10 - 19 * H) == 0
    assert reminders_send(now=WEDNESDAY_10 - H / 2) == 2


def test_past_or_far_bookings_get_nothing(booking):
    assert reminders_send(now=WEDNESDAY_10 - 30 * H) == 0
    assert reminders_send(now=WEDNESDAY_10 + H / 2) == 0
