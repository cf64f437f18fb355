"""The pack pages: query counts that do not grow with the data, the plan, sharing with a booked expert."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import UserFactory
from ai_tools.tests.factories import AIRunFactory
from applications import services
from bookings.models import Booking
from bookings.tests.factories import BookingFactory

from .factories import add_document

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _letter(application, position, text="A letter. " * 30):
    services.letter_save(
        application=application,
        position=position,
        text=text,
        name=f"W{position}",
        role="CTO",
        organisation=f"Org {position}",
        relationship="peer",
        months_known=24,
        email="w@x.example",
        phone="1",
    )


@pytest.mark.parametrize("name", ["applications:plan", "applications:portfolio", "applications:letters"])
def test_pack_pages_run_a_fixed_number_of_queries(client, name):
    user = UserFactory()
    application = services.application_ensure(user=user)
    AIRunFactory(user=user)
    client.force_login(user)
    add_document(application, n=1)
    _letter(application, 1)
    _queries(client, reverse(name))  # warm: session, site settings
    small = _queries(client, reverse(name))
    for n in range(2, 11):
        add_document(application, n=n, criterion=["MC", "OC2", "OC3"][n % 3])
    _letter(application, 2)
    _letter(application, 3)
    large = _queries(client, reverse(name))
    assert large == small
    assert large <= 12


def test_plan_orders_the_steps_and_names_the_next_one(client):
    user = UserFactory()
    client.force_login(user)
    html = client.get(reverse("applications:plan")).content.decode()
    assert (
        html.index("Choose your category") < html.index("Analyse your CV") < html.index("Build your evidence portfolio")
    )
    assert html.index("Build your evidence portfolio") < html.index("Collect three recommendation letters")
    assert 'data-testid="plan-progress">0/6<' in html
    response = client.post(
        reverse("applications:plan"), {"category": "promise", "first_optional": "OC2", "second_optional": "OC2"}
    )
    assert "Choose two different optional criteria." in response.content.decode()
    client.post(
        reverse("applications:plan"), {"category": "promise", "first_optional": "OC2", "second_optional": "OC3"}
    )
    html = client.get(reverse("applications:plan")).content.decode()
    assert "Exceptional Promise: MC + OC2 + OC3" in html
    assert 'data-testid="plan-progress">1/6<' in html


def test_portfolio_counters_follow_the_documents(client):
    user = UserFactory()
    application = services.application_ensure(user=user)
    client.force_login(user)
    add_document(application, n=1, pages=2)
    add_document(application, n=2, pages=4, criterion="OC2")
    html = client.get(reverse("applications:portfolio")).content.decode()
    assert 'data-testid="count-documents">2/10<' in html
    assert 'data-testid="count-pages">6<' in html
    assert 'data-testid="rule-pages" data-status="not_met"' in html


def _shared_world():
    client_user = UserFactory(full_name="Ada Client")
    application = services.application_ensure(user=client_user)
    add_document(application, n=1, title="Keynote at PyCon UK")
    AIRunFactory(user=client_user)
    booking = BookingFactory(client=client_user, status=Booking.Status.CONFIRMED)
    return client_user, application, booking


def test_the_expert_of_a_paid_booking_reads_the_shared_plan_only(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    client_user, application, booking = _shared_world()
    expert_user = booking.expert.user
    url = reverse("applications:shared_plan", args=[booking.pk])
    client.force_login(expert_user)
    assert client.get(url).status_code == 404  # not shared yet

    client.force_login(client_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("applications:share"), {"booking": booking.pk})
    assert response.status_code == 302
    assert application.shares.count() == 1
    (email,) = mailoutbox
    assert email.to == [expert_user.email]
    assert email.subject == "[TalentVisa] Ada Client shared their readiness plan with you"
    assert url in email.body and "&#x27;" not in email.body

    client.force_login(expert_user)
    html = client.get(url).content.decode()
    assert "Readiness plan of Ada Client" in html
    assert "Keynote at PyCon UK" in html  # the portfolio index
    assert 'data-testid="plan-cv">Readiness ' in html  # the latest analysis
    assert reverse("applications:evidence_download", args=[application.documents.get().pk]) not in html  # no files
    assert "Save choices" not in html and "Share read-only" not in html  # read only
    doc = application.documents.get()
    assert client.get(reverse("applications:evidence_download", args=[doc.pk])).status_code == 404

    other_expert_booking = BookingFactory(status=Booking.Status.CONFIRMED)
    client.force_login(other_expert_booking.expert.user)
    assert client.get(url).status_code == 404


def test_only_paid_bookings_can_be_shared_and_sharing_stops(client):
    client_user, application, booking = _shared_world()
    pending = BookingFactory(
        client=client_user, status=Booking.Status.PENDING_PAYMENT, start_at=booking.start_at.replace(year=2028)
    )
    with pytest.raises(services.PackError):
        services.plan_share(application=application, booking_id=pending.pk)
    stranger = BookingFactory(status=Booking.Status.CONFIRMED)
    with pytest.raises(services.PackError):
        services.plan_share(application=application, booking_id=stranger.pk)
    share = services.plan_share(application=application, booking_id=booking.pk)
    client.force_login(client_user)
    client.post(reverse("applications:unshare", args=[share.pk]))
    client.force_login(booking.expert.user)
    assert client.get(reverse("applications:shared_plan", args=[booking.pk])).status_code == 404


def test_shared_plan_queries_do_not_grow(client):
    client_user, application, booking = _shared_world()
    services.plan_share(application=application, booking_id=booking.pk)
    client.force_login(booking.expert.user)
    url = reverse("applications:shared_plan", args=[booking.pk])
    _queries(client, url)
    small = _queries(client, url)
    for n in range(2, 11):
        add_document(application, n=n)
    assert _queries(client, url) == small <= 12
