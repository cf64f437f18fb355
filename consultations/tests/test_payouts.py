import datetime as dt

import pytest

from accounts.tests.factories import UserFactory
from bookings.models import Booking
from bookings.services import booking_refund
from consultations import services, tasks
from consultations.models import Dispute, Earning, EarningEvent
from payments.webhooks.registry import handlers_for
from talentvisa.testing import needs_postgres, run_concurrently

from .conftest import END, after_end, paid_booking

ES = Earning.Status
LATER = after_end(hours=49)


def _completed_and_released(booking):
    services.consultation_complete(booking=booking, actor=booking.expert.user, now=END)
    assert services.earnings_release(now=after_end(hours=47)) == 0  # still inside the window
    assert services.earnings_release(now=LATER) == 1
    return Earning.objects.get(booking=booking)


@pytest.mark.django_db
def test_payout_through_the_real_stripe_library(stripe_fake):
    booking = paid_booking(fake=stripe_fake)
    earning = _completed_and_released(booking)
    result = services.earnings_payout_run(now=LATER)
    assert result["paid"] == 1
    (request,) = stripe_fake.posts_to("/v1/transfers")
    assert request.params["destination"] == "acct_expert_1"
    assert request.params["amount"] == str(earning.net_pence)
    assert request.params["currency"] == "gbp"
    assert request.params["source_transaction"] == booking.payment.charge_id
    assert booking.payment.charge_id.startswith("ch_")
    assert request.params["transfer_group"] == f"booking-{booking.pk}"
    assert request.idempotency_key == f"transfer-earning-{earning.pk}"
    earning.refresh_from_db()
    assert earning.status == ES.PAID
    assert earning.transfer_id == next(iter(stripe_fake.state.transfers))
    assert earning.payout_attempts == 1


@pytest.mark.django_db
def test_payout_task_run_twice_makes_one_transfer(stripe_fake):
    booking = paid_booking(fake=stripe_fake)
    _completed_and_released(booking)
    tasks.earnings_payout_task.apply()
    tasks.earnings_payout_task.apply()
    services.earning_payout(earning_id=Earning.objects.get().pk, now=LATER)
    assert len(stripe_fake.posts_to("/v1/transfers")) == 1
    assert len(stripe_fake.state.transfers) == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_payout_runs_make_one_transfer(stripe_fake):
    needs_postgres()
    booking = paid_booking(fake=stripe_fake)
    earning = _completed_and_released(booking)
    outcomes = run_concurrently([lambda: services.earnings_payout_run(now=LATER) for _ in range(4)])
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert len(stripe_fake.posts_to("/v1/transfers")) == 1
    assert len(stripe_fake.state.transfers) == 1
    earning.refresh_from_db()
    assert earning.status == ES.PAID and earning.payout_attempts == 1


@pytest.mark.django_db
def test_failure_is_recorded_and_retried_with_the_same_key(stripe_fake):
    booking = paid_booking(fake=stripe_fake)
    earning = _completed_and_released(booking)
    stripe_fake.fail_next = [400]  # a refusal (no SDK retry)
    result = services.earnings_payout_run(now=LATER)
    assert result == {"paid": 0, "failed": 1, "reversed": 0}
    earning.refresh_from_db()
    assert earning.status == ES.AVAILABLE
    assert earning.payout_attempts == 1 and "injected failure" in earning.last_error
    assert earning.payout_started_at is None
    services.earnings_payout_run(now=LATER + dt.timedelta(hours=1))
    earning.refresh_from_db()
    assert earning.status == ES.PAID and earning.payout_attempts == 2 and earning.last_error == ""
    keys = [r.idempotency_key for r in stripe_fake.posts_to("/v1/transfers")]
    assert keys == [f"transfer-earning-{earning.pk}"] * 2
    assert len(stripe_fake.state.transfers) == 1


@pytest.mark.django_db
def test_no_payout_without_payouts_enabled(stripe_fake):
    booking = paid_booking(fake=stripe_fake, payouts=False)
    earning = _completed_and_released(booking)
    services.earnings_payout_run(now=LATER)
    assert stripe_fake.posts_to("/v1/transfers") == []
    earning.refresh_from_db()
    assert earning.status == ES.AVAILABLE


@pytest.mark.django_db
def test_payout_waits_while_a_dispute_is_open(stripe_fake):
    booking = paid_booking(fake=stripe_fake)
    services.consultation_complete(booking=booking, actor=booking.expert.user, now=END)
    dispute = services.dispute_open(
        booking=booking,
        client=booking.client,
        kind=Dispute.Kind.OTHER,
        description="Audio broke",
        now=after_end(hours=2),
    )
    assert services.earnings_release(now=LATER) == 0
    services.earnings_payout_run(now=LATER)
    assert stripe_fake.posts_to("/v1/transfers") == []
    services.dispute_resolve(
        dispute=dispute, actor=UserFactory(is_staff=True), outcome=Dispute.Status.REJECTED, now=LATER
    )
    services.earnings_payout_run(now=LATER)
    assert len(stripe_fake.posts_to("/v1/transfers")) == 1


@pytest.mark.django_db
def test_refund_after_transfer_reverses_it(stripe_fake, django_capture_on_commit_callbacks):
    booking = paid_booking(fake=stripe_fake)
    earning = _completed_and_released(booking)
    services.earnings_payout_run(now=LATER)
    earning.refresh_from_db()
    assert earning.status == ES.PAID
    staff = UserFactory(is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        booking_refund(booking=booking, actor=staff, reason="Goodwill")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.REFUNDED
    (reversal,) = stripe_fake.posts_to(f"/v1/transfers/{earning.transfer_id}/reversals")
    assert reversal.idempotency_key == f"reversal-earning-{earning.pk}"
    earning.refresh_from_db()
    assert earning.status == ES.REVERSED and earning.reversal_id.startswith("trr_")
    assert stripe_fake.state.transfers[earning.transfer_id]["amount_reversed"] == earning.net_pence
    assert EarningEvent.objects.filter(earning=earning, to_status=ES.REVERSED).exists()
    # Replays change nothing.
    services.earnings_payout_run(now=LATER + dt.timedelta(days=1))
    assert len(stripe_fake.posts_to(f"/v1/transfers/{earning.transfer_id}/reversals")) == 1


@pytest.mark.django_db
def test_failed_reversal_is_retried_by_the_payout_run(stripe_fake):
    booking = paid_booking(fake=stripe_fake)
    earning = _completed_and_released(booking)
    services.earnings_payout_run(now=LATER)
    # The reversal task queued on commit never ran (no on_commit here): the payout run retries it.
    booking_refund(booking=booking, actor=UserFactory(is_staff=True), reason="Goodwill")
    earning.refresh_from_db()
    assert earning.status == ES.PAID and earning.reverse_requested_at is not None
    stripe_fake.fail_next = [400]
    assert services.earnings_payout_run(now=LATER + dt.timedelta(hours=1))["failed"] == 1
    earning.refresh_from_db()
    assert earning.status == ES.PAID and "injected failure" in earning.last_error
    assert services.earnings_payout_run(now=LATER + dt.timedelta(hours=2))["reversed"] == 1
    earning.refresh_from_db()
    assert earning.status == ES.REVERSED
    keys = {r.idempotency_key for r in stripe_fake.posts_to(f"/v1/transfers/{earning.transfer_id}/reversals")}
    assert keys == {f"reversal-earning-{earning.pk}"}


@pytest.mark.django_db
def test_refund_before_payout_reverses_without_a_transfer(test_mode):
    booking = paid_booking()
    earning = _completed_and_released(booking)
    booking_refund(booking=booking, actor=UserFactory(is_staff=True), reason="Goodwill")
    earning.refresh_from_db()
    assert earning.status == ES.REVERSED and earning.transfer_id == ""
    services.earnings_payout_run(now=LATER)
    earning.refresh_from_db()
    assert earning.status == ES.REVERSED


@pytest.mark.django_db
def test_test_mode_gateway_pays_in_the_embedded_default(test_mode):
    booking = paid_booking()
    earning = _completed_and_released(booking)
    services.earnings_payout_run(now=LATER)
    earning.refresh_from_db()
    assert earning.status == ES.PAID and earning.transfer_id == f"tm_tr_earning-{earning.pk}"


@pytest.mark.django_db
def test_staff_bonus_is_paid_and_recorded(test_mode):
    booking = paid_booking()
    staff = UserFactory(is_staff=True)
    with pytest.raises(services.ConsultationError):
        services.earning_adjustment_create(
            expert=booking.expert, amount_pence=500, kind="bonus", reason="", actor=staff
        )
    with pytest.raises(services.ConsultationError):
        services.earning_adjustment_create(
            expert=booking.expert, amount_pence=500, kind="bonus", reason="x", actor=booking.client
        )
    bonus = services.earning_adjustment_create(
        expert=booking.expert, amount_pence=500, kind="bonus", reason="Top expert of March", actor=staff
    )
    assert (bonus.gross_pence, bonus.commission_pence, bonus.net_pence, bonus.status) == (500, 0, 500, ES.AVAILABLE)
    assert EarningEvent.objects.get(earning=bonus).actor == staff
    services.earnings_payout_run(now=LATER)
    bonus.refresh_from_db()
    assert bonus.status == ES.PAID


@pytest.mark.django_db
def test_transfer_reversed_webhook_marks_the_earning(stripe_fake):
    booking = paid_booking(fake=stripe_fake)
    earning = _completed_and_released(booking)
    services.earnings_payout_run(now=LATER)
    earning.refresh_from_db()
    assert services.transfer_reversed_webhook in handlers_for("transfer.reversed")
    event = {
        "id": "evt_1",
        "type": "transfer.reversed",
        "data": {
            "object": {"id": earning.transfer_id, "amount": earning.net_pence, "amount_reversed": earning.net_pence}
        },
    }
    services.transfer_reversed_webhook(event=event)
    earning.refresh_from_db()
    assert earning.status == ES.REVERSED
