"""The staff action log: one row per back-office action, across apps, read-only in the admin."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Permission

from accounts.tests.factories import UserFactory
from bookings.models import Booking
from bookings.tests.conftest import confirmed_booking
from bookings.tests.factories import expert_with_session
from consultations import services as consultation_services
from core import audit
from core.models import StaffAction
from expert_marketplace.tests.factories import ExpertProfileFactory, tier
from payments.models import Payment
from payments.tests.factories import PaymentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def test_mode(settings):
    settings.STRIPE_SECRET_KEY = ""
    settings.PAYMENTS_TEST_MODE_ENABLED = True


def _action(client, url, action, ids, **extra):
    return client.post(url, {"action": action, ACTION_CHECKBOX_NAME: [str(i) for i in ids], "index": 0, **extra})


def test_record_stores_actor_target_and_reason():
    staff = UserFactory(is_staff=True)
    target = UserFactory()
    row = audit.record(actor=staff, action="grant_points 5", target=target, reason="Goodwill")
    assert (row.actor, row.action, row.target_type.model, row.target_id) == (
        staff,
        "grant_points 5",
        "user",
        str(target.pk),
    )
    assert row.target_repr == str(target) and row.reason == "Goodwill"
    bulk = audit.record(actor=staff, action="export_users_csv")
    assert bulk.target_type is None and bulk.target_id == ""


def test_money_and_moderation_actions_all_land_in_one_log(admin_client, admin_user, test_mode):
    # Booking refund (BookingEvent has the actor too; the log has it as well).
    _, session = expert_with_session()
    booking = confirmed_booking(client=UserFactory(), session_type=session)
    _action(admin_client, "/admin/bookings/booking/", "refund_full", [booking.pk])
    booking.refresh_from_db()
    assert booking.status == Booking.Status.REFUNDED

    # Payment full refund.
    payment = PaymentFactory(status=Payment.Status.SUCCEEDED, gateway="test_mode", payment_intent_id="pi_tm_9")
    _action(admin_client, "/admin/payments/payment/", "refund_in_full", [payment.pk])

    # Points grant.
    user = UserFactory()
    _action(admin_client, "/admin/accounts/user/", "grant_points", [user.pk], apply="1", amount="7", reason="Sorry")

    # Expert tier.
    gold = tier(slug="gold", name="Gold", bps=1000)
    expert = ExpertProfileFactory()
    _action(admin_client, "/admin/expert_marketplace/expertprofile/", "set_tier", [expert.pk], apply="1", tier=gold.pk)

    # Earning adjustment.
    seed = consultation_services.earning_adjustment_create(
        expert=expert, amount_pence=100, kind="bonus", reason="seed", actor=admin_user
    )
    _action(
        admin_client,
        "/admin/consultations/earning/",
        "add_adjustment",
        [seed.pk],
        apply="1",
        kind="adjustment",
        amount_pence="-250",
        reason="Overpaid",
    )

    actions = set(StaffAction.objects.filter(actor=admin_user).values_list("action", flat=True))
    assert {
        "booking_refund_full",
        "payment_refund_full",
        "grant_points 7",
        "expert_tier_set",
        "earning_adjustment",
    } <= actions
    adjustment = StaffAction.objects.get(action="earning_adjustment")
    assert "-£2.50" in adjustment.reason and "Overpaid" in adjustment.reason


def test_staff_action_admin_is_read_only_and_filterable(admin_client, admin_user):
    target = UserFactory(email="target@example.com")
    row = audit.record(actor=admin_user, action="grant_points 5", target=target, reason="Goodwill")
    for url in (
        "/admin/core/staffaction/",
        "/admin/core/staffaction/?action=grant_points+5",
        f"/admin/core/staffaction/?actor__id__exact={admin_user.pk}",
        "/admin/core/staffaction/?q=target%40example.com",
        f"/admin/core/staffaction/{row.pk}/change/",
    ):
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert "target@example.com" in response.content.decode(), url
    assert admin_client.get("/admin/core/staffaction/add/").status_code == 403
    assert admin_client.post(f"/admin/core/staffaction/{row.pk}/delete/", {"post": "yes"}).status_code == 403
    assert StaffAction.objects.filter(pk=row.pk).exists()
    # The target links to its own admin page.
    assert f"/admin/accounts/user/{target.pk}/change/" in admin_client.get("/admin/core/staffaction/").content.decode()


def test_staff_action_list_has_constant_queries(admin_client, admin_user, django_assert_max_num_queries):
    for n in range(3):
        audit.record(actor=admin_user, action="x", target=UserFactory(), reason=str(n))
    admin_client.get("/admin/core/staffaction/")
    with django_assert_max_num_queries(12) as few:
        admin_client.get("/admin/core/staffaction/")
    for n in range(20):
        audit.record(actor=UserFactory(is_staff=True), action="x", target=UserFactory(), reason=str(n))
    with django_assert_max_num_queries(len(few.captured_queries)):
        admin_client.get("/admin/core/staffaction/")


def test_admin_index_shows_latest_staff_actions_to_those_allowed(admin_client, admin_user, client):
    audit.record(actor=admin_user, action="payment_refund_partial", target=UserFactory(), reason="£1.00")
    html = admin_client.get("/admin/").content.decode()
    assert "Latest staff actions" in html and "payment_refund_partial" in html

    support = UserFactory(is_staff=True)
    support.user_permissions.add(Permission.objects.get(codename="view_inquiry"))
    client.force_login(support)
    html = client.get("/admin/").content.decode()
    assert "Latest staff actions" not in html
