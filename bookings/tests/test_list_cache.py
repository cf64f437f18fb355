"""The client's booking list and dashboard card are cached per user (core.fragments): fresh
right after every write they show, cheaper on the second request, and never another user's.

The freshness tests commit for real (transaction=True), so the generation bumps run exactly as in
production: after the commit of the write.
"""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import UserFactory
from bookings.models import Booking
from bookings.services import booking_reassign
from core import fragments
from expert_marketplace import services
from payments.models import Payment
from payments.services import payment_transition

from .conftest import confirmed_booking, hold_and_checkout
from .factories import NOW, WEDNESDAY_10, BookingFactory, expert_with_session
from .views_support import *  # noqa: F403  (fixtures: clock, client_user, signed_in)

FRIDAY_10 = WEDNESDAY_10 + dt.timedelta(days=2)


@pytest.fixture
def test_mode(settings):
    settings.STRIPE_SECRET_KEY = ""
    settings.PAYMENTS_TEST_MODE_ENABLED = True


def _get(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(ctx.captured_queries)


def _main(html: str) -> str:
    """The page's own content (the chrome around it carries a CSRF token masked afresh per response)."""
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def _rows(html: str) -> str:
    """The list under the tabs (a flash message above it may name a booking too)."""
    return html.split('role="tablist"', 1)[1]


def _card(html: str) -> str:
    return html.split('data-testid="consultations-card"', 1)[1].split("</a>", 1)[0]


@pytest.mark.django_db(transaction=True)
def test_a_new_booking_and_its_cancellation_show_at_once(signed_in, clock, client_user, test_mode):
    _, session = expert_with_session(price_pence=9000, display_name="Ada Lovelace")
    html, _ = _get(signed_in, "/bookings/")
    assert 'data-testid="empty"' in html
    assert "Book 1:1 time" in _card(_get(signed_in, "/me/dashboard/")[0])

    # Held, not paid yet: listed as awaiting payment; the dashboard counts confirmed ones only.
    booking, payment, _ = hold_and_checkout(client=client_user, session_type=session, start=FRIDAY_10)
    html, _ = _get(signed_in, "/bookings/")
    assert booking.reference in html and "Awaiting payment" in html

    from .conftest import pay_test_mode

    pay_test_mode(payment)
    html, _ = _get(signed_in, "/bookings/")
    assert "Confirmed" in html and "Awaiting payment" not in html
    card = _card(_get(signed_in, "/me/dashboard/")[0])
    assert "with Ada Lovelace" in card and "upcoming" not in card

    second = confirmed_booking(client=client_user, session_type=session, start=FRIDAY_10 + dt.timedelta(days=3))
    assert "2 upcoming" in _card(_get(signed_in, "/me/dashboard/")[0])
    assert second.reference in _get(signed_in, "/bookings/")[0]

    response = signed_in.post(f"/bookings/{booking.pk}/cancel/", {"reason": "Plans changed"})
    assert response.status_code == 302
    upcoming = _rows(_get(signed_in, "/bookings/")[0])
    assert booking.reference not in upcoming and second.reference in upcoming
    past, _ = _get(signed_in, "/bookings/?when=past")
    assert booking.reference in past and "Cancelled by client" in past
    assert "upcoming" not in _card(_get(signed_in, "/me/dashboard/")[0])


@pytest.mark.django_db(transaction=True)
def test_renamed_expert_and_session_show_at_once(signed_in, clock, client_user):
    expert, session = expert_with_session(display_name="Ada Lovelace")
    BookingFactory(client=client_user, session_type=session)
    html, _ = _get(signed_in, "/bookings/")
    assert "Ada Lovelace" in html and "Strategy call" in html
    assert "Ada Lovelace" in _get(signed_in, "/me/dashboard/")[0]

    # Through the services the expert uses (they announce the renames; the rows alone would not).
    services.expert_profile_update(
        expert=expert,
        display_name="Ada King",
        headline=expert.headline,
        bio=expert.bio,
        expertise_areas=expert.expertise_areas.all(),
        languages=expert.languages.all(),
        years_experience=expert.years_experience,
        adviser_status=expert.adviser_status,
        adviser_number=expert.adviser_number,
    )
    services.session_type_update(
        session_type=session,
        name="Evidence review",
        duration_minutes=session.duration_minutes,
        price_pence=session.price_pence,
        is_active=session.is_active,
    )
    html, _ = _get(signed_in, "/bookings/")
    assert "Ada King" in html and "Evidence review" in html and "Ada Lovelace" not in html
    assert "with Ada King" in _get(signed_in, "/me/dashboard/")[0]


@pytest.mark.django_db(transaction=True)
def test_a_reassignment_bumps_the_client_and_both_experts(clock, client_user):
    old_expert, session = expert_with_session()
    new_expert, _ = expert_with_session()
    booking = BookingFactory(client=client_user, session_type=session)
    staff = UserFactory(is_staff=True)
    # The client's pages and both experts' public profiles (free slots); an expert's own pages are
    # never cached, so their user scopes are not bumped any more (that was dead work).
    scopes = [fragments.user_scope(client_user), fragments.expert_scope(old_expert), fragments.expert_scope(new_expert)]
    before = [fragments.generation(scope) for scope in scopes]

    booking_reassign(booking=booking, new_expert=new_expert, actor=staff, reason="Illness", now=NOW)

    after = [fragments.generation(scope) for scope in scopes]
    assert all(a != b for a, b in zip(after, before, strict=True))


@pytest.mark.django_db(transaction=True)
def test_payment_and_review_writes_bump_the_client(client_user):
    from consultations.services import review_create
    from payments.tests.factories import PaymentFactory

    scope = fragments.user_scope(client_user)
    payment = PaymentFactory(user=client_user)
    before = fragments.generation(scope)
    # A late payment decides whether an expired booking is listed (through the payments service).
    payment_transition(payment_id=payment.pk, to_status=Payment.Status.SUCCEEDED, source="test")
    assert fragments.generation(scope) != before

    booking = BookingFactory(client=client_user, status=Booking.Status.COMPLETED)
    before = fragments.generation(scope)
    review_create(booking=booking, client=client_user, rating=5, text="Great help.", now=NOW)
    assert fragments.generation(scope) != before


@pytest.mark.django_db
def test_the_second_request_is_cached_and_cheaper(signed_in, clock, client_user):
    _, session = expert_with_session()
    for i in range(3):
        BookingFactory(client=client_user, session_type=session, start_at=WEDNESDAY_10 + dt.timedelta(days=i))
    for url in ("/bookings/", "/bookings/?when=past", "/bookings/?page=2"):
        first_html, first = _get(signed_in, url)
        second_html, second = _get(signed_in, url)
        assert second < first, url
        assert _main(second_html) == _main(first_html)


@pytest.mark.django_db
def test_tabs_pages_and_zones_are_cached_apart(signed_in, clock, client_user):
    _, session = expert_with_session()
    BookingFactory(client=client_user, session_type=session, reference="TV-UPCOMI")
    BookingFactory(
        client=client_user,
        session_type=session,
        reference="TV-PASTXX",
        start_at=NOW - dt.timedelta(days=3),
        status=Booking.Status.COMPLETED,
    )
    assert "TV-UPCOMI" in _get(signed_in, "/bookings/")[0]
    past, _ = _get(signed_in, "/bookings/?when=past")
    assert "TV-PASTXX" in past and "TV-UPCOMI" not in past
    assert "TV-UPCOMI" in _get(signed_in, "/bookings/?page=7")[0]  # past the end: the last page

    # 10:00 UTC is 10:00 in London and 19:00 in Tokyo: the zone is part of the key.
    assert "10:00–11:00" in _get(signed_in, "/bookings/")[0]
    client_user.timezone = "Asia/Tokyo"
    client_user.save(update_fields=["timezone"])
    assert "19:00–20:00" in _get(signed_in, "/bookings/")[0]


@pytest.mark.django_db
def test_another_client_gets_their_own_list(client, clock):
    _, session = expert_with_session()
    alice, bob = UserFactory(), UserFactory()
    BookingFactory(client=alice, session_type=session, reference="TV-ALICE2")
    BookingFactory(
        client=bob, session_type=session, start_at=WEDNESDAY_10 + dt.timedelta(hours=2), reference="TV-BOB222"
    )

    client.force_login(alice)
    alice_list, alice_dash = _get(client, "/bookings/")[0], _card(_get(client, "/me/dashboard/")[0])
    client.force_login(bob)
    bob_list, bob_dash = _get(client, "/bookings/")[0], _card(_get(client, "/me/dashboard/")[0])

    assert "TV-ALICE2" in alice_list and "TV-BOB222" not in alice_list
    assert "TV-BOB222" in bob_list and "TV-ALICE2" not in bob_list
    assert "10:00" in alice_dash and "12:00" in bob_dash


@pytest.mark.django_db
def test_dashboard_card_is_one_query_whatever_the_number_of_bookings(client_user, django_assert_num_queries):
    from django.utils import timezone

    from bookings import selectors

    _, session = expert_with_session(display_name="Ada Lovelace")
    with django_assert_num_queries(1):
        assert selectors.client_next_booking(client=client_user, now=timezone.now()) == (None, 0)
    for i in range(12):
        BookingFactory(client=client_user, session_type=session, start_at=WEDNESDAY_10 + dt.timedelta(days=i))
    BookingFactory(client=client_user, session_type=session, status=Booking.Status.CANCELLED_BY_CLIENT)
    with django_assert_num_queries(1):
        next_booking, count = selectors.client_next_booking(client=client_user, now=timezone.now())
    assert next_booking.start_at == WEDNESDAY_10 and next_booking.expert.display_name == "Ada Lovelace"
    assert count == 12


@pytest.mark.django_db
def test_a_transition_bumps_both_users_without_looking_up_the_expert_again(client_user):
    from bookings.services import booking_transition

    _, session = expert_with_session()
    booking = BookingFactory(client=client_user, session_type=session, status=Booking.Status.CONFIRMED)

    with CaptureQueriesContext(connection) as queries:
        booking_transition(booking=booking, to_status=Booking.Status.COMPLETED)

    lookups = [
        q["sql"] for q in queries.captured_queries if q["sql"].startswith('SELECT "expert_marketplace_expertprofile"')
    ]
    assert lookups == []  # the locked row brought its expert along
