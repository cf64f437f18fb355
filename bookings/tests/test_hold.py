"""Holding a slot: what is refused, alternatives, the busy provider, stale holds, the intake."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.tests.factories import UserFactory
from ai_tools.tests.factories import AIRunFactory
from bookings.models import Booking, BookingEvent
from bookings.services import (
    BookingError,
    SlotUnavailable,
    booking_hold,
    booking_hold_first_free,
    booking_intake_update,
)
from core.conf import setting
from expert_marketplace.selectors import expert_free_slots
from expert_marketplace.tests.factories import SessionTypeFactory

from .factories import NOW, WEDNESDAY_10, BookingFactory, expert_with_session, utc

HOUR = dt.timedelta(hours=1)


def starts(expert, minutes=60, now=NOW):
    return {s.start for s in expert_free_slots(expert=expert, duration=dt.timedelta(minutes=minutes), now=now)}


def test_hold_creates_pending_booking_with_copied_terms(expert_session, settings):
    expert, session_type = expert_session
    expert.commission_override_bps = 1500
    expert.save()
    client = UserFactory()
    booking = booking_hold(client=client, session_type=session_type, start=WEDNESDAY_10, now=NOW)
    assert booking.status == Booking.Status.PENDING_PAYMENT
    assert booking.hold_expires_at == NOW + dt.timedelta(minutes=setting("BOOKING_HOLD_MINUTES"))
    assert (booking.start_at, booking.end_at) == (WEDNESDAY_10, WEDNESDAY_10 + HOUR)
    assert (booking.price_pence, booking.currency, booking.commission_bps) == (9000, "gbp", 1500)
    assert booking.reference.startswith("TV-") and len(booking.reference) == 9
    assert BookingEvent.objects.get(booking=booking).to_status == "pending_payment"


def test_busy_provider_hides_held_and_confirmed_slots_but_not_expired_holds(expert_session):
    expert, session_type = expert_session
    assert WEDNESDAY_10 in starts(expert)
    booking = booking_hold(client=UserFactory(), session_type=session_type, start=WEDNESDAY_10, now=NOW)
    assert WEDNESDAY_10 not in starts(expert)
    # After the hold runs out the slot is offered again, even before the sweep marks it expired.
    assert WEDNESDAY_10 in starts(expert, now=booking.hold_expires_at)
    BookingFactory(session_type=session_type, start_at=utc(2027, 3, 4, 14))
    assert utc(2027, 3, 4, 14) not in starts(expert)
    assert utc(2027, 3, 4, 13, 30) not in starts(expert)  # would overlap


def test_buffer_is_kept_around_bookings(expert_session):
    expert, session_type = expert_session
    expert.buffer_minutes = 30
    expert.save()
    BookingFactory(session_type=session_type, start_at=WEDNESDAY_10)
    with pytest.raises(SlotUnavailable):
        booking_hold(client=UserFactory(), session_type=session_type, start=WEDNESDAY_10 + HOUR, now=NOW)
    assert booking_hold(client=UserFactory(), session_type=session_type, start=WEDNESDAY_10 + 1.5 * HOUR, now=NOW)


@pytest.mark.parametrize(
    ("start", "why"),
    [
        (utc(2027, 2, 28, 10), "past"),
        (utc(2027, 3, 1, 15), "inside the 24 h notice"),
        (utc(2027, 3, 3, 10, 15), "off the 30-minute grid"),
        (utc(2027, 3, 3, 16, 30), "runs past 17:00"),
        (utc(2027, 3, 6, 10), "a Saturday"),
        (utc(2027, 6, 1, 10), "beyond the 60-day horizon"),
    ],
)
def test_hold_refuses_slots_that_are_not_offered(expert_session, start, why):
    _, session_type = expert_session
    with pytest.raises(SlotUnavailable) as caught:
        booking_hold(client=UserFactory(), session_type=session_type, start=start, now=NOW)
    assert caught.value.message
    assert 0 < len(caught.value.alternatives) <= 6, why
    assert all(a.tzinfo is not None and a.utcoffset() == dt.timedelta(0) for a in caught.value.alternatives)
    assert not Booking.objects.exists()


def test_clash_gives_nearest_alternatives(expert_session):
    _, session_type = expert_session
    booking_hold(client=UserFactory(), session_type=session_type, start=WEDNESDAY_10, now=NOW)
    with pytest.raises(SlotUnavailable) as caught:
        booking_hold(client=UserFactory(), session_type=session_type, start=WEDNESDAY_10, now=NOW)
    alternatives = caught.value.alternatives
    assert len(alternatives) == 6
    assert alternatives == sorted(alternatives)
    assert WEDNESDAY_10 not in alternatives
    assert all(abs(a - WEDNESDAY_10) <= dt.timedelta(days=1) for a in alternatives)


def test_overlapping_sessions_of_different_lengths_are_refused(expert_session):
    expert, long_session = expert_session
    short_session = SessionTypeFactory(expert=expert, duration_minutes=30, price_pence=5000)
    booking_hold(client=UserFactory(), session_type=long_session, start=WEDNESDAY_10, now=NOW)
    with pytest.raises(SlotUnavailable):
        booking_hold(client=UserFactory(), session_type=short_session, start=WEDNESDAY_10 + HOUR / 2, now=NOW)
    assert booking_hold(client=UserFactory(), session_type=short_session, start=WEDNESDAY_10 + HOUR, now=NOW)


def test_stale_hold_is_expired_so_the_slot_can_be_taken(expert_session):
    _, session_type = expert_session
    first = booking_hold(client=UserFactory(), session_type=session_type, start=WEDNESDAY_10, now=NOW)
    later = NOW + dt.timedelta(minutes=16)
    second = booking_hold(client=UserFactory(), session_type=session_type, start=WEDNESDAY_10, now=later)
    first.refresh_from_db()
    assert first.status == Booking.Status.EXPIRED
    assert second.status == Booking.Status.PENDING_PAYMENT


def test_hold_refuses_inactive_session_unlisted_expert_and_self(expert_session):
    expert, session_type = expert_session
    with pytest.raises(BookingError):
        booking_hold(client=expert.user, session_type=session_type, start=WEDNESDAY_10, now=NOW)
    session_type.is_active = False
    session_type.save()
    with pytest.raises(BookingError):
        booking_hold(client=UserFactory(), session_type=session_type, start=WEDNESDAY_10, now=NOW)


def test_naive_start_is_a_programming_error(expert_session):
    with pytest.raises(ValueError):
        booking_hold(client=UserFactory(), session_type=expert_session[1], start=dt.datetime(2027, 3, 3, 10), now=NOW)  # noqa: DTZ001


# --- intake -----------------------------------------------------------------------------------------


@pytest.fixture
def held(expert_session):
    client = UserFactory()
    return booking_hold(client=client, session_type=expert_session[1], start=WEDNESDAY_10, now=NOW), client


def test_intake_stores_answers_and_shares_own_analyses(held):
    booking, client = held
    run = AIRunFactory(user=client)
    booking = booking_intake_update(
        booking=booking,
        client=client,
        questions="  Is my open-source work enough?  ",
        target_route="digital_technology",
        target_category="promise",
        agree_policy=True,
        shared_run_ids=[run.pk],
        now=NOW,
    )
    assert booking.questions == "Is my open-source work enough?"
    assert booking.policy_agreed_at == NOW
    assert list(booking.shared_analyses.all()) == [run]


@pytest.mark.parametrize(
    "change",
    [
        {"target_route": "astrology"},
        {"target_category": "genius"},
        {"agree_policy": False},
        {"questions": "x" * 4001},
    ],
)
def test_intake_refuses_bad_input(held, change):
    booking, client = held
    fields = dict(questions="Hi", target_route="", target_category="unsure", agree_policy=True) | change
    with pytest.raises(BookingError) as caught:
        booking_intake_update(booking=booking, client=client, now=NOW, **fields)
    assert caught.value.message


def test_intake_refuses_someone_elses_runs_and_unfinished_runs(held):
    booking, client = held
    for run in (AIRunFactory(), AIRunFactory(user=client, status="failed", refunded=True)):
        with pytest.raises(BookingError):
            booking_intake_update(
                booking=booking,
                client=client,
                questions="",
                target_route="",
                target_category="",
                agree_policy=True,
                shared_run_ids=[run.pk],
                now=NOW,
            )


def test_intake_refuses_other_client_and_expired_hold(held):
    booking, client = held
    kwargs = dict(questions="", target_route="", target_category="", agree_policy=True)
    with pytest.raises(BookingError):
        booking_intake_update(booking=booking, client=UserFactory(), now=NOW, **kwargs)
    with pytest.raises(BookingError):
        booking_intake_update(booking=booking, client=client, now=NOW + HOUR, **kwargs)


def test_intake_upload_is_validated_and_shared(held, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    booking, client = held
    text = ("Jane Doe, senior engineer. Led the payments platform at Acme from 2019 to 2024. " * 20).encode()
    booking = booking_intake_update(
        booking=booking,
        client=client,
        questions="",
        target_route="",
        target_category="",
        agree_policy=True,
        upload=SimpleUploadedFile("cv.txt", text, content_type="text/plain"),
        now=NOW,
    )
    document = booking.shared_documents.get()
    assert document.owner == client
    with pytest.raises(BookingError):
        booking_intake_update(
            booking=booking,
            client=client,
            questions="",
            target_route="",
            target_category="",
            agree_policy=True,
            upload=SimpleUploadedFile("cv.pdf", b"\x00\x01not a pdf", content_type="application/pdf"),
            now=NOW,
        )


def test_the_wizard_holds_with_the_first_candidate_expert_still_free(expert_session):
    first_expert, first = expert_session
    second_expert, second = expert_with_session()
    booking_hold(client=UserFactory(), session_type=first, start=WEDNESDAY_10, now=NOW)  # first is taken now

    booking = booking_hold_first_free(client=UserFactory(), session_types=[first, second], start=WEDNESDAY_10, now=NOW)

    assert booking.expert == second_expert and booking.status == Booking.Status.PENDING_PAYMENT
    with pytest.raises(SlotUnavailable) as refused:
        booking_hold_first_free(client=UserFactory(), session_types=[first], start=WEDNESDAY_10, now=NOW)
    assert refused.value.alternatives and WEDNESDAY_10 not in refused.value.alternatives
    with pytest.raises(SlotUnavailable, match="just been taken"):
        booking_hold_first_free(client=UserFactory(), session_types=[], start=WEDNESDAY_10, now=NOW)
    assert Booking.objects.filter(expert=first_expert).count() == 1
