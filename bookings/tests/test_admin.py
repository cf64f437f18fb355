"""Admin: list, search, filters, and the staff actions (through services, recorded as events)."""

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from bookings.models import Booking
from expert_marketplace.tests.factories import ExpertProfileFactory, SessionTypeFactory

from .conftest import confirmed_booking
from .factories import BookingFactory


@pytest.fixture
def staff_client(client, db):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    client.staff = staff
    return client


def test_changelist_search_and_filters(staff_client):
    booking = BookingFactory()
    url = reverse("admin:bookings_booking_changelist")
    for query in (
        "",
        f"?q={booking.reference}",
        f"?q={booking.client.email}",
        f"?q={booking.pk}",
        "?status__exact=confirmed",
    ):
        response = staff_client.get(url + query)
        assert response.status_code == 200
        assert booking.reference in response.content.decode()
    assert staff_client.get(reverse("admin:bookings_booking_change", args=[booking.pk])).status_code == 200


def test_cancel_action_refunds_in_full_as_staff(staff_client, expert_session, test_mode):
    booking = confirmed_booking(client=UserFactory(), session_type=expert_session[1])
    response = staff_client.post(
        reverse("admin:bookings_booking_changelist"), {"action": "cancel_by_staff", "_selected_action": [booking.pk]}
    )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED_BY_EXPERT
    assert booking.payment.amount_refunded_pence == booking.price_pence
    assert booking.events.filter(actor=staff_client.staff, to_status="cancelled_by_expert").exists()


def test_refund_action(staff_client, expert_session, test_mode):
    booking = confirmed_booking(client=UserFactory(), session_type=expert_session[1])
    staff_client.post(
        reverse("admin:bookings_booking_changelist"), {"action": "refund_full", "_selected_action": [booking.pk]}
    )
    booking.refresh_from_db()
    assert booking.status == Booking.Status.REFUNDED
    assert booking.events.filter(actor=staff_client.staff, to_status="refunded").exists()


def test_reassign_action_shows_a_form_then_reassigns(staff_client, expert_session, test_mode):
    booking = confirmed_booking(client=UserFactory(), session_type=expert_session[1])
    other = ExpertProfileFactory()
    SessionTypeFactory(expert=other, duration_minutes=60)
    url = reverse("admin:bookings_booking_changelist")
    form_page = staff_client.post(url, {"action": "reassign_expert", "_selected_action": [booking.pk]})
    assert form_page.status_code == 200 and b"new_expert" in form_page.content
    response = staff_client.post(
        url,
        {
            "action": "reassign_expert",
            "_selected_action": [booking.pk],
            "apply": "1",
            "new_expert": other.pk,
            "reason": "Expert unavailable",
        },
    )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.expert == other
    assert booking.events.filter(actor=staff_client.staff, note__contains="Expert unavailable").exists()
