"""Every URL that takes an object id, asked for by someone who does not own the object: 404.

The sweep walks the real URL configuration, so a new URL with an id and no entry below makes
this test fail until someone decides whose object it addresses.
"""

import datetime as dt

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.tests.factories import UserFactory
from ai_tools.models import AIRun
from ai_tools.tests.factories import AIRunFactory, DocumentFactory, statement_run
from applications.models import Application, EvidenceDocument, PlanShare, RefusalCase, RefusalShare
from bookings.models import Booking
from bookings.tests.factories import BookingFactory
from consultations.models import Dispute, Review
from expert_marketplace.tests.factories import AvailabilityOverrideFactory, ExpertProfileFactory, SessionTypeFactory
from payments.tests.factories import PaymentFactory
from site_admin import support

pytestmark = pytest.mark.django_db

# Routes with a parameter that are public on purpose, or keyed by a secret instead of an id.
PUBLIC_OR_SECRET = {
    "account_confirm_email": "keyed by a signed secret from the email",
    "account_reset_password_from_key": "keyed by a signed token from the email",
    "referrals:share": "a referral code is meant to be shared",
    "experts:detail": "public expert profiles",
    "experts:book": "starts the wizard for a public profile",
    "payments:test_checkout": "keyed by the session id and checked against the owner (tested in payments)",
    "media": "public uploads (expert photos, random names); private documents are never under MEDIA_ROOT",
    "applications:letter_edit": "a letter slot (1-3) of the viewer's own application, not an object id",
    "bookings:expert_feed": "keyed by the expert's secret feed token (a wrong one is 404: expert_marketplace tests)",
}


def _routes():
    def walk(resolver, prefix="", ns=None):
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                yield from walk(p, prefix + str(p.pattern), p.namespace or ns)
            elif isinstance(p, URLPattern):
                yield prefix + str(p.pattern), (f"{ns}:" if ns else "") + (p.name or ""), p

    for route, name, pattern in walk(get_resolver()):
        if "<" in route or "(?P<" in route:
            if not route.startswith("admin/"):
                yield route, name, pattern


@pytest.fixture
def world():
    """Objects of one client and one expert, and two intruders of each kind."""
    owner = UserFactory()
    expert = ExpertProfileFactory()
    session = SessionTypeFactory(expert=expert)
    booking = BookingFactory(client=owner, session_type=session, status=Booking.Status.COMPLETED)
    pending = BookingFactory(
        client=owner,
        session_type=SessionTypeFactory(expert=expert),
        status=Booking.Status.PENDING_PAYMENT,
        start_at=booking.start_at.replace(year=booking.start_at.year + 1),
    )
    review = Review.objects.create(booking=booking, expert=expert, client=owner, rating=4, text="Helpful")
    dispute = Dispute.objects.create(booking=booking, opened_by=owner, kind=Dispute.Kind.OTHER, description="x")
    document = DocumentFactory(owner=owner)
    run = AIRunFactory(user=owner)
    statement = statement_run(user=owner)
    payment = PaymentFactory(user=owner)
    application = Application.objects.create(owner=owner)
    evidence = EvidenceDocument.objects.create(
        application=application,
        position=1,
        title="Private evidence",
        proves="x",
        evidence_date=dt.date(2025, 1, 1),
        source="x",
        kind="pdf",
        original_filename="e.pdf",
        storage_name="evidence/sweep.pdf",
        size_bytes=1,
        sha256="0" * 64,
        page_count=1,
        pages_estimated=False,
    )
    share = PlanShare.objects.create(application=application, booking=booking)
    booking.shared_analyses.add(run)
    letters_run = AIRunFactory(user=owner, tool=AIRun.Tool.LETTERS_CHECK, document=None, result=None)
    refusal = RefusalCase.objects.create(owner=owner, decision_date=dt.date(2026, 1, 5), letter_text="MC: not met.")
    refusal_share = RefusalShare.objects.create(case=refusal, booking=booking)
    inquiry = support.inquiry_create(user=owner, name="O", email="", topic="other", subject="Private", body="Secret")
    ids = {
        "pk": [
            booking.pk,
            pending.pk,
            run.pk,
            statement.pk,
            document.pk,
            inquiry.pk,
            evidence.pk,
            share.pk,
            letters_run.pk,
            refusal.pk,
        ],
        "share_id": [refusal_share.pk],
        "run_id": [run.pk],  # a CV analysis shared with the booking (the expert's read-only view)
        "position": [1],
        "direction": ["up", "down"],
        "booking_id": [booking.pk, pending.pk],
        "payment_id": [payment.pk],
        "review_id": [review.pk],
        "dispute_id": [dispute.pk],
        "override_id": [AvailabilityOverrideFactory(expert=expert, day=booking.start_at.date()).pk],
        "session_type_id": [session.pk],
        "fmt": ["docx", "txt"],
        "index": [0],  # a suggested edit of a statement review
        "kind": ["bookings.booking_confirmed.client"],  # an email kind: staff pages, 403 to everyone else
    }
    intruders = [UserFactory(), ExpertProfileFactory().user]
    return ids, intruders


def test_every_id_url_refuses_other_users(client, world):
    ids, intruders = world
    checked = 0
    for route, name, pattern in _routes():
        if name in PUBLIC_OR_SECRET:
            continue
        params = list(pattern.pattern.converters) or list(pattern.pattern.regex.groupindex)
        id_params = [p for p in params if p not in ("fmt", "index")]
        assert id_params and all(p in ids for p in params), f"{name} ({route}): add its id to the sweep"
        for intruder in intruders:
            client.force_login(intruder)
            for value in ids[id_params[0]]:
                kwargs = {p: (ids[p][0] if p != id_params[0] else value) for p in params}
                path = reverse(name, kwargs=kwargs)
                for method in ("get", "post"):
                    response = getattr(client, method)(path)
                    assert response.status_code in (403, 404, 405), (name, path, method, intruder, response.status_code)
                    checked += 1
    assert checked > 100
