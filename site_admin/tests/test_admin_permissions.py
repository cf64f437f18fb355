import csv
import io

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Group, Permission

from accounts.models import LedgerEntry
from accounts.selectors import wallet_for
from accounts.tests.factories import UserFactory
from bookings.models import Booking
from bookings.tests.factories import BookingFactory
from payments.models import Payment, Refund
from payments.tests.factories import PaymentFactory
from site_admin import support
from site_admin.models import Inquiry

pytestmark = pytest.mark.django_db


def _support_staff():
    user = UserFactory(is_staff=True)
    group, _ = Group.objects.get_or_create(name="Support")
    if not group.permissions.exists():  # a transactional flush may have emptied the data migration's rows
        for codename in ("view_inquiry", "change_inquiry", "view_user", "view_booking", "view_payment"):
            group.permissions.add(Permission.objects.get(codename=codename))
    group.permissions.add(Permission.objects.get(codename="view_payment"))
    user.groups.add(group)
    return user


def _action(client, url, action, ids, **extra):
    return client.post(url, {"action": action, ACTION_CHECKBOX_NAME: [str(i) for i in ids], "index": 0, **extra})


def test_support_group_is_created_without_money_permissions():
    group = Group.objects.get(name="Support")
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"view_inquiry", "change_inquiry", "change_review"} <= codenames
    assert "manage_money" not in codenames and "change_payment" not in codenames


def test_support_staff_cannot_refund_or_grant_points(client):
    client.force_login(_support_staff())
    payment = PaymentFactory(status=Payment.Status.SUCCEEDED, charge_id="ch_1", succeeded_at="2026-11-01T10:00Z")
    target = UserFactory()

    page = client.get("/admin/payments/payment/")
    assert page.status_code == 200 and "refund_in_full" not in page.content.decode()
    refused = _action(client, "/admin/payments/payment/", "refund_in_full", [payment.pk])
    assert not Refund.objects.exists() and refused.status_code in (200, 302, 403)
    _action(client, "/admin/accounts/user/", "grant_points", [target.pk], apply="1", amount="500", reason="x")
    assert wallet_for(user=target).points_balance == 0
    booking = BookingFactory()
    _action(client, "/admin/bookings/booking/", "refund_full", [booking.pk])
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


def test_support_staff_can_answer_inquiries(client, django_capture_on_commit_callbacks):
    staff = _support_staff()
    inquiry = support.inquiry_create(user=UserFactory(), name="U", email="", topic="other", subject="Hi", body="Hello")
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/site_admin/inquiry/{inquiry.pk}/change/",
            {
                "status": "open",
                "assignee": "",
                "reply": "We can help.",
                "messages-TOTAL_FORMS": "1",
                "messages-INITIAL_FORMS": "1",
                "messages-MIN_NUM_FORMS": "0",
                "messages-MAX_NUM_FORMS": "1000",
                "messages-0-id": str(inquiry.messages.get().pk),
                "messages-0-inquiry": str(inquiry.pk),
            },
        )
    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.ANSWERED


def test_superuser_grants_and_deducts_through_the_ledger_and_it_is_logged(admin_client, admin_user):
    from django.contrib.admin.models import LogEntry

    target = UserFactory()
    form = _action(admin_client, "/admin/accounts/user/", "grant_points", [target.pk])
    assert form.status_code == 200 and b"reason" in form.content.lower()

    _action(
        admin_client, "/admin/accounts/user/", "grant_points", [target.pk], apply="1", amount="40", reason="Goodwill"
    )
    _action(admin_client, "/admin/accounts/user/", "deduct_points", [target.pk], apply="1", amount="100", reason="Oops")

    assert wallet_for(user=target).points_balance == 40  # the deduction beyond the balance was refused
    entry = LedgerEntry.objects.get(user=target)
    assert (entry.amount, entry.actor, entry.description) == (40, admin_user, "Staff: Goodwill")
    assert LogEntry.objects.filter(user=admin_user, change_message__contains="Grant 40 points").exists()


def test_csv_export_of_filtered_payments(admin_client):
    paid = PaymentFactory(status=Payment.Status.SUCCEEDED, amount_pence=1234)
    PaymentFactory(status=Payment.Status.PENDING)
    response = _action(
        admin_client, "/admin/payments/payment/?status__exact=succeeded", "export_payments_csv", [paid.pk]
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 1
    assert rows[0]["amount_pence"] == "1234" and rows[0]["amount_pence (£)"] == "£12.34"
    assert rows[0]["user"] == paid.user.email


@pytest.mark.parametrize(
    ("url", "action"),
    [
        ("/admin/bookings/booking/", "export_bookings_csv"),
        ("/admin/accounts/user/", "export_users_csv"),
        ("/admin/consultations/earning/", "export_earnings_csv"),
    ],
)
def test_other_exports_stream_csv(admin_client, url, action):
    booking = BookingFactory()
    ids = {"export_bookings_csv": booking.pk, "export_users_csv": booking.client.pk, "export_earnings_csv": 0}[action]
    response = _action(admin_client, url, action, [ids] if ids else [])
    if ids:
        body = b"".join(response.streaming_content).decode()
        assert body.splitlines()[0].startswith("id,") and len(body.splitlines()) == 2
    else:
        assert response.status_code == 302  # nothing selected: Django asks to select rows
