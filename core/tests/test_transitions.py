"""core.transitions.StateMachine: the one way every status moves (exercised on a Payment)."""

import pytest

from core.transitions import StateMachine
from payments.models import Payment, PaymentEvent
from payments.states import PAYMENT_TRANSITIONS, InvalidPaymentTransition
from payments.tests.factories import PaymentFactory

pytestmark = pytest.mark.django_db
S = Payment.Status

MACHINE = StateMachine(
    allowed=PAYMENT_TRANSITIONS,
    events=PaymentEvent,
    refuse=lambda payment, current, target: InvalidPaymentTransition(
        payment_id=payment.pk, from_status=current, to_status=target
    ),
)


def test_a_move_saves_the_status_and_fields_writes_one_event_and_runs_side_effects_after_commit(
    django_capture_on_commit_callbacks, admin_user
):
    payment = PaymentFactory(status=S.PENDING)
    announced = []

    with django_capture_on_commit_callbacks(execute=True):
        locked = MACHINE.lock(Payment, pk=payment.pk)
        old = MACHINE.move(
            locked,
            S.FAILED,
            actor=admin_user,
            note="card declined",
            fields={"receipt_url": "https://r.example/1"},
            event={"source": "test"},
            after_commit=[lambda: announced.append("failed")],
        )
        assert announced == []  # not before the commit

    assert old == S.PENDING and announced == ["failed"]
    payment.refresh_from_db()
    assert (payment.status, payment.receipt_url) == (S.FAILED, "https://r.example/1")
    event = PaymentEvent.objects.get(payment=payment)
    assert (event.from_status, event.to_status, event.actor, event.note, event.source) == (
        S.PENDING,
        S.FAILED,
        admin_user,
        "card declined",
        "test",
    )


def test_a_move_the_map_forbids_raises_the_apps_error_and_changes_nothing():
    payment = PaymentFactory(status=S.FAILED)

    with pytest.raises(InvalidPaymentTransition):
        MACHINE.move(payment, S.SUCCEEDED, fields={"receipt_url": "x"})

    payment.refresh_from_db()
    assert payment.status == S.FAILED and payment.receipt_url != "x"
    assert not PaymentEvent.objects.filter(payment=payment).exists()
    assert MACHINE.can_move(S.PENDING, S.SUCCEEDED) and not MACHINE.can_move(S.FAILED, S.SUCCEEDED)
