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


def _support_with_review_permissions():
    staff = _support_staff()
    group = staff.groups.get(name="Support")
    for codename in ("view_review", "change_review", "view_expertprofile", "view_earning", "view_experttier"):
        group.permissions.add(Permission.objects.get(codename=codename))
    return staff


def _reviewed_booking():
    from consultations import services as consultation_services

    booking = BookingFactory()
    consultation_services.consultation_complete(booking=booking, actor=booking.expert.user, now=booking.end_at)
    return booking, consultation_services.review_create(booking=booking, client=booking.client, rating=1)


def test_support_staff_can_hide_a_review_and_it_is_logged(client):
    from consultations.models import Review
    from core.models import StaffAction

    staff = _support_with_review_permissions()
    _, review = _reviewed_booking()
    client.force_login(staff)
    page = client.get("/admin/consultations/review/")
    assert page.status_code == 200 and 'value="hide_reviews"' in page.content.decode()

    _action(client, "/admin/consultations/review/", "hide_reviews", [review.pk], apply="1", reason="Personal data")

    review.refresh_from_db()
    assert review.status == Review.Status.HIDDEN
    logged = StaffAction.objects.get(action="review_hidden")
    assert (logged.actor, logged.target_id, logged.reason) == (staff, str(review.pk), "Personal data")


def test_support_staff_cannot_set_tier_adjust_earnings_or_approve(client):
    from consultations import services as consultation_services
    from consultations.models import Earning
    from core.models import StaffAction
    from expert_marketplace.models import ExpertProfile
    from expert_marketplace.tests.factories import ExpertProfileFactory, tier

    staff = _support_with_review_permissions()
    gold = tier(slug="gold", name="Gold", bps=1000)
    expert = ExpertProfileFactory(status="pending")
    earning = consultation_services.earning_adjustment_create(
        expert=expert, amount_pence=500, kind="bonus", reason="seed", actor=UserFactory(is_staff=True)
    )
    client.force_login(staff)

    experts = client.get("/admin/expert_marketplace/expertprofile/").content.decode()
    assert 'value="set_tier"' not in experts and 'value="approve"' not in experts  # view-only: no actions
    _action(client, "/admin/expert_marketplace/expertprofile/", "set_tier", [expert.pk], apply="1", tier=gold.pk)
    _action(client, "/admin/expert_marketplace/expertprofile/", "approve", [expert.pk])
    expert.refresh_from_db()
    assert expert.tier_id != gold.pk and expert.status == ExpertProfile.Status.PENDING

    earnings = client.get("/admin/consultations/earning/").content.decode()
    assert 'value="add_adjustment"' not in earnings and 'value="retry_payout"' not in earnings
    _action(
        client,
        "/admin/consultations/earning/",
        "add_adjustment",
        [earning.pk],
        apply="1",
        kind="bonus",
        amount_pence="99999",
        reason="x",
    )
    assert Earning.objects.count() == 1

    payment = PaymentFactory(status=Payment.Status.SUCCEEDED, gateway="test_mode", payment_intent_id="pi_tm_1")
    _action(client, "/admin/payments/payment/", "refund_partial", [payment.pk], apply="1", amount="1.00", reason="x")
    assert not Refund.objects.exists()

    # Tier commissions are a money permission too: read-only for Support.
    assert (
        client.post(f"/admin/expert_marketplace/experttier/{gold.pk}/change/", {"commission_bps": 1}).status_code == 403
    )
    assert not StaffAction.objects.filter(actor=staff).exists()


def test_staff_with_manage_money_sees_money_actions(client):
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(
        Permission.objects.get(codename="manage_money"), Permission.objects.get(codename="view_payment")
    )
    PaymentFactory()  # the admin shows actions only when there are rows
    client.force_login(staff)
    html = client.get("/admin/payments/payment/").content.decode()
    assert 'value="refund_in_full"' in html and 'value="refund_partial"' in html


def test_commission_fields_are_read_only_without_the_money_permission(rf):
    from django.contrib import admin as django_admin

    from expert_marketplace.models import ExpertProfile

    model_admin = django_admin.site._registry[ExpertProfile]
    editor = UserFactory(is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="change_expertprofile"))
    request = rf.get("/")
    request.user = editor
    assert {"tier", "commission_override_bps"} <= set(model_admin.get_readonly_fields(request))
    request.user = UserFactory(is_staff=True, is_superuser=True)
    assert not {"tier", "commission_override_bps"} & set(model_admin.get_readonly_fields(request))


def test_site_settings_changes_are_in_the_staff_log(admin_client, admin_user):
    from core.conf import site_settings
    from core.models import StaffAction

    current = site_settings()
    data = {f.name: getattr(current, f.name) for f in current._meta.fields if f.name not in ("id", "updated_at")}
    data = {k: ("on" if v is True else v) for k, v in data.items() if v is not False}
    data["signup_bonus_points"] = 33
    response = admin_client.post("/admin/core/sitesettings/1/change/", data)
    assert response.status_code == 302
    logged = StaffAction.objects.get(action="site_settings_change")
    assert logged.actor == admin_user and "signup_bonus_points=33" in logged.reason
