"""Out-of-range instants in the wizard's links and forms are refused, never a 500 (issue 19)."""

import pytest
from django.contrib.auth import get_user_model

from bookings.models import Booking

from .factories import expert_with_session
from .views_support import *  # noqa: F403  (fixtures: clock, client_user, signed_in)

pytestmark = pytest.mark.django_db

EDGES = ["0001-01-01T00:00:00+00:00", "0001-01-01T00:00:00-05:00", "9999-12-31T23:59:59+00:00", "9999-12-31T23:00:00Z"]


@pytest.fixture(params=["Asia/Tokyo", "America/New_York"])
def far_zone(request, client_user):
    get_user_model().objects.filter(pk=client_user.pk).update(timezone=request.param)
    return request.param


@pytest.mark.parametrize("start", EDGES)
def test_profile_link_with_an_out_of_range_start_opens_the_time_step_without_one(signed_in, clock, far_zone, start):
    expert, session = expert_with_session(minutes=60)

    response = signed_in.get("/bookings/new/start/", {"session": session.pk, "start": start})

    assert response.status_code == 302 and response.url == "/bookings/new/time/"
    page = signed_in.get(response.url)
    assert page.status_code == 200 and 'data-testid="preselected"' not in page.content.decode()


@pytest.mark.parametrize("start", [*EDGES, "\x00", "2027-03-03T10:00:00\x00Z", "9" * 300])
def test_posting_an_out_of_range_time_is_a_400_with_a_message(signed_in, clock, far_zone, start):
    expert, session = expert_with_session(minutes=60)
    signed_in.get("/bookings/new/start/", {"session": session.pk})

    response = signed_in.post("/bookings/new/time/", {"start": start})

    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="slot-error"' in html
    assert "could not be read" in html or "Null characters are not allowed" in html
    assert not Booking.objects.exists()


@pytest.mark.parametrize("date", ["0001-01-01", "9999-12-31", "\x00", "2027-02-30"])
def test_an_out_of_range_date_on_the_time_step_shows_the_first_free_day(signed_in, clock, far_zone, date):
    expert, session = expert_with_session(minutes=60)
    signed_in.get("/bookings/new/start/", {"session": session.pk})
    assert signed_in.get("/bookings/new/time/", {"date": date}).status_code == 200


def test_losing_sqlites_write_lock_to_a_simultaneous_hold_is_the_time_taken_answer(signed_in, clock, monkeypatch):
    from django.db import OperationalError

    from bookings.services import holds

    expert, session = expert_with_session(minutes=60)
    signed_in.get("/bookings/new/start/", {"session": session.pk})

    def locked(**kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(holds, "experts_lock", locked)
    response = signed_in.post("/bookings/new/time/", {"start": "2027-03-03T10:00:00Z"})

    assert response.status_code == 409
    assert "someone has just booked that time" in response.content.decode()
    assert not Booking.objects.exists()


def test_sqlite_transactions_take_the_write_lock_up_front():
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("SQLite only")
    assert db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
