"""Lists and details with constant queries, 404 for other people's bookings, shared document downloads."""

import datetime as dt

import pytest
from django.http import Http404

from accounts.tests.factories import UserFactory
from ai_tools.selectors import document_for_download
from ai_tools.tests.factories import AIRunFactory, DocumentFactory
from bookings.models import Booking, BookingDocument
from bookings.selectors import (
    booking_busy_intervals,
    booking_for_client,
    booking_for_expert,
    bookings_for_client,
    bookings_for_expert,
)
from expert_marketplace.tests.factories import ExpertProfileFactory

from .factories import NOW, WEDNESDAY_10, BookingFactory

H = dt.timedelta(hours=1)


def make_bookings(client, n, **kwargs):
    rows = []
    for i in range(n):
        booking = BookingFactory(client=client, start_at=WEDNESDAY_10 + i * 24 * H, **kwargs)
        BookingDocument.objects.create(booking=booking, document=DocumentFactory(owner=client))
        booking.shared_analyses.add(AIRunFactory(user=client))
        rows.append(booking)
    return rows


def test_client_lists_use_constant_queries(db, django_assert_num_queries):
    client = UserFactory()
    make_bookings(client, 2)
    with django_assert_num_queries(1):
        few = bookings_for_client(client=client, when="upcoming", now=NOW)
        [(b.expert.user.email, b.session_type.name) for b in few]
    make_bookings(client, 5)
    with django_assert_num_queries(1):
        many = bookings_for_client(client=client, when="upcoming", now=NOW)
        [(b.expert.user.email, b.session_type.name) for b in many]
    assert len(many) == 7 and [b.start_at for b in many] == sorted(b.start_at for b in many)


def test_expert_list_prefetches_client_and_shared_items(db, django_assert_num_queries):
    client = UserFactory()
    expert = ExpertProfileFactory()
    from expert_marketplace.tests.factories import SessionTypeFactory

    session_type = SessionTypeFactory(expert=expert)
    make_bookings(client, 4, session_type=session_type)
    with django_assert_num_queries(3):
        rows = bookings_for_expert(expert=expert, when="upcoming", now=NOW)
        for b in rows:
            (b.client.email, [d.original_filename for d in b.shared_documents.all()], list(b.shared_analyses.all()))
    assert len(rows) == 4


def test_upcoming_and_past_split(db):
    client = UserFactory()
    upcoming = BookingFactory(client=client)
    done = BookingFactory(client=client, start_at=WEDNESDAY_10 - 48 * H, status=Booking.Status.COMPLETED)
    cancelled = BookingFactory(client=client, start_at=WEDNESDAY_10 + 48 * H, status=Booking.Status.CANCELLED_BY_CLIENT)
    BookingFactory(client=client, start_at=WEDNESDAY_10 + 72 * H, status=Booking.Status.EXPIRED)  # unpaid: hidden
    held = BookingFactory(client=client, start_at=WEDNESDAY_10 + 96 * H, status=Booking.Status.PENDING_PAYMENT)
    assert list(bookings_for_client(client=client, when="upcoming", now=NOW)) == [upcoming, held]
    assert list(bookings_for_client(client=client, when="past", now=NOW)) == [cancelled, done]
    assert list(bookings_for_expert(expert=upcoming.expert, when="upcoming", now=NOW)) == [upcoming]
    with pytest.raises(ValueError):
        bookings_for_client(client=client, when="soon")


def test_other_peoples_bookings_are_404(db):
    booking = BookingFactory()
    assert booking_for_client(client=booking.client, pk=booking.pk) == booking
    assert booking_for_expert(expert=booking.expert, pk=booking.pk) == booking
    with pytest.raises(Http404):
        booking_for_client(client=UserFactory(), pk=booking.pk)
    with pytest.raises(Http404):
        booking_for_expert(expert=ExpertProfileFactory(), pk=booking.pk)
    pending = BookingFactory(status=Booking.Status.PENDING_PAYMENT, start_at=WEDNESDAY_10 + 24 * H)
    with pytest.raises(Http404):  # not the expert's until paid
        booking_for_expert(expert=pending.expert, pk=pending.pk)


def test_expert_of_the_booking_can_download_shared_document_others_cannot(db):
    booking = BookingFactory()
    shared = DocumentFactory(owner=booking.client)
    private = DocumentFactory(owner=booking.client)
    BookingDocument.objects.create(booking=booking, document=shared)
    assert document_for_download(user=booking.expert.user, pk=shared.pk) == shared
    assert document_for_download(user=booking.client, pk=shared.pk) == shared
    for user, pk in (
        (booking.expert.user, private.pk),
        (ExpertProfileFactory().user, shared.pk),
        (UserFactory(), shared.pk),
    ):
        with pytest.raises(Http404):
            document_for_download(user=user, pk=pk)
    # Not for an unpaid hold.
    hold = BookingFactory(status=Booking.Status.PENDING_PAYMENT, start_at=WEDNESDAY_10 + 24 * H)
    other_doc = DocumentFactory(owner=hold.client)
    BookingDocument.objects.create(booking=hold, document=other_doc)
    with pytest.raises(Http404):
        document_for_download(user=hold.expert.user, pk=other_doc.pk)


def test_busy_intervals_one_query_for_many_experts(db, django_assert_num_queries):
    bookings = [BookingFactory() for _ in range(5)]
    with django_assert_num_queries(1):
        busy = booking_busy_intervals(
            expert_ids=[b.expert_id for b in bookings], start=NOW, end=NOW + 14 * 24 * H, now=NOW
        )
    assert {k: [(i.start, i.end) for i in v] for k, v in busy.items()} == {
        b.expert_id: [(b.start_at, b.end_at)] for b in bookings
    }
