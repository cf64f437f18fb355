"""Admin refunds: full (existing) and partial with an intermediate form, both through refund_create."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

from accounts.tests.factories import UserFactory
from core.models import StaffAction
from payments.models import Payment, Refund

from .factories import PaymentFactory

pytestmark = pytest.mark.django_db
URL = "/admin/payments/payment/"


@pytest.fixture
def paid(test_mode):
    return PaymentFactory(
        status=Payment.Status.SUCCEEDED,
        gateway=Payment.Gateway.TEST_MODE,
        amount_pence=5000,
        payment_intent_id="pi_tm_partial",
        metadata={"points": 0, "package_id": None, "package_name": "Starter"},
    )


def _post(client, action, ids, **extra):
    return client.post(URL, {"action": action, ACTION_CHECKBOX_NAME: [str(i) for i in ids], "index": 0, **extra})


def test_partial_refund_shows_a_form_first(admin_client, paid):
    response = _post(admin_client, "refund_partial", [paid.pk])
    html = response.content.decode()
    assert response.status_code == 200
    assert "Refund part of payment" in html and "£50.00" in html and 'name="reason"' in html
    assert not Refund.objects.exists()


def test_partial_refund_converts_pounds_to_pence_exactly_and_records_it(admin_client, admin_user, paid):
    response = _post(admin_client, "refund_partial", [paid.pk], apply="1", amount="12.29", reason="Late start")
    assert response.status_code == 302
    refund = Refund.objects.get()
    assert refund.amount_pence == 1229  # Decimal, not float: 12.29 * 100 is 1228.999… as a float
    assert refund.requested_by == admin_user and refund.reason == "Staff: Late start"
    paid.refresh_from_db()
    assert paid.status == Payment.Status.PARTIALLY_REFUNDED and paid.amount_refunded_pence == 1229
    logged = StaffAction.objects.get(action="payment_refund_partial")
    assert logged.actor == admin_user and "£12.29" in logged.reason and "Late start" in logged.reason

    # A second partial refund is a new state, so a new key: the two add up.
    _post(admin_client, "refund_partial", [paid.pk], apply="1", amount="37.71", reason="Rest")
    paid.refresh_from_db()
    assert paid.status == Payment.Status.REFUNDED and paid.amount_refunded_pence == 5000


@pytest.mark.parametrize(
    ("amount", "reason", "error"),
    [
        ("12.345", "x", "decimal places"),
        ("0", "x", "greater than or equal to 0.01"),
        ("abc", "x", "Enter a number"),
        ("5.00", "", "This field is required"),
    ],
)
def test_partial_refund_form_rejects_bad_input(admin_client, paid, amount, reason, error):
    response = _post(admin_client, "refund_partial", [paid.pk], apply="1", amount=amount, reason=reason)
    assert response.status_code == 200 and error in response.content.decode()
    assert not Refund.objects.exists()


def test_partial_refund_beyond_what_is_left_is_refused_with_a_message(admin_client, paid):
    response = _post(admin_client, "refund_partial", [paid.pk], apply="1", amount="50.01", reason="Too much")
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any(f"Payment {paid.pk}" in m for m in messages)
    paid.refresh_from_db()
    assert paid.amount_refunded_pence == 0 and not Refund.objects.filter(status=Refund.Status.SUCCEEDED).exists()


def test_partial_refund_is_one_payment_at_a_time(admin_client, paid):
    other = PaymentFactory(status=Payment.Status.SUCCEEDED)
    response = _post(admin_client, "refund_partial", [paid.pk, other.pk], apply="1", amount="1", reason="x")
    assert response.status_code == 302 and not Refund.objects.exists()


def test_full_refund_is_recorded_too(admin_client, admin_user, paid):
    _post(admin_client, "refund_in_full", [paid.pk])
    paid.refresh_from_db()
    assert paid.status == Payment.Status.REFUNDED
    logged = StaffAction.objects.get(action="payment_refund_full")
    assert logged.actor == admin_user and logged.target_id == str(paid.pk) and "£50.00" in logged.reason


def test_staff_without_money_permission_cannot_refund(client, paid):
    from django.contrib.auth.models import Permission

    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_payment"))
    client.force_login(staff)
    _post(client, "refund_partial", [paid.pk], apply="1", amount="1.00", reason="x")
    _post(client, "refund_in_full", [paid.pk])
    assert not Refund.objects.exists() and not StaffAction.objects.exists()
