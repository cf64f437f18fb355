import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.models import User
from accounts.tests.factories import UserFactory
from expert_marketplace import views
from expert_marketplace.models import AvailabilityOverride, ExpertEvent, ExpertProfile

from .factories import AvailabilityOverrideFactory, ExpertProfileFactory, SessionTypeFactory, area, language

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2030, 3, 4, 6, 0, tzinfo=dt.UTC)  # Monday
EXPERT_PAGES = [
    "/expert/",
    "/expert/profile/",
    "/expert/availability/",
    "/expert/sessions/",
    "/expert/payouts/return/",
]


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch):
    monkeypatch.setattr(views, "_now", lambda: NOW)


@pytest.fixture
def expert_client(client):
    expert = ExpertProfileFactory(min_notice_hours=0)
    client.force_login(expert.user)
    client.expert = expert
    return client


@pytest.mark.parametrize("url", EXPERT_PAGES)
def test_expert_pages_need_login_and_a_profile(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(UserFactory())  # a client
    assert client.get(url).status_code == 403


def test_expert_role_without_profile_is_sent_to_apply(client):
    client.force_login(UserFactory(role=User.Role.EXPERT))
    response = client.get("/expert/")
    assert response.status_code == 302 and response["Location"] == "/experts/apply/"


@pytest.mark.parametrize("url", EXPERT_PAGES)
def test_expert_pages_render(expert_client, url):
    response = expert_client.get(url, follow=True)
    assert response.status_code == 200


def test_apply_flow_creates_pending_profile_visible_on_dashboard(client):
    user = UserFactory(full_name="Grace Hopper")
    client.force_login(user)
    response = client.get("/experts/apply/")
    assert response.status_code == 200 and 'value="Grace Hopper"' in response.content.decode()
    bad = client.post(
        "/experts/apply/", {"display_name": "Grace Hopper", "years_experience": "3", "adviser_status": "none"}
    )
    assert bad.status_code == 200 and "This field is required" in bad.content.decode()  # the confirmation
    response = client.post(
        "/experts/apply/",
        {
            "display_name": "Grace Hopper",
            "headline": "Compilers",
            "bio": "Hello",
            "expertise_areas": [area().pk],
            "languages": [language().pk],
            "years_experience": "3",
            "adviser_status": "none",
            "confirm": "on",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/expert/"
    assert "awaiting review" in response.content.decode()
    profile = ExpertProfile.objects.get(user=user)
    assert profile.status == ExpertProfile.Status.PENDING
    assert client.get(f"/experts/{profile.slug}/").status_code == 404
    assert client.get("/experts/apply/")["Location"] == "/expert/"  # only once


def test_dashboard_checklist_reflects_the_profile(expert_client):
    html = expert_client.get("/expert/").content.decode()
    assert 'data-check="sessions" data-done="false"' in html
    assert 'data-check="availability" data-done="true"' in html
    assert 'data-check="payouts" data-done="false"' in html
    assert "Set up payouts" in html and "Upcoming consultations" in html and "Earnings" in html
    SessionTypeFactory(expert=expert_client.expert)
    assert 'data-check="sessions" data-done="true"' in expert_client.get("/expert/").content.decode()


def test_profile_edit_saves_photo_and_unverifies_changed_number(expert_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    expert = expert_client.expert
    ExpertProfile.objects.filter(pk=expert.pk).update(
        adviser_status="sra", adviser_number="123456", adviser_verified=True
    )
    buf = io.BytesIO()
    Image.new("RGB", (1200, 1200), (10, 120, 200)).save(buf, format="JPEG")
    response = expert_client.post(
        "/expert/profile/",
        {
            "display_name": "New Name",
            "headline": "Headline",
            "bio": "b" * 250,
            "expertise_areas": [area().pk],
            "languages": [language().pk],
            "years_experience": "12",
            "adviser_status": "sra",
            "adviser_number": "654321",
            "photo": SimpleUploadedFile("selfie.jpg", buf.getvalue(), content_type="image/jpeg"),
        },
    )
    assert response.status_code == 302
    expert.refresh_from_db()
    assert expert.display_name == "New Name" and expert.slug == "new-name"
    assert not expert.adviser_verified
    assert expert.photo.name.startswith("experts/") and "selfie" not in expert.photo.name
    with Image.open(expert.photo.path) as img:
        assert img.size == (512, 512)
    assert expert.events.filter(action=ExpertEvent.Action.ADVISER_UNVERIFIED).exists()


def test_availability_errors_are_shown_and_nothing_saved(expert_client):
    before = dict(expert_client.expert.weekly_schedule)
    response = expert_client.post(
        "/expert/availability/",
        {
            "timezone": "Europe/London",
            "buffer_minutes": "15",
            "min_notice_hours": "0",
            "horizon_days": "30",
            "mon-0-start": "09:00",
            "mon-0-end": "12:00",
            "mon-1-start": "11:00",
            "mon-1-end": "13:00",
            "tue-0-start": "10:00",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Your hours were not saved" in html
    assert "Monday: 09:00–12:00 overlaps 11:00–13:00." in html
    assert "Tuesday: enter both a start and an end time." in html
    expert_client.expert.refresh_from_db()
    assert expert_client.expert.weekly_schedule == before


def test_add_row_without_javascript_keeps_values(expert_client):
    response = expert_client.post(
        "/expert/availability/",
        {
            "timezone": "UTC",
            "buffer_minutes": "0",
            "min_notice_hours": "0",
            "horizon_days": "30",
            "sat-0-start": "10:00",
            "sat-0-end": "12:00",
            "add_row": "sat",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="sat-0-start" value="10:00"' in html and 'name="sat-2-start"' in html
    assert "not saved" not in html  # adding a row is not a save
    htmx = expert_client.post("/expert/availability/", {"timezone": "UTC", "add_row": "sun"}, HTTP_HX_REQUEST="true")
    assert htmx.content.decode().lstrip().startswith("<form")  # just the partial


def test_saving_availability_updates_the_preview(expert_client):
    SessionTypeFactory(expert=expert_client.expert, duration_minutes=60)
    data = {
        "timezone": "UTC",
        "buffer_minutes": "0",
        "min_notice_hours": "0",
        "horizon_days": "30",
        "sat-0-start": "10:00",
        "sat-0-end": "12:00",
    }
    response = expert_client.post("/expert/availability/", data, follow=True)
    assert response.redirect_chain[-1][0].endswith("/expert/availability/#preview")
    preview = dict(response.context["preview_by_day"])
    assert list(preview) == [dt.date(2030, 3, 9)]
    assert [s.strftime("%H:%M") for s in preview[dt.date(2030, 3, 9)]] == ["10:00", "10:30", "11:00"]
    expert_client.expert.refresh_from_db()
    assert expert_client.expert.weekly_schedule["mon"] == []


def test_override_add_and_delete(expert_client):
    response = expert_client.post(
        "/expert/availability/dates/", {"day": "2030-03-10", "kind": "extra", "start_1": "10:00", "end_1": "11:00"}
    )
    assert response.status_code == 302
    row = AvailabilityOverride.objects.get(expert=expert_client.expert)
    assert row.intervals == [["10:00", "11:00"]]
    bad = expert_client.post("/expert/availability/dates/", {"day": "2030-03-01", "kind": "off"})
    assert bad.status_code == 400 and "Choose today or a later date." in bad.content.decode()
    assert expert_client.post(f"/expert/availability/dates/{row.pk}/delete/").status_code == 302
    assert not AvailabilityOverride.objects.exists()


def test_another_experts_override_and_session_are_404(expert_client):
    other = ExpertProfileFactory()
    theirs = AvailabilityOverrideFactory(expert=other, day=dt.date(2030, 3, 10))
    session = SessionTypeFactory(expert=other)
    assert expert_client.post(f"/expert/availability/dates/{theirs.pk}/delete/").status_code == 404
    assert expert_client.get(f"/expert/sessions/{session.pk}/").status_code == 404
    assert expert_client.post(f"/expert/sessions/{session.pk}/delete/").status_code == 404
    assert AvailabilityOverride.objects.filter(pk=theirs.pk).exists()
    assert other.session_types.count() == 1


def test_session_type_crud_pages(expert_client):
    response = expert_client.post("/expert/sessions/", {"name": "Review", "duration_minutes": "60", "price": "120"})
    assert response.status_code == 302
    row = expert_client.expert.session_types.get()
    assert row.price_pence == 12000
    response = expert_client.post(
        f"/expert/sessions/{row.pk}/", {"name": "Review+", "duration_minutes": "90", "price": "150.50"}
    )
    row.refresh_from_db()
    assert (row.name, row.duration_minutes, row.price_pence, row.is_active) == ("Review+", 90, 15050, False)
    html = expert_client.get("/expert/sessions/").content.decode()
    assert "Review+" in html and "£150.50" in html and "Hidden" in html
    bad = expert_client.post("/expert/sessions/", {"name": "Cheap", "duration_minutes": "5", "price": "5"})
    assert bad.status_code == 200 and expert_client.expert.session_types.count() == 1
    expert_client.post(f"/expert/sessions/{row.pk}/delete/")
    assert not expert_client.expert.session_types.exists()


def test_expert_nav_and_account_dashboard_link(expert_client):
    html = expert_client.get("/me/dashboard/").content.decode()
    assert 'href="/expert/"' in html and "on its way" not in html
    client_user = UserFactory()
    expert_client.force_login(client_user)
    html = expert_client.get("/me/dashboard/").content.decode()
    assert 'href="/experts/"' in html


def test_deleting_a_session_type_with_bookings_hides_it_instead_of_a_500(expert_client):
    from bookings.tests.factories import BookingFactory

    row = SessionTypeFactory(expert=expert_client.expert)
    BookingFactory(session_type=row)

    response = expert_client.post(f"/expert/sessions/{row.pk}/delete/", follow=True)

    assert response.status_code == 200
    row.refresh_from_db()
    assert row.is_active is False  # kept for the booking's history, no longer offered
    assert "has bookings" in response.content.decode()


def test_the_timezone_help_does_not_point_at_hours_that_are_above_it(expert_client):
    # The zone field sits below the weekly hours on the page: its help must not say "below".
    html = expert_client.get("/expert/availability/").content.decode()
    assert "hours below are in this timezone" not in html
    assert "Your weekly hours are in this timezone" in html
