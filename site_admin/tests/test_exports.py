"""CSV exports: the changelist's "all matching" link exports exactly what the filters show."""

import csv
import datetime as dt
import io

import pytest
from django.contrib.auth.models import Permission

from accounts.services import points_grant
from accounts.tests.factories import UserFactory
from bookings.models import Booking
from bookings.tests.factories import BookingFactory
from consultations import services as consultation_services
from core.models import StaffAction
from expert_marketplace.tests.factories import ExpertProfileFactory
from payments.models import Payment
from payments.tests.factories import PaymentFactory

pytestmark = pytest.mark.django_db


def _rows(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="talentvisa-')
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_changelist_shows_an_export_link_carrying_the_filters(admin_client):
    PaymentFactory()
    html = admin_client.get("/admin/payments/payment/?status__exact=succeeded&q=x").content.decode()
    assert 'href="/admin/payments/payment/export.csv?status__exact=succeeded&amp;q=x"' in html
    for url in ("/admin/bookings/booking/", "/admin/accounts/user/", "/admin/consultations/earning/"):
        assert "Export CSV (all matching)" in admin_client.get(url).content.decode(), url


def test_export_all_matching_payments_follows_filters_and_search(admin_client, admin_user):
    paid = PaymentFactory(
        status=Payment.Status.SUCCEEDED,
        amount_pence=123456,
        amount_refunded_pence=0,
        succeeded_at=dt.datetime(2026, 11, 1, 10, 0, tzinfo=dt.UTC),
    )
    PaymentFactory(status=Payment.Status.PENDING)
    PaymentFactory(status=Payment.Status.SUCCEEDED)  # filtered out by the search below

    rows = _rows(admin_client.get(f"/admin/payments/payment/export.csv?status__exact=succeeded&q={paid.user.email}"))

    assert [r["id"] for r in rows] == [str(paid.pk)]
    row = rows[0]
    assert row["amount_pence"] == "123456" and row["amount_pence (£)"] == "£1,234.56"
    assert row["refunded_pence"] == "0" and row["refunded_pence (£)"] == "£0.00"
    assert row["succeeded_utc"] == "2026-11-01T10:00:00+00:00"
    assert row["created_utc"].endswith("+00:00")
    logged = StaffAction.objects.get(action="export_payments_csv")
    assert logged.actor == admin_user and "status__exact=succeeded" in logged.reason


def test_bad_filter_is_a_400_not_a_crash(admin_client):
    assert admin_client.get("/admin/payments/payment/export.csv?nonsense__field=1").status_code == 400


def test_export_all_matching_bookings_and_users(admin_client):
    kept = BookingFactory(status=Booking.Status.CONFIRMED)
    BookingFactory(status=Booking.Status.CANCELLED_BY_CLIENT)
    rows = _rows(admin_client.get("/admin/bookings/booking/export.csv?status__exact=confirmed"))
    assert [r["reference"] for r in rows] == [kept.reference]
    assert rows[0]["price_pence (£)"].startswith("£") and rows[0]["start_utc"].endswith("+00:00")

    rich = UserFactory(email="rich@example.com")
    points_grant(user=rich, amount=75, reason="adjustment", description="x", actor=None)
    rows = _rows(admin_client.get("/admin/accounts/user/export.csv?q=rich%40example.com"))
    assert [(r["email"], r["points"]) for r in rows] == [("rich@example.com", "75")]


def test_export_earnings_with_money_columns(admin_client, admin_user):
    expert = ExpertProfileFactory()
    consultation_services.earning_adjustment_create(
        expert=expert, amount_pence=-250, kind="adjustment", reason="Overpaid", actor=admin_user
    )
    rows = _rows(admin_client.get("/admin/consultations/earning/export.csv?kind__exact=adjustment"))
    assert len(rows) == 1 and rows[0]["net_pence"] == "-250" and rows[0]["net_pence (£)"] == "-£2.50"


@pytest.mark.parametrize(
    ("url", "make"),
    [
        ("/admin/bookings/booking/export.csv", lambda: BookingFactory()),
        ("/admin/payments/payment/export.csv", lambda: PaymentFactory()),
        ("/admin/accounts/user/export.csv", lambda: UserFactory()),
    ],
)
def test_exports_use_constant_queries(admin_client, django_assert_max_num_queries, url, make):
    make()
    with django_assert_max_num_queries(50) as few:
        b"".join(admin_client.get(url).streaming_content)
    for _ in range(8):
        make()
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = b"".join(admin_client.get(url).streaming_content)
    assert len(body.decode().splitlines()) >= 10


def test_exports_are_staff_only_and_need_view_permission(client):
    url = "/admin/bookings/booking/export.csv"
    BookingFactory()
    assert client.get(url).status_code == 302  # anonymous: to the login page

    client.force_login(UserFactory())  # not staff
    response = client.get(url)
    assert response.status_code == 302 and "text/csv" not in response.get("Content-Type", "")

    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    assert client.get(url).status_code == 403
    staff.user_permissions.add(Permission.objects.get(codename="view_booking"))
    assert client.get(url).status_code == 200
    assert client.get("/admin/consultations/earning/export.csv").status_code == 403


def test_user_text_that_looks_like_a_formula_is_exported_as_text(admin_client):
    PaymentFactory(description='=HYPERLINK("http://evil.example","refund")')

    rows = _rows(admin_client.get("/admin/payments/payment/export.csv"))

    assert [r["description"] for r in rows] == ['\'=HYPERLINK("http://evil.example","refund")']
