import factory

from accounts.tests.factories import UserFactory
from payments.models import Payment, PointsPackage
from payments.purposes.points import PURPOSE as POINTS_PURCHASE


class PointsPackageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PointsPackage

    name = factory.Sequence(lambda n: f"Package {n}")
    points = 100
    price_pence = 1000
    active = True
    sort_order = factory.Sequence(lambda n: 100 + n)


class PaymentFactory(factory.django.DjangoModelFactory):
    """A points purchase in any status; settled ones get gateway references."""

    class Meta:
        model = Payment

    user = factory.SubFactory(UserFactory)
    purpose = POINTS_PURCHASE
    description = "50 points (Starter)"
    amount_pence = 500
    currency = "gbp"
    status = Payment.Status.PENDING
    gateway = Payment.Gateway.STRIPE
    checkout_session_id = factory.Sequence(lambda n: f"cs_factory_{n}")
    metadata = factory.LazyFunction(lambda: {"points": 50, "package_id": None, "package_name": "Starter"})
