"""The privacy pages and the export read a constant number of queries, however much the user has."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ai_tools.tests.factories import AIRunFactory, DocumentFactory
from bookings.models import BookingMessage
from bookings.tests.factories import expert_with_session
from privacy.export import export_build

from .conftest import future, paid_booking, store

pytestmark = pytest.mark.django_db


def _grow(user, session, n):
    for i in range(n):
        booking = paid_booking(client=user, session_type=session, start=future(3 + 7 * len(user.bookings.all()) + i))
        BookingMessage.objects.create(booking=booking, sender=user, sender_role="client", body="hello")
        document = DocumentFactory(owner=user, storage_name=store("cv/q.txt", b"x"))
        AIRunFactory(user=user, document=document)


def _count(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_export_and_pages_are_constant(client, private_root):
    expert, session = expert_with_session(price_pence=9000)
    from accounts.tests.factories import UserFactory

    user = UserFactory()
    client.force_login(user)
    _grow(user, session, 1)
    export_build(user=user)  # warm: site settings, content types
    small = [
        _count(lambda: export_build(user=user)),
        _count(lambda: client.get(reverse("privacy:data"))),
        _count(lambda: client.get(reverse("privacy:account_delete"))),
    ]
    _grow(user, session, 3)
    large = [
        _count(lambda: export_build(user=user)),
        _count(lambda: client.get(reverse("privacy:data"))),
        _count(lambda: client.get(reverse("privacy:account_delete"))),
    ]
    assert small == large, (small, large)
    assert large[0] <= 20
    print("queries (export, data page, delete page):", large)
