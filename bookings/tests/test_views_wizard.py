"""The booking wizard pages: steps 1-5, htmx partials and their no-JS paths, holds that ran out."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.tests.factories import UserFactory
from bookings.models import Booking
from bookings.wizard import SESSION_KEY
from expert_marketplace.tests.factories import SessionTypeFactory, area

from .factories import NOW, WEDNESDAY_10, BookingFactory, expert_with_session
from .views_support import *  # noqa: F403  (fixtures: clock, client_user, signed_in)

pytestmark = pytest.mark.django_db

TUESDAY_9 = dt.datetime(2027, 3, 2, 9, 0, tzinfo=dt.UTC)  # the first slot after 24 h notice


def _state(client, **values):
    session = client.session
    session[SESSION_KEY] = {"area": "", "minutes": None, "expert": "", "session": None, "start": "", **values}
    session.save()


# --- step 1 ----------------------------------------------------------------------------------


def test_step1_groups_lengths_with_price_ranges(signed_in, clock):
    dt_area = area()
    a, _ = expert_with_session(minutes=30, price_pence=5000, areas=[dt_area])
    SessionTypeFactory(expert=a, duration_minutes=60, price_pence=12000)
    expert_with_session(minutes=30, price_pence=7500)
    expert_with_session(minutes=60, price_pence=9000, status="pending")  # not listed: ignored
    response = signed_in.get("/bookings/new/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "30-min" in html and "£50–£75" in html and "2 experts" in html
    assert "60-min" in html and "£120" in html and "1 expert" in html
    assert "Digital technology" in html and "Any expertise" in html
    assert "<script>" not in html and " onclick=" not in html


def test_step1_area_change_swaps_lengths_via_htmx(signed_in, clock):
    expert_with_session(minutes=30, price_pence=5000, areas=[area()])
    expert_with_session(minutes=90, price_pence=20000)
    response = signed_in.get("/bookings/new/?area=digital-technology", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html and 'id="lengths"' in html
    assert "30-min" in html and "90-min" not in html


def test_step1_post_saves_state_and_redirects(signed_in, clock):
    expert_with_session(minutes=30)
    response = signed_in.post("/bookings/new/", {"area": "", "minutes": "30"})
    assert response.status_code == 302 and response.url == "/bookings/new/expert/"
    assert signed_in.session[SESSION_KEY]["minutes"] == 30


def test_step1_rejects_a_length_not_offered_in_the_area(signed_in, clock):
    expert_with_session(minutes=30, areas=[area()])
    expert_with_session(minutes=90)
    response = signed_in.post("/bookings/new/", {"area": "digital-technology", "minutes": "90"})
    assert response.status_code == 200
    assert "Choose one of the lengths shown." in response.content.decode()
    assert SESSION_KEY not in signed_in.session


def test_wizard_needs_login(client):
    response = client.get("/bookings/new/")
    assert response.status_code == 302 and "/accounts/login/" in response.url


# --- step 2 ----------------------------------------------------------------------------------


def test_step2_without_a_length_goes_back_to_step1(signed_in, clock):
    assert signed_in.get("/bookings/new/expert/").url == "/bookings/new/"


def test_step2_lists_experts_with_price_rating_next_slot_and_any(signed_in, clock):
    expert, _ = expert_with_session(minutes=60, price_pence=9000, display_name="Ada Lovelace")
    expert_with_session(minutes=30, display_name="Only Short")
    _state(signed_in, minutes=60)
    response = signed_in.get("/bookings/new/expert/")
    html = response.content.decode()
    assert "Ada Lovelace" in html and "Only Short" not in html
    assert "£90" in html and "No reviews yet" in html
    # Next free slot in the client's zone (London = UTC in March): Tuesday 09:00.
    assert "Tue 2 Mar, 09:00" in html
    assert "Any available expert" in html and "highest-rated" in html


def test_step2_post_choice_redirects_to_step3(signed_in, clock):
    expert, session = expert_with_session(minutes=60)
    _state(signed_in, minutes=60)
    response = signed_in.post("/bookings/new/expert/", {"choice": f"{expert.pk}:{session.pk}"})
    assert response.url == "/bookings/new/time/"
    state = signed_in.session[SESSION_KEY]
    assert (state["expert"], state["session"]) == (str(expert.pk), session.pk)
    bad = signed_in.post("/bookings/new/expert/", {"choice": "999:999"})
    assert bad.status_code == 400 and "no longer available" in bad.content.decode()


# --- step 3 ----------------------------------------------------------------------------------


def _chosen(client, minutes=60, price_pence=9000, **kwargs):
    expert, session = expert_with_session(minutes=minutes, price_pence=price_pence, **kwargs)
    _state(client, minutes=minutes, expert=str(expert.pk), session=session.pk)
    return expert, session


def test_step3_date_strip_and_times_in_client_timezone(signed_in, clock, client_user):
    client_user.timezone = "Asia/Kolkata"
    client_user.save()
    _chosen(signed_in)
    response = signed_in.get("/bookings/new/time/")
    html = response.content.decode()
    picker = response.context["picker"]
    assert len(picker.days) == 31 and picker.month == dt.date(2027, 3, 1)  # the month view of March
    # Monday (today) has no time (24 h notice); Tuesday is the first free day, picked by default.
    assert picker.days[0].count == 0 and picker.selected == dt.date(2027, 3, 2)
    # 09:00 UTC is 14:30 in Kolkata.
    assert picker.times[0][0].strftime("%H:%M") == "14:30"
    assert "Asia/Kolkata" in html and ">14:30</time>" in html
    # Weekend days are disabled, free ones are links that work without JS and swap with htmx.
    assert 'aria-disabled="true" data-day="2027-03-06"' in html
    assert 'href="/bookings/new/time/?date=2027-03-03#times"' in html
    assert 'hx-get="/bookings/new/time/?date=2027-03-03"' in html


def test_step3_date_link_without_js_and_htmx_partial(signed_in, clock):
    _chosen(signed_in)
    full = signed_in.get("/bookings/new/time/?date=2027-03-03")
    assert full.context["picker"].selected == dt.date(2027, 3, 3)
    assert "<html" in full.content.decode() and "Wednesday 3 March" in full.content.decode()
    partial = signed_in.get("/bookings/new/time/?date=2027-03-03", HTTP_HX_REQUEST="true")
    html = partial.content.decode()
    assert "<html" not in html and html.strip().startswith('<div id="slot-picker"')
    assert "Wednesday 3 March" in html


def test_step3_choosing_a_time_holds_it_and_goes_to_intake(signed_in, clock, client_user):
    expert, session = _chosen(signed_in)
    response = signed_in.post("/bookings/new/time/", {"start": "2027-03-03T10:00:00Z"})
    booking = Booking.objects.get()
    assert response.url == f"/bookings/{booking.pk}/intake/"
    assert (booking.client, booking.session_type, booking.start_at) == (client_user, session, WEDNESDAY_10)
    assert booking.status == Booking.Status.PENDING_PAYMENT


def test_step3_slot_unavailable_shows_message_and_alternatives(signed_in, clock):
    expert, session = _chosen(signed_in)
    BookingFactory(session_type=session, start_at=WEDNESDAY_10)  # someone else got there first
    response = signed_in.post("/bookings/new/time/", {"start": "2027-03-03T10:00:00Z"})
    html = response.content.decode()
    assert response.status_code == 409
    assert 'data-testid="slot-error"' in html and "not available" in html
    alternatives = re.findall(r'data-testid="alternatives".*?</form>', html, re.S)[0]
    assert alternatives.count('name="start"') >= 1
    assert "2027-03-03T10:00:00Z" not in alternatives
    assert Booking.objects.count() == 1


def test_step3_any_expert_picks_highest_rated_then_cheapest(signed_in, clock):
    _state(signed_in, minutes=60, expert="any")
    low, _ = expert_with_session(minutes=60, price_pence=5000, rating_avg=4.2, rating_count=3)
    top_dear, _ = expert_with_session(minutes=60, price_pence=15000, rating_avg=4.9, rating_count=8)
    top_cheap, cheap_session = expert_with_session(minutes=60, price_pence=11000, rating_avg=4.9, rating_count=8)
    page = signed_in.get("/bookings/new/time/").content.decode()
    assert "highest-rated" in page and "lower price" in page
    signed_in.post("/bookings/new/time/", {"start": "2027-03-03T10:00:00Z"})
    first = Booking.objects.get()
    assert first.expert == top_cheap and first.price_pence == 11000
    # That expert is now busy at 10:00: the next client gets the other top-rated one.
    other = UserFactory()
    signed_in.force_login(other)
    _state(signed_in, minutes=60, expert="any")
    signed_in.post("/bookings/new/time/", {"start": "2027-03-03T10:00:00Z"})
    assert Booking.objects.get(client=other).expert == top_dear


def test_profile_slot_link_preselects_expert_session_and_time(signed_in, clock):
    expert, session = expert_with_session(minutes=60)
    book = signed_in.get(f"/experts/{expert.slug}/book/?session={session.pk}&start=2027-03-03T10:00:00%2B00:00")
    start = signed_in.get(book.url)
    assert start.url == "/bookings/new/time/?date=2027-03-03"
    response = signed_in.get(start.url)
    html = response.content.decode()
    assert 'data-testid="preselected"' in html and "Wednesday 3 March, 10:00" in html
    assert 'value="2027-03-03T10:00:00Z"' in html


def test_profile_slot_link_asks_anonymous_visitors_to_sign_in(client, clock):
    expert, session = expert_with_session(minutes=60)
    book = client.get(f"/experts/{expert.slug}/book/?session={session.pk}&start=2027-03-03T10:00:00Z")
    login = client.get(book.url)
    assert login.status_code == 302 and login.url.startswith("/accounts/login/?next=/bookings/new/start/")


# --- step 4: intake --------------------------------------------------------------------------


@pytest.fixture
def held(signed_in, clock, client_user):
    _, session = expert_with_session(minutes=60, price_pence=9000, display_name="Ada Lovelace")
    return BookingFactory(client=client_user, session_type=session, status=Booking.Status.PENDING_PAYMENT)


def test_intake_shows_hold_time_and_policy(signed_in, held):
    html = signed_in.get(f"/bookings/{held.pk}/intake/").content.decode()
    assert "We're holding this slot until" in html and "09:15" in html  # NOW + 15 min, London
    assert "full refund" in html and "50 % refund" in html and "at most <strong>2 times" in html
    assert "Ada Lovelace" in html and "£90.00" in html


def test_intake_requires_questions_and_policy(signed_in, held):
    response = signed_in.post(f"/bookings/{held.pk}/intake/", {"questions": " ", "target_route": "digital_technology"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Tell the expert what you would like to discuss." in html
    assert "Please agree to the cancellation policy" in html
    too_long = signed_in.post(f"/bookings/{held.pk}/intake/", {"questions": "x" * 2001, "agree_policy": "on"})
    assert "at most 2000 characters" in too_long.content.decode()


def test_intake_saves_and_goes_to_review(signed_in, held):
    response = signed_in.post(
        f"/bookings/{held.pk}/intake/",
        {
            "questions": "Is my open-source work enough for OC2?",
            "target_route": "digital_technology",
            "target_category": "promise",
            "agree_policy": "on",
        },
    )
    assert response.url == f"/bookings/{held.pk}/review/"
    held.refresh_from_db()
    assert held.questions.startswith("Is my open-source") and held.target_category == "promise"
    assert held.policy_agreed_at is not None


def test_intake_rejected_upload_shows_error_and_stores_nothing(signed_in, held):
    bad = SimpleUploadedFile("cv.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")
    response = signed_in.post(
        f"/bookings/{held.pk}/intake/",
        {
            "questions": "Help",
            "target_route": "digital_technology",
            "target_category": "unsure",
            "agree_policy": "on",
            "upload": bad,
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_upload_errors"' in html and "Nothing was charged" in html
    assert held.shared_documents.count() == 0
    held.refresh_from_db()
    assert held.questions == ""


# --- step 5: review and pay ------------------------------------------------------------------


def test_review_needs_intake_first(signed_in, held):
    assert signed_in.get(f"/bookings/{held.pk}/review/").url == f"/bookings/{held.pk}/intake/"


def test_review_summary_and_pay_redirects_to_checkout(signed_in, held, settings):
    settings.STRIPE_SECRET_KEY = ""
    settings.PAYMENTS_TEST_MODE_ENABLED = True
    Booking.objects.filter(pk=held.pk).update(questions="Q?", policy_agreed_at=NOW, target_route="digital_technology")
    html = signed_in.get(f"/bookings/{held.pk}/review/").content.decode()
    assert "Pay £90.00" in html and "Wednesday 3 March 2027, 10:00–11:00" in html and "Europe/London time" in html
    response = signed_in.post(f"/bookings/{held.pk}/review/")
    assert response.status_code == 302 and "/payments/test-checkout/" in response.url
    held.refresh_from_db()
    assert held.payment is not None


def test_cancelled_checkout_returns_to_review_with_a_note(signed_in, held):
    Booking.objects.filter(pk=held.pk).update(questions="Q?", policy_agreed_at=NOW)
    html = signed_in.get(f"/bookings/{held.pk}/review/?cancelled=1").content.decode()
    assert "nothing was charged" in html


# --- expired holds ---------------------------------------------------------------------------


@pytest.mark.parametrize("step", ["intake", "review"])
def test_expired_hold_offers_another_slot_never_a_charge(signed_in, held, step, monkeypatch):
    later = NOW + dt.timedelta(minutes=30)
    for module in ("bookings.views.new", "bookings.views.client"):
        monkeypatch.setattr(f"{module}.now", lambda: later)
    response = signed_in.get(f"/bookings/{held.pk}/{step}/")
    html = response.content.decode()
    assert response.status_code == 410
    assert "We couldn't hold this time any longer" in html and "Nothing was charged" in html
    assert f"/bookings/new/start/?session={held.session_type_id}" in html
    assert 'data-testid="alternatives"' in html
    pay = signed_in.post(f"/bookings/{held.pk}/review/")
    assert pay.status_code == 410 and held.payment_id is None


def test_new_start_after_expiry_reopens_the_time_step(signed_in, held):
    response = signed_in.get(reverse("bookings:new_start") + f"?session={held.session_type_id}")
    assert response.url == "/bookings/new/time/"
    assert signed_in.get(response.url).status_code == 200


# --- "pick another time" from the intake releases the hold --------------------------------------


def test_pick_another_time_releases_the_held_slot_for_everyone(signed_in, clock, client_user):
    expert, session = _chosen(signed_in)
    signed_in.post("/bookings/new/time/", {"start": "2027-03-03T10:00:00Z"})
    held = Booking.objects.get()
    intake = signed_in.get(f"/bookings/{held.pk}/intake/").content.decode()
    assert f'formaction="/bookings/{held.pk}/release/"' in intake and "formnovalidate" in intake

    response = signed_in.post(f"/bookings/{held.pk}/release/")

    assert response.url == "/bookings/new/time/"
    held.refresh_from_db()
    assert held.status == Booking.Status.EXPIRED
    assert held.events.filter(note__contains="Released by the client").exists()
    # Another client can hold the same time at once (no wait for the 15-minute hold).
    other = UserFactory()
    from bookings import services

    taken = services.booking_hold(client=other, session_type=session, start=WEDNESDAY_10, now=NOW)
    assert taken.status == Booking.Status.PENDING_PAYMENT
    # Back on the time step, our client is told which time was given back.
    page = signed_in.get(response.url).content.decode()
    assert "released Wed 3 Mar, 10:00" in page
    # The old booking's page (browser Back) says they gave it back, not that the hold ran out.
    old_page = signed_in.get(f"/bookings/{held.pk}/intake/").content.decode()
    assert "You gave this time back" in old_page and "ran out before payment" not in old_page


def test_release_is_post_only_owner_only_and_leaves_paid_bookings_alone(signed_in, held, client):
    assert signed_in.get(f"/bookings/{held.pk}/release/").status_code == 405
    intruder = UserFactory()
    client.force_login(intruder)
    assert client.post(f"/bookings/{held.pk}/release/").status_code == 404
    held.refresh_from_db()
    assert held.status == Booking.Status.PENDING_PAYMENT
    Booking.objects.filter(pk=held.pk).update(status=Booking.Status.CONFIRMED)
    client.force_login(held.client)
    assert client.post(f"/bookings/{held.pk}/release/").url == "/bookings/new/time/"
    held.refresh_from_db()
    assert held.status == Booking.Status.CONFIRMED
