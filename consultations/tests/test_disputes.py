import datetime as dt

import pytest

from accounts.tests.factories import UserFactory
from bookings.models import Booking
from consultations import services
from consultations.models import Dispute, DisputeEvent, Earning
from payments.models import Refund

from .conftest import END, START, after_end, paid_booking

pytestmark = pytest.mark.django_db
S = Booking.Status
DS = Dispute.Status
ES = Earning.Status


def _no_show_claimed(booking):
    services.consultation_report_no_show(
        booking=booking, actor=booking.expert.user, now=START + dt.timedelta(minutes=20)
    )
    booking.refresh_from_db()
    return booking


def test_dispute_window_edges(booking):
    _no_show_claimed(booking)
    with pytest.raises(services.ConsultationError, match="closed"):
        services.dispute_open(
            booking=booking,
            client=booking.client,
            kind=Dispute.Kind.CONTEST_NO_SHOW,
            description="I was there",
            now=after_end(hours=48, minutes=1),
        )
    dispute = services.dispute_open(
        booking=booking,
        client=booking.client,
        kind=Dispute.Kind.CONTEST_NO_SHOW,
        description="I was there",
        now=after_end(hours=47, minutes=59),
    )
    assert dispute.status == DS.OPEN


def test_dispute_window_follows_the_site_setting(booking, site_config):
    site_config(dispute_window_hours=24)
    _no_show_claimed(booking)
    with pytest.raises(services.ConsultationError, match="closed"):
        services.dispute_open(
            booking=booking,
            client=booking.client,
            kind=Dispute.Kind.CONTEST_NO_SHOW,
            description="x",
            now=after_end(hours=25),
        )


def test_only_the_client_disputes_and_only_fitting_kinds(booking):
    _no_show_claimed(booking)
    for who in (booking.expert.user, UserFactory()):
        with pytest.raises(services.ConsultationError, match="Only the client"):
            services.dispute_open(
                booking=booking, client=who, kind=Dispute.Kind.CONTEST_NO_SHOW, description="x", now=END
            )
    with pytest.raises(services.ConsultationError, match="can't be reported"):
        services.dispute_open(
            booking=booking, client=booking.client, kind=Dispute.Kind.EXPERT_NO_SHOW, description="x", now=END
        )


def test_one_open_dispute_at_a_time(booking):
    _no_show_claimed(booking)
    services.dispute_open(
        booking=booking, client=booking.client, kind=Dispute.Kind.CONTEST_NO_SHOW, description="x", now=END
    )
    with pytest.raises(services.ConsultationError, match="already open"):
        services.dispute_open(booking=booking, client=booking.client, kind=Dispute.Kind.OTHER, description="y", now=END)


def test_respond_then_reject_releases_the_payout(booking, django_capture_on_commit_callbacks, mailoutbox, settings):
    settings.SUPPORT_EMAIL = "support@example.com"
    _no_show_claimed(booking)
    with django_capture_on_commit_callbacks(execute=True):
        dispute = services.dispute_open(
            booking=booking,
            client=booking.client,
            kind=Dispute.Kind.CONTEST_NO_SHOW,
            description="I was there",
            now=END,
        )
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [booking.expert.user.email, "support@example.com", booking.client.email]
    )
    # The window closes while the dispute is open: the earning stays pending.
    assert services.earnings_release(now=after_end(hours=49)) == 0
    assert Earning.objects.get(booking=booking).status == ES.PENDING

    with pytest.raises(services.ConsultationError):
        services.dispute_respond(dispute=dispute, actor=booking.client, response="x")
    services.dispute_respond(dispute=dispute, actor=booking.expert.user, response="I waited 20 minutes")
    with pytest.raises(services.ConsultationError, match="already been answered"):
        services.dispute_respond(dispute=dispute, actor=booking.expert.user, response="again")

    staff = UserFactory(is_staff=True)
    with pytest.raises(services.ConsultationError, match="staff"):
        services.dispute_resolve(dispute=dispute, actor=booking.expert.user, outcome=DS.REJECTED)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        dispute = services.dispute_resolve(
            dispute=dispute,
            actor=staff,
            outcome=DS.REJECTED,
            note="Logs show the client never joined.",
            now=after_end(hours=50),
        )
    assert dispute.status == DS.REJECTED
    assert Earning.objects.get(booking=booking).status == ES.AVAILABLE
    assert {m.to[0] for m in mailoutbox} == {booking.client.email, booking.expert.user.email}
    steps = list(DisputeEvent.objects.filter(dispute=dispute).values_list("from_status", "to_status"))
    assert steps == [("", DS.OPEN), (DS.OPEN, DS.RESPONDED), (DS.RESPONDED, DS.REJECTED)]
    with pytest.raises(services.ConsultationError, match="resolved again"):
        services.dispute_resolve(dispute=dispute, actor=staff, outcome=DS.REFUNDED_FULL)


def test_full_refund_resolution_reverses_the_earning(test_mode):
    booking = paid_booking()
    _no_show_claimed(booking)
    dispute = services.dispute_open(
        booking=booking, client=booking.client, kind=Dispute.Kind.CONTEST_NO_SHOW, description="I was there", now=END
    )
    staff = UserFactory(is_staff=True)
    services.dispute_resolve(
        dispute=dispute, actor=staff, outcome=DS.REFUNDED_FULL, note="Refunded", now=after_end(hours=5)
    )
    booking.refresh_from_db()
    assert booking.status == S.REFUNDED
    refund = Refund.objects.get(idempotency_key=f"dispute-{dispute.pk}-refund")
    assert refund.amount_pence == booking.price_pence
    earning = Earning.objects.get(booking=booking)
    assert earning.status == ES.REVERSED
    dispute.refresh_from_db()
    assert (dispute.status, dispute.refund_pence, dispute.refund) == (DS.REFUNDED_FULL, booking.price_pence, refund)


def test_partial_refund_holds_back_the_experts_share(test_mode):
    booking = paid_booking(price_pence=9000)
    _no_show_claimed(booking)
    dispute = services.dispute_open(
        booking=booking, client=booking.client, kind=Dispute.Kind.CONTEST_NO_SHOW, description="Late", now=END
    )
    staff = UserFactory(is_staff=True)
    with pytest.raises(services.ConsultationError, match="less than"):
        services.dispute_resolve(dispute=dispute, actor=staff, outcome=DS.REFUNDED_PARTIAL, amount_pence=9000)
    services.dispute_resolve(
        dispute=dispute,
        actor=staff,
        outcome=DS.REFUNDED_PARTIAL,
        amount_pence=3000,
        note="Half-time",
        now=after_end(hours=49),
    )
    booking.refresh_from_db()
    assert booking.status == S.NO_SHOW_CLIENT
    earning = Earning.objects.get(booking=booking)
    share = 3000 - (3000 * booking.commission_bps + 5000) // 10000
    assert earning.clawback_pence == share
    assert earning.payout_pence == earning.net_pence - share
    assert earning.status == ES.AVAILABLE  # the window had closed; the decision released it


def test_expert_no_show_dispute_rejected_pays_the_expert(booking):
    services.dispute_open(
        booking=booking,
        client=booking.client,
        kind=Dispute.Kind.EXPERT_NO_SHOW,
        description="No one came",
        now=START + dt.timedelta(minutes=10),
    )
    booking.refresh_from_db()
    assert booking.status == S.NO_SHOW_EXPERT
    dispute = Dispute.objects.get()
    services.dispute_resolve(
        dispute=dispute, actor=UserFactory(is_staff=True), outcome=DS.REJECTED, note="Call logs show 55 minutes"
    )
    booking.refresh_from_db()
    assert booking.status == S.COMPLETED  # the session counts as held
    assert Earning.objects.filter(booking=booking, status=ES.PENDING).count() == 1


def test_dispute_before_start_refused(booking):
    with pytest.raises(services.ConsultationError, match="started"):
        services.dispute_open(
            booking=booking,
            client=booking.client,
            kind=Dispute.Kind.EXPERT_NO_SHOW,
            description="x",
            now=START - dt.timedelta(minutes=1),
        )
