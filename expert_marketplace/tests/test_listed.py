"""A deactivated user's expert profile is neither listed nor bookable (one definition of "listed")."""

import pytest
from django.contrib.auth import get_user_model

from accounts.tests.factories import UserFactory
from bookings.services import BookingError, booking_hold
from bookings.tests.factories import NOW, WEDNESDAY_10, expert_with_session
from expert_marketplace.models import ExpertProfile, SessionType
from expert_marketplace.selectors import listed_experts

pytestmark = pytest.mark.django_db


@pytest.fixture
def deactivated():
    expert, session = expert_with_session()
    get_user_model().objects.filter(pk=expert.user_id).update(is_active=False)
    return ExpertProfile.objects.get(pk=expert.pk), SessionType.objects.get(pk=session.pk)


def test_a_deactivated_users_profile_is_hidden_everywhere(client, deactivated):
    expert, session = deactivated
    visible, _ = expert_with_session()

    assert list(listed_experts()) == [visible]
    assert not expert.is_listed and visible.is_listed
    assert expert.display_name not in client.get("/experts/").content.decode()
    assert client.get(f"/experts/{expert.slug}/").status_code == 404


def test_a_deactivated_users_sessions_cannot_be_booked(client, deactivated):
    expert, session = deactivated
    with pytest.raises(BookingError):
        booking_hold(client=UserFactory(), session_type=session, start=WEDNESDAY_10, now=NOW)
    client.force_login(UserFactory())
    response = client.get("/bookings/new/start/", {"session": session.pk})
    assert response.url == "/bookings/new/"  # "That session is no longer offered"
