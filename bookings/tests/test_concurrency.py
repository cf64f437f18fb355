"""Double booking is impossible: real concurrent transactions on PostgreSQL (skipped on SQLite)."""

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction

from accounts.tests.factories import UserFactory
from bookings.models import NO_OVERLAP_CONSTRAINT, Booking
from bookings.services import SlotUnavailable, booking_hold
from expert_marketplace.tests.factories import SessionTypeFactory
from talentvisa.testing import needs_postgres, run_concurrently

from .factories import NOW, WEDNESDAY_10, BookingFactory, expert_with_session

pytestmark = pytest.mark.django_db(transaction=True)
H = dt.timedelta(hours=1)


def test_thirty_clients_race_for_one_slot_exactly_one_wins():
    needs_postgres()
    _, session_type = expert_with_session()
    clients = [UserFactory() for _ in range(30)]
    results = run_concurrently(
        [(lambda c=c: booking_hold(client=c, session_type=session_type, start=WEDNESDAY_10, now=NOW)) for c in clients]
    )
    won = [r for r in results if isinstance(r, Booking)]
    lost = [r for r in results if isinstance(r, SlotUnavailable)]
    assert (len(won), len(lost)) == (1, 29), [r for r in results if not isinstance(r, Booking | SlotUnavailable)]
    assert Booking.objects.filter(status=Booking.Status.PENDING_PAYMENT).count() == 1
    assert all(r.alternatives for r in lost)


def test_overlapping_sessions_of_different_lengths_race_exactly_one_wins():
    needs_postgres()
    expert, long_session = expert_with_session(minutes=60)
    short_session = SessionTypeFactory(expert=expert, duration_minutes=30, price_pence=5000)
    calls = []
    for i in range(10):
        session, start = (long_session, WEDNESDAY_10) if i % 2 else (short_session, WEDNESDAY_10 + H / 2)
        client = UserFactory()
        calls.append(lambda s=session, t=start, c=client: booking_hold(client=c, session_type=s, start=t, now=NOW))
    results = run_concurrently(calls)
    assert sum(isinstance(r, Booking) for r in results) == 1
    assert sum(isinstance(r, SlotUnavailable) for r in results) == 9


def test_the_database_itself_refuses_overlapping_active_bookings():
    needs_postgres()
    booking = BookingFactory()
    overlapping = dict(
        client=UserFactory(),
        expert=booking.expert,
        session_type=booking.session_type,
        start_at=WEDNESDAY_10 + H / 2,
        end_at=WEDNESDAY_10 + 3 * H / 2,
        price_pence=100,
        commission_bps=0,
    )
    with pytest.raises(IntegrityError, match=NO_OVERLAP_CONSTRAINT), transaction.atomic():
        Booking.objects.create(status=Booking.Status.CONFIRMED, **overlapping)
    # Inactive bookings, touching ones and other experts' bookings are fine.
    Booking.objects.create(status=Booking.Status.CANCELLED_BY_CLIENT, **overlapping)
    Booking.objects.create(
        **(overlapping | {"start_at": WEDNESDAY_10 + H, "end_at": WEDNESDAY_10 + 2 * H}),
        status=Booking.Status.CONFIRMED,
    )
    other = SessionTypeFactory()
    Booking.objects.create(
        **(overlapping | {"expert": other.expert, "session_type": other}), status=Booking.Status.CONFIRMED
    )


def test_sqlite_relies_on_the_service_lock():
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL has the exclusion constraint; this documents the SQLite side")
    booking = BookingFactory()
    # No exclusion constraint on SQLite: the row goes in, which is why every write goes through the services.
    Booking.objects.create(
        client=UserFactory(),
        expert=booking.expert,
        session_type=booking.session_type,
        start_at=booking.start_at,
        end_at=booking.end_at,
        price_pence=1,
        commission_bps=0,
        status=Booking.Status.CONFIRMED,
    )
