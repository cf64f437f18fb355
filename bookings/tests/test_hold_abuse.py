"""One client cannot hold an expert's calendar: one live hold each, and a rate on attempts (issue 19)."""

import datetime as dt

import pytest

from accounts.tests.factories import UserFactory
from bookings.models import Booking
from bookings.services import SlotUnavailable, TooManyHoldAttempts, booking_hold
from bookings.services import holds as holds_module
from talentvisa.testing import needs_postgres, run_concurrently

from .factories import NOW, WEDNESDAY_10, BookingFactory, expert_with_session

H = dt.timedelta(hours=1)
S = Booking.Status


def _live_holds(client):
    return list(Booking.objects.filter(client=client, status=S.PENDING_PAYMENT).order_by("start_at"))


@pytest.mark.django_db
def test_a_new_hold_releases_the_previous_one():
    _, session = expert_with_session()
    client = UserFactory()

    first = booking_hold(client=client, session_type=session, start=WEDNESDAY_10, now=NOW)
    second = booking_hold(client=client, session_type=session, start=WEDNESDAY_10 + 2 * H, now=NOW)

    assert _live_holds(client) == [second]
    first.refresh_from_db()
    assert first.status == S.EXPIRED
    # The released slot is free for everyone at once.
    assert booking_hold(client=UserFactory(), session_type=session, start=WEDNESDAY_10, now=NOW)


@pytest.mark.django_db
def test_a_refused_new_hold_keeps_the_previous_one():
    _, session = expert_with_session()
    client = UserFactory()
    first = booking_hold(client=client, session_type=session, start=WEDNESDAY_10, now=NOW)
    BookingFactory(session_type=session, start_at=WEDNESDAY_10 + 2 * H)  # someone else's

    with pytest.raises(SlotUnavailable):
        booking_hold(client=client, session_type=session, start=WEDNESDAY_10 + 2 * H, now=NOW)

    assert _live_holds(client) == [first]


@pytest.mark.django_db
def test_hold_attempts_are_rate_limited_per_client():
    _, session = expert_with_session()
    client, other = UserFactory(), UserFactory()
    for i in range(holds_module.HOLD_ATTEMPTS_LIMIT):
        booking_hold(client=client, session_type=session, start=WEDNESDAY_10 + (i % 6) * H, now=NOW)

    with pytest.raises(TooManyHoldAttempts):
        booking_hold(client=client, session_type=session, start=WEDNESDAY_10 + 6 * H, now=NOW)
    assert len(_live_holds(client)) == 1
    # Per client: someone else is not affected.
    assert booking_hold(client=other, session_type=session, start=WEDNESDAY_10 + 6 * H, now=NOW)


@pytest.mark.django_db
def test_the_wizard_answers_429_when_the_rate_is_exceeded(client, monkeypatch):
    from bookings.wizard import SESSION_KEY

    monkeypatch.setattr("bookings.views.new.now", lambda: NOW)
    monkeypatch.setattr(holds_module, "HOLD_ATTEMPTS_LIMIT", 1)
    expert, session = expert_with_session()
    user = UserFactory()
    client.force_login(user)
    state = client.session
    state[SESSION_KEY] = {"area": "", "minutes": 60, "expert": str(expert.pk), "session": session.pk, "start": ""}
    state.save()

    assert client.post("/bookings/new/time/", {"start": "2027-03-03T10:00:00Z"}).status_code == 302
    response = client.post("/bookings/new/time/", {"start": "2027-03-03T12:00:00Z"})

    assert response.status_code == 429 and "Please wait a few minutes" in response.content.decode()
    assert len(_live_holds(user)) == 1


@pytest.mark.django_db(transaction=True)
def test_eight_simultaneous_holds_by_one_client_leave_one_live_hold():
    """The probe: 8 POSTs held a whole day of one expert's calendar. Now concurrent requests queue
    on the client's row and each new hold releases the one before."""
    needs_postgres()
    _, session = expert_with_session()
    client = UserFactory()
    starts = [WEDNESDAY_10 + i * H for i in range(7)] + [WEDNESDAY_10 + 24 * H]

    results = run_concurrently(
        [(lambda s=s: booking_hold(client=client, session_type=session, start=s, now=NOW)) for s in starts]
    )

    assert all(isinstance(r, Booking) for r in results), results
    live = _live_holds(client)
    assert len(live) == 1
    assert Booking.objects.filter(client=client, status=S.EXPIRED).count() == 7
