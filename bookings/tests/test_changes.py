"""Cancel (policy + idempotent refund), reschedule (.ics SEQUENCE), reassign, staff refund, transitions."""

import datetime as dt

import pytest
from django.core import mail
from icalendar import Calendar

from accounts.tests.factories import UserFactory
from bookings.models import Booking, BookingEvent, ReminderSent
from bookings.services import (
    BookingError,
    InvalidTransition,
    SlotUnavailable,
    booking_cancel,
    booking_hold,
    booking_reassign,
    booking_refund,
    booking_reschedule,
    booking_transition,
)
from expert_marketplace.tests.factories import ExpertProfileFactory, SessionTypeFactory
from payments.models import Payment, Refund

from .conftest import confirmed_booking
from .factories import NOW, WEDNESDAY_10, BookingFactory

H = dt.timedelta(hours=1)


@pytest.fixture
def booked(expert_session, test_mode, django_capture_on_commit_callbacks):
    client = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        booking = confirmed_booking(client=client, session_type=expert_session[1])
    mail.outbox.clear()
    return booking


def ics_of(message):
    return Calendar.from_ical(message.attachments[0][1])


@pytest.mark.parametrize(("hours_before", "refunded"), [(72, 9000), (30, 4500), (5, 0)])
def test_client_cancel_refunds_by_policy_once(booked, django_capture_on_commit_callbacks, hours_before, refunded):
    now = WEDNESDAY_10 - hours_before * H
    with django_capture_on_commit_callbacks(execute=True):
        booking = booking_cancel(booking=booked, actor=booked.client, reason="Plans changed", now=now)
    assert booking.status == Booking.Status.CANCELLED_BY_CLIENT
    assert (booking.cancelled_by, booking.cancel_reason, booking.cancel_refund_pence) == (
        booked.client,
        "Plans changed",
        refunded,
    )
    refunds = list(Refund.objects.filter(payment_id=booking.payment_id))
    assert [r.amount_pence for r in refunds] == ([refunded] if refunded else [])
    if refunded:
        assert refunds[0].idempotency_key == f"booking-{booking.pk}-cancel"
        assert refunds[0].requested_by == booked.client
    # Both sides told, with a CANCEL invitation for the same event.
    assert sorted(m.to[0] for m in mail.outbox) == sorted([booked.client.email, booked.expert.user.email])
    for message in mail.outbox:
        calendar = ics_of(message)
        event = calendar.walk("VEVENT")[0]
        assert calendar["method"] == "CANCEL" and str(event["status"]) == "CANCELLED"
        assert int(event["sequence"]) == 1
    # Cancelling again is harmless: no second refund, no second email.
    with django_capture_on_commit_callbacks(execute=True):
        again = booking_cancel(booking=booking, actor=booked.client, reason="again", now=now)
    assert again.status == Booking.Status.CANCELLED_BY_CLIENT
    assert Refund.objects.filter(payment_id=booking.payment_id).count() == len(refunds)
    assert len(mail.outbox) == 2
    payment = Payment.objects.get(pk=booking.payment_id)
    assert payment.amount_refunded_pence == refunded


def test_expert_cancel_late_still_refunds_in_full(booked, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        booking = booking_cancel(booking=booked, actor=booked.expert.user, reason="Ill", now=WEDNESDAY_10 - 2 * H)
    assert booking.status == Booking.Status.CANCELLED_BY_EXPERT
    assert Payment.objects.get(pk=booking.payment_id).status == Payment.Status.REFUNDED
    assert booking.status != Booking.Status.REFUNDED  # a cancelled booking stays cancelled


def test_staff_cancel_counts_as_expert_side(booked):
    staff = UserFactory(is_staff=True)
    booking = booking_cancel(booking=booked, actor=staff, reason="Platform issue", now=WEDNESDAY_10 - 2 * H)
    assert booking.status == Booking.Status.CANCELLED_BY_EXPERT and booking.cancel_refund_pence == 9000
    assert booking.events.filter(actor=staff, to_status="cancelled_by_expert").exists()


def test_strangers_cannot_cancel_and_started_bookings_cannot_be_cancelled(booked):
    with pytest.raises(BookingError):
        booking_cancel(booking=booked, actor=UserFactory(), reason="", now=NOW)
    with pytest.raises(BookingError):
        booking_cancel(booking=booked, actor=booked.client, reason="", now=WEDNESDAY_10 + H / 2)


def test_reschedule_moves_the_booking_and_sends_an_updated_invitation(booked, django_capture_on_commit_callbacks):
    ReminderSent.objects.create(booking=booked, kind="24h", recipient="client")
    new_start = WEDNESDAY_10 + dt.timedelta(days=1, hours=3)
    with django_capture_on_commit_callbacks(execute=True):
        booking = booking_reschedule(booking=booked, client=booked.client, new_start=new_start, now=NOW)
    assert (booking.start_at, booking.end_at, booking.reschedule_count) == (new_start, new_start + H, 1)
    assert not ReminderSent.objects.filter(booking=booking).exists()
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        event = ics_of(message).walk("VEVENT")[0]
        assert event.decoded("dtstart") == new_start
        assert int(event["sequence"]) == 1
        assert str(event["uid"]).startswith(f"booking-{booking.pk}@")
        assert "Was:" in message.body
    # The old slot is free again, the new one is taken.
    assert booking_hold(client=UserFactory(), session_type=booking.session_type, start=WEDNESDAY_10, now=NOW)
    with pytest.raises(SlotUnavailable):
        booking_hold(client=UserFactory(), session_type=booking.session_type, start=new_start, now=NOW)
    with pytest.raises(BookingError, match="already booked"):
        booking_reschedule(booking=booking, client=booked.client, new_start=new_start, now=NOW)


def test_reschedule_policy_window_count_and_availability(booked):
    with pytest.raises(BookingError, match="too late"):
        booking_reschedule(
            booking=booked, client=booked.client, new_start=WEDNESDAY_10 + 26 * H, now=WEDNESDAY_10 - 10 * H
        )
    with pytest.raises(SlotUnavailable):
        booking_reschedule(booking=booked, client=booked.client, new_start=WEDNESDAY_10 + 10 * H, now=NOW)  # 20:00
    with pytest.raises(BookingError):
        booking_reschedule(booking=booked, client=UserFactory(), new_start=WEDNESDAY_10 + 24 * H, now=NOW)
    booking = booking_reschedule(booking=booked, client=booked.client, new_start=WEDNESDAY_10 + 24 * H, now=NOW)
    booking = booking_reschedule(booking=booking, client=booked.client, new_start=WEDNESDAY_10 + 48 * H, now=NOW)
    with pytest.raises(BookingError, match="2 times"):
        booking_reschedule(booking=booking, client=booked.client, new_start=WEDNESDAY_10 + 2 * H, now=NOW)


def test_reschedule_can_shift_within_its_own_time(booked):
    # Moving 10:00 -> 10:30 overlaps only the booking itself, which must not block it.
    booking = booking_reschedule(booking=booked, client=booked.client, new_start=WEDNESDAY_10 + H / 2, now=NOW)
    assert booking.start_at == WEDNESDAY_10 + H / 2


def test_reassign_to_a_free_expert_with_the_same_length(booked, django_capture_on_commit_callbacks):
    staff = UserFactory(is_staff=True)
    other = ExpertProfileFactory()
    with pytest.raises(BookingError):
        booking_reassign(booking=booked, new_expert=other, actor=staff, reason="")  # no 60-min session
    SessionTypeFactory(expert=other, duration_minutes=60, price_pence=12000, name="Endorsement strategy call")
    with pytest.raises(BookingError):
        booking_reassign(booking=booked, new_expert=other, actor=booked.client, reason="")  # not staff
    busy = BookingFactory(session_type=other.session_types.get(), start_at=WEDNESDAY_10 + H / 2)
    with pytest.raises(SlotUnavailable):
        booking_reassign(booking=booked, new_expert=other, actor=staff, reason="", now=NOW)
    Booking.objects.filter(pk=busy.pk).update(status=Booking.Status.CANCELLED_BY_CLIENT)
    old_expert = booked.expert
    with django_capture_on_commit_callbacks(execute=True):
        booking = booking_reassign(booking=booked, new_expert=other, actor=staff, reason="Expert on leave", now=NOW)
    assert booking.expert == other and booking.price_pence == 9000 and booking.calendar_sequence == 1
    assert BookingEvent.objects.filter(booking=booking, actor=staff, note__contains="Expert on leave").exists()
    recipients = {m.to[0]: m for m in mail.outbox}
    assert set(recipients) == {booked.client.email, other.user.email, old_expert.user.email}
    assert ics_of(recipients[old_expert.user.email])["method"] == "CANCEL"
    assert ics_of(recipients[other.user.email])["method"] == "REQUEST"
    # The previous expert's cancellation is the event as it was in their calendar: them, their session.
    cancelled = ics_of(recipients[old_expert.user.email]).walk("VEVENT")[0]
    attendees = [str(a) for a in cancelled.get("attendee")]
    assert f"mailto:{old_expert.user.email}" in attendees and f"mailto:{other.user.email}" not in attendees
    old_name = booked.session_type.name
    assert str(cancelled["summary"]).startswith(f"{old_name} with {old_expert.display_name}")
    assert old_name in recipients[old_expert.user.email].body
    assert "Endorsement strategy call" not in recipients[old_expert.user.email].body


def test_staff_refund_marks_confirmed_booking_refunded(booked, django_capture_on_commit_callbacks):
    staff = UserFactory(is_staff=True)
    with pytest.raises(BookingError):
        booking_refund(booking=booked, actor=booked.client, reason="")
    with django_capture_on_commit_callbacks(execute=True):
        booking_refund(booking=booked, actor=staff, reason="Goodwill")
    booked.refresh_from_db()
    assert booked.status == Booking.Status.REFUNDED
    event = booked.events.get(to_status="refunded", from_status="confirmed")
    assert event.actor == staff
    # Both sides told; the expert's calendar event is cancelled.
    recipients = {m.to[0]: m for m in mail.outbox}
    assert sorted(recipients) == sorted([booked.client.email, booked.expert.user.email])
    assert ics_of(recipients[booked.expert.user.email])["method"] == "CANCEL"
    assert "no longer need to attend" in recipients[booked.expert.user.email].body
    assert "We have refunded £90.00" in recipients[booked.client.email].body
    with pytest.raises(BookingError):
        booking_refund(booking=booked, actor=staff, reason="again")


@pytest.mark.parametrize("action", ["refund_in_full", "refund_partial"])
def test_staff_refunds_from_the_payments_admin_are_announced(booked, django_capture_on_commit_callbacks, action):
    from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
    from django.test import Client

    admin = UserFactory(is_staff=True, is_superuser=True)
    browser = Client()
    browser.force_login(admin)
    data = {"action": action, ACTION_CHECKBOX_NAME: [str(booked.payment_id)], "index": 0}
    if action == "refund_partial":
        data.update(apply="1", amount="30.00", reason="Late start")
    with django_capture_on_commit_callbacks(execute=True):
        assert browser.post("/admin/payments/payment/", data).status_code == 302
    booked.refresh_from_db()
    recipients = {m.to[0]: m for m in mail.outbox}
    if action == "refund_in_full":
        assert booked.status == Booking.Status.REFUNDED
        assert sorted(recipients) == sorted([booked.client.email, booked.expert.user.email])
        assert ics_of(recipients[booked.expert.user.email])["method"] == "CANCEL"
        assert "We have refunded £90.00" in recipients[booked.client.email].body
    else:  # still on: only the client hears about the money
        assert booked.status == Booking.Status.CONFIRMED
        assert list(recipients) == [booked.client.email]
        assert "We have refunded £30.00" in recipients[booked.client.email].body


def test_cancel_and_dispute_refunds_are_not_announced_twice(booked, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=booked, actor=booked.client, reason="", now=WEDNESDAY_10 - 72 * H)
    assert [m.subject for m in mail.outbox if "Refund for" in m.subject] == []


def test_transition_map_is_enforced_and_recorded(db):
    booking = BookingFactory(status=Booking.Status.COMPLETED)
    with pytest.raises(InvalidTransition):
        booking_transition(booking=booking, to_status=Booking.Status.CONFIRMED)
    actor = UserFactory(is_staff=True)
    booking = booking_transition(booking=booking, to_status=Booking.Status.REFUNDED, actor=actor, note="dispute")
    event = booking.events.get()
    assert (event.from_status, event.to_status, event.actor, event.note) == ("completed", "refunded", actor, "dispute")
