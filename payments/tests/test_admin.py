import pytest

from accounts.models import User
from payments.models import PaymentEvent, Refund, WebhookEvent

from .factories import PaymentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(User.objects.create_superuser(email="admin@example.com", password="pw-Secret-123"))
    return client


def test_admin_pages_render(staff_client):
    payment = PaymentFactory()
    PaymentEvent.objects.create(payment=payment, from_status="created", to_status="pending", source="test")
    Refund.objects.create(payment=payment, amount_pence=100, reason="x", idempotency_key="x")
    event = WebhookEvent.objects.create(event_id="evt_1", type="x", payload={})
    for url in [
        "/admin/payments/payment/",
        f"/admin/payments/payment/{payment.pk}/change/",
        "/admin/payments/refund/",
        "/admin/payments/webhookevent/",
        f"/admin/payments/webhookevent/{event.pk}/change/",
        "/admin/payments/pointspackage/",
        "/admin/payments/payment/?q=" + payment.checkout_session_id,
    ]:
        assert staff_client.get(url).status_code == 200, url


def test_money_rows_are_read_only(staff_client):
    payment = PaymentFactory()
    response = staff_client.post(f"/admin/payments/payment/{payment.pk}/change/", {"amount_pence": 1})
    assert response.status_code == 403
    assert staff_client.get("/admin/payments/payment/add/").status_code == 403
    payment.refresh_from_db()
    assert payment.amount_pence == 500


def test_needs_attention_filter_lists_only_those_events_with_their_reason(staff_client):
    WebhookEvent.objects.create(
        event_id="evt_bad",
        type="checkout.session.completed",
        payload={},
        needs_attention=True,
        attention_reason="PaymentMismatch: Session cs_1 is for 1 gbp, payment 3 for 500 gbp.",
    )
    WebhookEvent.objects.create(event_id="evt_fine", type="checkout.session.completed", payload={})

    response = staff_client.get("/admin/payments/webhookevent/?needs_attention__exact=1")

    assert response.status_code == 200
    html = response.content.decode()
    assert "evt_bad" in html and "evt_fine" not in html
    assert "PaymentMismatch: Session cs_1 is for 1 gbp" in html
    assert "By needs attention" in html
