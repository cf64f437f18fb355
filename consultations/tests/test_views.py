import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import UserFactory
from bookings.models import Booking
from bookings.tests.factories import BookingFactory
from consultations import services, views
from consultations.models import Dispute, Earning, Review

from .conftest import END, START

pytestmark = pytest.mark.django_db
S = Booking.Status


@pytest.fixture
def at(monkeypatch):
    def set_now(when):
        monkeypatch.setattr(views, "now", lambda: when)

    return set_now


def _login(client, user):
    client.force_login(user)
    return client


def _complete(booking, now=None):
    services.consultation_complete(booking=booking, actor=booking.expert.user, now=now or booking.end_at)
    booking.refresh_from_db()
    return booking


def test_expert_pages_are_for_experts_only(client):
    _login(client, UserFactory())
    for name in ("expert_list", "expert_earnings", "expert_reviews", "expert_disputes", "expert_earnings_csv"):
        assert client.get(reverse(f"consultations:{name}")).status_code == 403


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("consultations:expert_list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_ownership_404_sweep(client, at):
    at(END)
    mine = _complete(BookingFactory())
    theirs = _complete(BookingFactory(start_at=START.replace(hour=14)))
    review = services.review_create(booking=theirs, client=theirs.client, rating=5)
    other_dispute = services.dispute_open(
        booking=theirs, client=theirs.client, kind=Dispute.Kind.OTHER, description="x", now=theirs.end_at
    )
    # Another expert's objects are 404 for this expert.
    _login(client, mine.expert.user)
    for name, kwargs in [
        ("expert_detail", {"booking_id": theirs.pk}),
        ("expert_complete", {"booking_id": theirs.pk}),
        ("expert_no_show", {"booking_id": theirs.pk}),
        ("expert_notes", {"booking_id": theirs.pk}),
        ("expert_review_reply", {"review_id": review.pk}),
        ("expert_dispute_respond", {"dispute_id": other_dispute.pk}),
    ]:
        url = reverse(f"consultations:{name}", kwargs=kwargs)
        method = client.get if name == "expert_detail" else client.post
        assert method(url, {"text": "x", "response": "x"}).status_code == 404, name
    # Another client's booking is 404 for this client.
    _login(client, mine.client)
    for name in ("client_review", "client_problem"):
        assert client.get(reverse(f"consultations:{name}", args=[theirs.pk])).status_code == 404
        assert client.post(reverse(f"consultations:{name}", args=[theirs.pk]), {"rating": 5}).status_code == 404
    assert not Review.objects.filter(booking=mine).exists()


def test_expert_completes_from_the_page(client, at):
    booking = BookingFactory()
    _login(client, booking.expert.user)
    at(START - dt.timedelta(minutes=5))
    page = client.get(reverse("consultations:expert_detail", args=[booking.pk]))
    assert b"once it starts" in page.content
    response = client.post(reverse("consultations:expert_complete", args=[booking.pk]), follow=True)
    assert b"not before" in response.content
    at(START + dt.timedelta(minutes=50))
    client.post(reverse("consultations:expert_complete", args=[booking.pk]))
    booking.refresh_from_db()
    assert booking.status == S.COMPLETED


def test_expert_notes_and_no_show_from_the_page(client, at):
    booking = BookingFactory()
    _login(client, booking.expert.user)
    at(START + dt.timedelta(minutes=20))
    client.post(
        reverse("consultations:expert_notes", args=[booking.pk]), {"expert_notes": "mine", "shared_notes": "yours"}
    )
    client.post(reverse("consultations:expert_no_show", args=[booking.pk]), {"note": "waited"})
    booking.refresh_from_db()
    assert booking.status == S.NO_SHOW_CLIENT
    assert booking.consultation.shared_notes == "yours"


def test_client_reviews_from_the_page_and_sees_it(client, at):
    booking = _complete(BookingFactory())
    _login(client, booking.client)
    detail = client.get(reverse("bookings:detail", args=[booking.pk]))
    assert b"Leave a review" in detail.content
    form = client.get(reverse("consultations:client_review", args=[booking.pk]))
    assert form.status_code == 200
    bad = client.post(reverse("consultations:client_review", args=[booking.pk]), {"rating": "9"})
    assert bad.status_code == 400
    response = client.post(
        reverse("consultations:client_review", args=[booking.pk]), {"rating": "5", "text": "Great", "anonymous": "on"}
    )
    assert response.status_code == 302
    detail = client.get(reverse("bookings:detail", args=[booking.pk]))
    assert b"Leave a review" not in detail.content and b"Great" in detail.content
    profile = client.get(reverse("experts:detail", args=[booking.expert.slug]))
    assert b"Anonymous client" in profile.content and b"Great" in profile.content


def test_client_reports_a_problem_within_the_window(client, at):
    booking = _complete(BookingFactory())
    _login(client, booking.client)
    at(END + dt.timedelta(hours=48, minutes=1))
    response = client.post(
        reverse("consultations:client_problem", args=[booking.pk]), {"kind": "other", "description": "Audio"}
    )
    assert response.status_code == 400 and b"closed" in response.content
    at(END + dt.timedelta(hours=2))
    response = client.post(
        reverse("consultations:client_problem", args=[booking.pk]), {"kind": "other", "description": "Audio"}
    )
    assert response.status_code == 302
    dispute = Dispute.objects.get(booking=booking)
    _login(client, booking.expert.user)
    client.post(reverse("consultations:expert_dispute_respond", args=[dispute.pk]), {"response": "It was fine"})
    dispute.refresh_from_db()
    assert dispute.status == Dispute.Status.RESPONDED


def test_expert_replies_from_the_page(client):
    booking = _complete(BookingFactory())
    review = services.review_create(booking=booking, client=booking.client, rating=4)
    _login(client, booking.expert.user)
    client.post(reverse("consultations:expert_review_reply", args=[review.pk]), {"text": "Thanks"})
    review.refresh_from_db()
    assert review.reply == "Thanks"
    page = client.get(reverse("consultations:expert_reviews"))
    assert b"Thanks" in page.content


def test_csv_export(client, test_mode):
    booking = _complete(BookingFactory(price_pence=4999, commission_bps=1750))
    staff = UserFactory(is_staff=True)
    services.earning_adjustment_create(
        expert=booking.expert, amount_pence=250, kind="bonus", reason="=HYPERLINK(evil)", actor=staff
    )
    other = _complete(BookingFactory(start_at=START.replace(hour=14)))
    _login(client, booking.expert.user)
    response = client.get(reverse("consultations:expert_earnings_csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 2  # not the other expert's
    consultation_row = next(r for r in rows if r["kind"] == "consultation")
    assert consultation_row["booking_reference"] == booking.reference
    assert (consultation_row["gross_pence"], consultation_row["commission_pence"], consultation_row["net_pence"]) == (
        "4999",
        "875",
        "4124",
    )
    assert consultation_row["status"] == "pending"
    assert consultation_row["session_start_utc"] == "2027-03-03T10:00:00Z"
    bonus_row = next(r for r in rows if r["kind"] == "bonus")
    assert bonus_row["reason"] == "'=HYPERLINK(evil)"
    assert other.reference not in response.content.decode()


def test_earnings_totals(client):
    booking = _complete(BookingFactory(price_pence=9000, commission_bps=2000))
    services.earnings_release(now=END + dt.timedelta(hours=49))
    _login(client, booking.expert.user)
    page = client.get(reverse("consultations:expert_earnings"))
    assert page.context["totals"] == {"pending": 0, "available": 7200, "paid": 0, "reversed": 0}
    assert "£72.00" in page.content.decode()
    dashboard = client.get(reverse("expert_area:dashboard"))
    assert b'data-testid="earnings-card"' in dashboard.content


def test_an_earning_held_by_an_open_dispute_says_so(client):
    from consultations import selectors
    from consultations.models import Dispute

    held = _complete(BookingFactory(price_pence=9000, commission_bps=2000))
    fine = _complete(BookingFactory(session_type=held.session_type, start_at=held.start_at + dt.timedelta(days=1)))
    Dispute.objects.create(booking=held, opened_by=held.client, kind=Dispute.Kind.choices[0][0], description="x")
    _login(client, held.expert.user)
    page = client.get(reverse("consultations:expert_earnings")).content.decode()
    # One badge in the table and one in the phone list, for the disputed row only.
    assert page.count('data-testid="on-hold"') == 2
    assert "The client reported a problem" in page
    rows = {e.booking_id: e.on_hold for e in selectors.expert_earnings(expert=held.expert)}
    assert rows == {held.pk: True, fine.pk: False}


def _make_rows(expert_booking, n):
    """n bookings of the same expert, completed, reviewed and with earnings."""
    session_type = expert_booking.session_type
    for i in range(n):
        b = BookingFactory(
            session_type=session_type,
            start_at=START + dt.timedelta(days=1 + i // 7, hours=i % 7),
            client=UserFactory(),
        )
        _complete(b, now=b.end_at)
        services.review_create(booking=b, client=b.client, rating=5)
        services.dispute_open(booking=b, client=b.client, kind=Dispute.Kind.OTHER, description="x", now=b.end_at)


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url",
    [
        reverse("consultations:expert_list") + "?tab=past",
        reverse("consultations:expert_list") + "?tab=to_complete",
        reverse("consultations:expert_earnings"),
        reverse("consultations:expert_reviews"),
        reverse("consultations:expert_disputes"),
    ],
)
def test_query_counts_are_constant(client, url, at):
    at(START + dt.timedelta(days=30))
    seed = BookingFactory()
    _login(client, seed.expert.user)
    _make_rows(seed, 3)
    small = _count(client, url)
    # 50 rows (past the page size): same number of queries.
    session_type = seed.session_type
    for i in range(47):
        b = BookingFactory(
            session_type=session_type,
            start_at=START + dt.timedelta(days=10 + i // 7, hours=i % 7),
            client=UserFactory(),
        )
        if "to_complete" not in url:
            _complete(b, now=b.end_at)
            services.review_create(booking=b, client=b.client, rating=4)
            services.dispute_open(booking=b, client=b.client, kind=Dispute.Kind.OTHER, description="y", now=b.end_at)
    assert Earning.objects.count() >= 3
    assert _count(client, url) == small
