import datetime as dt

import pytest
from django.core.files.base import ContentFile

from ai_tools.private_storage import private_storage


@pytest.fixture
def private_root(settings, tmp_path):
    root = tmp_path / "private"
    settings.PRIVATE_MEDIA_ROOT = root
    settings.STRIPE_SECRET_KEY = ""
    settings.PAYMENTS_TEST_MODE_ENABLED = True
    return root


def store(name: str, data: bytes) -> str:
    return private_storage().save(name, ContentFile(data))


def future(days: int) -> dt.datetime:
    from django.utils import timezone

    start = (timezone.now() + dt.timedelta(days=days)).replace(minute=0, second=0, microsecond=0)
    return start


def paid_booking(*, client, session_type, start, status="confirmed"):
    """A confirmed booking paid in test mode (what the wizard and the test checkout leave behind)."""
    from bookings.tests.factories import BookingFactory
    from payments.models import Payment
    from payments.tests.factories import PaymentFactory

    payment = PaymentFactory(
        user=client,
        purpose="booking",
        description=f"{session_type.name}",
        amount_pence=session_type.price_pence,
        status=Payment.Status.SUCCEEDED,
        gateway=Payment.Gateway.TEST_MODE,
        payment_intent_id=f"tm_pi_{start:%Y%m%d%H}",
        metadata={},
    )
    return BookingFactory(client=client, session_type=session_type, start_at=start, status=status, payment=payment)
