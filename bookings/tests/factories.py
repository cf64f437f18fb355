"""Factories and helpers for the bookings tests."""

import datetime as dt

import factory

from accounts.tests.factories import UserFactory
from bookings.models import Booking
from expert_marketplace.tests.factories import ExpertProfileFactory, SessionTypeFactory

UTC = dt.UTC
# A Monday in the future of the test clock: the expert factory works weekdays 09-17 UTC with 24 h notice.
NOW = dt.datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
WEDNESDAY_10 = dt.datetime(2027, 3, 3, 10, 0, tzinfo=UTC)


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


class BookingFactory(factory.django.DjangoModelFactory):
    """A confirmed 60-minute booking on Wednesday 3 March 2027 10:00 UTC (no real payment)."""

    class Meta:
        model = Booking

    client = factory.SubFactory(UserFactory)
    session_type = factory.SubFactory(SessionTypeFactory)
    expert = factory.SelfAttribute("session_type.expert")
    status = Booking.Status.CONFIRMED
    start_at = WEDNESDAY_10
    end_at = factory.LazyAttribute(lambda o: o.start_at + dt.timedelta(minutes=o.session_type.duration_minutes))
    hold_expires_at = factory.LazyAttribute(
        lambda o: NOW + dt.timedelta(minutes=15) if o.status == Booking.Status.PENDING_PAYMENT else None
    )
    price_pence = factory.SelfAttribute("session_type.price_pence")
    currency = "gbp"
    commission_bps = 2000
    meeting_url = factory.Sequence(lambda n: f"https://meet.jit.si/TalentVisa-test{n}")
    confirmed_at = factory.LazyAttribute(lambda o: NOW if o.status != Booking.Status.PENDING_PAYMENT else None)
    created_at = NOW


def expert_with_session(*, minutes=60, price_pence=9000, **expert_kwargs):
    expert = ExpertProfileFactory(**expert_kwargs)
    return expert, SessionTypeFactory(expert=expert, duration_minutes=minutes, price_pence=price_pence)
