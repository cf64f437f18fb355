"""A client's late cancellation: the expert gets the site setting's share of the forfeited fee, with commission."""

import datetime as dt

import pytest
from django.core import mail

from accounts.tests.factories import UserFactory
from bookings.models import Booking
from bookings.services import booking_cancel, booking_refund
from bookings.tests.factories import WEDNESDAY_10
from consultations.models import Earning
from consultations.services import earnings_release
from core.conf import site_settings_update
from core.models import SiteSettings

from .conftest import paid_booking

H = dt.timedelta(hours=1)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("test_mode")]


def cancel(booking, *, hours_before, capture):
    with capture(execute=True):
        return booking_cancel(
            booking=booking, actor=booking.client, reason="Plans changed", now=WEDNESDAY_10 - hours_before * H
        )


@pytest.mark.parametrize(
    ("hours_before", "share_percent", "gross", "commission", "net"),
    [
        (30, 50, 2250, 450, 1800),  # 24-48 h: client forfeits 4,500p of 9,000p; half of it to the expert
        (5, 50, 4500, 900, 3600),  # under 24 h: client forfeits all 9,000p
        (30, 40, 1800, 360, 1440),  # staff set 40 %
    ],
)
def test_late_client_cancel_writes_the_experts_share_with_commission(
    django_capture_on_commit_callbacks, hours_before, share_percent, gross, commission, net
):
    site_settings_update(actor=None, changes={"booking_late_cancel_expert_percent": share_percent})
    booking = paid_booking()
    mail.outbox.clear()
    cancel(booking, hours_before=hours_before, capture=django_capture_on_commit_callbacks)
    earning = Earning.objects.get(booking=booking)
    assert (earning.kind, earning.status) == (Earning.Kind.LATE_CANCEL, Earning.Status.PENDING)
    assert (earning.gross_pence, earning.commission_pence, earning.net_pence) == (gross, commission, net)
    assert earning.commission_bps == booking.commission_bps == 2000
    # The cancel's own partial refund does not claw the share back.
    assert earning.clawback_pence == 0
    # Both sides are told the split.
    by_recipient = {m.to[0]: m.body for m in mail.outbox}
    assert f"£{gross / 100:.2f} of the" in by_recipient[booking.expert.user.email]
    assert f"£{gross / 100:.2f} goes to {booking.expert.display_name}" in by_recipient[booking.client.email]
    # Payable once the session's time has passed.
    assert earnings_release(now=booking.end_at - H) == 0
    assert earnings_release(now=booking.end_at + H) == 1
    # Cancelling again writes no second row.
    cancel(booking, hours_before=hours_before, capture=django_capture_on_commit_callbacks)
    assert Earning.objects.filter(booking=booking).count() == 1


def test_no_share_when_the_client_gets_everything_back_or_the_expert_cancels(django_capture_on_commit_callbacks):
    early = paid_booking()
    cancel(early, hours_before=72, capture=django_capture_on_commit_callbacks)
    by_expert = paid_booking()
    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=by_expert, actor=by_expert.expert.user, reason="Ill", now=WEDNESDAY_10 - 5 * H)
    site_settings_update(actor=None, changes={"booking_late_cancel_expert_percent": 0})
    zero = paid_booking()
    cancel(zero, hours_before=30, capture=django_capture_on_commit_callbacks)
    assert not Earning.objects.exists()


def test_staff_refunding_the_forfeited_fee_reverses_the_share(django_capture_on_commit_callbacks):
    booking = paid_booking()
    cancel(booking, hours_before=30, capture=django_capture_on_commit_callbacks)
    staff = UserFactory(is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        booking_refund(booking=Booking.objects.get(pk=booking.pk), actor=staff, reason="Goodwill")
    earning = Earning.objects.get(booking=booking)
    assert earning.status == Earning.Status.REVERSED


def test_the_cancel_page_shows_the_split(client, django_capture_on_commit_callbacks, settings):
    booking = paid_booking()
    client.force_login(booking.client)
    from unittest import mock

    with mock.patch("bookings.views.client.now", return_value=WEDNESDAY_10 - 30 * H):
        page = client.get(f"/bookings/{booking.pk}/cancel/").content.decode()
    assert f"goes to {booking.expert.display_name}" in page
    assert "£22.50" in page
    assert SiteSettings.objects.get().booking_late_cancel_expert_percent == 50
